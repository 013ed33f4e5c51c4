"""Posting proposals: posting attributes in the rules are checked like other rule fields; a
proposal is made only when the checks passed and every required field is known, else the
report says why; discounts and the VAT breakdown come from the invoice; the export writes
each proposal exactly once, also when it is killed on the way."""

from __future__ import annotations

import csv
import io
import json
import shutil
import signal
from pathlib import Path

import pytest

from bots.commands.daily_report import report_tables
from bots.handover_config import PostingConfig
from bots.pipeline.model import Check, Checks, Document, Invoice, Routing
from bots.pipeline.vendors import VendorFileError, load_vendors
from bots.posting.proposal import build_proposal
from bots.posting.table import HEADERS
from bots.posting.terms import payment_facts
from bots.storage.proposals import Proposals
from bots.wiring import open_config, open_context
from einvoice.parse import parse_invoice
from rules.loader import RulesConfigError
from rules.model import Decision, Outcome
from tests.conftest import CORPUS, REPO, write_bot_config
from tests.handover_fixtures import document_ids, drop_samples, fast_samples, run_bot_with
from tests.test_rules_support import load

DIRECTORY = """\
caseworkers:
  - {id: becker, name: Anna Becker, team: eh}
teams:
  - {id: eh, name: Eingliederungshilfe, distribution: round_robin}
"""


def test_posting_attributes_are_text_and_kept_as_written(tmp_path):
    ruleset = load(tmp_path, 'rules:\n  - id: a\n    name: A\n    route_to: becker\n'
                   '    posting: {account: 0755, cost_centre: "71200", budget_item: 5020}\n',
                   DIRECTORY)
    assert dict(ruleset.rules[0].posting) == {"account": "0755", "cost_centre": "71200",
                                              "budget_item": "5020"}


@pytest.mark.parametrize(("posting", "line", "message"), [
    ("{acount: '4711'}", 5, "unbekannte Buchungsangabe „acount“ (meinten Sie „account“?)"),
    ("{account: [1, 2]}", 5, "die Buchungsangabe „account“ muss ein kurzer Text sein"),
    ("'5331000'", 5, "'posting': hier gehören Zeilen der Form"),
    ("\n      account: '1'\n      account: '2'", 7, "die Buchungsangabe „account“ steht zweimal da"),
])
def test_wrong_posting_attributes_are_refused_with_file_and_line(tmp_path, posting, line,
                                                                 message):
    rules = f"rules:\n  - id: a\n    name: A\n    route_to: becker\n    posting: {posting}\n"
    with pytest.raises(RulesConfigError) as refused:
        load(tmp_path, rules, DIRECTORY)
    assert any(p.line == line and message in p.message for p in refused.value.problems), \
        str(refused.value)


def test_a_creditor_number_must_be_text(tmp_path):
    path = tmp_path / "vendors.yaml"
    path.write_text("vendors:\n  - id: a\n    name: A\n    creditor_number: [70001]\n",
                    encoding="utf-8")
    with pytest.raises(VendorFileError, match=r"vendors.yaml:2: 'creditor_number' of 'a'"):
        load_vendors(path)


def _proposal_for(fields: dict, *, posting: dict | None = None, payment: dict | None = None,
                  checks: Checks | None = None, required=("creditor_number", "account"),
                  creditor: str | None = "70001"):
    invoice = Invoice(kind="xrechnung-ubl", pages=0, fields=fields, confidence={}, evidence={},
                      warnings=(), custom={"aktenzeichen": "71.20-1"}, payment=payment or {})
    decision = Decision(Outcome.ROUTED, "becker", None, "r", (), False, "", (), posting or {})
    return build_proposal(Document("0123456789abcdef", "0" * 64, "t", "x", "x", "x"), invoice,
                          checks or Checks(items=(Check("x", True),)),
                          Routing("becker", "r", "", decision), creditor_number=creditor,
                          settings=PostingConfig(Path("x"), required=required))


FIELDS = {"invoice_number": "R-1", "issue_date": "2026-11-02", "due_date": "2026-12-02",
          "iban": "DE02120300000000202051", "currency": "EUR", "total_net": "1000.00",
          "total_tax": "190.00", "total_gross": "1190.00", "amount_due": "1190.00"}


def test_a_proposal_carries_amounts_discount_and_posting_to_be_confirmed():
    proposal = _proposal_for(FIELDS, posting={"account": "5331000"},
                             payment={"discount": {"percent": "2", "days": 10, "base": None}})
    values = proposal.values
    assert proposal.status == "proposed" and values["status"] == "zu bestätigen"
    assert (values["discount_until"], values["discount_amount"],
            values["amount_after_discount"]) == ("2026-11-12", "23.80", "1166.20")
    assert values["pay_by"] == "2026-12-02" and values["case_reference"] == "71.20-1"
    assert values["posting"]["account"] == "5331000" and values["creditor_number"] == "70001"


@pytest.mark.parametrize(("kwargs", "missing"), [
    ({"posting": {}}, ("account",)),
    ({"posting": {"account": "1"}, "creditor": None}, ("creditor_number",)),
    ({"posting": {"account": "1"},
      "checks": Checks(items=(Check("vendor_iban", False, "x"),), problem=("iban_changed", "x"))},
     ("checks",)),
])
def test_without_every_required_field_or_with_a_failed_check_there_is_no_proposal(kwargs,
                                                                                   missing):
    proposal = _proposal_for(FIELDS, **kwargs)
    assert (proposal.status, proposal.missing, proposal.values) == ("withheld", missing, {})


