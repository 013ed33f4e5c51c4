"""Filing targets. The DMS hot folder: the demo switched to it by one line of bot.yaml files
every sample with an index file that holds the right values, field by field; the hand-over
is exactly once when the bot is killed at each of its steps, though the DMS takes files away
in between; what the DMS refuses comes back as the exception `dms_rejected`; a queue may
have a target of its own. The file system: killed after writing, still each document once."""

from __future__ import annotations

import csv
import difflib
import io
import json
import shutil
import signal

import pytest
import yaml
from lxml import etree

from samples.catalog import INVOICES
from tests.conftest import REPO, expected_samples, run_bot, write_bot_config
from tests.handover_fixtures import (
    CSV_TEMPLATE,
    XML_TEMPLATE,
    dms_config,
    dms_import,
    document_ids,
    drop_samples,
    fast_samples,
    hotfolder,
    ledger_rows,
    run_bot_with,
)

CATALOG = {invoice.file: invoice for invoice in INVOICES}
VENDORS = {v["id"]: v for v in yaml.safe_load((REPO / "config" / "vendors.yaml").read_text(
    encoding="utf-8"))["vendors"]}
CASEWORKERS = {c["id"]: c["name"] for c in yaml.safe_load(
    (REPO / "config" / "caseworkers.yaml").read_text(encoding="utf-8"))["caseworkers"]}


def _german_date(iso: str | None) -> str:
    return f"{iso[8:10]}.{iso[5:7]}.{iso[:4]}" if iso else ""


def _german_amount(text: str | None) -> str:
    if not text:
        return ""
    whole, cents = text.split(".")
    grouped = f"{int(whole):,}".replace(",", ".")
    return f"{grouped},{cents}"


def _expected_index(sample: dict, document_id: str) -> dict[str, str]:
    """What the index of a filed sample must say, from samples/expected.json, the catalog and
    the shipped configuration."""
    fields, invoice = sample["fields"], CATALOG[sample["file"]]
    return {
        "DokumentID": document_id, "Sachbearbeitung": sample["caseworker"],
        "SachbearbeitungName": CASEWORKERS[sample["caseworker"]],
        "Rechnungsnummer": fields["invoice_number"],
        "Rechnungsdatum": _german_date(fields["issue_date"]),
        "Rechnungssteller": fields["seller_name"], "UStIdNr": fields["seller_vat_id"],
        "Kreditor": VENDORS[sample["vendor"]]["creditor_number"],
        "LeitwegID": fields.get("buyer_reference") or "",
        "Bruttobetrag": _german_amount(fields["total_gross"]),
        "Zahlbetrag": _german_amount(fields["amount_due"]), "Waehrung": fields["currency"],
        "IBAN": fields["iban"], "ZahlenBis": _german_date(fields["due_date"]),
        "Aktenzeichen": invoice.file_reference, "Leistungsberechtigte": invoice.beneficiary,
        "Eingangsform": sample["kind"], "Pruefung": "nein",
    }


