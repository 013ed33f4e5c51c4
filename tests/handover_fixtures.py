"""Helpers for the hand-over tests: a bot with the DMS hot-folder target, a stand-in for the
DMS's importer (it takes complete sets out of the hot folder, as a DMS does), the samples
that need no OCR, and the bot run with a crash point."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO, SAMPLES, expected_samples, write_bot_config

XML_TEMPLATE = REPO / "config" / "dms-index-xml.xml.j2"
CSV_TEMPLATE = REPO / "config" / "dms-index-csv.csv.j2"
FAST_KINDS = ("xrechnung-ubl", "xrechnung-cii", "zugferd", "pdf-text")


def fast_samples() -> list[dict]:
    """The samples read without OCR (e-invoices, text PDFs): quick to run many times."""
    return [s for s in expected_samples() if s.get("kind") in FAST_KINDS]


def drop_samples(inbox: Path, samples: list[dict]) -> None:
    for sample in samples:
        shutil.copy(SAMPLES / sample["file"], inbox / sample["file"])


def dms_config(root: Path, template: Path = XML_TEMPLATE, extra: dict | None = None,
               **dms) -> Path:
    """A bot.yaml under `root` filing into the DMS hot folder root/var/dms/import."""
    filing = {"target": "dms_hotfolder",
              "dms_hotfolder": {"index_template": str(template), **dms}}
    return write_bot_config(root, settle_seconds=0.2, extra={"filing": filing, **(extra or {})})


def hotfolder(root: Path) -> Path:
    return root / "var" / "dms" / "import"


def dms_import(root: Path, archive: Path) -> int:
    """What a DMS importer does: every document whose index has arrived is taken out of the
    hot folder with its files (into archive/<n>-<document id>/); how many sets it took."""
    taken = 0
    for index in sorted(hotfolder(root).glob("*.index.*")):
        stem = index.name.split(".index.")[0]
        target = archive / f"{len(list(archive.glob('*'))) + 1:04d}-{stem}"
        target.mkdir(parents=True)
        for path in hotfolder(root).glob(f"{stem}.*"):
            shutil.move(path, target / path.name)
        taken += 1
    return taken


def run_bot_with(config: Path, *args: str, fault: str | None = None,
                 timeout: float = 600) -> subprocess.CompletedProcess:
    """run_bot.py with RBOT_FAULT set (the process kills itself at that point) or unset."""
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    env.pop("RBOT_FAULT", None)
    if fault:
        env["RBOT_FAULT"] = fault
    return subprocess.run([sys.executable, str(REPO / "run_bot.py"), "--config", str(config),
                           *args], cwd=REPO, env=env, capture_output=True, text=True,
                          timeout=timeout)


def ledger_rows(root: Path, sql: str, params: tuple = ()) -> list[tuple]:
    with sqlite3.connect(root / "var" / "ledger.sqlite3") as db:
        return db.execute(sql, params).fetchall()


def document_ids(root: Path) -> dict[str, str]:
    """Original file name -> document id, from the ledger."""
    return dict(ledger_rows(root, "SELECT original_name, id FROM documents"))
