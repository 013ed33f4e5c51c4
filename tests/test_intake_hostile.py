"""Hostile files in a watched folder (issue #14): names that are not UTF-8, symlinks, FIFOs,
sparse giants and writers that pause. Intake never stops; what it cannot take is quarantined
as an exception; what it may not open it never opens."""

import os
import subprocess
import sys
import time

from bots.config import FolderConfig
from bots.intake.folder_bot import FolderBot
from bots.intake.shares import SHARED_SETTLE_SECONDS, file_system_type, settle_time
from bots.storage.ledger import Ledger
from bots.storage.store import Store


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def _bot(tmp_path, settle=2.0, max_bytes=10 * 2**20, shared=False):
    inbox = tmp_path / "inbox"
    inbox.mkdir(exist_ok=True)
    folder = FolderConfig(path=inbox, source="registratur", settle_seconds=settle,
                          batch=None, shared=shared)
    clock = Clock()
    bot = FolderBot((folder,), Ledger(tmp_path / "l.sqlite3"), Store(tmp_path / "store"),
                    clock, max_bytes=max_bytes, quarantine_root=tmp_path / "quarantaene")
    return bot, inbox, clock


def _take_all(bot, clock):
    bot.rescan()
    receipts = bot.take_ready()
    clock.now += 10
    return receipts + bot.take_ready()


def _documents(bot):
    return {row["original_name"]: dict(row) for row in
            bot.ledger.query("SELECT original_name, state, source FROM documents")}


def test_a_name_that_is_not_utf8_is_taken_and_the_next_file_too(tmp_path):
    bot, inbox, clock = _bot(tmp_path)
    with open(os.fsencode(inbox) + b"/invalid-\xff\xfe.pdf", "wb") as handle:
        handle.write(b"%PDF-1.4 first")
    (inbox / "zweite.pdf").write_bytes(b"%PDF-1.4 second")
    receipts = _take_all(bot, clock)
    assert sorted(r.original_name for r in receipts) == ["invalid-\\xff\\xfe.pdf", "zweite.pdf"]
    assert set(_documents(bot)) == {"invalid-\\xff\\xfe.pdf", "zweite.pdf"}
    assert os.listdir(inbox) == []  # both left the folder


def test_control_and_bidi_characters_never_reach_the_ledger(tmp_path):
    bot, inbox, clock = _bot(tmp_path)
    (inbox / "a\x1b[2J\nb\u202egpj.exe.pdf").write_bytes(b"%PDF-1.4 x")
    [receipt] = _take_all(bot, clock)
    assert receipt.original_name == "a\\x1b[2J\\x0abgpj.exe.pdf"


def test_symlinks_are_never_followed_but_quarantined(tmp_path):
    bot, inbox, clock = _bot(tmp_path)
    secret = tmp_path / "secret.pdf"
    secret.write_bytes(b"%PDF-1.4 outside the folders")
    (inbox / "link.pdf").symlink_to(secret)
    (inbox / "environ").symlink_to("/proc/self/environ")
    (inbox / "ok.pdf").write_bytes(b"%PDF-1.4 ok")
    receipts = _take_all(bot, clock)
    assert len(receipts) == 3
    stored = b"".join(p.read_bytes() for p in (tmp_path / "store").rglob("*") if p.is_file())
    assert b"outside the folders" not in stored and b"PATH=" not in stored
    assert os.listdir(inbox) == []
    links = sorted((tmp_path / "quarantaene" / "registratur").glob("*/*"))
    assert sorted(p.name for p in links) == ["environ", "link.pdf"]
    assert all(p.is_symlink() for p in links)  # the links themselves, targets untouched
    assert secret.read_bytes() == b"%PDF-1.4 outside the folders"
    metas = [m for r in receipts for m in bot.ledger.intake_metas(r.sha256)]
    reasons = sorted(m["exception"]["reason"] for m in metas if "exception" in m)
    assert reasons == ["unsupported", "unsupported"]
    assert all("Symlink" in m["exception"]["detail"] for m in metas if "exception" in m)