def test_the_demo_switched_by_one_line_hands_each_sample_over_with_its_index(tmp_path):
    shutil.copytree(REPO / "config", tmp_path / "config")
    (tmp_path / "samples").symlink_to(REPO / "samples")
    shipped = (REPO / "config" / "bot.yaml").read_text(encoding="utf-8")
    switched = shipped.replace("  target: filesystem ", "  target: dms_hotfolder ", 1)
    changed = [line for line in difflib.unified_diff(shipped.splitlines(), switched.splitlines(),
                                                     lineterm="", n=0)
               if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    assert len(changed) == 2  # one line out, one line in
    (tmp_path / "config" / "bot.yaml").write_text(switched, encoding="utf-8")

    result = run_bot("--config", str(tmp_path / "config" / "bot.yaml"), "run", "--once",
                     "--json", "--full-names")
    assert result.returncode == 0, result.stderr
    ids = {o["file"]: o["document_id"] for o in json.loads(result.stdout)}
    dms = tmp_path / "var" / "dms" / "import"
    assert not list((tmp_path / "var").glob("efile/*/*.pdf"))
    filed = [s for s in expected_samples() if s["outcome"] == "filed"]
    assert len(list(dms.glob("*.index.xml"))) == len(filed)
    for sample in filed:
        document_id = ids[sample["file"]]
        index = etree.parse(str(dms / f"{document_id}.index.xml")).getroot()
        values = {f.get("name"): f.text or "" for f in index.iter("Feld")}
        values.pop("Eingang"), values.pop("Regel")
        expected = _expected_index(sample, document_id)
        if sample["kind"] == "scan":  # OCR may not pair a label in one column with its value
            for name in ("Aktenzeichen", "Leistungsberechtigte"):  # in another: never wrong
                assert values[name] in (expected[name], ""), (sample["file"], name)
                expected[name] = values[name]
        assert values == expected, sample["file"]
        files = {d.get("rolle"): d.text for d in index.iter("Datei")}
        assert (dms / files["Rechnung"]).read_bytes().startswith(b"%PDF")
        einvoice = sample["kind"] in ("zugferd", "xrechnung-ubl", "xrechnung-cii")
        assert ("E-Rechnung" in files) == einvoice
        if sample["kind"].startswith("xrechnung"):  # the original XML beside its readable PDF
            assert (dms / files["E-Rechnung"]).read_bytes() == \
                (REPO / "samples" / "invoices" / sample["file"]).read_bytes()


def test_the_csv_example_template_gives_one_line_per_document(tmp_path):
    config = dms_config(tmp_path, CSV_TEMPLATE, ready_marker=".ready")
    samples = [s for s in fast_samples() if s["outcome"] == "filed"]
    drop_samples(tmp_path / "inbox", samples)
    assert run_bot_with(config, "run", "--once").returncode == 0
    ids = document_ids(tmp_path)
    for sample in samples:
        document_id = ids[sample["file"]]
        text = (hotfolder(tmp_path) / f"{document_id}.index.csv").read_text(encoding="utf-8")
        [row] = list(csv.DictReader(io.StringIO(text), delimiter=";"))
        expected = _expected_index(sample, document_id)
        assert row["DokumentID"] == document_id and row["Aktion"] == "ablage"
        assert row["Datei"] == f"{document_id}.pdf"
        for column in ("Sachbearbeitung", "Rechnungsnummer", "Rechnungsdatum", "Kreditor",
                       "Bruttobetrag", "IBAN", "ZahlenBis", "Aktenzeichen",
                       "Leistungsberechtigte", "Rechnungssteller"):
            assert row[column] == expected[column], (sample["file"], column)
        assert (hotfolder(tmp_path) / f"{document_id}.ready").read_bytes() == b""


@pytest.mark.parametrize("fault", ["handover_staged", "handover_partial", "efile_written"])
def test_killed_at_each_step_of_the_hand_over_the_dms_receives_each_document_once(
        tmp_path, fault):
    config = dms_config(tmp_path, ready_marker=".ready")
    samples = fast_samples()
    drop_samples(tmp_path / "inbox", samples)
    killed = run_bot_with(config, "run", "--once", fault=fault)
    assert killed.returncode == -signal.SIGKILL
    archive = tmp_path / "dms-archive"
    dms_import(tmp_path, archive)  # the DMS takes what is complete before the bot restarts
    again = run_bot_with(config, "run", "--once")
    assert again.returncode == 0, again.stderr
    dms_import(tmp_path, archive)

    filed = dict(ledger_rows(tmp_path, "SELECT id, caseworker FROM documents"
                                       " WHERE state='filed'"))
    assert len(filed) == sum(s["outcome"] == "filed" for s in samples)
    imported = sorted(p.name.split("-", 1)[1] for p in archive.iterdir())
    assert imported == sorted(filed)  # each filed document exactly once, nothing else
    for folder in archive.iterdir():
        document_id = folder.name.split("-", 1)[1]
        names = sorted(p.name for p in folder.iterdir())
        assert f"{document_id}.pdf" in names and f"{document_id}.ready" in names
    assert list(hotfolder(tmp_path).glob("*")) == [hotfolder(tmp_path) / ".rbot-uebergabe"]
    leftovers = list((hotfolder(tmp_path) / ".rbot-uebergabe").iterdir())
    assert all(not list(p.iterdir()) for p in leftovers)  # only empty marks, no half sets
    run_bot_with(config, "status")  # a start forgets the marks the ledger has recorded
    assert not list((hotfolder(tmp_path) / ".rbot-uebergabe").iterdir())
    events = ledger_rows(tmp_path, "SELECT document_id, COUNT(*) FROM audit"
                                   " WHERE event='filed' GROUP BY document_id")
    assert all(n == 1 for _, n in events)


def test_what_the_dms_refuses_comes_back_as_dms_rejected_with_its_message(tmp_path):
    config = dms_config(tmp_path, extra={"returns": {"settle_seconds": 0}})
    sample = next(s for s in fast_samples() if s["kind"] == "xrechnung-cii")
    drop_samples(tmp_path / "inbox", [sample])
    assert run_bot_with(config, "run", "--once").returncode == 0
    [document_id] = document_ids(tmp_path).values()
    errors = tmp_path / "var" / "dms" / "fehler"
    for path in hotfolder(tmp_path).glob(f"{document_id}.*"):  # the DMS's import fails
        shutil.move(path, errors / path.name)
    (errors / f"{document_id}.err").write_text("Pflichtfeld Kreditor leer; Import abgebrochen",
                                               encoding="cp1252")
    result = run_bot_with(config, "exceptions", "list", "--json")
    assert json.loads(result.stdout) == []  # not before the bot has looked
    run_bot_with(config, "run", "--once")

    [exception] = json.loads(run_bot_with(config, "exceptions", "list", "--json").stdout)
    assert (exception["document_id"], exception["reason"]) == (document_id, "dms_rejected")
    shown = run_bot_with(config, "exceptions", "show", document_id).stdout
    assert "Meldung des DMS: Pflichtfeld Kreditor leer; Import abgebrochen" in shown
    assert not list(errors.glob(f"{document_id}*"))
    assert len(list((errors / "uebernommen").glob(f"{document_id}*"))) == 4  # kept, not lost
    events = [e for (e,) in ledger_rows(tmp_path, "SELECT event FROM audit WHERE "
                                                  "document_id=? ORDER BY id", (document_id,))]
    assert events[-2:] == ["filed", "dms_rejected"]
    proposal = ledger_rows(tmp_path, "SELECT status FROM proposals WHERE document_id=?",
                           (document_id,))
    assert proposal == []  # an exception has no posting proposal


def test_one_queue_files_into_the_dms_the_others_into_their_folders(tmp_path):
    config = write_bot_config(tmp_path, settle_seconds=0.2, extra={"filing": {
        "queues": {"wagner": "dms_hotfolder"},
        "dms_hotfolder": {"index_template": str(XML_TEMPLATE)}}})
    samples = [s for s in fast_samples() if s["kind"] in ("xrechnung-ubl", "xrechnung-cii")]
    drop_samples(tmp_path / "inbox", samples)
    assert run_bot_with(config, "run", "--once").returncode == 0
    ids = document_ids(tmp_path)
    for sample in samples:
        document_id = ids[sample["file"]]
        in_dms = (hotfolder(tmp_path) / f"{document_id}.index.xml").exists()
        in_folder = (tmp_path / "var" / "efile" / sample["caseworker"] /
                     f"{document_id}.json").exists()
        assert (in_dms, in_folder) == ((True, False) if sample["caseworker"] == "wagner"
                                       else (False, True)), sample["file"]


def test_the_file_system_target_killed_after_writing_files_each_document_once(tmp_path):
    config = write_bot_config(tmp_path, settle_seconds=0.2)
    samples = fast_samples()
    drop_samples(tmp_path / "inbox", samples)
    assert run_bot_with(config, "run", "--once", fault="efile_written").returncode == \
        -signal.SIGKILL
    assert run_bot_with(config, "run", "--once").returncode == 0
    filed = dict(ledger_rows(tmp_path, "SELECT id, caseworker FROM documents"
                                       " WHERE state='filed'"))
    on_disk = {p.stem: p.parent.name for p in (tmp_path / "var" / "efile").glob("*/*.json")}
    assert on_disk == filed and len(filed) == sum(s["outcome"] == "filed" for s in samples)
    events = ledger_rows(tmp_path, "SELECT COUNT(*) FROM audit WHERE event='filed'")
    proposals = ledger_rows(tmp_path, "SELECT COUNT(*) FROM proposals")
    assert events == proposals == [(len(filed),)]
