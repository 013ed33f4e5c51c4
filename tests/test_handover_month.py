"""A month of invoices through everything after the decision: filed week by week with a
posting export after each week; one caseworker sends back two invoices of a care home's
residents who belong to the other department — one already exported, one not yet. A clerk
assigns the first by hand; for the second the administrator adds the missing rule and the
clerk decides it again. Then every filed invoice is exactly once in the exports, never an
exception; the returned ones left their caseworker's folder and went through the queue; the
report and `rules plan` count the returns per rule."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from datetime import date, timedelta
from pathlib import Path

from bots.commands.daily_report import report_tables
from bots.desk.actions import assign, retry
from bots.wiring import open_config, open_context
from samples.catalog import INVOICES
from samples.generate import render
from tests.conftest import REPO, write_bot_config
from tests.handover_fixtures import ledger_rows, run_bot_with

TEMPLATES = [i for i in INVOICES if i.kind != "scan"]  # read without OCR: a quick month
ABENDROT = next(i for i in TEMPLATES if i.caseworker == "wagner")
NOTE = "Bewohnerin wird in der Eingliederungshilfe geführt – bitte an Frau Becker."
MISSING_RULE = """
  - id: abendrot-eingliederungshilfe
    name: "Haus Abendrot: Bewohner der Eingliederungshilfe (Aktenzeichen 71.20-...)"
    priority: 250
    when:
      all:
        - {field: seller_vat_id, equals: "DE305128747"}
        - {field: aktenzeichen, regex: '^71\\.20-'}
    route_to: becker
    posting: {account: "5331000", cost_centre: "71200", budget_item: "05.02.01"}
"""


def _month_of_invoices(inbox: Path, week: int) -> dict[str, str | None]:
    """The invoices issued in one week of November 2026, on Tuesdays and Fridays and on the
    30th, from the sample catalog with their own numbers and dates; file name -> expected
    caseworker. The nine days take every template (day % 6); Haus Abendrot's come on the 3rd
    (exported before the return), the 27th (stays) and the 30th (not yet exported)."""
    expected = {}
    for day in range(1 + 7 * week, min(31, 8 + 7 * week)):
        issued = date(2026, 11, day)
        if issued.weekday() not in (1, 4) and day != 30:
            continue
        template = TEMPLATES[day % len(TEMPLATES)]
        if day == 30:  # a resident of the care home whose case is in Eingliederungshilfe
            template = dataclasses.replace(ABENDROT, file_reference="71.20-400001")
        invoice = dataclasses.replace(template, number=f"{template.number}-M{day:02d}",
                                      issue_date=issued, due_date=issued + timedelta(days=30),
                                      file=f"m{day:02d}-{template.file}")
        data, _ = render(invoice)
        (inbox / invoice.file).write_bytes(data)
        expected[invoice.file] = invoice.caseworker
    return expected


def _exported(root: Path) -> list[str]:
    ids = []
    for path in sorted((root / "var" / "export" / "buchung").glob("*.csv")):
        rows = csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig")), delimiter=";")
        ids += [row["Dokument-ID"] for row in rows]
    return ids


def _send_back(root: Path, caseworker: str, document_id: str) -> None:
    folder = root / "var" / "rueckgabe" / caseworker
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{document_id}.pdf").write_bytes(
        (root / "var" / "efile" / caseworker / f"{document_id}.pdf").read_bytes())
    (folder / f"{document_id}.txt").write_text(NOTE, encoding="utf-8")


def test_a_month_filed_exported_returned_and_decided_again(tmp_path):
    rules = tmp_path / "rules.yaml"
    rules.write_text((REPO / "config" / "rules.yaml").read_text(encoding="utf-8"),
                     encoding="utf-8")
    config = write_bot_config(tmp_path, settle_seconds=0.2, extra={
        "returns": {"settle_seconds": 0}, "rules": str(rules)})
    expected, exports = {}, []
    for week in range(5):
        expected |= _month_of_invoices(tmp_path / "inbox", week)
        assert run_bot_with(config, "run", "--once").returncode == 0
        if week < 4:  # the last week's invoices are not exported yet when one comes back
            export_day = (date(2026, 11, 7) + timedelta(days=7 * week)).isoformat()
            exports.append(run_bot_with(config, "proposals", "export", "--date", export_day))
    ids = dict(ledger_rows(tmp_path, "SELECT original_name, id FROM documents"))
    states = dict(ledger_rows(tmp_path, "SELECT id, state FROM documents"))
    assert all(states[ids[f]] == ("filed" if cw else "exception") for f, cw in expected.items())

    by_wagner = sorted(f for f, cw in expected.items() if cw == "wagner")
    early, late = ids[by_wagner[0]], ids[by_wagner[-1]]  # exported / not yet exported
    assert early in _exported(tmp_path) and late not in _exported(tmp_path)
    for document_id in (early, late):
        _send_back(tmp_path, "wagner", document_id)
    assert run_bot_with(config, "run", "--once").returncode == 0

    wagner = tmp_path / "var" / "efile" / "wagner"
    queue = {row["document_id"]: row for row in json.loads(
        run_bot_with(config, "exceptions", "list", "--json").stdout)}
    for document_id in (early, late):
        assert not list(wagner.glob(f"{document_id}.*"))  # out of the caseworker's folder
        assert queue[document_id]["reason"] == "returned"  # back in the queue, with the note
        assert queue[document_id]["detail"] == f"Zurückgegeben von Jan Wagner: {NOTE}"

    ctx = open_context(open_config(config))
    tables = report_tables(ctx.ledger, ctx.today())
    assert tables["Rückgaben je Regel"] == [{"Regel": "haus-abendrot",
                                             "Rückgaben am Berichtstag": 2,
                                             "Rückgaben in 30 Tagen": 2}]
    assert assign(ctx, early, "becker", actor="anna").state == "filed"  # by hand
    with rules.open("a", encoding="utf-8") as handle:  # the rule that was missing
        handle.write(MISSING_RULE)
    assert retry(ctx, late, actor="anna").queue == "becker"  # decided again by the rules
    assert run_bot_with(config, "proposals", "export", "--date", "2026-12-01").returncode == 0

    exported = _exported(tmp_path)
    filed = {ids[f] for f, cw in expected.items() if cw}
    assert sorted(exported) == sorted(filed)  # every filed invoice exactly once
    assert not {ids[f] for f, cw in expected.items() if not cw} & set(exported)
    per_caseworker = {r["Sachbearbeitung"]: r["Abgelegt gesamt"]
                      for r in report_tables(ctx.ledger, ctx.today())["Je Sachbearbeitung"]}
    wanted = {cw: sum(c == cw for c in expected.values()) for cw in set(expected.values()) if cw}
    wanted["wagner"] -= 2
    wanted["becker"] = wanted.get("becker", 0) + 2
    assert per_caseworker == wanted
    assert {p.stem for p in (tmp_path / "var" / "efile" / "becker").glob("*.pdf")} >= \
        {early, late}
    plan = json.loads(run_bot_with(config, "rules", "plan", str(rules), "--json").stdout)
    assert plan["returns"] == [{"rule_id": "haus-abendrot", "returned": 2}]
    assert all(e.returncode == 0 for e in exports)
