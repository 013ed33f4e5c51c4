"""`run_bot.py rules plan`: replaying a ledger of 1,000 documents through new rules shows what
would go elsewhere, counts and list, never changes the ledger, and stays fast."""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bots.rule_admin.plan import amount_class, format_plan, plan_change
from bots.storage.ledger import Ledger
from rules.loader import load_ruleset
from tests.conftest import REPO, run_bot, write_bot_config

RULES = REPO / "config" / "rules.yaml"
CASEWORKERS = REPO / "config" / "caseworkers.yaml"
DOCUMENTS = 1000
DAYS_SPANNED = 60  # document i came in i * 0.06 days (+ 15 minutes) ago

# (fields, queue under the shipped rules)
TEMPLATES = [
    ({"seller_vat_id": "DE811234565", "total_gross": "2294.50"}, "becker"),
    ({"seller_vat_id": "DE294875315", "total_gross": "743.58"}, "schneider"),
    ({"seller_vat_id": "DE305128747", "total_gross": "2994.29"}, "wagner"),
    ({"seller_vat_id": "DE125937461", "total_gross": "1698.03"}, "neumann"),
    ({"seller_vat_id": "DE125937461", "total_gross": "7500.00"}, "krause"),
    ({"seller_vat_id": "DE268453192", "total_gross": "539.74"}, "yilmaz"),
    ({"seller_vat_id": "DE341209871", "total_gross": "736.75"}, "no_rule"),
    ({"seller_name": "Wohnverbund Am Park e.V.", "buyer_reference": "05999-7120-95"},
     "team:eingliederungshilfe"),
]


def _age(index: int) -> timedelta:
    return timedelta(days=index * DAYS_SPANNED / DOCUMENTS, minutes=15)


def _unreadable(index: int) -> bool:
    return index % 50 == 49


def build_ledger(path: Path, now: datetime) -> None:
    """1,000 documents through the ledger's API (fields only, no OCR), then backdated."""
    ledger = Ledger(path)
    ledger._db.execute("PRAGMA synchronous=OFF")  # test speed only; the bot keeps FULL
    received = []
    for index in range(DOCUMENTS):
        sha = hashlib.sha256(f"document {index}".encode()).hexdigest()
        receipt = ledger.register(sha256=sha, intake_key=f"test:{index}", source="registratur",
                                  original_name=f"rechnung-{index}.pdf", store_path=sha,
                                  size=1000)
        if _unreadable(index):
            ledger.transition(receipt.document_id, "exception", reason="unreadable")
        else:
            fields, queue = TEMPLATES[index % len(TEMPLATES)]
            invoice = {"kind": "pdf-text", "pages": 1, "fields": fields,
                       "extra": {"document_type_code": "380"}}
            ledger.transition(receipt.document_id, "extracted", invoice_json=invoice)
            ledger.transition(receipt.document_id, "filed", caseworker=queue)
        received.append(((now - _age(index)).isoformat(timespec="seconds"),
                         receipt.document_id))
    ledger.close()
    with sqlite3.connect(path) as db:
        db.executemany("UPDATE documents SET received_at=? WHERE id=?", received)
    db.close()


