"""Chaos run: mixed documents through `run_bot.py watch` while the process is killed with
SIGKILL at seeded random moments; afterwards every document must be filed exactly once or be
an exception, ledger and folders must agree, and no temporary file may be left.

    .venv/bin/python bench/chaos.py [--documents 200] [--kills 20] [--seed 1]
    .venv/bin/python bench/chaos.py --watchers 2 --kills 0     # two bots on one folder
    .venv/bin/python bench/chaos.py --target dms_hotfolder     # into a DMS hot folder

With --target dms_hotfolder a stand-in for the DMS's importer takes every complete document
out of the hot folder while the bots run and are killed: each filed document must reach it
exactly once.

The test suite runs a short version (tests/test_chaos.py).
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.mixed_documents import REPO, MixedDocument, mixed_documents  # noqa: E402
from tests.conftest import write_bot_config  # noqa: E402


def _start(config: Path) -> subprocess.Popen:
    errors = (config.parent / "watch-stderr.log").open("ab")
    return subprocess.Popen([sys.executable, str(REPO / "run_bot.py"), "--config", str(config),
                             "watch"], cwd=REPO, stdout=subprocess.DEVNULL, stderr=errors)


def _check_alive(bots: list[subprocess.Popen], config: Path) -> None:
    """A bot that exits on its own (not killed by us) is a failure of the run."""
    for bot in bots:
        if bot.poll() is not None:
            log = (config.parent / "watch-stderr.log").read_text(errors="replace")[-2000:]
            raise RuntimeError(f"a bot exited by itself with {bot.returncode}:\n{log}")


def _drop(documents: list[MixedDocument], inbox: Path) -> None:
    for doc in documents:
        tmp = inbox / f".{doc.name}.part"
        tmp.write_bytes(doc.data)
        tmp.rename(inbox / doc.name)


def _finished(ledger: Path, expected_documents: int) -> bool:
    if not ledger.exists():
        return False
    try:
        with sqlite3.connect(ledger, timeout=30) as db:
            states = dict(db.execute("SELECT state, COUNT(*) FROM documents GROUP BY state"))
    except sqlite3.OperationalError:  # a bot is creating the ledger (no tables yet)
        return False
    done = states.get("filed", 0) + states.get("exception", 0)
    return done == sum(states.values()) and done >= expected_documents


DMS_TEMPLATE = REPO / "config" / "dms-index-xml.xml.j2"


def _dms_importer(root: Path, stop: threading.Event) -> threading.Thread:
    """What a DMS does with its hot folder: take each document whose index has arrived, with
    its files, into root/dms-archive/<n>-<document id>/ — while the bots run."""
    def take_all() -> None:
        hot, archive = root / "var" / "dms" / "import", root / "dms-archive"
        while True:
            for index in sorted(hot.glob("*.index.xml")):
                stem = index.name.split(".index.")[0]
                target = archive / f"{len(list(archive.glob('*'))) + 1:05d}-{stem}"
                target.mkdir(parents=True)
                for path in hot.glob(f"{stem}.*"):
                    shutil.move(path, target / path.name)
            if stop.is_set():
                return
            time.sleep(0.2)
    thread = threading.Thread(target=take_all, daemon=True)
    thread.start()
    return thread


def _config(root: Path, target: str) -> Path:
    extra = {"filing": {"target": target, "dms_hotfolder": {
        "index_template": str(DMS_TEMPLATE)}}} if target == "dms_hotfolder" else {}
    return write_bot_config(root, settle_seconds=0.3, extra=extra)


def run(root: Path, documents: list[MixedDocument], kills: int, seed: int, watchers: int = 1,
        timeout: float = 1800, target: str = "filesystem") -> dict:
    config = _config(root, target)
    inbox, ledger = root / "inbox", root / "var" / "ledger.sqlite3"
    rng = random.Random(seed)
    batches = [documents[i::kills + 1] for i in range(kills + 1)]
    started = time.monotonic()
    importing = threading.Event()
    importer = _dms_importer(root, importing) if target == "dms_hotfolder" else None
    bots = [_start(config) for _ in range(watchers)]
    for batch in batches[:-1]:
        _drop(batch, inbox)
        time.sleep(rng.uniform(0.3, 3.0))
        victim = rng.randrange(len(bots))
        bots[victim].send_signal(signal.SIGKILL)
        bots[victim].wait()
        bots[victim] = _start(config)
    _drop(batches[-1], inbox)
    distinct = len({d.data for d in documents})
    while not _finished(ledger, distinct) or any(inbox.iterdir()):
        if time.monotonic() - started > timeout:
            raise TimeoutError("documents still pending")
        _check_alive(bots, config)
        time.sleep(0.5)
    for bot in bots:
        bot.send_signal(signal.SIGTERM)
    codes = [bot.wait(timeout=120) for bot in bots]
    if importer is not None:
        importing.set()
        importer.join(timeout=60)
    result = verify(root, documents)
    result.update(seconds=round(time.monotonic() - started, 1), kills=kills,
                  watchers=watchers, exit_codes=codes, target=target)
    return result


def verify(root: Path, documents: list[MixedDocument]) -> dict:
    """Compare what each document should have become with the ledger and the e-file folders."""
    with sqlite3.connect(root / "var" / "ledger.sqlite3") as db:
        db.row_factory = sqlite3.Row
        docs = {r["sha256"]: dict(r) for r in db.execute("SELECT * FROM documents")}
        receipts = {r["original_name"]: dict(r) for r in db.execute("SELECT * FROM receipts")}
        filed_events = Counter(r[0] for r in db.execute(
            "SELECT document_id FROM audit WHERE event='filed'"))
    problems = []
    for doc in documents:
        receipt = receipts.get(doc.name)
        row = docs.get(receipt["sha256"]) if receipt else None
        if row is None:
            problems.append(f"{doc.name}: not in the ledger")
            continue
        wanted = {"filed": ("filed", "caseworker"), "exception": ("exception", "reason"),
                  "duplicate": ("filed", "caseworker")}[doc.outcome]
        if (row["state"], row[wanted[1]]) != (wanted[0], doc.expect):
            problems.append(f"{doc.name}: {row['state']}/{row[wanted[1]]}, expected "
                            f"{wanted[0]}/{doc.expect}")
    filed = {r["id"]: r["caseworker"] for r in docs.values() if r["state"] == "filed"}
    problems += _compare_targets(root, filed)
    problems += [f"{d}: filed event {n} times" for d, n in filed_events.items() if n > 1]
    temporaries = [str(p) for p in root.rglob("*") if p.name.startswith((".tmp-", ".tmp"))]
    leftovers = [p.name for p in (root / "inbox").iterdir()]
    outcome = Counter(r["state"] for r in docs.values())
    return {"documents": len(documents), "distinct": len(docs), "filed": outcome["filed"],
            "exceptions": outcome["exception"], "problems": problems,
            "temporary_files": temporaries, "left_in_inbox": leftovers}


def _compare_targets(root: Path, filed: dict[str, str]) -> list[str]:
    """The e-file folders (or what the DMS imported) against the ledger's filed documents."""
    archive = root / "dms-archive"
    if archive.is_dir():
        imported = Counter(p.name.split("-", 1)[1] for p in archive.iterdir())
        left = [p for p in (root / "var" / "dms" / "import").glob("*") if p.is_file()]
        problems = [f"{d}: handed to the DMS {n} times" for d, n in imported.items() if n > 1]
        if set(imported) != set(filed):
            problems.append("the DMS's imports and the ledger disagree")
        return problems + [f"{p.name}: left in the hot folder" for p in left]
    efile = root / "var" / "efile"
    sidecars = {p.stem: p.parent.name for p in efile.glob("*/*.json")}
    pdfs = Counter(p.stem for p in efile.glob("*/*.pdf"))
    problems = [] if sidecars == filed else ["e-file folders and ledger disagree"]
    return problems + [f"{d}: filed {n} times" for d, n in pdfs.items() if n > 1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=200)
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--watchers", type=int, default=1)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--scans", type=int, default=4)
    parser.add_argument("--target", choices=("filesystem", "dms_hotfolder"),
                        default="filesystem")
    args = parser.parse_args()
    documents = mixed_documents(args.documents, seed=args.seed, scans=args.scans)
    with tempfile.TemporaryDirectory(prefix="rbot-chaos-") as tmp:
        result = run(Path(tmp), documents, args.kills, args.seed, args.watchers,
                     target=args.target)
    print(json.dumps(result, indent=1))
    ok = not (result["problems"] or result["temporary_files"] or result["left_in_inbox"])
    print("OK: every document filed exactly once or an exception" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
