"""The shipped samples (samples/) and default configuration (config/) are what they claim.

- samples/generate.py reproduces the committed file set and expected.json;
- identifiers carry valid check digits; e-invoices are schema-valid and agree with
  expected.json; the damaged files are damaged in the way their reason code says;
- scans stay legible to Tesseract;
- vendors.yaml, caseworkers.yaml and rules.yaml fit the samples: the rule engine routes
  every sample's true fields as expected.json says (the whole bot is tested end to end in
  test_end_to_end.py).
"""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
import zipfile
from datetime import date
from pathlib import Path

import facturx
import pytest
import yaml
from lxml import etree
from pdf2image import convert_from_path
from PIL import Image, ImageSequence
from pypdf import PasswordType, PdfReader
from pypdf.errors import PdfReadError
from stdnum import iban as iban_number
from stdnum.de import leitweg
from stdnum.eu import vat

from rules.engine import decide
from rules.loader import load_ruleset
from samples.bad_files import USER_PASSWORD

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
INVOICES = SAMPLES / "invoices"
CONFIG = ROOT / "config"

EXPECTED = json.loads((SAMPLES / "expected.json").read_text(encoding="utf-8"))["files"]
BY_KIND = {}
for _entry in EXPECTED:
    BY_KIND.setdefault(_entry.get("kind"), []).append(_entry)
NOT_REPRODUCIBLE = {"passwort.pdf"} | {e["file"] for e in BY_KIND["zugferd"]}


def _load(name: str) -> dict:
    return yaml.safe_load((CONFIG / name).read_text(encoding="utf-8"))


def _german_amount(value: str) -> str:
    """'1234.50' -> '1.234,50'"""
    whole, cents = value.lstrip("-").split(".")
    return ("-" if value.startswith("-") else "") + f"{int(whole):,}".replace(",", ".") + "," + cents


def _german_date(value: str) -> str:
    return f"{value[8:10]}.{value[5:7]}.{value[:4]}"


# --- generation ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def regenerated(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("samples")
    subprocess.run([sys.executable, str(SAMPLES / "generate.py"), "--out", str(out)],
                   check=True, capture_output=True, timeout=240)
    return out


def test_generate_reproduces_the_file_set_and_expected_json(regenerated):
    assert sorted(p.name for p in (regenerated / "invoices").iterdir()) == \
        sorted(p.name for p in INVOICES.iterdir())
    assert (regenerated / "expected.json").read_text(encoding="utf-8") == \
        (SAMPLES / "expected.json").read_text(encoding="utf-8")


def test_generate_reproduces_the_bytes_of_xml_and_docx(regenerated):
    # PDFs and images depend on reportlab/poppler/libjpeg versions; these do not.
    for path in INVOICES.iterdir():
        if path.suffix in {".xml", ".docx"} or path.stat().st_size == 0:
            assert (regenerated / "invoices" / path.name).read_bytes() == path.read_bytes(), path


def test_expected_json_lists_every_sample_file_once():
    listed = [entry["file"] for entry in EXPECTED]
    assert len(listed) == len(set(listed))
    assert set(listed) == {p.name for p in INVOICES.iterdir()}


def test_expected_json_covers_every_kind_and_outcome():
    kinds = {entry.get("kind") for entry in EXPECTED}
    assert {"scan", "pdf-text", "zugferd", "xrechnung-ubl", "xrechnung-cii"} <= kinds
    reasons = {entry.get("reason") for entry in EXPECTED if entry["outcome"] == "exception"}
    assert reasons == {"unreadable", "corrupt", "encrypted", "unsupported", "no_rule"}
    for entry in EXPECTED:
        if entry["outcome"] == "filed":
            assert entry["caseworker"] and entry["vendor"]
    scans = BY_KIND["scan"]
    assert {Path(e["file"]).suffix for e in scans} == {".png", ".jpg", ".tif", ".pdf"}
    assert any(e["pages"] == 2 for e in scans)


def test_fields_are_in_contract_form():
    for entry in (e for e in EXPECTED if "fields" in e):
        fields = entry["fields"]
        for name in ("invoice_number", "issue_date", "total_gross", "seller_vat_id", "iban"):
            assert fields.get(name), (entry["file"], name)
        for name in ("issue_date", "due_date"):
            assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", fields[name])
        for name in ("total_net", "total_tax", "total_gross", "amount_due"):
            assert re.fullmatch(r"-?\d+\.\d{2}", fields[name])
        assert float(fields["total_net"]) + float(fields["total_tax"]) == \
            pytest.approx(float(fields["total_gross"]))


