"""Invoices sent back as misrouted: through the caseworker's return folder the invoice leaves
their e-file folder (or is marked in the DMS), re-enters the exception queue as `returned`
with the note, and the audit keeps the filing and the return — once, also when the bot is
killed in between. What the bot cannot match is set aside with a German note."""

from __future__ import annotations

import json
import shutil
import signal

import pytest
from lxml import etree

from tests.conftest import write_bot_config
from tests.handover_fixtures import (
    dms_config,
    dms_import,
    document_ids,
    drop_samples,
    fast_samples,
    hotfolder,
    ledger_rows,
    run_bot_with,
)

RETURNS = {"returns": {"settle_seconds": 0}}
NOTE = "Nicht meine Zuständigkeit: Heimbewohner, bitte an die Hilfe zur Pflege (Schneider)."


def _filed(tmp_path, config, kind="xrechnung-ubl"):
    sample = next(s for s in fast_samples() if s["kind"] == kind)
    drop_samples(tmp_path / "inbox", [sample])
    assert run_bot_with(config, "run", "--once").returncode == 0
    return sample, document_ids(tmp_path)[sample["file"]]


def _return(tmp_path, caseworker: str, document_id: str, note: str | None = NOTE,
            pdf: bool = True) -> None:
    folder = tmp_path / "var" / "rueckgabe" / caseworker
    folder.mkdir(parents=True, exist_ok=True)
    if pdf:
        (folder / f"{document_id}.pdf").write_bytes(b"%PDF- the caseworker's copy")
    if note is not None:
        (folder / f"{document_id}.txt").write_text(note, encoding="utf-8")


def _events(tmp_path, document_id: str) -> list[tuple[str, dict]]:
    return [(event, json.loads(detail)) for event, detail in ledger_rows(
        tmp_path, "SELECT event, detail_json FROM audit WHERE document_id=? ORDER BY id",
        (document_id,))]


def test_a_caseworker_sends_an_invoice_back_through_the_return_folder(tmp_path):
    config = write_bot_config(tmp_path, settle_seconds=0.2, extra=RETURNS)
    sample, document_id = _filed(tmp_path, config)
    queue = tmp_path / "var" / "efile" / sample["caseworker"]
    assert (queue / f"{document_id}.pdf").exists()
    _return(tmp_path, sample["caseworker"], document_id)
    assert run_bot_with(config, "run", "--once").returncode == 0

    assert not list(queue.glob(f"{document_id}.*"))  # out of the caseworker's folder
    [row] = json.loads(run_bot_with(config, "exceptions", "list", "--json").stdout)
    assert (row["document_id"], row["reason"]) == (document_id, "returned")
    assert row["detail"] == f"Zurückgegeben von Jan Wagner: {NOTE}"
    events = _events(tmp_path, document_id)
    assert [e for e, _ in events][-2:] == ["filed", "returned"]  # both steps kept
    returned = events[-1][1]
    assert (returned["returned_by"], returned["note"], returned["rule_id"], returned["queue"],
            returned["proposal"]) == ("wagner", NOTE, "haus-abendrot", "wagner", "withdrawn")
    assert ledger_rows(tmp_path, "SELECT * FROM proposals") == []  # not exported: withdrawn
    assert not list((tmp_path / "var" / "rueckgabe" / "wagner").glob("*.*"))


