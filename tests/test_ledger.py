import sqlite3

import pytest

from bots.storage.ledger import Ledger, document_id_for


def _register(ledger: Ledger, sha: str, key: str):
    return ledger.register(sha256=sha, intake_key=key, source="test", original_name="a.pdf",
                           store_path="/x", size=3)


def test_register_is_idempotent_per_intake_and_marks_duplicates(tmp_path):
    ledger = Ledger(tmp_path / "l.sqlite3")
    first = _register(ledger, "a" * 64, "k1")
    again = _register(ledger, "a" * 64, "k1")
    dropped_again = _register(ledger, "a" * 64, "k2")
    assert (first.new, first.duplicate) == (True, False)
    assert (again.new, again.duplicate) == (False, False)
    assert (dropped_again.new, dropped_again.duplicate) == (True, True)
    assert [r.id for r in ledger.all_documents()] == [document_id_for("a" * 64)]


def test_transitions_are_audited_and_the_audit_is_append_only(tmp_path):
    ledger = Ledger(tmp_path / "l.sqlite3")
    doc = _register(ledger, "b" * 64, "k").document_id
    ledger.transition(doc, "read", kind="scan", pages=2)
    ledger.transition(doc, "exception", reason="no_rule", reason_detail="x")
    row = ledger.get(doc)
    assert (row.state, row.kind, row.pages, row.reason) == ("exception", "scan", 2, "no_rule")
    events = [(a["event"], a["from_state"], a["to_state"]) for a in ledger.audit_rows(doc)]
    assert events == [("received", None, "received"), ("read", "received", "read"),
                      ("exception", "read", "exception")]
    db = sqlite3.connect(tmp_path / "l.sqlite3")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        db.execute("UPDATE audit SET actor='x'")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        db.execute("DELETE FROM audit")


def test_a_state_passed_on_the_way_is_recorded_and_audited_in_the_same_commit(tmp_path):
    ledger = Ledger(tmp_path / "l.sqlite3")
    doc = _register(ledger, "e" * 64, "k").document_id
    ledger.transition(doc, "extracted", invoice_json={"kind": "xrechnung-ubl"},
                      passing=("read", {"kind": "xrechnung-ubl", "pages": 0}))
    row = ledger.get(doc)
    assert (row.state, row.kind, row.pages) == ("extracted", "xrechnung-ubl", 0)
    events = [(a["event"], a["from_state"], a["to_state"]) for a in ledger.audit_rows(doc)]
    assert events == [("received", None, "received"), ("read", "received", "read"),
                      ("extracted", "read", "extracted")]
    with pytest.raises(ValueError, match="unknown state"):
        ledger.transition(doc, "filed", passing=("geprüft", {}))
    assert ledger.get(doc).state == "extracted"


def test_a_finished_document_keeps_no_lease_and_cannot_be_claimed(tmp_path):
    ledger = Ledger(tmp_path / "l.sqlite3")
    doc = _register(ledger, "d" * 64, "k").document_id
    assert ledger.claim(doc, "host:1:1", 300)
    ledger.transition(doc, "read", kind="xrechnung-ubl", pages=0)
    assert ledger.get(doc).lease_owner == "host:1:1"  # still at work
    ledger.transition(doc, "filed", filed_path="/efile/x.pdf")
    row = ledger.get(doc)
    assert (row.lease_owner, row.lease_until, row.retry_at) == (None, None, None)
    assert not ledger.claim(doc, "host:2:2", 300)


def test_ledger_uses_wal_and_survives_reopening(tmp_path):
    path = tmp_path / "l.sqlite3"
    ledger = Ledger(path)
    doc = _register(ledger, "c" * 64, "k").document_id
    ledger.close()
    reopened = Ledger(path)
    assert reopened.get(doc).state == "received"
    assert reopened._db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert [r.id for r in reopened.pending()] == [doc]


def test_unknown_state_is_refused(tmp_path):
    ledger = Ledger(tmp_path / "l.sqlite3")
    doc = _register(ledger, "d" * 64, "k").document_id
    with pytest.raises(ValueError):
        ledger.transition(doc, "paid")


def _open_and_close(path) -> str:
    try:
        Ledger(path).close()
    except sqlite3.Error as exc:
        return repr(exc)
    return "ok"


def test_bots_starting_at_once_all_open_a_new_ledger(tmp_path):
    import multiprocessing
    with multiprocessing.get_context("fork").Pool(6) as pool:
        for round_ in range(20):  # two watch services started together create it at once
            path = tmp_path / f"l{round_}.sqlite3"
            assert pool.map(_open_and_close, [path] * 6) == ["ok"] * 6
