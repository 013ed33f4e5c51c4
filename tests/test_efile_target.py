"""Filing: atomic, idempotent, and a broken e-file target loses nothing and files nothing twice."""

from __future__ import annotations

import io
import json
import shutil
import time

from PIL import Image
from pypdf import PdfReader

from bots.filing.pdf import image_to_pdf
from bots.intake.register import Incoming, take
from bots.pipeline.work import process_leased
from bots.wiring import open_config, open_context
from tests.conftest import SAMPLES, expected_samples, filed_files, write_bot_config


def test_a_multipage_tiff_becomes_a_pdf_with_all_pages():
    frames = [Image.new("L", (300, 400), color) for color in (255, 200, 120)]
    out = io.BytesIO()
    frames[0].save(out, format="TIFF", save_all=True, append_images=frames[1:],
                   compression="tiff_deflate")
    assert len(PdfReader(io.BytesIO(image_to_pdf(out.getvalue()))).pages) == 3


def test_rgba_png_is_filed_as_pdf_too():
    out = io.BytesIO()
    Image.new("RGBA", (200, 100), (255, 0, 0, 128)).save(out, format="PNG")
    assert image_to_pdf(out.getvalue()).startswith(b"%PDF")


def _context(tmp_path, efile_root):
    config = write_bot_config(tmp_path, extra={"efile_root": str(efile_root)})
    return open_context(open_config(config))


def test_unreachable_efile_target_keeps_the_document_decided_then_files_it_once(tmp_path):
    blocker = tmp_path / "efile-share"
    blocker.write_text("the share is not mounted: a file stands where the folder should be")
    ctx = _context(tmp_path, blocker / "efile")
    sample = next(s for s in expected_samples() if s.get("kind") == "xrechnung-cii")
    receipt = take(Incoming((SAMPLES / sample["file"]).read_bytes(), "test", sample["file"],
                            "k1"), ctx.ledger, ctx.store)

    outcome = process_leased(ctx, receipt.document_id)
    row = ctx.ledger.get(receipt.document_id)
    assert (outcome.outcome, outcome.reason) == ("pending", "efile_unavailable")
    assert (row.state, row.attempts, row.caseworker) == ("decided", 0, sample["caseworker"])
    assert ctx.ledger.pending() == []  # waits for its retry time
    assert [r.id for r in ctx.ledger.pending(now=time.time() + 3600)] == [row.id]

    blocker.unlink()  # the share is back
    ctx.ledger.release(row.id, ctx.owner, retry_at=None)
    again = process_leased(ctx, row.id)
    assert again.outcome == "filed" and again.caseworker == sample["caseworker"]
    assert filed_files(blocker / "efile") == {row.id: [sample["caseworker"]]}
    sidecar = json.loads((blocker / "efile" / sample["caseworker"] / f"{row.id}.json").read_text())
    assert sidecar["decision"]["rule_id"] and sidecar["pay_by"]
    events = [a["event"] for a in ctx.ledger.audit_rows(row.id)]
    assert events.count("filed") == 1 and events.count("decided") == 1


def test_a_decided_scan_is_not_read_again_while_the_target_is_down(tmp_path):
    from bots.storage.metrics import STAGE_SECONDS
    blocker = tmp_path / "efile-share"
    blocker.write_text("not mounted")
    ctx = _context(tmp_path, blocker / "efile")
    sample = next(s for s in expected_samples() if s.get("kind") == "scan" and s["caseworker"])
    receipt = take(Incoming((SAMPLES / sample["file"]).read_bytes(), "test", sample["file"],
                            "k1"), ctx.ledger, ctx.store)
    assert process_leased(ctx, receipt.document_id).reason == "efile_unavailable"
    reads = STAGE_SECONDS["read"][0]
    for _ in range(3):  # the retries during the outage: no OCR
        ctx.ledger.release(receipt.document_id, ctx.owner, retry_at=None)
        assert process_leased(ctx, receipt.document_id).reason == "efile_unavailable"
    assert STAGE_SECONDS["read"][0] == reads
    blocker.unlink()
    ctx.ledger.release(receipt.document_id, ctx.owner, retry_at=None)
    assert process_leased(ctx, receipt.document_id).outcome == "filed"
    assert STAGE_SECONDS["read"][0] == reads + 1  # read once more for its searchable PDF
    assert filed_files(blocker / "efile") == {receipt.document_id: [sample["caseworker"]]}


def test_a_leased_document_is_left_to_its_owner(tmp_path):
    ctx = _context(tmp_path, tmp_path / "efile")
    sample = next(s for s in expected_samples() if s.get("kind") == "xrechnung-ubl")
    shutil.copy(SAMPLES / sample["file"], tmp_path / "x.xml")
    receipt = take(Incoming((tmp_path / "x.xml").read_bytes(), "test", "x.xml", "k"),
                   ctx.ledger, ctx.store)
    assert ctx.ledger.claim(receipt.document_id, "other-process", 60)
    assert process_leased(ctx, receipt.document_id) is None
    assert ctx.ledger.pending() == []
    # the other process died: once its lease expired the document is taken over
    ctx.ledger._db.execute("UPDATE documents SET lease_until=0 WHERE id=?",
                           (receipt.document_id,))
    assert process_leased(ctx, receipt.document_id).outcome == "filed"


