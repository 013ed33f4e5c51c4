"""`run_bot.py extract` on every sample agrees with samples/expected.json (the contract)."""

import json

from ocr.model import FIELD_NAMES
from tests.conftest import SAMPLES, expected_samples, run_bot


def test_extract_agrees_with_expected_json_on_every_sample():
    samples = expected_samples()
    result = run_bot("extract", *(str(SAMPLES / s["file"]) for s in samples), "--json")
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["file"] for line in lines] == [str(SAMPLES / s["file"]) for s in samples]
    mismatches = []
    for sample, line in zip(samples, lines, strict=True):
        assert list(line["fields"]) == list(FIELD_NAMES)
        if sample["outcome"] == "exception" and sample["reason"] in (
                "unreadable", "unsupported", "corrupt", "encrypted"):
            assert line["error"].startswith(sample["reason"] + ":"), sample["file"]
            assert set(line["fields"].values()) == {None}
            continue
        assert "error" not in line, (sample["file"], line.get("error"))
        assert line["kind"] == sample["kind"], sample["file"]
        mismatches += [(sample["file"], k, v, line["fields"][k])
                       for k, v in sample["fields"].items() if line["fields"][k] != v]
    assert mismatches == []
    assert result.returncode == 1  # some samples are unreadable on purpose


def test_extract_of_a_missing_file_still_prints_its_line():
    result = run_bot("extract", "/nonexistent/x.pdf", "--json")
    [line] = [json.loads(x) for x in result.stdout.splitlines()]
    assert line["error"].startswith("unreadable:") and result.returncode == 1


def test_every_e_invoice_line_carries_the_verdict_of_the_official_rules(tmp_path):
    broken = tmp_path / "ohne-leitweg-id.xml"
    broken.write_bytes((SAMPLES / "xrechnung-abendrot-2026-0461-ubl.xml").read_bytes().replace(
        b"<cbc:BuyerReference>05999-7210-19</cbc:BuyerReference>", b""))
    files = [SAMPLES / "xrechnung-dolmetscher-albers-2026-117-cii.xml", broken,
             SAMPLES / "rechnung-regenbogen-2026-031.pdf"]
    result = run_bot("extract", *map(str, files), "--json")
    valid, invalid, pdf = [json.loads(line) for line in result.stdout.splitlines()]
    assert valid["validation"] == {
        "valid": True, "errors": [], "warnings": [],
        "artefacts": {"CII": "D16B", "EN16931": "1.3.15", "XRechnung": "2.5.0",
                      "Peppol-BIS-Billing": "3.0.19", "KoSIT-Konfiguration": "2026-01-31"}}
    assert (invalid["validation"]["valid"], invalid["validation"]["errors"]) == (
        False, ["BR-DE-15"])
    assert "validation" not in pdf  # not an e-invoice
    assert result.returncode == 0
