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