def test_the_lease_of_a_dead_process_on_this_host_is_taken_over_at_once(tmp_path):
    import subprocess
    import sys

    from tests.conftest import REPO
    dead_owner = subprocess.run(
        [sys.executable, "-c", "from bots.storage.liveness import owner_id; print(owner_id())"],
        cwd=REPO, capture_output=True, text=True, check=True).stdout.strip()
    ctx = _context(tmp_path, tmp_path / "efile")
    sample = next(s for s in expected_samples() if s.get("kind") == "xrechnung-ubl")
    receipt = take(Incoming((SAMPLES / sample["file"]).read_bytes(), "test", "x.xml", "k"),
                   ctx.ledger, ctx.store)
    assert ctx.ledger.claim(receipt.document_id, dead_owner, 3600)
    assert [r.id for r in ctx.ledger.pending()] == [receipt.document_id]
    assert process_leased(ctx, receipt.document_id).outcome == "filed"


def test_temporaries_of_a_killed_writer_are_removed_at_start_but_not_a_live_ones(tmp_path):
    import os

    from bots.storage.atomic import remove_stale_temporaries
    folder = tmp_path / "store" / "ab"
    folder.mkdir(parents=True)
    dead = folder / ".tmp-999999999-x1"
    alive = folder / f".tmp-{os.getpid()}-x2"
    for path in (dead, alive):
        path.write_bytes(b"half")
    assert remove_stale_temporaries(tmp_path / "store") == 1
    assert not dead.exists() and alive.exists()


def test_a_filing_group_is_written_whole_or_leaves_no_temporaries(tmp_path):
    from bots.storage.atomic import TEMP_PREFIX, write_atomic_group
    folder = tmp_path / "efile" / "becker"
    write_atomic_group(folder, [("d.pdf", b"%PDF-1"), ("d.xml", b"<x/>"), ("d.json", b"{}")])
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == {
        "d.pdf": b"%PDF-1", "d.xml": b"<x/>", "d.json": b"{}"}
    (folder / "e.json").mkdir()  # the sidecar cannot be renamed into place
    try:
        write_atomic_group(folder, [("e.pdf", b"%PDF-2"), ("e.json", b"{}")])
    except OSError:
        pass
    else:
        raise AssertionError("renaming onto a folder must fail")
    assert not list(folder.glob(f"{TEMP_PREFIX}*"))
    assert (folder / "e.json").is_dir() and (folder / "d.pdf").read_bytes() == b"%PDF-1"


def test_a_forked_bot_process_files_with_fsync_threads_of_its_own(tmp_path):
    import os
    import signal

    from bots.storage.atomic import write_atomic_group
    write_atomic_group(tmp_path, [("a.pdf", b"1"), ("a.json", b"{}")])  # threads started here
    pid = os.fork()
    if pid == 0:  # the parent's fsync threads do not exist in here
        write_atomic_group(tmp_path, [("b.pdf", b"2"), ("b.json", b"{}")])
        os._exit(0)
    deadline = time.monotonic() + 20
    while (done := os.waitpid(pid, os.WNOHANG)) == (0, 0) and time.monotonic() < deadline:
        time.sleep(0.05)
    if done == (0, 0):
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        raise AssertionError("the forked process hung filing")
    assert os.waitstatus_to_exitcode(done[1]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.json", "a.pdf", "b.json", "b.pdf"]


def test_a_team_rule_takes_turns_across_documents(tmp_path):
    """round_robin in the pipeline: the team's turns come from the ledger, so successive
    invoices go to successive present members."""
    import dataclasses

    from samples.catalog import INVOICES
    from samples.generate import render
    rules = tmp_path / "rules.yaml"
    rules.write_text("rules:\n  - id: alle-an-das-team\n    name: Alles an das Team\n"
                     "    when: {field: kind, equals: xrechnung-ubl}\n"
                     "    route_to_team: eingliederungshilfe\n", encoding="utf-8")
    config = write_bot_config(tmp_path, extra={"rules": str(rules)})
    ctx = open_context(open_config(config))
    template = next(inv for inv in INVOICES if inv.kind == "xrechnung-ubl")
    queues = []
    for n in range(4):
        data, _ = render(dataclasses.replace(template, number=f"{template.number}-T{n}"))
        receipt = take(Incoming(data, "test", f"t{n}.xml", f"k{n}"), ctx.ledger, ctx.store)
        queues.append(process_leased(ctx, receipt.document_id).caseworker)
    members = sorted(set(queues))
    assert len(members) == 2 and queues[0] != queues[1] and queues[:2] == queues[2:]