@pytest.mark.skipif(not (CORPUS / "xml").is_dir(), reason="the shared corpus is not here")
def test_the_vat_breakdown_and_the_discount_of_an_official_xrechnung():
    einvoice = parse_invoice((CORPUS / "xml" / "kosit__01.10a-INVOICE_ubl.xml").read_bytes()).invoice
    facts = payment_facts({}, einvoice, "")
    assert facts["discount"] == {"percent": "2", "days": 7, "base": None}  # the first above 0
    assert [(row["rate"], row["tax_amount"]) for row in facts["vat_breakdown"]] == \
        [(f"{row.rate.normalize():f}", f"{row.tax_amount:.2f}") for row in einvoice.vat_breakdown]
    assert facts["vat_breakdown"]


def _export(root: Path, config: Path, fault: str | None = None):
    return run_bot_with(config, "proposals", "export", "--date", "2026-11-30", fault=fault,
                        timeout=120)


def _finance_import(root: Path, taken: Path) -> None:
    """The finance system takes every export file away as soon as it is there."""
    taken.mkdir(exist_ok=True)
    for path in (root / "var" / "export" / "buchung").glob("buchungsvorschlaege-*"):
        shutil.move(path, taken / path.name)


def _csv_rows(folder: Path) -> list[dict]:
    rows = []
    for path in sorted(folder.glob("*.csv")):
        rows += list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig")),
                                    delimiter=";"))
    return rows


@pytest.mark.parametrize("fault", ["proposals_batch_marked", "handover_partial"])
def test_killed_during_an_export_each_proposal_is_exported_exactly_once(tmp_path, fault):
    config = write_bot_config(tmp_path, settle_seconds=0.2, extra={
        "posting": {"xml_template": str(REPO / "config" / "buchung-xml.xml.j2")}})
    samples = [s for s in fast_samples() if s["outcome"] == "filed"]
    drop_samples(tmp_path / "inbox", samples)
    assert run_bot_with(config, "run", "--once").returncode == 0
    taken = tmp_path / "finance"
    assert _export(tmp_path, config, fault).returncode == -signal.SIGKILL
    _finance_import(tmp_path, taken)
    assert _export(tmp_path, config).returncode == 0
    _finance_import(tmp_path, taken)
    again = _export(tmp_path, config)
    assert again.stdout.strip() == "Keine neuen Buchungsvorschläge."
    assert sorted(p.suffix for p in taken.iterdir()) == [".csv", ".jsonl", ".xml"]
    rows = _csv_rows(taken)
    assert list(rows[0]) == list(HEADERS)
    assert sorted(r["Dokument-ID"] for r in rows) == sorted(document_ids(tmp_path)[s["file"]]
                                                           for s in samples)
    [jsonl] = taken.glob("*.jsonl")
    assert [json.loads(line)["document_id"] for line in jsonl.read_text().splitlines()] == \
        [r["Dokument-ID"] for r in rows]


def test_the_report_says_why_an_invoice_got_no_proposal(tmp_path):
    config = write_bot_config(tmp_path, settle_seconds=0.2, extra={
        "posting": {"required": ["creditor_number", "account", "cost_object"]}})
    sample = next(s for s in fast_samples() if s["kind"] == "xrechnung-cii")
    drop_samples(tmp_path / "inbox", [sample])
    assert run_bot_with(config, "run", "--once").returncode == 0
    ctx = open_context(open_config(config))
    sheet = report_tables(ctx.ledger, ctx.today())["Ohne Buchungsvorschlag"]
    assert sheet == [{"Dokument": document_ids(tmp_path)[sample["file"]],
                      "Sachbearbeitung": sample["caseworker"],
                      "Abgelegt am": ctx.today().strftime("%d.%m.%Y"),
                      "Grund": "es fehlt: Kostenträger"}]
    assert _export(tmp_path, config).stdout.strip() == "Keine neuen Buchungsvorschläge."


def test_a_scans_single_vat_rate_is_known_a_mixed_one_is_not():
    one = payment_facts({"total_net": "100.00", "total_tax": "7.00"}, None,
                        "Bei Zahlung innerhalb von 10 Tagen 2 % Skonto, 30 Tage netto.")
    assert one == {"vat_breakdown": [{"category": None, "rate": "7", "taxable_amount": "100.00",
                                      "tax_amount": "7.00"}],
                   "discount": {"percent": "2", "days": 10, "base": None}}
    mixed = payment_facts({"total_net": "1556.90", "total_tax": "141.13"}, None, "ohne Abzug")
    assert mixed == {"vat_breakdown": [], "discount": None}


def test_retention_clears_an_exported_proposals_values(tmp_path):
    config = write_bot_config(tmp_path, settle_seconds=0.2)
    sample = next(s for s in fast_samples() if s["kind"] == "xrechnung-cii")
    drop_samples(tmp_path / "inbox", [sample])
    assert run_bot_with(config, "run", "--once").returncode == 0
    document_id = document_ids(tmp_path)[sample["file"]]
    ctx = open_context(open_config(config))
    ctx.ledger.clear_personal_data(document_id, "entfernt", "2027-01-01T00:00:00+00:00")
    assert Proposals(ctx.ledger).get(document_id).proposal is not None  # not exported yet
    assert _export(tmp_path, config).returncode == 0
    ctx.ledger.clear_personal_data(document_id, "entfernt", "2027-01-01T00:00:00+00:00")
    row = Proposals(ctx.ledger).get(document_id)
    assert (row.status, row.proposal, row.batch) == ("proposed", None,
                                                     "buchungsvorschlaege-2026-11-30-1")
