"""The clerk's actions (bots.desk.actions) on exceptions made by the real pipeline from corpus
e-invoices: every action writes its audit row, the e-file receives an invoice exactly once,
nothing is ever deleted."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
import yaml

from bots.desk import actions as review
from bots.pipeline.work import process_leased
from bots.wiring import open_config, open_context
from rules.german import format_date
from tests.conftest import REPO
from tests.test_web_support import (
    PLAIN_A,
    PLAIN_B,
    TWIN_1,
    TWIN_2,
    build_exceptions,
    corpus_einvoices,
    efile_copies,
    ids_by_file,
)

pytest_plugins = ["tests.desk_fixtures"]


@pytest.fixture
def desk(own_desk):
    """(context, {file name: document id}) over the desk's exceptions, for the actions."""
    config, ids = own_desk
    ctx = open_context(open_config(config))
    yield ctx, ids
    ctx.ledger.close()


def events(ctx, doc_id: str) -> list[tuple[str, str]]:
    return [(a["actor"], a["event"]) for a in ctx.ledger.audit_rows(doc_id)]


def test_corrected_field_is_decided_again_and_filed_once(desk):
    ctx, ids = desk
    doc = ids[PLAIN_A]
    result = review.correct_fields(ctx, doc, {"seller_vat_id": "de 811 234 565",
                                              "due_date": "15.01.2027"}, actor="clerk-anna")
    # The corrected VAT ID matches the Lebenshilfe rule; Anna Becker is absent, so her deputy.
    assert (result.state, result.queue) == ("filed", "hoffmann")
    assert result.message == "Abgelegt bei Thomas Hoffmann."
    assert [p.parent.name for p in efile_copies(ctx.config.config_file, doc)] == ["hoffmann"]
    sidecar = json.loads((ctx.config.efile_root / "hoffmann" / f"{doc}.json").read_text())
    assert sidecar["fields"]["seller_vat_id"] == "DE811234565"
    assert sidecar["fields"]["due_date"] == "2027-01-15"
    assert sidecar["confidence"]["seller_vat_id"] == 1.0
    assert sidecar["decision"]["rule_id"] == "lebenshilfe-nordstadt"
    assert events(ctx, doc)[-4:] == [("bot", "exception"), ("clerk-anna", "fields_corrected"),
                                     ("bot", "decided"), ("bot", "filed")]
    corrected = ctx.ledger.audit_rows(doc)[-3]
    assert corrected["detail"] == {"fields": ["due_date", "seller_vat_id"]}
    assert corrected["at"].startswith(date.today().isoformat()[:4])
    row = ctx.ledger.get(doc)
    assert (row.pay_by, row.lease_owner) == ("2027-01-15", None)


def test_correction_without_a_matching_rule_stays_an_exception(desk):
    ctx, ids = desk
    doc = ids[PLAIN_B]
    result = review.correct_fields(ctx, doc, {"invoice_number": "RE-2026-77"}, actor="anna")
    assert (result.state, result.reason) == ("exception", "no_rule")
    assert ctx.ledger.get(doc).invoice["fields"]["invoice_number"] == "RE-2026-77"
    assert ctx.ledger.get(doc).invoice["evidence"]["invoice_number"] == "von Hand korrigiert"
    assert events(ctx, doc)[-2:] == [("anna", "fields_corrected"), ("bot", "exception")]
    assert efile_copies(ctx.config.config_file, doc) == []


def test_invalid_input_is_refused_per_field_and_changes_nothing(desk):
    ctx, ids = desk
    doc = ids[PLAIN_A]
    before = ctx.ledger.version(doc)
    with pytest.raises(review.ReviewError) as refused:
        review.correct_fields(ctx, doc, {"issue_date": "31.02.2026", "iban": "DE00 1234 5678",
                                         "total_gross": "zwölf", "seller_vat_id": "DE123456780",
                                         "invoice_number": "OK-1"}, actor="anna")
    assert set(refused.value.field_errors) == {"issue_date", "iban", "total_gross",
                                               "seller_vat_id"}
    assert refused.value.field_errors["issue_date"].startswith("Rechnungsdatum: ")
    assert ctx.ledger.version(doc) == before
    assert ctx.ledger.get(doc).invoice["fields"]["invoice_number"] != "OK-1"


def test_values_left_as_read_are_kept_even_when_a_check_fails(desk):
    ctx, ids = desk
    doc = ids[PLAIN_A]
    as_read = ctx.ledger.get(doc).invoice["fields"]["seller_vat_id"]
    assert as_read == "DE123456789"  # a specimen VAT ID: its check digit is wrong
    result = review.correct_fields(ctx, doc, {"seller_vat_id": as_read,
                                              "invoice_number": "A-2"}, actor="anna")
    assert result.state == "exception"
    assert ctx.ledger.get(doc).invoice["fields"]["seller_vat_id"] == as_read
    assert ctx.ledger.audit_rows(doc)[-2]["detail"] == {"fields": ["invoice_number"]}


