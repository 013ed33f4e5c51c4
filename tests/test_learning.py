"""Learning from corrections: a clerk corrects a field through the desk's code path, the bot
finds the typed value on the page and keeps where the provider prints it; the provider's
next invoice is read from there. Hints a checksum or the arithmetic refutes are not obeyed."""

from __future__ import annotations

from pathlib import Path

import pytest

from bots.config import load_config
from bots.desk import actions as review
from bots.desk.settings import WebSettings
from bots.desk.webapp import create_app
from bots.learning.apply import extract_with_learning
from bots.learning.teach import learn_from_correction
from bots.storage.learned_hints import REFUTED_LIMIT, LearnedHints
from bots.storage.ledger import Ledger
from bots.wiring import open_config, open_context
from ocr.anchors import learn_anchor, read_anchor
from ocr.extract import extract, lines_of
from ocr.pdftext import read_text_layer
from tests.conftest import run_bot, write_bot_config
from tests.learning_fixtures import deliver, provider_invoice
from tests.test_web_support import add_user, csrf_of, login

FIRST = ("SH-2026-0311", "31.03.2026", "100,00", "19,00", "119,00")
SECOND = ("SH-2026-0412", "30.04.2026", "200,00", "38,00", "238,00")


def reading(*args, **kwargs):
    return read_text_layer(provider_invoice(*args, **kwargs), 1)


def test_an_anchor_learned_on_one_invoice_reads_the_next():
    first, second = lines_of(reading(*FIRST)), lines_of(reading(*SECOND))
    anchor = learn_anchor(first, "invoice_number", "SH-2026-0311")
    assert (anchor.label, anchor.below) == ("Kennz. XQ", False)
    assert read_anchor(second, anchor)[0].value == "SH-2026-0412"
    assert learn_anchor(first, "invoice_number", "NOT-PRINTED-1") is None
    total = learn_anchor(second, "total_gross", "238.00")
    assert total.label == "Gesamtbetrag"
    assert read_anchor(first, total)[0].value == "119.00"
    name = learn_anchor(first, "seller_name", "Ambulanter Pflegedienst Sonnenhof GmbH")
    assert read_anchor(second, name)[0].value == "Ambulanter Pflegedienst Sonnenhof GmbH"


@pytest.fixture
def hints(tmp_path: Path):
    ledger = Ledger(tmp_path / "ledger.sqlite3")
    yield LearnedHints(ledger)
    ledger.close()


def teach(hints: LearnedHints, **corrected: str):
    """The first invoice, read, then corrected by a clerk to `corrected` (through the code
    the desk's correction runs once it has the reading)."""
    first = reading(*FIRST)
    read = dict(extract(first).fields)
    return learn_from_correction(hints, first, read, {**read, **corrected}, list(corrected),
                                 document_id="a" * 16, actor="anna")


def test_hints_are_kept_per_provider_used_and_forgotten(hints):
    assert extract(reading(*FIRST)).fields["invoice_number"] is None
    taught = teach(hints, invoice_number="SH-2026-0311")
    assert taught.learned == ("invoice_number",)
    learned = extract_with_learning(hints, reading(*SECOND))
    assert learned.extraction.fields["invoice_number"] == "SH-2026-0412"
    assert learned.extraction.evidence["invoice_number"].startswith("learned anchor 'Kennz. XQ'")
    assert learned.extraction.confidence["invoice_number"] >= 0.9
    assert learned.used == ("invoice_number",)
    provider = hints.provider(taught.provider_id)
    assert {"vat:DE136695976", "iban:DE02120300000000202051"} <= set(provider.keys)
    assert provider.hints[0].used == 1
    assert hints.forget(provider.id, "invoice_number") == 1
    assert extract_with_learning(hints, reading(*SECOND)).extraction.fields[
        "invoice_number"] is None
    assert hints.forget(provider.id) == 0 and hints.providers() == []


