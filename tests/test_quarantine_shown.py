"""What a clerk and an operator see of a file intake could not take (issue #14): the ledger's
original is only the bot's note about it, so the desk and `exceptions show` say where the
file itself lies in the quarantine, and the desk offers the note as a text file, never as
the original."""

from __future__ import annotations

from bots.config import load_config
from bots.desk.settings import WebSettings
from bots.desk.webapp import create_app
from bots.pipeline.runner import run_once
from bots.wiring import folder_bot_for, open_context
from tests.conftest import run_bot, write_bot_config
from tests.test_web_support import add_user, login


def _quarantined_link(tmp_path):
    config = write_bot_config(tmp_path, settle_seconds=0.0)
    outside = tmp_path / "outside.pdf"
    outside.write_bytes(b"%PDF-1.4 outside the folders")
    (tmp_path / "inbox" / "verweis.pdf").symlink_to(outside)
    ctx = open_context(load_config(config))
    try:
        [outcome] = run_once(ctx, folder_bot_for(ctx))
    finally:
        ctx.ledger.close()
    [kept] = (tmp_path / "var" / "quarantaene" / "registratur").glob("*/verweis.pdf")
    return config, outcome.document_id, kept


def test_desk_and_exceptions_show_point_to_the_quarantined_file(tmp_path):
    config, doc_id, kept = _quarantined_link(tmp_path)
    assert kept.is_symlink()
    shown = run_bot("--config", str(config), "exceptions", "show", doc_id, check=True)
    assert f"Nicht eingelesen, unverändert in der Quarantäne: {kept}" in shown.stdout

    add_user(config, "anna", "clerk")
    app = create_app(load_config(config), WebSettings(secret_key="k" * 48,
                                                      secure_cookies=False))
    client = app.test_client()
    assert login(client, "anna").status_code == 303
    page = client.get(f"/dokument/{doc_id}").get_data(as_text=True)
    assert "Sie liegt unverändert in der Quarantäne" in page and str(kept) in page
    assert "Original herunterladen" not in page
    note = client.get(f"/dokument/{doc_id}/original")
    assert note.mimetype == "text/plain"
    assert "quarantaene-hinweis.txt" in note.headers["Content-Disposition"]
    assert str(kept) in note.get_data(as_text=True)