@pytest.mark.parametrize(("field", "text", "value"), [
    ("issue_date", "01.03.2026", "2026-03-01"),
    ("issue_date", "2026-03-01", "2026-03-01"),
    ("due_date", "1. März 2026", "2026-03-01"),
    ("total_gross", "1.234,56 €", "1234.56"),
    ("total_gross", "1.234", "1234.00"),
    ("total_gross", "-8,7", "-8.70"),
    ("total_gross", "1234.56", "1234.56"),
    ("iban", "de02 1203 0000 0000 2020 51", "DE02120300000000202051"),
    ("seller_vat_id", "DE 811 234 565", "DE811234565"),
    ("currency", "eur", "EUR"),
    ("seller_name", "  Lebenshilfe   Nordstadt ", "Lebenshilfe Nordstadt"),
    ("due_date", "   ", None),
])
def test_german_input_is_stored_in_contract_form(field, text, value):
    assert review.normalise_field(field, text) == value


def test_assigning_an_absent_caseworker_files_to_the_deputy(desk):
    ctx, ids = desk
    doc = ids[TWIN_1]
    choices = review.caseworker_choices(ctx.ruleset, date.today())
    becker = next(c for c in choices if c.id == "becker")
    until = format_date(date.today() + timedelta(days=10))
    assert becker.label == (f"Anna Becker, Eingliederungshilfe (SGB IX) – abwesend bis {until}, "
                            "Vertretung: Thomas Hoffmann")
    assert [c.id for c in choices] == ["becker", "hoffmann", "krause", "neumann", "schneider",
                                       "wagner", "yilmaz"]  # by surname
    result = review.assign(ctx, doc, "becker", actor="anna", note="Telefonisch geklärt",
                           version=ctx.ledger.version(doc))
    assert (result.state, result.queue) == ("filed", "hoffmann")
    assert [p.parent.name for p in efile_copies(ctx.config.config_file, doc)] == ["hoffmann"]
    assert (ctx.config.efile_root / "hoffmann" / f"{doc}.xml").read_bytes() == \
        ctx.store.read(ctx.ledger.get(doc).sha256)
    sidecar = json.loads((ctx.config.efile_root / "hoffmann" / f"{doc}.json").read_text())
    assert sidecar["decision"]["outcome"] == "manual"
    assert sidecar["decision"]["requested"] == "becker"
    assert "vertreten durch Thomas Hoffmann" in sidecar["decision"]["explanation"]
    assert "Telefonisch geklärt" in sidecar["decision"]["explanation"]
    assigned = [a for a in ctx.ledger.audit_rows(doc) if a["event"] == "assigned"]
    assert [(a["actor"], a["from_state"], a["to_state"], a["detail"]) for a in assigned] == [
        ("anna", "exception", "decided", {"caseworker": "hoffmann", "requested": "becker"})]


def test_a_second_action_on_a_filed_invoice_is_refused(desk):
    ctx, ids = desk
    doc = ids[TWIN_1]
    review.assign(ctx, doc, "schneider", actor="anna")
    for action in (lambda: review.assign(ctx, doc, "wagner", actor="ben"),
                   lambda: review.reject(ctx, doc, "falsch", actor="ben"),
                   lambda: review.correct_fields(ctx, doc, {"invoice_number": "X"}, actor="ben")):
        with pytest.raises(review.Conflict):
            action()
    assert [p.parent.name for p in efile_copies(ctx.config.config_file, doc)] == ["schneider"]
    assert [e for e in events(ctx, doc) if e[0] == "ben"] == []


def test_an_action_on_a_page_that_changed_meanwhile_is_refused(desk):
    ctx, ids = desk
    doc = ids[PLAIN_A]
    seen = ctx.ledger.version(doc)
    review.correct_fields(ctx, doc, {"invoice_number": "A-1"}, actor="anna", version=seen)
    with pytest.raises(review.Conflict, match="inzwischen"):
        review.assign(ctx, doc, "wagner", actor="ben", version=seen)
    assert ctx.ledger.get(doc).state == "exception"
    assert efile_copies(ctx.config.config_file, doc) == []


def test_unknown_caseworker_and_missing_reason_are_field_errors(desk):
    ctx, ids = desk
    with pytest.raises(review.ReviewError) as refused:
        review.assign(ctx, ids[PLAIN_A], "../../etc", actor="anna")
    assert list(refused.value.field_errors) == ["caseworker"]
    with pytest.raises(review.ReviewError) as refused:
        review.reject(ctx, ids[PLAIN_A], "   ", actor="anna")
    assert list(refused.value.field_errors) == ["reason_text"]
    assert ctx.ledger.get(ids[PLAIN_A]).state == "exception"