def test_a_fifo_is_never_opened(tmp_path):
    bot, inbox, clock = _bot(tmp_path)
    os.mkfifo(inbox / "pipe.pdf")  # opening it for reading would block intake for good
    (inbox / "after.pdf").write_bytes(b"%PDF-1.4 after")
    started = time.monotonic()
    receipts = _take_all(bot, clock)
    assert time.monotonic() - started < 5
    assert len(receipts) == 2
    assert "after.pdf" in _documents(bot)
    [moved] = (tmp_path / "quarantaene" / "registratur").glob("*/pipe.pdf")
    assert moved.is_fifo()


def test_size_is_checked_before_a_byte_is_read(tmp_path):
    bot, inbox, clock = _bot(tmp_path, max_bytes=1 * 2**20)
    giant = inbox / "sparse.pdf"
    with open(giant, "wb") as handle:
        handle.truncate(3 * 2**30)  # 3 GB, sparse: reading it would take 3 GB of memory
    [receipt] = _take_all(bot, clock)
    [meta] = bot.ledger.intake_metas(receipt.sha256)
    assert meta["exception"]["reason"] == "too_large"
    assert "größer als 1 MB" in meta["exception"]["detail"]
    store_bytes = sum(p.stat().st_size for p in (tmp_path / "store").rglob("*") if p.is_file())
    assert store_bytes < 10_000
    [kept] = (tmp_path / "quarantaene" / "registratur").glob("*/sparse.pdf")
    assert kept.stat().st_size == 3 * 2**30


def test_a_writer_pausing_longer_than_the_settle_time_keeps_its_file(tmp_path):
    bot, inbox, clock = _bot(tmp_path, settle=0.2)
    target = inbox / "langsam.pdf"
    writer = subprocess.Popen([sys.executable, "-c", (
        "import sys, time\n"
        f"f = open({str(target)!r}, 'wb')\n"
        "f.write(b'%PDF-1.4 first half '); f.flush()\n"
        "sys.stdout.write('ready\\n'); sys.stdout.flush()\n"
        "sys.stdin.readline()\n"
        "f.write(b'second half'); f.close()\n")],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert writer.stdout.readline() == "ready\n"
        bot.rescan()
        for _ in range(5):  # the writer pauses for far longer than settle_seconds
            clock.now += 1
            assert bot.take_ready() == []
        assert target.exists()
        writer.stdin.write("go\n")
        writer.stdin.flush()
        assert writer.wait(10) == 0
    finally:
        writer.kill()
    bot.rescan()
    clock.now += 1
    bot.take_ready()
    clock.now += 1
    [receipt] = bot.take_ready()
    assert bot.store.read(receipt.sha256) == b"%PDF-1.4 first half second half"


def test_on_a_shared_folder_size_and_mtime_must_hold_still_longer(tmp_path):
    """A writer on another host is not seen holding the file open: on a shared folder the
    file is taken only after SHARED_SETTLE_SECONDS without a change of size or mtime."""
    bot, inbox, clock = _bot(tmp_path, settle=0.2, shared=True)
    target = inbox / "vom-scanner.pdf"
    target.write_bytes(b"%PDF-1.4 first half ")
    bot.rescan()
    bot.take_ready()
    clock.now += SHARED_SETTLE_SECONDS - 1  # far beyond settle_seconds: a local file is taken
    assert bot.take_ready() == []
    with target.open("ab") as handle:  # the remote writer goes on
        handle.write(b"second half")
    bot.take_ready()
    clock.now += SHARED_SETTLE_SECONDS - 1
    assert bot.take_ready() == []
    clock.now += 2
    [receipt] = bot.take_ready()
    assert bot.store.read(receipt.sha256) == b"%PDF-1.4 first half second half"


def test_a_folder_on_a_network_file_system_counts_as_shared():
    mounts = ("/dev/sda1 / ext4 rw 0 0\n"
              "//nas/scans /srv/registratur\\040scans cifs rw 0 0\n"
              "nas:/export /srv/eakte nfs4 rw 0 0\n")
    assert file_system_type("/srv/registratur scans/eingang", mounts) == "cifs"
    assert file_system_type("/srv/eakte", mounts) == "nfs4"
    assert file_system_type("/srv/eakte2/x", mounts) == "ext4"
    local = FolderConfig(path="/srv/eakte2/x", source="r", settle_seconds=2.0)
    remote = FolderConfig(path="/srv/eakte/eingang", source="r", settle_seconds=2.0)
    assert settle_time(local, mounts) == 2.0
    assert settle_time(remote, mounts) == SHARED_SETTLE_SECONDS