def test_identifiers_have_valid_check_digits():
    for entry in (e for e in EXPECTED if "fields" in e):
        fields = entry["fields"]
        assert iban_number.is_valid(fields["iban"]) and " " not in fields["iban"]
        assert vat.is_valid(fields["seller_vat_id"]) and " " not in fields["seller_vat_id"]
        if "buyer_reference" in fields:
            assert leitweg.is_valid(fields["buyer_reference"])
    for vendor in _load("vendors.yaml")["vendors"]:
        assert vat.is_valid(vendor["vat_id"])
        assert all(iban_number.is_valid(number) for number in vendor["ibans"])


# --- e-invoices and text PDFs ---------------------------------------------------------------

CII_NS = {
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
}
UBL_NS = {
    "inv": "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2",
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
}
XRECHNUNG_3 = "urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0"


def _cii_fields(xml: bytes) -> dict:
    root = etree.fromstring(xml)

    def text(path):
        return root.xpath(f"string({path})", namespaces=CII_NS)

    t = "rsm:SupplyChainTradeTransaction/"
    s = t + "ram:ApplicableHeaderTradeSettlement/"
    m = s + "ram:SpecifiedTradeSettlementHeaderMonetarySummation/"
    return {
        "guideline": text("rsm:ExchangedDocumentContext/"
                          "ram:GuidelineSpecifiedDocumentContextParameter/ram:ID"),
        "invoice_number": text("rsm:ExchangedDocument/ram:ID"),
        "buyer_reference": text(t + "ram:ApplicableHeaderTradeAgreement/ram:BuyerReference"),
        "seller_vat_id": text(t + "ram:ApplicableHeaderTradeAgreement/ram:SellerTradeParty/"
                              "ram:SpecifiedTaxRegistration/ram:ID[@schemeID='VA']"),
        "iban": text(s + "ram:SpecifiedTradeSettlementPaymentMeans/"
                     "ram:PayeePartyCreditorFinancialAccount/ram:IBANID"),
        "total_gross": text(m + "ram:GrandTotalAmount"),
        "amount_due": text(m + "ram:DuePayableAmount"),
    }


def test_xrechnung_cii_validates_against_the_xsd_and_matches_expected():
    (entry,) = BY_KIND["xrechnung-cii"]
    xml = (INVOICES / entry["file"]).read_bytes()
    assert facturx.xml_check_xsd(xml, flavor="factur-x", level="en16931")
    found = _cii_fields(xml)
    assert found.pop("guideline") == XRECHNUNG_3
    assert found == {k: entry["fields"][k] for k in found}


def test_xrechnung_ubl_validates_against_the_xsd_and_matches_expected():
    (entry,) = BY_KIND["xrechnung-ubl"]
    xml = (INVOICES / entry["file"]).read_bytes()
    assert facturx.xml_check_xsd(xml, flavor="ubl-2.1-invoice")
    root = etree.fromstring(xml)

    def text(path):
        return root.xpath(f"string({path})", namespaces=UBL_NS)

    assert text("/inv:Invoice/cbc:CustomizationID") == XRECHNUNG_3
    fields = entry["fields"]
    assert text("/inv:Invoice/cbc:ID") == fields["invoice_number"]
    assert text("/inv:Invoice/cbc:BuyerReference") == fields["buyer_reference"]
    assert text("//cac:PayeeFinancialAccount/cbc:ID") == fields["iban"]
    assert text("//cac:LegalMonetaryTotal/cbc:TaxInclusiveAmount") == fields["total_gross"]
    assert text("//cac:LegalMonetaryTotal/cbc:PayableAmount") == fields["amount_due"]
    assert fields["amount_due"] != fields["total_gross"]  # the sample with a prepaid amount


def test_zugferd_pdf_carries_its_en16931_xml():
    (entry,) = BY_KIND["zugferd"]
    name, xml = facturx.get_xml_from_pdf((INVOICES / entry["file"]).read_bytes())
    assert name == "factur-x.xml"
    assert facturx.get_level(etree.fromstring(xml)) == "en16931"
    found = _cii_fields(xml)
    assert found.pop("guideline") == "urn:cen.eu:en16931:2017"
    assert found == {k: entry["fields"][k] for k in found}


def test_text_pdfs_carry_their_fields_in_the_text_layer():
    for entry in BY_KIND["pdf-text"] + BY_KIND["zugferd"]:
        text = "".join(page.extract_text() for page in PdfReader(INVOICES / entry["file"]).pages)
        fields = entry["fields"]
        assert fields["invoice_number"] in text
        assert _german_amount(fields["total_gross"]) in text
        assert fields["seller_vat_id"] in text


# --- damaged inputs ---------------------------------------------------------------------

def test_encrypted_pdf_needs_its_password():
    reader = PdfReader(INVOICES / "passwort.pdf")
    assert reader.is_encrypted
    assert reader.decrypt("") == PasswordType.NOT_DECRYPTED
    assert reader.decrypt(USER_PASSWORD) != PasswordType.NOT_DECRYPTED
    assert "Rechnung" in reader.pages[0].extract_text()