def test_rejected_document_is_kept_with_its_reason(desk):
    ctx, ids = desk
    doc = ids[PLAIN_B]
    result = review.reject(ctx, doc, "Keine Rechnung an den Landschaftsverband", actor="anna")
    assert result.state == "rejected"
    row = ctx.ledger.get(doc)
    assert row.state == "rejected"
    assert row.reason_detail == "Zurückgewiesen: Keine Rechnung an den Landschaftsverband"
    assert ctx.store.read(row.sha256)  # the original stays in the store
    assert row.invoice is not None and row.decision is not None
    rejected = ctx.ledger.audit_rows(doc)[-1]
    assert (rejected["actor"], rejected["event"], rejected["detail"]["reason_text"]) == (
        "anna", "rejected", "Keine Rechnung an den Landschaftsverband")
    assert efile_copies(ctx.config.config_file, doc) == []


def test_twin_of_a_filed_invoice_becomes_a_duplicate_and_is_marked_so(desk):
    ctx, ids = desk
    first, twin = ids[TWIN_1], ids[TWIN_2]
    review.assign(ctx, first, "schneider", actor="anna")
    again = review.retry(ctx, twin, actor="anna")  # same seller and number as a filed one
    assert (again.state, again.reason) == ("exception", "duplicate")
    with pytest.raises(review.ReviewError) as refused:
        review.mark_duplicate(ctx, twin, "ffffffffffffffff", actor="anna")
    assert list(refused.value.field_errors) == ["original_id"]
    result = review.mark_duplicate(ctx, twin, first, actor="anna")
    assert (result.state, result.reason) == ("rejected", "duplicate")
    assert ctx.ledger.get(twin).reason_detail == f"Dublette von Dokument {first}"
    assert ctx.ledger.audit_rows(twin)[-1]["detail"]["original_id"] == first
    assert efile_copies(ctx.config.config_file, twin) == []
    assert len(efile_copies(ctx.config.config_file, first)) == 1


def test_retry_after_a_rules_change_files_with_the_new_rule(tmp_path: Path):
    rules = tmp_path / "rules.yaml"
    rules.write_text((REPO / "config" / "rules.yaml").read_text(encoding="utf-8"),
                     encoding="utf-8")
    config = build_exceptions(tmp_path, corpus_einvoices(PLAIN_A), extra={"rules": str(rules)})
    ctx = open_context(open_config(config))
    try:
        doc = ids_by_file(config)[PLAIN_A]
        seller = ctx.ledger.get(doc).invoice["fields"]["seller_vat_id"]
        data = yaml.safe_load(rules.read_text(encoding="utf-8"))
        data["rules"].append({"id": "testlieferant", "name": "Testlieferant: Hilfe zur Pflege",
                              "priority": 100, "route_to": "schneider",
                              "when": {"field": "seller_vat_id", "regex": f"^{seller}$"}})  # a specimen: wrong check digit
        rules.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        result = review.retry(ctx, doc, actor="admin-otto")  # ctx still holds the old rules
        assert (result.state, result.queue) == ("filed", "schneider")
        assert ctx.ledger.get(doc).rule_id == "testlieferant"
        assert ("admin-otto", "retry") in events(ctx, doc)
        assert ctx.ledger.get(doc).attempts == 0
    finally:
        ctx.ledger.close()


def test_unfileable_document_can_be_rejected_or_retried_but_not_filed(tmp_path: Path):
    note = tmp_path / "anschreiben.txt"
    note.write_text("Sehr geehrte Damen und Herren, anbei keine Rechnung.\n", encoding="utf-8")
    config = build_exceptions(tmp_path, [note])
    ctx = open_context(open_config(config))
    try:
        doc = ids_by_file(config)["anschreiben.txt"]
        assert ctx.ledger.get(doc).reason == "unsupported"
        with pytest.raises(review.ReviewError, match="nicht abgelegt werden"):
            review.assign(ctx, doc, "wagner", actor="anna")
        again = review.retry(ctx, doc, actor="anna")  # no fields: the whole pipeline again
        assert (again.state, again.reason) == ("exception", "unsupported")
        assert events(ctx, doc)[-2:] == [("anna", "retry"), ("bot", "exception")]
        assert review.reject(ctx, doc, "Anschreiben ohne Rechnung", actor="anna").state == \
            "rejected"
    finally:
        ctx.ledger.close()


def test_filing_that_fails_leaves_the_decision_for_the_bot(desk, tmp_path: Path):
    ctx, ids = desk
    doc = ids[PLAIN_A]
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the e-file root should be")
    broken = replace(ctx, config=replace(ctx.config, efile_root=blocked))
    result = review.assign(broken, doc, "wagner", actor="anna")
    assert (result.state, result.queue) == ("decided", "wagner")
    assert "später" in result.message
    row = ctx.ledger.get(doc)
    assert row.lease_owner is None and row.retry_at is not None  # the bot's backoff
    assert process_leased(ctx, doc).outcome == "filed"  # the bot files it with the decision
    assert [p.parent.name for p in efile_copies(ctx.config.config_file, doc)] == ["wagner"]

