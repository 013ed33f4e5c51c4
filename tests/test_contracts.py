"""The pipeline's closed sets of codes are types with their meaning written once, and the
values it records come back as they were."""

from __future__ import annotations

import pytest

from bots.pipeline.model import Check, Checks, Invoice, Routing
from bots.pipeline.reasons import Reason, explain
from bots.storage.states import STATES, TERMINAL, State
from ocr.model import FIELD_NAMES, READ_ERROR_CODES, Kind
from rules.model import Decision, Outcome, RuleTrace


@pytest.mark.parametrize("reason", list(Reason))
def test_every_reason_has_its_german_texts(reason):
    assert len(reason.text) > 20 and reason.text.endswith(".")
    assert 3 <= len(reason.short) <= 30
    assert explain(reason) == explain(str(reason)) == reason.text
    assert reason.value not in reason.text  # words for clerks, not the code


def test_an_unknown_code_is_an_error_not_a_text():
    with pytest.raises(ValueError):
        explain("sonstwas")
    assert explain(None) == ""


def test_what_readers_and_rules_report_is_a_reason():
    assert {Reason(code) for code in READ_ERROR_CODES}
    not_routed = set(Outcome) - {Outcome.ROUTED, Outcome.MANUAL}
    assert {Reason(outcome) for outcome in not_routed} == {
        Reason.NO_RULE, Reason.AMBIGUOUS, Reason.NO_DEPUTY}


def test_states_and_kinds():
    assert STATES[0] == State.RECEIVED and set(TERMINAL) < set(STATES)
    assert [k for k in Kind if k.is_einvoice] == [Kind.ZUGFERD, Kind.XRECHNUNG_UBL,
                                                  Kind.XRECHNUNG_CII]
    assert [k for k in Kind if k.is_einvoice_xml] == [Kind.XRECHNUNG_UBL, Kind.XRECHNUNG_CII]


def _invoice(**parts) -> Invoice:
    fields = dict.fromkeys(FIELD_NAMES) | {"invoice_number": "RE-1", "total_gross": "10.00"}
    return Invoice(kind="xrechnung-ubl", pages=1, fields=fields, confidence={}, evidence={},
                   warnings=(), **parts)


def test_a_custom_field_never_overwrites_what_the_bot_knows():
    invoice = _invoice(document={"document_type_code": "380"},
                       einvoice={"einvoice_valid": False},
                       custom={"invoice_number": "X", "kind": "scan", "aktenzeichen": "Az 1"})
    routed = invoice.routing_fields("mail")
    assert routed["invoice_number"] == "RE-1" and routed["kind"] == "xrechnung-ubl"
    assert routed["aktenzeichen"] == "Az 1" and routed["document_type_code"] == "380"
    assert "einvoice_valid" not in routed  # not a field the rules decide on


def test_an_invoice_recorded_in_one_extra_mapping_is_sorted_into_its_parts():
    old = {"kind": "xrechnung-cii", "pages": 1, "fields": {"invoice_number": "RE-9"},
           "extra": {"document_type_code": "381", "credit_note": True, "syntax": "cii",
                     "einvoice_valid": True, "einvoice_findings": [], "vendor_id": "v1",
                     "vendor_match": "iban", "aktenzeichen": "Az 7"}}
    invoice = Invoice.from_dict(old, fields=FIELD_NAMES, kind="scan", pages=1)
    assert invoice.document == {"document_type_code": "381", "credit_note": True}
    assert invoice.einvoice == {"syntax": "cii", "einvoice_valid": True, "einvoice_findings": []}
    assert invoice.vendor == {"vendor_id": "v1", "vendor_match": "iban"}
    assert invoice.custom == {"aktenzeichen": "Az 7"}
    assert invoice.fields["invoice_number"] == "RE-9" and invoice.fields["iban"] is None
    again = Invoice.from_dict(invoice.to_dict(), fields=FIELD_NAMES, kind="scan", pages=1)
    assert again == invoice


def test_a_routing_comes_back_as_it_was_recorded():
    trace = (RuleTrace("r1", "Regel 1", 10, True, ("Betrag ist 10,00 €",)),)
    decision = Decision(Outcome.MANUAL, "becker", "team-a", None, ("eilig",), True,
                        "Von Hand zugewiesen.", trace)
    routing = Routing("becker", None, "Von Hand zugewiesen.", decision,
                      assignment={"requested": "becker", "assigned_by": "anna"})
    recorded = routing.to_dict()
    assert recorded["decision"]["requested"] == "becker"
    assert Routing.from_dict(recorded) == routing
    checks = Checks((Check("required_fields", False, "fehlt"),), (Reason.MISSING_FIELDS, "x"))
    assert Checks.from_dict(checks.to_dict()) == checks
