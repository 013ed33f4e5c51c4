"""File names on stdout (issue #14): `run --once` and `exceptions list` mask them (a scan's
name may hold a person's name, birth date or IBAN) and never print control or bidi
characters raw; display names escape what is not UTF-8."""

import json
import os

from bots.display_names import display_name, masked_name
from tests.conftest import run_bot, write_bot_config

PERSONAL = "Erika Mustermann 12.03.1961 DE02120300000000202051 Hauptstr 5"


def test_display_name_escapes_bytes_controls_and_drops_bidi():
    assert display_name(b"invalid-\xff\xfe.pdf") == "invalid-\\xff\\xfe.pdf"
    assert display_name("a\x1b[2J\nb\x85c.pdf") == "a\\x1b[2J\\x0ab\\x85c.pdf"
    assert display_name("rechnung\u202efdp.exe") == "rechnungfdp.exe"
    assert display_name("x\u2066y\u2069z\u200e") == "xyz"
    assert len(display_name("a" * 5000)) == 200


def test_masked_name_keeps_first_characters_and_extension():
    assert masked_name(PERSONAL + ".PDF") == "Er….pdf"
    assert masked_name("ab.pdf") == "ab.pdf"
    assert masked_name(b"\xff\xfe\xfd") == "\\x…"


def test_run_once_and_exceptions_list_print_no_name_and_no_control(tmp_path):
    config = write_bot_config(tmp_path, settle_seconds=0.1)
    inbox = os.fsencode(tmp_path / "inbox")
    for name in (PERSONAL + ".pdf", "x\x1b[2J\nforged row\u202e.pdf"):
        (tmp_path / "inbox" / name).write_bytes(f"not a pdf: {name}".encode())
    with open(inbox + b"/bytes-\xff.pdf", "wb") as handle:
        handle.write(b"also not a pdf")
    run = run_bot("--config", str(config), "run", "--once")
    listing = run_bot("--config", str(config), "exceptions", "list", check=True)
    for out in (run.stdout, listing.stdout):
        assert "Mustermann" not in out and "DE0212" not in out and "1961" not in out
        assert "\x1b" not in out and "\u202e" not in out and "forged" not in out
        assert "Er….pdf" in out and "by….pdf" in out
    assert "3 Dokumente" in run.stdout
    assert len(listing.stdout.strip().splitlines()) == 5  # header, dashes, three rows


def test_run_once_json_masks_names_unless_the_operator_asks_for_them(tmp_path):
    config = write_bot_config(tmp_path, settle_seconds=0.0)
    (tmp_path / "inbox" / (PERSONAL + ".pdf")).write_bytes(b"not a pdf")
    masked = run_bot("--config", str(config), "run", "--once", "--json")
    [outcome] = json.loads(masked.stdout)
    assert outcome["file"] == "Er….pdf" and "Mustermann" not in masked.stdout
    (tmp_path / "inbox" / "x\x1b[2J.pdf").write_bytes(b"not a pdf either")
    full = run_bot("--config", str(config), "run", "--once", "--json", "--full-names")
    [outcome] = json.loads(full.stdout)
    assert outcome["file"] == "x\\x1b[2J.pdf" and "\x1b" not in full.stdout