def test_what_cannot_be_matched_is_set_aside_with_a_reason(tmp_path):
    config = write_bot_config(tmp_path, settle_seconds=0.2, extra=RETURNS)
    sample, document_id = _filed(tmp_path, config)
    _return(tmp_path, "becker", document_id, note=None)  # not becker's invoice
    _return(tmp_path, "wagner", "0123456789abcdef", note=None)  # no such document
    (tmp_path / "var" / "rueckgabe" / "wagner" / "scan.pdf").write_bytes(b"%PDF-")
    assert run_bot_with(config, "run", "--once").returncode == 0

    assert (tmp_path / "var" / "efile" / "wagner" / f"{document_id}.pdf").exists()
    hints = {p.name: p.read_text(encoding="utf-8").strip() for p in
             (tmp_path / "var" / "rueckgabe").glob("*/nicht-zugeordnet/*.hinweis.txt")}
    assert hints == {
        f"{document_id}.pdf.hinweis.txt":
            f"Das Dokument {document_id} liegt nicht bei Ihnen, sondern bei Jan Wagner.",
        "0123456789abcdef.pdf.hinweis.txt": "Ein Dokument 0123456789abcdef gibt es nicht.",
        "scan.pdf.hinweis.txt": "Der Dateiname beginnt nicht mit einer Dokument-ID (16 "
                                "Zeichen, wie die Datei in der E-Akte heißt).",
    }
    assert (tmp_path / "var" / "rueckgabe" / "becker" / "nicht-zugeordnet" /
            f"{document_id}.pdf").exists()  # kept, not deleted


@pytest.mark.parametrize("target", ["filesystem", "dms_hotfolder"])
def test_killed_between_withdrawing_and_recording_the_return_completes_it_once(tmp_path,
                                                                              target):
    config = (dms_config(tmp_path, extra=RETURNS) if target == "dms_hotfolder"
              else write_bot_config(tmp_path, settle_seconds=0.2, extra=RETURNS))
    sample, document_id = _filed(tmp_path, config)
    archive = tmp_path / "dms-archive"
    if target == "dms_hotfolder":
        dms_import(tmp_path, archive)
    _return(tmp_path, sample["caseworker"], document_id, pdf=False)
    killed = run_bot_with(config, "run", "--once", fault="return_withdrawn")
    assert killed.returncode == -signal.SIGKILL
    if target == "dms_hotfolder":
        dms_import(tmp_path, archive)  # the DMS takes the mark before the bot restarts
    assert run_bot_with(config, "run", "--once").returncode == 0

    assert [e for e, _ in _events(tmp_path, document_id)].count("returned") == 1
    assert ledger_rows(tmp_path, "SELECT state, reason FROM documents") == \
        [("exception", "returned")]
    if target == "dms_hotfolder":
        dms_import(tmp_path, archive)
        marks = sorted(archive.glob("*-rueckgabe-*/*.index.xml"))
        assert len(marks) == 1  # the DMS is told once
        mark = etree.parse(str(marks[0])).getroot().find("Dokument")
        assert (mark.get("aktion"), mark.get("dokumentId")) == ("rueckgabe", document_id)
        assert mark.findtext("Vermerk") == NOTE and mark.find("Datei") is None
    else:
        assert not list((tmp_path / "var" / "efile").glob(f"*/{document_id}.*"))


def test_an_exported_proposal_stays_the_only_one_when_the_invoice_is_filed_again(tmp_path):
    from bots.desk.actions import assign
    from bots.wiring import open_config, open_context
    config = write_bot_config(tmp_path, settle_seconds=0.2, extra=RETURNS)
    sample, document_id = _filed(tmp_path, config)
    assert run_bot_with(config, "proposals", "export").returncode == 0
    _return(tmp_path, sample["caseworker"], document_id)
    run_bot_with(config, "run", "--once")
    assert _events(tmp_path, document_id)[-1][1]["proposal"] == "exported"

    ctx = open_context(open_config(config))
    result = assign(ctx, document_id, "schneider", actor="anna")
    assert (result.state, result.queue) == ("filed", "schneider")
    assert (tmp_path / "var" / "efile" / "schneider" / f"{document_id}.pdf").exists()
    assert _events(tmp_path, document_id)[-1] == ("filed", {"queue": "schneider",
                                                            "proposal": "kept"})
    export = run_bot_with(config, "proposals", "export")
    assert export.stdout.strip() == "Keine neuen Buchungsvorschläge."
    shutil.rmtree(tmp_path / "var" / "export")  # the finance system took the first export
    assert run_bot_with(config, "proposals", "export").stdout.strip() == \
        "Keine neuen Buchungsvorschläge."
    assert not hotfolder(tmp_path).exists()