def test_truncated_and_empty_pdfs_cannot_be_read():
    assert (INVOICES / "leer.pdf").stat().st_size == 0
    truncated = (INVOICES / "abgeschnitten.pdf").read_bytes()
    assert truncated.startswith(b"%PDF-") and b"%%EOF" not in truncated
    with pytest.raises(PdfReadError):
        reader = PdfReader(io.BytesIO(truncated))
        [page.extract_text() for page in reader.pages]


def test_docx_is_a_real_word_document():
    with zipfile.ZipFile(INVOICES / "anschreiben.docx") as archive:
        assert archive.testzip() is None
        document = archive.read("word/document.xml").decode("utf-8")
    assert "Anschreiben" in document


# --- scans ------------------------------------------------------------------------------

def _scan_pages(path: Path) -> list[Image.Image]:
    if path.suffix == ".pdf":
        return convert_from_path(path, dpi=300, grayscale=True)
    with Image.open(path) as image:
        return [frame.convert("L") for frame in ImageSequence.Iterator(image)]


@pytest.mark.parametrize("entry", BY_KIND["scan"], ids=lambda e: e["file"])
def test_scans_are_legible_to_tesseract(entry, tmp_path):
    pages = _scan_pages(INVOICES / entry["file"])
    assert len(pages) == entry["pages"]
    text = ""
    for number, page in enumerate(pages):
        assert page.info.get("dpi", (300, 300))[0] == pytest.approx(300, abs=1)
        image = tmp_path / f"page{number}.png"
        page.save(image)
        text += subprocess.run(["tesseract", str(image), "-", "-l", "deu"], check=True,
                               capture_output=True, text=True, timeout=120).stdout
    fields = entry["fields"]
    assert fields["invoice_number"] in text
    assert _german_date(fields["issue_date"]) in text
    assert _german_amount(fields["total_gross"]) in text
    flat = re.sub(r"\s", "", text).upper()
    assert fields["seller_vat_id"] in flat
    # Tesseract may read a 0 as O in an IBAN; the checksum lets an extractor repair that.
    assert fields["iban"] in flat.replace("O", "0")


# --- configuration ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def ruleset():
    return load_ruleset(CONFIG / "rules.yaml", CONFIG / "caseworkers.yaml")


def _route(ruleset, fields: dict) -> str | None:
    decision = decide(ruleset, fields, today=date.today())
    assert decision.outcome in {"routed", "no_rule"}, decision.explanation
    return decision.caseworker


def test_rules_route_every_sample_as_expected(ruleset):
    for entry in (e for e in EXPECTED if "fields" in e):
        assert _route(ruleset, entry["fields"]) == entry.get("caseworker"), entry["file"]


def test_provider_rules_survive_ocr_of_the_name_alone(ruleset):
    for entry in (e for e in EXPECTED if e["outcome"] == "filed"):
        name = entry["fields"]["seller_name"]
        for variant in (name, name.upper(), name.replace(" ", "  "), name.replace("ä", "ae"),
                        name.replace("-", " ").replace("ä", "a")):
            fields = {"seller_name": variant, "total_gross": "100.00"}
            assert _route(ruleset, fields) == entry["caseworker"], variant


def test_rules_refer_to_known_caseworkers_and_teams():
    directory = _load("caseworkers.yaml")
    caseworkers = {c["id"] for c in directory["caseworkers"]}
    teams = {t["id"] for t in directory["teams"]}
    rules = _load("rules.yaml")["rules"]
    ids = [r["id"] for r in rules]
    assert len(ids) == len(set(ids)) and all(re.fullmatch(r"[a-z0-9-]+", i) for i in ids)
    for rule in rules:
        assert rule.get("route_to") in caseworkers or rule.get("route_to_team") in teams
    for person in directory["caseworkers"]:
        assert person["team"] in teams
        assert set(person.get("deputies", [])) <= caseworkers - {person["id"]}


def test_no_absence_changes_the_samples_routing():
    for person in _load("caseworkers.yaml")["caseworkers"]:
        for absence in person.get("absences", []):
            assert absence["from"] <= absence["to"] < date.today()


def test_vendors_match_the_samples():
    vendors = {v["id"]: v for v in _load("vendors.yaml")["vendors"]}
    for entry in (e for e in EXPECTED if "vendor" in e):
        vendor = vendors[entry["vendor"]]
        assert vendor["vat_id"] == entry["fields"]["seller_vat_id"]
        assert entry["fields"]["iban"] in vendor["ibans"]
        assert vendor["name"] == entry["fields"]["seller_name"]
    unknown = [e for e in EXPECTED if e.get("reason") == "no_rule"]
    assert unknown and all("vendor" not in e for e in unknown)
    known_vat_ids = {v["vat_id"] for v in vendors.values()}
    assert all(e["fields"]["seller_vat_id"] not in known_vat_ids for e in unknown)
