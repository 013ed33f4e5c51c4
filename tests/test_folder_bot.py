import os

import pytest

from bots.config import FolderConfig
from bots.intake.folder_bot import FolderBot, candidates, is_ignored
from bots.storage.ledger import Ledger
from bots.storage.store import Store, sha256_of


class FakeClock:
    """Settling is measured in seconds of a clock the test advances (no sleeping)."""

    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


@pytest.mark.parametrize("name", ["scan.tmp", "upload.PART", "~$brief.docx", ".~lock.x.pdf#",
                                  "Thumbs.db", "desktop.ini", ".hidden.pdf"])
def test_temporary_and_system_files_are_ignored(name):
    assert is_ignored(name)


@pytest.mark.parametrize("name", ["rechnung.pdf", "Scan 0001.TIF", "x.xml", "foto.jpeg"])
def test_ordinary_files_are_candidates(name):
    assert not is_ignored(name)


def _bot(tmp_path, **folder):
    inbox = tmp_path / "inbox"
    inbox.mkdir(exist_ok=True)
    cfg = FolderConfig(path=inbox, source="registratur", settle_seconds=2, **folder)
    clock = FakeClock()
    bot = FolderBot((cfg,), Ledger(tmp_path / "l.sqlite3"), Store(tmp_path / "store"), clock)
    return bot, inbox, clock


def test_a_file_is_taken_only_after_it_settled_then_removed(tmp_path):
    bot, inbox, clock = _bot(tmp_path)
    path = inbox / "rechnung.pdf"
    path.write_bytes(b"%PDF-1.4 part")
    bot.rescan()
    assert bot.take_ready() == []  # first sighting
    clock.now += 1
    with path.open("ab") as handle:  # still being written
        handle.write(b" more")
    assert bot.take_ready() == []
    clock.now += 1.5
    assert bot.take_ready() == []  # unchanged for 1.5 s only
    clock.now += 1
    receipts = bot.take_ready()
    assert [r.original_name for r in receipts] == ["rechnung.pdf"]
    assert not path.exists()
    data = b"%PDF-1.4 part more"
    assert (tmp_path / "store" / sha256_of(data)[:2] / sha256_of(data)).read_bytes() == data


def test_done_folder_receives_taken_files_without_overwriting(tmp_path):
    done = tmp_path / "erledigt"
    bot, inbox, clock = _bot(tmp_path, done_folder=done)
    done.mkdir()
    (done / "a.pdf").write_bytes(b"older")
    (inbox / "a.pdf").write_bytes(b"newer")
    bot.rescan()
    bot.take_ready()
    clock.now += 3
    assert len(bot.take_ready()) == 1
    assert sorted(p.name for p in done.iterdir()) == ["a-1.pdf", "a.pdf"]
    assert (done / "a-1.pdf").read_bytes() == b"newer"


def test_same_bytes_again_are_a_duplicate(tmp_path):
    bot, inbox, clock = _bot(tmp_path)
    for name in ("a.pdf", "b.pdf"):
        (inbox / name).write_bytes(b"same bytes")
        os.utime(inbox / name, ns=(1_000_000_000, 1_000_000_000 + len(name)))
    bot.rescan()
    bot.take_ready()
    clock.now += 3
    receipts = bot.take_ready()
    assert sorted(r.duplicate for r in receipts) == [False, True]
    assert len({r.document_id for r in receipts}) == 1


def test_crash_after_registering_is_resumed_not_a_duplicate(tmp_path):
    """The file is in the ledger but was not removed (crash): taking it again is no duplicate."""
    bot, inbox, clock = _bot(tmp_path, keep_originals=False)
    path = inbox / "a.pdf"
    path.write_bytes(b"bytes")
    keep = FolderConfig(path=inbox, source="registratur", settle_seconds=2, keep_originals=True)
    crashed = FolderBot((keep,), bot.ledger, bot.store, clock)
    crashed.rescan()
    crashed.take_ready()
    clock.now += 3
    assert len(crashed.take_ready()) == 1 and path.exists()
    bot.rescan()
    bot.take_ready()
    clock.now += 3
    assert bot.take_ready() == []  # resumed: not new, not a duplicate
    assert not path.exists()
    assert len(bot.ledger.all_documents()) == 1


def test_candidates_skip_hidden_folders_and_the_done_folder(tmp_path):
    inbox = tmp_path / "inbox"
    (inbox / "sub").mkdir(parents=True)
    (inbox / ".snapshot").mkdir()
    (inbox / "done").mkdir()
    for p in ("sub/a.pdf", ".snapshot/b.pdf", "done/c.pdf", "d.pdf", "e.tmp"):
        (inbox / p).write_bytes(b"x")
    cfg = FolderConfig(path=inbox, source="s", done_folder=inbox / "done")
    assert [p.relative_to(inbox).as_posix() for p in candidates(cfg)] == ["d.pdf", "sub/a.pdf"]
