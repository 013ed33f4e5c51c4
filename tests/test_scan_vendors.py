"""Vendor master data: a known vendor's VAT ID or IBAN confirms the seller; a known vendor
with an IBAN not on file goes to the exception queue as iban_changed (IBANs masked in the
detail and the log); routing fields read unsurely go there as low_confidence."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
import yaml

from bots.config import ConfigError, load_config
from bots.pipeline.checks import run_checks
from bots.pipeline.model import Invoice
from bots.pipeline.vendors import find_vendor, load_vendors, mask_iban, with_vendor
from bots.storage.ledger import Ledger
from ocr.model import FIELD_NAMES
from tests.conftest import REPO, run_bot, write_bot_config
from tests.ocr_helpers.batches import KNOWN_PROVIDER
from tests.ocr_helpers.invoices import invoice_pdf

VENDORS = load_vendors(REPO / "config" / "vendors.yaml")
OTHER_IBAN = "DE02120300000000202051"


def _invoice(**fields) -> Invoice:
    values = dict.fromkeys(FIELD_NAMES) | {"invoice_number": "RE-1", "issue_date": "2026-03-01",
                                           "total_gross": "10.00"} | fields
    return Invoice(kind="scan", pages=1, fields=values,
                   confidence=dict.fromkeys(values, 0.8), evidence={}, warnings=())


def test_the_vat_id_names_the_vendor_and_confirms_the_seller():
    invoice = _invoice(seller_vat_id="DE811234565", seller_name="Lebenshi1fe Nordstadt")
    confirmed = with_vendor(invoice, VENDORS)
    assert confirmed.fields["seller_name"] == "Lebenshilfe Nordstadt gGmbH"
    assert confirmed.confidence["seller_name"] >= 0.98
    assert confirmed.vendor["vendor_id"] == "lebenshilfe-nordstadt"
    assert "vendor master data" in confirmed.evidence["seller_name"]


def test_an_iban_on_file_names_the_vendor_without_a_vat_id():
    invoice = _invoice(iban="DE58412500350200457811")
    assert find_vendor(invoice, VENDORS).vendor.id == "haus-abendrot"
    assert with_vendor(invoice, VENDORS).fields["seller_name"] == (
        "Seniorenzentrum Haus Abendrot gGmbH")


def test_an_unknown_vendor_is_left_as_read():
    invoice = _invoice(seller_vat_id="DE136695976", seller_name="Regenbogen")
    assert with_vendor(invoice, VENDORS) == invoice


def test_a_known_vendor_with_an_iban_not_on_file_is_an_exception(tmp_path):
    invoice = with_vendor(_invoice(seller_vat_id="DE811234565", iban=OTHER_IBAN), VENDORS)
    checks = run_checks(invoice, "doc1", ledger=Ledger(tmp_path / "l.sqlite3"),
                        required_fields=(), vendors=VENDORS)
    reason, detail = checks.problem
    assert reason == "iban_changed"
    assert "DE02…2051" in detail and "DE67…4711" in detail
    assert OTHER_IBAN not in detail and "DE67414500750031044711" not in detail


def test_a_second_account_on_file_is_no_change(tmp_path):
    invoice = with_vendor(_invoice(seller_vat_id="DE305128747",
                                   iban="DE05412500350200461190"), VENDORS)
    checks = run_checks(invoice, "doc1", ledger=Ledger(tmp_path / "l.sqlite3"),
                        required_fields=(), vendors=VENDORS)
    assert checks.problem is None


def test_masked_ibans_show_country_check_digits_and_last_four():
    assert mask_iban("DE02 1203 0000 0000 2020 51") == "DE02…2051"


def test_a_routing_field_below_the_threshold_is_low_confidence(tmp_path):
    invoice = _invoice(seller_vat_id="DE811234565")
    invoice = replace(invoice, confidence=invoice.confidence | {"seller_vat_id": 0.3})
    checks = run_checks(invoice, "doc1", ledger=Ledger(tmp_path / "l.sqlite3"),
                        required_fields=(), min_confidence=0.5,
                        routing_fields=("seller_vat_id", "total_gross"))
    assert checks.problem == ("low_confidence", "Unsicher erkannt (bitte prüfen): USt-IdNr.")


def test_the_bot_sends_a_changed_iban_to_the_exception_queue_and_logs_it_masked(tmp_path):
    config = write_bot_config(tmp_path, settle_seconds=0.0)
    spec = replace(KNOWN_PROVIDER, iban="DE02 1203 0000 0000 2020 51")
    (tmp_path / "inbox" / "rechnung.pdf").write_bytes(invoice_pdf(spec))
    result = run_bot("--config", str(config), "run", "--once", "--json")
    [outcome] = json.loads(result.stdout)
    assert (outcome["outcome"], outcome["reason"]) == ("exception", "iban_changed")
    log = (tmp_path / "var" / "log" / "bot.jsonl").read_text()
    events = [json.loads(line) for line in log.splitlines()]
    [warning] = [e for e in events if e.get("event") == "iban_changed"]
    assert (warning["invoice_iban"], warning["known_ibans"]) == ("DE02…2051", "DE67…4711")
    assert OTHER_IBAN not in log and "DE67414500750031044711" not in log


def _config_with_ocr(tmp_path, ocr: dict):
    path = write_bot_config(tmp_path)
    raw = yaml.safe_load(path.read_text()) | {"ocr": ocr}
    path.write_text(yaml.safe_dump(raw))
    return path


def test_ocr_settings_are_read_and_checked(tmp_path):
    config = load_config(_config_with_ocr(tmp_path, {
        "jobs": 3, "min_confidence": 0.6, "routing_fields": ["seller_vat_id"],
        "separator_text": "TRENN", "split_at_blank_pages": True}))
    assert (config.ocr_jobs, config.min_confidence, config.routing_fields) == (
        3, 0.6, ("seller_vat_id",))
    assert config.folders[0].batch.separator_text == "TRENN"
    assert config.folders[0].batch.at_blank_pages
    for wrong in ({"min_confidence": 2}, {"routing_fields": ["lieferant"]}, {"jobz": 2}):
        with pytest.raises(ConfigError, match="bot.yaml"):
            load_config(_config_with_ocr(tmp_path, wrong))


def _broken_vendors(path):
    path.write_text("vendors:\n  - id: x\n    nam: Tippfehler GmbH\n", encoding="utf-8")


def test_a_broken_vendors_file_stops_the_start_and_fails_the_check(tmp_path):
    vendors = tmp_path / "vendors.yaml"
    _broken_vendors(vendors)
    config = write_bot_config(tmp_path, extra={"vendors": str(vendors)})
    started = run_bot("--config", str(config), "run", "--once")
    assert started.returncode == 2
    assert "vendor master data is invalid" in started.stderr and "vendors.yaml:2" in started.stderr
    checked = run_bot("--config", str(config), "check")
    assert checked.returncode == 1 and "FAIL  vendors" in checked.stdout


def test_a_broken_edit_of_the_vendors_file_keeps_the_vendors_loaded_before(tmp_path):
    import os

    from structlog.testing import capture_logs

    from bots.pipeline.vendors import vendors_of
    vendors = tmp_path / "vendors.yaml"
    vendors.write_text((REPO / "config" / "vendors.yaml").read_text(encoding="utf-8"),
                       encoding="utf-8")
    before = vendors_of(vendors)
    assert before == VENDORS
    _broken_vendors(vendors)
    os.utime(vendors, (1, 1))  # a new mtime even on coarse file system clocks
    with capture_logs() as logs:
        assert vendors_of(vendors) == before
        assert vendors_of(vendors) == before  # warned once per edit
    assert [entry["event"] for entry in logs] == ["vendors_refused"]
    vendors.write_text("vendors:\n  - id: neu\n    name: Neu GmbH\n", encoding="utf-8")
    os.utime(vendors, (2, 2))
    assert [v.id for v in vendors_of(vendors)] == ["neu"]


def test_a_vendors_file_moved_away_keeps_the_vendors_loaded_before(tmp_path):
    """An editor that saves by rename, or a share that is briefly gone: the IBAN check goes
    on with the vendors loaded before instead of silently knowing none."""
    from structlog.testing import capture_logs

    from bots.pipeline.vendors import vendors_of
    vendors = tmp_path / "vendors.yaml"
    vendors.write_text((REPO / "config" / "vendors.yaml").read_text(encoding="utf-8"),
                       encoding="utf-8")
    before = vendors_of(vendors)
    assert before == VENDORS
    vendors.rename(tmp_path / "vendors.yaml~")
    with capture_logs() as logs:
        assert vendors_of(vendors) == before
    assert [entry["event"] for entry in logs] == ["vendors_unreadable"]
