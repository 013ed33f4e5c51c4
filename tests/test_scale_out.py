"""Several hosts on one PostgreSQL ledger (a real cluster, see pg_server.py): one watched
folder shared by two intake bots, the ledger through a server restart, an SQLite ledger
moved to PostgreSQL answering as before, notifications waking a worker."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import yaml

from bots.config import FolderConfig, load_config
from bots.desk.settings import WebSettings
from bots.desk.webapp import create_app
from bots.intake.folder_bot import FolderBot
from bots.storage.ledger import Ledger
from bots.storage.store import Store
from tests.conftest import REPO, SAMPLES, filed_files, run_bot, write_bot_config
from tests.desk_fixtures import make_desk
from tests.test_web_support import login

pytest_plugins = ["tests.pg_fixtures"]


def _intake_host(inbox, done, store, url, receipts: list, stop: threading.Event) -> None:
    folder = FolderConfig(path=inbox, source="registratur", settle_seconds=0.0, done_folder=done)
    bot = FolderBot((folder,), Ledger(url), Store(store))
    while not stop.is_set():
        bot.rescan()
        receipts += bot.take_ready()
    bot.ledger.close()


def test_two_hosts_on_one_watched_folder_take_each_file_once(tmp_path, pg_url):
    inbox, done = tmp_path / "inbox", tmp_path / "inbox" / "erledigt"
    inbox.mkdir()
    stop, taken = threading.Event(), [[], []]
    hosts = [threading.Thread(target=_intake_host, args=(
        inbox, done, tmp_path / "store", pg_url, taken[n], stop)) for n in range(2)]
    for host in hosts:
        host.start()
    try:
        for n in range(40):
            (inbox / f".r{n}.part").write_bytes(f"%PDF-1.4 invoice {n}".encode())
            (inbox / f".r{n}.part").rename(inbox / f"rechnung-{n}.pdf")
        deadline = time.monotonic() + 60
        while len(list(done.glob("*.pdf"))) < 40 and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        stop.set()
        for host in hosts:
            host.join(timeout=30)
    names = sorted(r.original_name for r in taken[0] + taken[1])
    assert names == sorted(f"rechnung-{n}.pdf" for n in range(40))  # each once, by one host
    assert sorted(p.name for p in done.iterdir()) == names
    assert [p.name for p in inbox.iterdir()] == ["erledigt"]
    ledger = Ledger(pg_url)
    assert ledger.query("SELECT COUNT(*) FROM receipts")[0][0] == 40
    assert len(ledger.all_documents()) == 40


def test_workers_wait_through_a_server_restart_and_lose_nothing(pg_cluster, pg_url):
    ledger = Ledger(pg_url)
    doc = ledger.register(sha256="a" * 64, intake_key="k1", source="t", original_name="a.pdf",
                          store_path="/x", size=1).document_id
    restart = threading.Thread(target=pg_cluster.restart)
    restart.start()
    time.sleep(0.2)  # the server is going down or down now
    ledger.transition(doc, "read", kind="scan", pages=1)
    second = ledger.register(sha256="b" * 64, intake_key="k2", source="t",
                             original_name="b.pdf", store_path="/y", size=1).document_id
    restart.join()
    assert ledger.get(doc).state == "read"
    assert [row.id for row in ledger.pending()] == [doc, second]
    assert [a["event"] for a in ledger.audit_rows(doc)] == ["received", "read"]


def test_a_registration_wakes_a_listening_worker(pg_url):
    worker, intake = Ledger(pg_url), Ledger(pg_url)
    assert worker.wait_for_work(0.1)  # starts listening: looks once
    assert not worker.wait_for_work(0.3)  # nothing announced
    started = time.monotonic()
    threading.Timer(0.3, lambda: intake.register(
        sha256="c" * 64, intake_key="k", source="t", original_name="c.pdf", store_path="/z",
        size=1)).start()
    assert worker.wait_for_work(10)
    assert time.monotonic() - started < 5


def _worker(config: Path, host: str, fault: str = "") -> subprocess.Popen:
    """`run --once` as a host of its own (its name in its leases), RBOT_FAULT set."""
    env = dict(os.environ, RBOT_WORKER_HOST=host, RBOT_FAULT=fault)
    return subprocess.Popen([sys.executable, str(REPO / "run_bot.py"), "--config", str(config),
                             "run", "--once"], cwd=REPO, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)


def _wait_until(condition, seconds: float = 120.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "waited in vain"
        time.sleep(0.1)


def _stopped(pid: int) -> bool:
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "T"


def test_a_worker_cut_off_past_its_lease_files_nothing_twice(tmp_path, pg_url):
    """Worker A stops (SIGSTOP, its heartbeat too) right after writing the e-file, before
    recording it; B takes the document over and files it; A goes on (SIGCONT): the lease
    check in its recording transaction refuses, so one filing in the audit and the e-file."""
    config = write_bot_config(tmp_path, settle_seconds=0.0, extra={"ledger": pg_url})
    shutil.copy(SAMPLES / "xrechnung-abendrot-2026-0461-ubl.xml", tmp_path / "inbox")
    first = _worker(config, "host-a", "efile_written:stop")
    try:
        _wait_until(lambda: _stopped(first.pid))
        ledger = Ledger(pg_url)  # A is silent from now on: after the stale time (30 s; how
        # it is judged: test_ledger) the others count it gone, as this marks it at once
        ledger.query("UPDATE workers SET heartbeat_at=-heartbeat_at WHERE host='host-a'"
                     " RETURNING owner")
        second = _worker(config, "host-b")
        assert second.wait(timeout=300) == 0, second.stdout.read()
    finally:
        first.send_signal(signal.SIGCONT)
        assert first.wait(timeout=300) == 0, first.stdout.read()
    (doc,) = [row.id for row in ledger.all_documents()]
    assert ledger.get(doc).state == "filed"
    assert ledger.count_events(doc, "filed") == 1
    efile = tmp_path / "var" / "efile"
    assert filed_files(efile) == {doc: ["wagner"]}
    assert sorted(p.name for p in (efile / "wagner").iterdir()) == [
        f"{doc}.json", f"{doc}.pdf", f"{doc}.xml"]  # no temporary files left
    log = (tmp_path / "var" / "log" / "bot.jsonl").read_text(encoding="utf-8")
    assert '"event": "lease_lost"' in log


def _status_and_exceptions(config) -> tuple[dict, str]:
    status = json.loads(run_bot("--config", str(config), "status", "--json", check=True).stdout)
    status.pop("ledger"), status.pop("workers")
    listing = run_bot("--config", str(config), "exceptions", "list", check=True).stdout
    return status, listing


def _desk_pages(config, ids: dict[str, str]) -> list[str]:
    app = create_app(load_config(config), WebSettings(secret_key="k" * 48,
                                                      secure_cookies=False))
    client = app.test_client()
    assert login(client, "anna").status_code == 303  # the user and its hash came along
    pages = [client.get("/").get_data(as_text=True)]
    pages += [client.get(f"/dokument/{doc}").get_data(as_text=True) for doc in sorted(
        ids.values())]
    return [re.sub(r'name="csrf_token" value="[^"]+"', "", page) for page in pages]


def test_a_migrated_ledger_answers_status_exceptions_and_the_desk_as_before(tmp_path, pg_url):
    config, ids = make_desk(tmp_path)
    before = _status_and_exceptions(config), _desk_pages(config, ids)
    moved = run_bot("--config", str(config), "ledger", "migrate", "--to", pg_url)
    assert moved.returncode == 0, moved.stderr
    assert re.search(r"audit\s+\d+ rows copied and verified", moved.stdout)
    again = run_bot("--config", str(config), "ledger", "migrate", "--to", pg_url)
    assert again.returncode == 1 and "not empty" in again.stderr
    raw = yaml.safe_load(config.read_text(encoding="utf-8"))
    raw["ledger"] = pg_url
    config.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    after = _status_and_exceptions(config), _desk_pages(config, ids)
    assert after == before
    assert "ledger: postgresql://rbot@127.0.0.1" in run_bot(
        "--config", str(config), "status", check=True).stdout
