"""Shared fixtures: a bot configuration in a temporary folder, the samples and their truth."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "samples" / "invoices"
EXPECTED_FILE = REPO / "samples" / "expected.json"
CORPUS = REPO.parent / "shared" / "corpus"


def wait_until(predicate, timeout: float, interval: float = 0.2) -> bool:
    """Ask `predicate` until it holds or `timeout` seconds passed; its last answer."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return bool(predicate())


def expected_samples() -> list[dict]:
    return json.loads(EXPECTED_FILE.read_text(encoding="utf-8"))["files"]


def write_bot_config(root: Path, *, inbox: Path | None = None, settle_seconds: float = 0.5,
                     extra: dict | None = None) -> Path:
    """A bot.yaml under `root` with its own ledger, store and e-file folders and the shipped
    rules; one watched folder `inbox` (default root/inbox)."""
    inbox = inbox or root / "inbox"
    inbox.mkdir(parents=True, exist_ok=True)
    config = {
        "ledger": str(root / "var" / "ledger.sqlite3"),
        "store": str(root / "var" / "store"),
        "efile_root": str(root / "var" / "efile"),
        "log_file": str(root / "var" / "log" / "bot.jsonl"),
        "rules": str(REPO / "config" / "rules.yaml"),
        "caseworkers": str(REPO / "config" / "caseworkers.yaml"),
        "vendors": str(REPO / "config" / "vendors.yaml"),
        "rescan_seconds": 5,
        "folders": [{"path": str(inbox), "source": "registratur",
                     "settle_seconds": settle_seconds}],
    }
    config.update(extra or {})
    (root / "config").mkdir(parents=True, exist_ok=True)
    path = root / "config" / "bot.yaml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return path


def run_bot(*args: str, timeout: float = 600, check: bool = False) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    return subprocess.run([sys.executable, str(REPO / "run_bot.py"), *args], cwd=REPO,
                          capture_output=True, text=True, timeout=timeout, check=check, env=env)


def filed_files(efile_root: Path) -> dict[str, list[str]]:
    """document id -> the queues its PDF lies in (more than one would be a double filing)."""
    found: dict[str, list[str]] = {}
    for pdf in efile_root.glob("*/*.pdf"):
        found.setdefault(pdf.stem, []).append(pdf.parent.name)
    return found


@pytest.fixture
def bot_config(tmp_path: Path) -> Path:
    return write_bot_config(tmp_path)
