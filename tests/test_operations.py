"""Operator commands on a real ledger: check, report (Excel/CSV), purge, metrics, pay_by."""

from __future__ import annotations

import csv
import json
import shutil
from datetime import UTC, date, datetime, timedelta

import openpyxl
import pytest

from bots.commands.daily_report import write_report
from bots.pipeline.duedates import pay_by
from bots.storage.retention import due_for_purge, purge
from bots.wiring import open_config, open_context
from tests.conftest import SAMPLES, expected_samples, run_bot, write_bot_config

FAST_KINDS = ("xrechnung-ubl", "xrechnung-cii", "zugferd", "pdf-text")


@pytest.fixture(scope="module")
def processed(tmp_path_factory):
    """The samples that need no OCR, processed once by `run --once`."""
    root = tmp_path_factory.mktemp("ops")
    config = write_bot_config(root, settle_seconds=0.1)
    chosen = [s for s in expected_samples() if s.get("kind") in FAST_KINDS
              or s["outcome"] == "exception" and s["reason"] != "no_rule"]
    for sample in chosen:
        shutil.copy(SAMPLES / sample["file"], root / "inbox" / sample["file"])
    run_bot("--config", str(config), "run", "--once", check=True)
    return root, config, chosen


def test_pay_by_is_the_due_date_else_issue_date_plus_30_days():
    assert pay_by({"due_date": "2026-03-10", "issue_date": "2026-03-01"}) == "2026-03-10"
    assert pay_by({"due_date": None, "issue_date": "2026-03-01"}) == "2026-03-31"
    assert pay_by({"due_date": "kaputt", "issue_date": None}) is None


def test_check_prints_one_line_per_check_and_fails_on_a_missing_language(processed, tmp_path):
    root, config, _ = processed
    good = run_bot("--config", str(config), "check")
    lines = good.stdout.splitlines()
    assert good.returncode == 0, good.stdout
    assert all(line.split()[0] in ("OK", "WARN") for line in lines)
    assert any(line.startswith("OK") and "tesseract" in line for line in lines)
    bad = write_bot_config(tmp_path, extra={"ocr": {"lang": "deu+klingon"}})
    result = run_bot("--config", str(bad), "check")
    assert result.returncode == 1 and "FAIL  tesseract" in result.stdout
    assert "klingon" in result.stdout


def test_daily_report_opens_with_openpyxl_and_holds_the_counts(processed, tmp_path):
    root, config, chosen = processed
    ctx = open_context(open_config(config))
    today = datetime.now(UTC).date()
    xlsx, csvs = write_report(ctx.ledger, tmp_path, today)
    book = openpyxl.load_workbook(xlsx)
    assert book.sheetnames == ["Je Sachbearbeitung", "Ausnahmen je Grund", "Durchsatz",
                               "Zahlung fällig", "Ohne Buchungsvorschlag", "Rückgaben je Regel"]
    per_cw = {row[0]: row[2] for row in book["Je Sachbearbeitung"].iter_rows(min_row=2,
                                                                             values_only=True)}
    expected = {}
    for sample in chosen:
        if sample["outcome"] == "filed":
            expected[sample["caseworker"]] = expected.get(sample["caseworker"], 0) + 1
    assert per_cw == expected
    reasons = {row[0]: row[2] for row in book["Ausnahmen je Grund"].iter_rows(
        min_row=2, values_only=True)}
    assert reasons == {s["reason"]: 1 for s in chosen if s["outcome"] == "exception"}
    throughput = list(book["Durchsatz"].iter_rows(min_row=2, values_only=True))
    assert throughput[-1][0] == today.strftime("%d.%m.%Y")
    assert throughput[-1][1] == len(chosen)
    with csvs[0].open(encoding="utf-8-sig") as handle:
        assert next(csv.reader(handle, delimiter=";")) == ["Sachbearbeitung", "Heute abgelegt",
                                                           "Abgelegt gesamt"]


def test_report_lists_invoices_due_within_five_days(processed, tmp_path):
    root, config, _ = processed
    ctx = open_context(open_config(config))
    filed = ctx.ledger.by_state("filed")
    soon = date.fromisoformat(filed[0].pay_by) - timedelta(days=3)
    xlsx, _ = write_report(ctx.ledger, tmp_path, soon)
    rows = list(openpyxl.load_workbook(xlsx)["Zahlung fällig"].iter_rows(min_row=2,
                                                                        values_only=True))
    assert filed[0].id in [row[0] for row in rows]
    assert all(row[2] <= 5 for row in rows)


def test_metrics_textfile_counts_documents_without_personal_data(processed):
    root, config, chosen = processed
    text = (root / "var" / "metrics" / "rbot.prom").read_text()
    filed = sum(s["outcome"] == "filed" for s in chosen)
    counted = sum(float(line.rsplit(" ", 1)[1]) for line in text.splitlines()
                  if line.startswith("rbot_documents{") and 'state="filed"' in line)
    assert counted == filed
    assert "rbot_stage_seconds_count" in text
    values = {v for s in chosen for v in s.get("fields", {}).values() if v}
    assert not [v for v in values if len(v) > 4 and v in text]


def test_purge_deletes_old_copies_and_clears_personal_values(processed):
    root, config, _ = processed
    ctx = open_context(open_config(config))
    assert due_for_purge(ctx.ledger, 30) == []
    later = datetime.now(UTC) + timedelta(days=31)
    items = due_for_purge(ctx.ledger, 30, now=later)
    filed = {r.id for r in ctx.ledger.by_state("filed")}
    assert {i.document_id for i in items} == filed  # exceptions stay until a person closes them
    dry = run_bot("--config", str(config), "purge", "--dry-run", "--json", check=True)
    assert json.loads(dry.stdout) == []  # nothing is 30 days old yet
    assert purge(ctx.ledger, ctx.store, items) == len(filed)
    for doc_id in filed:
        row = ctx.ledger.get(doc_id)
        assert row.invoice is None and row.original_name == "(gelöscht)" and row.purged_at
        assert set(row.decision) == {"queue", "rule_id"} and row.caseworker
        assert not ctx.store.path_for(row.sha256).exists()
        assert ctx.ledger.audit_rows(doc_id)[-1]["event"] == "purged"
    for row in ctx.ledger.by_state("exception"):
        assert ctx.store.path_for(row.sha256).exists()
    assert due_for_purge(ctx.ledger, 30, now=later) == []


def test_a_file_beyond_the_size_limit_is_an_exception_and_kept(tmp_path):
    config = write_bot_config(tmp_path, settle_seconds=0.1,
                              extra={"limits": {"max_file_mb": 0.001}})
    sample = next(s for s in expected_samples() if s.get("kind") == "pdf-text")
    shutil.copy(SAMPLES / sample["file"], tmp_path / "inbox" / "gross.pdf")
    result = run_bot("--config", str(config), "run", "--once", "--json", check=True)
    [outcome] = json.loads(result.stdout)
    assert (outcome["outcome"], outcome["reason"]) == ("exception", "too_large")
    [kept] = (tmp_path / "var" / "quarantaene" / "registratur").glob("*/gross.pdf")
    assert kept.read_bytes() == (SAMPLES / sample["file"]).read_bytes()  # never read: moved