@pytest.fixture(scope="module")
def ledger_config(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("plan")
    config = write_bot_config(root)
    build_ledger(root / "var" / "ledger.sqlite3", datetime.now(UTC))
    return config


def _ledger(config: Path) -> Path:
    return config.parent.parent / "var" / "ledger.sqlite3"


def _new_rules(folder: Path) -> Path:
    """Haus Abendrot to schneider, a rule for Regenbogen, no four-eyes rule for Vogt."""
    text = RULES.read_text(encoding="utf-8").replace("route_to: wagner", "route_to: schneider")
    start = text.index("  - id: vogt-ab-5000-euro")
    text = text[:start] + text[text.index("  # --- 100:"):]
    text += ("\n  - id: regenbogen\n    name: Betreuungsdienst Regenbogen\n    priority: 100\n"
             "    when: {field: seller_vat_id, equals: DE341209871}\n    route_to: hoffmann\n")
    path = folder / "new-rules.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _expected_moves(days: int) -> Counter:
    changes = {"wagner": "schneider", "krause": "neumann", "no_rule": "hoffmann"}
    moves = Counter()
    for index in range(DOCUMENTS):
        queue = TEMPLATES[index % len(TEMPLATES)][1]
        if _age(index) < timedelta(days=days) and not _unreadable(index) and queue in changes:
            moves[(queue, changes[queue])] += 1
    return moves


def _unchanged(ledger: Path, before: str) -> bool:
    """The database file has the same bytes, and nothing waits in its write-ahead log (a
    read-only reader may leave an empty -wal and the -shm index behind)."""
    wal = ledger.with_name(ledger.name + "-wal")
    return (hashlib.sha256(ledger.read_bytes()).hexdigest() == before
            and (not wal.exists() or wal.stat().st_size == 0))


def test_plan_counts_and_lists_what_would_go_elsewhere(ledger_config: Path, tmp_path) -> None:
    ledger = _ledger(ledger_config)
    before = hashlib.sha256(ledger.read_bytes()).hexdigest()
    result = run_bot("--config", str(ledger_config), "rules", "plan",
                     str(_new_rules(tmp_path)), "--json", timeout=60)
    assert result.returncode == 0, result.stderr
    plan = json.loads(result.stdout)
    expected = _expected_moves(30)
    assert {(c["old"], c["new"]): c["documents"] for c in plan["counts"]} == dict(expected)
    in_window = sum(_age(i) < timedelta(days=30) for i in range(DOCUMENTS))
    skipped = sum(_age(i) < timedelta(days=30) and _unreadable(i) for i in range(DOCUMENTS))
    assert (plan["replayed"], plan["skipped"]) == (in_window - skipped, skipped)
    assert plan["changed"] == len(plan["documents"]) == sum(expected.values())
    by_id = {d["document_id"]: d for d in plan["documents"]}
    moved_krause = [d for d in by_id.values() if d["old"] == "krause"]
    assert {(d["old_rule"], d["new_rule"]) for d in moved_krause} == {
        ("vogt-ab-5000-euro", "sanitaetshaus-vogt")}
    assert _unchanged(ledger, before)


def test_plan_text_for_administrators_and_the_days_option(ledger_config, tmp_path) -> None:
    plan = plan_change(_ledger(ledger_config), load_ruleset(RULES, CASEWORKERS),
                       load_ruleset(_new_rules(tmp_path), CASEWORKERS), days=10)
    text = format_plan(plan, {"current_rules": "config/rules.yaml",
                              "new_rules": "new-rules.yaml", "caseworkers": "caseworkers.yaml"})
    expected = _expected_moves(10)
    assert f"{sum(expected.values())} Dokumente gingen mit den neuen Regeln woanders hin" in text
    for (old, new), count in expected.items():
        assert any(line.split() == [old, new, str(count)] for line in text.splitlines()), \
            (old, new, count)
    assert "Dokument          Eingang" in text
    assert "regenbogen" in text  # the deciding rule of the moved documents


def test_plan_replays_each_document_on_the_day_it_came_in(ledger_config, tmp_path) -> None:
    """A new directory in which Anna Becker was away the last 10 days: only Lebenshilfe's
    invoices of those days would have gone to her deputy."""
    now = datetime.now(UTC)
    start = (now - timedelta(days=10)).astimezone().date()
    directory = CASEWORKERS.read_text(encoding="utf-8").replace(
        "      - {from: 2025-07-14, to: 2025-08-01}",
        f"      - {{from: {start.isoformat()}, to: {now.date() + timedelta(days=1)}}}")
    path = tmp_path / "caseworkers.yaml"
    path.write_text(directory, encoding="utf-8")
    ruleset = load_ruleset(RULES, CASEWORKERS)
    plan = plan_change(_ledger(ledger_config), ruleset,
                       load_ruleset(RULES, path), days=30, now=now)
    assert {(m.old, m.new) for m in plan.moves} == {("becker", "hoffmann")}
    days_in = {datetime.fromisoformat(m.received_at).astimezone().date() for m in plan.moves}
    assert min(days_in) >= start
    assert len(plan.moves) in range(18, 25)  # 10 days of 1,000 over 60 days, one in 8


def test_plan_of_1000_documents_is_fast(ledger_config) -> None:
    ledger = _ledger(ledger_config)
    current = load_ruleset(RULES, CASEWORKERS)
    started = time.perf_counter()
    plan = plan_change(ledger, current, current, days=DAYS_SPANNED + 1)
    seconds = time.perf_counter() - started
    assert plan.replayed + plan.skipped == DOCUMENTS and not plan.moves
    print(f"rules plan: {DOCUMENTS} documents replayed in {seconds * 1000:.0f} ms")
    assert seconds < 1.0


def test_invalid_new_rules_print_file_line_and_exit_2(ledger_config, tmp_path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("rules:\n  - id: x\n    name: X\n    when: {field: seller_vat, "
                      "equals: DE1}\n    route_to: becker\n", encoding="utf-8")
    result = run_bot("--config", str(ledger_config), "rules", "plan", str(broken), timeout=60)
    assert result.returncode == 2
    assert f"{broken}:4: unbekanntes Feld „seller_vat“" in result.stderr
    assert result.stdout == ""


def test_plan_says_when_a_new_custom_field_is_not_in_the_stored_documents(ledger_config,
                                                                        tmp_path) -> None:
    text = RULES.read_text(encoding="utf-8").replace(
        "custom_fields:\n", "custom_fields:\n  - name: kundennummer\n    labels: [Kundennummer]\n",
        1)
    path = tmp_path / "with-field.yaml"
    path.write_text(text, encoding="utf-8")
    plan = plan_change(_ledger(ledger_config), load_ruleset(RULES, CASEWORKERS),
                       load_ruleset(path, CASEWORKERS), days=30)
    assert not plan.moves
    assert len(plan.notes) == 1 and plan.notes[0].startswith("Das Zusatzfeld „kundennummer“ ist neu")


def test_plan_names_file_provider_and_amount_class_and_fails_on_new_exceptions(
        ledger_config, tmp_path) -> None:
    """Without the Lebenshilfe rule its invoices would find no rule: exit 1, and each moved
    document is shown with its masked file name, provider and amount class."""
    text = RULES.read_text(encoding="utf-8")
    start = text.index("  - id: lebenshilfe-nordstadt")
    end = text.index("  - id:", start + 10)
    without = tmp_path / "without-lebenshilfe.yaml"
    without.write_text(text[:start] + text[end:], encoding="utf-8")
    result = run_bot("--config", str(ledger_config), "rules", "plan", str(without), timeout=60)
    assert result.returncode == 1, result.stderr
    moved = [line for line in result.stdout.splitlines() if re.match(r"[0-9a-f]{16}  ", line)]
    assert moved and all(" re….pdf " in line for line in moved)  # masked, as in the journal
    assert all(" 1.000 bis 5.000 € " in line and "no_rule" in line for line in moved)
    assert "Achtung: " in result.stdout and "zur Ausnahme" in result.stdout
    plan = plan_change(_ledger(ledger_config), load_ruleset(RULES, CASEWORKERS),
                       load_ruleset(without, CASEWORKERS), days=30)
    assert plan.new_exceptions and {m.provider for m in plan.new_exceptions} == {"–"}
    assert amount_class("499.99") == "unter 500 €" and amount_class("12000") == "ab 10.000 €"
    assert amount_class(None) == "–"