def test_a_hint_the_arithmetic_refutes_is_not_obeyed_and_then_dropped(hints):
    teach(hints, total_gross="100.00")  # a clerk's slip: the net, after 'Summe netto'
    for _ in range(REFUTED_LIMIT):
        learned = extract_with_learning(hints, reading(*SECOND))
        assert learned.extraction.fields["total_gross"] == "238.00"  # net + tax = gross
        assert learned.refuted == ("total_gross",)
    assert [h.field for h in hints.providers()[0].hints] == []


def test_a_hint_read_as_an_invalid_iban_is_refuted_by_its_checksum(hints):
    teach(hints, iban="DE02120300000000202051")
    misprinted = reading(*SECOND, iban="DE02120300000000202052")  # fails mod 97
    for _ in range(REFUTED_LIMIT):
        learned = extract_with_learning(hints, misprinted)
        assert learned.refuted == ("iban",) and learned.used == ()
        assert "learned" not in learned.extraction.evidence.get("iban", "")
    assert hints.providers()[0].hints == ()


def learned(config: Path, *args: str, check: bool = True):
    return run_bot("--config", str(config), "learned", *args, check=check)


def test_the_desk_correction_teaches_and_the_next_invoice_is_read(tmp_path: Path):
    config = write_bot_config(tmp_path, settle_seconds=0)
    first = deliver(config, "maerz.pdf", provider_invoice(*FIRST))
    ctx = open_context(open_config(config))
    assert ctx.ledger.get(first).reason == "missing_fields"
    result = review.correct_fields(ctx, first, {"invoice_number": "SH-2026-0311"},
                                   actor="anna")
    assert result.message.endswith("Gelernt für diesen Rechnungssteller: Rechnungsnummer.")
    ctx.ledger.close()
    second = deliver(config, "april.pdf", provider_invoice(*SECOND))
    ledger = Ledger(open_config(config).ledger)
    invoice = ledger.get(second).invoice
    assert ledger.get(second).reason != "missing_fields"
    assert invoice["fields"]["invoice_number"] == "SH-2026-0412"
    assert invoice["evidence"]["invoice_number"].startswith("learned anchor")
    ledger.close()

    listing = learned(config, "list").stdout
    assert "Ambulanter Pflegedienst Sonnenhof GmbH" in listing
    assert "USt-IdNr. DE136695976" in listing and "1 gelerntes Feld" in listing
    shown = learned(config, "show", "1").stdout
    assert "Rechnungsnummer" in shown and "nach „Kennz. XQ“ (Seite 1, Zeile 7)" in shown
    assert "1-mal genutzt" in shown
    _desk_page(config)
    assert "Rechnungsnummer" not in learned(config, "show", "1").stdout  # forgotten on the desk
    gone = learned(config, "forget", "1").stdout
    assert gone.startswith("Vergessen: 0 gelernte Felder")
    assert "Noch nichts gelernt." in learned(config, "list").stdout
    assert learned(config, "show", "1", check=False).returncode == 1


def _desk_page(config: Path) -> None:
    """/gelernt as a clerk sees it; then its button forgets the invoice number."""
    add_user(config, "anna", "clerk")
    app = create_app(load_config(config), WebSettings(secret_key="k" * 48,
                                                      secure_cookies=False))
    client = app.test_client()
    assert login(client, "anna").status_code == 303
    page = client.get("/gelernt").get_data(as_text=True)
    assert "Ambulanter Pflegedienst Sonnenhof GmbH" in page
    assert "nach „Kennz. XQ“ (Seite 1, Zeile 7)" in page and "1-mal genutzt" in page
    answer = client.post("/gelernt/1/vergessen", data={"field": "invoice_number",
                                                      "csrf_token": csrf_of(page)})
    assert answer.status_code == 303
    after = client.get("/gelernt").get_data(as_text=True)
    assert "Vergessen: „Rechnungsnummer“ für Ambulanter Pflegedienst Sonnenhof GmbH." in after
    assert "Keine gelernten Felder." in after
    assert client.post("/gelernt/99/vergessen", data={"csrf_token": csrf_of(after)}
                       ).status_code == 404
