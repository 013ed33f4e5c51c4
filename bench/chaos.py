"""Chaos run: mixed documents through `run_bot.py watch` while the process is killed with
SIGKILL at seeded random moments; afterwards every document must be filed exactly once or be
an exception, ledger and folders must agree, and no temporary file may be left.

    .venv/bin/python bench/chaos.py [--documents 200] [--kills 20] [--seed 1]
    .venv/bin/python bench/chaos.py --watchers 2 --kills 0     # two bots on one folder
    .venv/bin/python bench/chaos.py --target dms_hotfolder     # into a DMS hot folder
    .venv/bin/python bench/chaos.py --ledger postgresql --watchers 3 --documents 300 --kills 30

With --ledger postgresql the ledger is a PostgreSQL cluster started for the run (Debian's
postgresql package), the bots run as separate "hosts" (each its own process group, working
directory and RBOT_WORKER_HOST) and the server is restarted once in the middle of the run.

With --target dms_hotfolder a stand-in for the DMS's importer takes every complete document
out of the hot folder while the bots run and are killed: each filed document must reach it
exactly once.

The test suite runs a short version (tests/test_chaos.py).
"""

from __future__ import annotations

import argparse
import json
import os
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
from contextlib import closing, contextmanager
from pathlib import Path

import psycopg
from psycopg.rows import dict_row

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.mixed_documents import REPO, MixedDocument, mixed_documents  # noqa: E402
from tests.conftest import write_bot_config  # noqa: E402


def _start(config: Path, host: int | None = None) -> subprocess.Popen:
    """A watching bot; `host` n: as a host of its own (process group, folder, name)."""
    errors = (config.parent / "watch-stderr.log").open("ab")
    if host is None:
        return subprocess.Popen([sys.executable, str(REPO / "run_bot.py"), "--config",
                                 str(config), "watch"], cwd=REPO, stdout=subprocess.DEVNULL,
                                stderr=errors)
    home = config.parent.parent / "hosts" / f"host{host}"
    home.mkdir(parents=True, exist_ok=True)
    return subprocess.Popen([sys.executable, str(REPO / "run_bot.py"), "--config", str(config),
                             "watch"], cwd=home, stdout=subprocess.DEVNULL, stderr=errors,
                            start_new_session=True,
                            env=os.environ | {"RBOT_WORKER_HOST": f"chaos-host{host}"})


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


def _rows(ledger: Path | str, sql: str) -> list[dict]:
    """Rows of a query, read with the database's own client (not the bot's code)."""
    if str(ledger).startswith("postgresql://"):
        with psycopg.connect(str(ledger), row_factory=dict_row,
                             password=os.environ.get("RBOT_LEDGER_PASSWORD")) as db:
            return db.execute(sql).fetchall()
    with closing(sqlite3.connect(ledger, timeout=30)) as db:
        db.row_factory = sqlite3.Row
        return [dict(row) for row in db.execute(sql)]


def _finished(ledger: Path | str, expected_documents: int) -> bool:
    if isinstance(ledger, Path) and not ledger.exists():
        return False
    try:
        states = {r["state"]: r["n"] for r in _rows(
            ledger, "SELECT state, COUNT(*) AS n FROM documents GROUP BY state")}
    except (sqlite3.OperationalError, psycopg.Error):  # being created, or restarting
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


def _config(root: Path, target: str, ledger: str | None) -> Path:
    extra = {"filing": {"target": target, "dms_hotfolder": {
        "index_template": str(DMS_TEMPLATE)}}} if target == "dms_hotfolder" else {}
    return write_bot_config(root, settle_seconds=0.3,
                            extra=extra | ({"ledger": ledger} if ledger else {}))


def run(root: Path, documents: list[MixedDocument], kills: int, seed: int, watchers: int = 1,
        timeout: float = 1800, target: str = "filesystem", postgres=None) -> dict:
    """`postgres`: a tests.pg_server.PostgresCluster; the bots then run as separate hosts
    on a ledger in it, and the server is restarted once half the kills are done."""
    ledger = postgres.new_database() if postgres else root / "var" / "ledger.sqlite3"
    config = _config(root, target, ledger if postgres else None)
    inbox = root / "inbox"
    rng = random.Random(seed)
    batches = [documents[i::kills + 1] for i in range(kills + 1)]
    started = time.monotonic()
    importing = threading.Event()
    importer = _dms_importer(root, importing) if target == "dms_hotfolder" else None
    hosts = list(range(watchers)) if postgres else [None] * watchers
    bots = [_start(config, host) for host in hosts]
    for n, batch in enumerate(batches[:-1]):
        _drop(batch, inbox)
        time.sleep(rng.uniform(0.3, 3.0))
        if postgres and n == kills // 2:
            postgres.restart()  # every bot loses its connections at once
        victim = rng.randrange(len(bots))
        _kill(bots[victim], grouped=postgres is not None)
        bots[victim] = _start(config, hosts[victim])
    if postgres and kills == 0:
        postgres.restart()
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
    result = verify(root, documents, ledger)
    result.update(seconds=round(time.monotonic() - started, 1), kills=kills,
                  watchers=watchers, exit_codes=codes, target=target,
                  ledger="postgresql" if postgres else "sqlite")
    return result


def _kill(bot: subprocess.Popen, grouped: bool) -> None:
    """SIGKILL, to the whole process group of a bot that runs as a host of its own."""
    if grouped:
        os.killpg(bot.pid, signal.SIGKILL)
    else:
        bot.send_signal(signal.SIGKILL)
    bot.wait()


def verify(root: Path, documents: list[MixedDocument], ledger: Path | str) -> dict:
    """Compare what each document should have become with the ledger and the e-file folders."""
    docs = {r["sha256"]: r for r in _rows(ledger, "SELECT * FROM documents")}
    receipts = {r["original_name"]: r for r in _rows(ledger, "SELECT * FROM receipts")}
    filed_events = Counter(r["document_id"] for r in _rows(
        ledger, "SELECT document_id FROM audit WHERE event='filed'"))
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


@contextmanager
def _cluster(kind: str):
    """A PostgreSQL cluster for the run (its password in the environment, as in service)."""
    if kind != "postgresql":
        yield None
        return
    from tests.pg_server import PASSWORD, PostgresCluster
    os.environ["RBOT_LEDGER_PASSWORD"] = PASSWORD
    cluster = PostgresCluster().start()
    try:
        yield cluster
    finally:
        cluster.remove()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=200)
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--watchers", type=int, default=1)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--scans", type=int, default=4)
    parser.add_argument("--target", choices=("filesystem", "dms_hotfolder"),
                        default="filesystem")
    parser.add_argument("--ledger", choices=("sqlite", "postgresql"), default="sqlite")
    args = parser.parse_args()
    documents = mixed_documents(args.documents, seed=args.seed, scans=args.scans)
    with tempfile.TemporaryDirectory(prefix="rbot-chaos-") as tmp, _cluster(args.ledger) as pg:
        result = run(Path(tmp), documents, args.kills, args.seed, args.watchers,
                     target=args.target, postgres=pg)
    print(json.dumps(result, indent=1))
    ok = not (result["problems"] or result["temporary_files"] or result["left_in_inbox"])
    print("OK: every document filed exactly once or an exception" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
