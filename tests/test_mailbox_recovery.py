"""Crashes and outages: the bot is killed between registering a mail's documents and moving
the mail, the IMAP server goes away mid-run; nothing is lost or filed twice."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

from bots.config import load_config
from bots.intake.mailbox_bot import start_mailbox_threads
from tests import mail_builders as mb
from tests.conftest import REPO, wait_until
from tests.imap_server import PASSWORD
from tests.test_mailbox_bot import (
    CASEWORKER,
    PASSWORD_ENV,
    PROCESSED,
    configure,
    filed_names,
    ledger_rows,
)

pytest_plugins = ["tests.imap_fixtures"]


def bot(config: Path, *args: str, fault: str | None = None, **popen) -> subprocess.Popen:
    env = dict(os.environ, PYTHONUNBUFFERED="1", **{PASSWORD_ENV: PASSWORD})
    env.pop("RBOT_FAULT", None)
    if fault:
        env["RBOT_FAULT"] = fault
    streams = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE} | popen
    return subprocess.Popen([sys.executable, str(REPO / "run_bot.py"), "--config", str(config),
                             *args], cwd=REPO, env=env, text=True, **streams)


def folder_exists(server, name: str) -> bool:
    client = server.client()
    try:
        _, found = client.list('""', f'"{name}"')
    finally:
        client.logout()
    return any(found)


def test_killed_between_registering_and_moving_then_restarted(tmp_path, dovecot):
    dovecot.append(mb.several_attachments())
    dovecot.append(mb.nested_multipart())
    config = configure(tmp_path, dovecot)

    killed = bot(config, "run", "--once", "--json", fault="after_mail_registered")
    killed.communicate(timeout=120)
    assert killed.returncode == -signal.SIGKILL
    # the first mail's documents are durable in the ledger, the mail itself not yet moved
    assert len(dovecot.messages("INBOX")) == 2
    [mail] = ledger_rows(tmp_path, "SELECT uid, moved_at FROM mails")
    assert (mail["uid"], mail["moved_at"]) == ("1", None)
    assert sorted(r["original_name"] for r in ledger_rows(tmp_path, "SELECT * FROM documents")) \
        == sorted([mb.PDF_DIAKONIE, mb.XML_UBL])

    restarted = bot(config, "run", "--once", "--json")
    out, err = restarted.communicate(timeout=120)
    assert restarted.returncode == 0, err
    assert sorted(o["outcome"] for o in json.loads(out)) == ["filed"] * 4  # no duplicate
    expected = {name: [CASEWORKER[name]] for name in
                (mb.PDF_DIAKONIE, mb.XML_UBL, mb.PDF_VOGT, mb.XML_CII)}
    assert filed_names(tmp_path) == expected
    assert dovecot.messages("INBOX") == []
    assert len(dovecot.messages(PROCESSED)) == 2
    assert len(ledger_rows(tmp_path, "SELECT * FROM receipts")) == 4
    assert all(m["moved_at"] for m in ledger_rows(tmp_path, "SELECT moved_at FROM mails"))


def test_watch_serves_folders_while_the_server_is_down_and_recovers(tmp_path, dovecot):
    config = configure(tmp_path, dovecot, poll_seconds=0.5)
    log_file = tmp_path / "var" / "log" / "bot.jsonl"
    dovecot.append(mb.several_attachments())
    console = (tmp_path / "console.txt").open("w")  # watch logs every event to stderr
    watcher = bot(config, "watch", stdout=console, stderr=subprocess.STDOUT)
    try:
        assert wait_until(lambda: len(filed_names(tmp_path)) == 2, 60)
        assert wait_until(lambda: dovecot.messages("INBOX") == [], 10)
        dovecot.stop()
        (tmp_path / "inbox" / mb.XML_CII).write_bytes(mb.sample(mb.XML_CII))
        assert wait_until(lambda: mb.XML_CII in filed_names(tmp_path), 30)
        assert wait_until(lambda: "mailbox_unavailable" in log_file.read_text(), 15)
        dovecot.start()
        dovecot.append(mb.forwarded())
        assert wait_until(lambda: mb.ZUGFERD_VOGT in filed_names(tmp_path), 60)
        assert wait_until(lambda: len(dovecot.messages(PROCESSED)) == 2, 10)
    finally:
        watcher.send_signal(signal.SIGTERM)
        watcher.wait(timeout=60)
        console.close()
    assert watcher.returncode == 0, (tmp_path / "console.txt").read_text()[-3000:]
    assert all(len(queues) == 1 for queues in filed_names(tmp_path).values())
    events = [json.loads(line) for line in log_file.read_text().splitlines()]
    assert sum(e["event"] == "mailbox_connected" for e in events) >= 2
    down = [e for e in events if e["event"] == "mailbox_unavailable"]
    assert down and all(e["mailbox"] == "rechnungseingang" for e in down)
    text = log_file.read_text()
    for private in ("anbieter.example", "vogt.example", "lv.example", "Rechnungen März",
                    PASSWORD):
        assert private not in text  # no senders, subjects or secrets in the logs


def test_idle_takes_new_mail_long_before_the_next_poll(tmp_path, dovecot, monkeypatch):
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    config = load_config(configure(tmp_path, dovecot, poll_seconds=120))
    stop = threading.Event()
    threads = start_mailbox_threads(config, stop)
    try:
        assert wait_until(lambda: folder_exists(dovecot, PROCESSED), 10)  # made on connect
        assert wait_until(lambda: dovecot.idling() == 1, 10)  # the first poll found nothing
        dovecot.append(mb.forwarded())
        assert wait_until(lambda: len(dovecot.messages(PROCESSED)) == 1, 10)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=10)
    assert not any(thread.is_alive() for thread in threads)
