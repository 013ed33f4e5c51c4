"""The ledger's guarantees, each test run on both backends (SQLite and a real PostgreSQL)."""

import multiprocessing
import sqlite3
import time

import psycopg
import pytest

from bots.storage.database import is_postgres
from bots.storage.ledger import Ledger, document_id_for
from bots.storage.ledger_leases import STALE_SECONDS, LeaseLost
from bots.storage.liveness import owner_id
from bots.storage.schema_postgres import MIGRATIONS

pytest_plugins = ["tests.pg_fixtures"]


def _register(ledger: Ledger, sha: str, key: str):
    return ledger.register(sha256=sha, intake_key=key, source="test", original_name="a.pdf",
                           store_path="/x", size=3)


def _raw(location):
    """A connection of the database's own client, bypassing the bot's code."""
    if is_postgres(location):
        from tests.pg_server import PASSWORD
        return psycopg.connect(str(location), password=PASSWORD, autocommit=True)
    return sqlite3.connect(location)


def test_register_is_idempotent_per_intake_and_marks_duplicates(ledger_location):
    ledger = Ledger(ledger_location)
    first = _register(ledger, "a" * 64, "k1")
    again = _register(ledger, "a" * 64, "k1")
    dropped_again = _register(ledger, "a" * 64, "k2")
    assert (first.new, first.duplicate) == (True, False)
    assert (again.new, again.duplicate) == (False, False)
    assert (dropped_again.new, dropped_again.duplicate) == (True, True)
    assert [r.id for r in ledger.all_documents()] == [document_id_for("a" * 64)]


def test_transitions_are_audited_and_the_audit_is_append_only(ledger_location):
    ledger = Ledger(ledger_location)
    doc = _register(ledger, "b" * 64, "k").document_id
    ledger.transition(doc, "read", kind="scan", pages=2)
    ledger.transition(doc, "exception", reason="no_rule", reason_detail="x")
    row = ledger.get(doc)
    assert (row.state, row.kind, row.pages, row.reason) == ("exception", "scan", 2, "no_rule")
    events = [(a["event"], a["from_state"], a["to_state"]) for a in ledger.audit_rows(doc)]
    assert events == [("received", None, "received"), ("read", "received", "read"),
                      ("exception", "read", "exception")]
    db = _raw(ledger_location)
    for statement in ("UPDATE audit SET actor='x'", "DELETE FROM audit"):
        with pytest.raises((sqlite3.DatabaseError, psycopg.Error), match="append-only"):
            db.execute(statement)
    assert len(ledger.audit_rows(doc)) == 3


def test_a_state_passed_on_the_way_is_recorded_and_audited_in_the_same_commit(ledger_location):
    ledger = Ledger(ledger_location)
    doc = _register(ledger, "e" * 64, "k").document_id
    ledger.transition(doc, "extracted", invoice_json={"kind": "xrechnung-ubl"},
                      passing=("read", {"kind": "xrechnung-ubl", "pages": 0}))
    row = ledger.get(doc)
    assert (row.state, row.kind, row.pages, row.invoice) == (
        "extracted", "xrechnung-ubl", 0, {"kind": "xrechnung-ubl"})
    events = [(a["event"], a["from_state"], a["to_state"]) for a in ledger.audit_rows(doc)]
    assert events == [("received", None, "received"), ("read", "received", "read"),
                      ("extracted", "read", "extracted")]
    with pytest.raises(ValueError, match="unknown state"):
        ledger.transition(doc, "filed", passing=("geprüft", {}))
    assert ledger.get(doc).state == "extracted"


def test_related_invoices_share_the_sender_or_the_number_wildcards_taken_literally(
        ledger_location):
    ledger = Ledger(ledger_location)
    keys = {"1": "DE811234565|R-1", "2": "DE811234565|R-2", "3": "DE298765435|R-1",
            "4": "DE298765435|R-2", "5": "DE8112345%5|R_1"}
    ids = {}
    for n, key in keys.items():
        ids[n] = _register(ledger, n * 64, n).document_id
        ledger.transition(ids[n], "extracted", invoice_json={"invoice_key": key},
                          passing=("read", {"kind": "pdf-text", "pages": 1}))
    related = {r.id for r in ledger.related_invoices("DE811234565|R-1", ids["1"])}
    assert related == {ids["2"], ids["3"]}
    assert {r.id for r in ledger.related_invoices("DE8112345%5|R_1", ids["5"])} == set()


def test_a_finished_document_keeps_no_lease_and_cannot_be_claimed(ledger_location):
    ledger = Ledger(ledger_location)
    doc = _register(ledger, "d" * 64, "k").document_id
    assert ledger.claim(doc, "host:1:1", 300)
    ledger.transition(doc, "read", kind="xrechnung-ubl", pages=0)
    assert ledger.get(doc).lease_owner == "host:1:1"  # still at work
    ledger.transition(doc, "filed", filed_path="/efile/x.pdf")
    row = ledger.get(doc)
    assert (row.lease_owner, row.lease_until, row.retry_at) == (None, None, None)
    assert not ledger.claim(doc, "host:2:2", 300)
    assert ledger.claim_next("host:2:2", 300) is None


def test_workers_claim_the_oldest_due_document_each_once(ledger_location):
    ledger, other = Ledger(ledger_location), Ledger(ledger_location)
    docs = [_register(ledger, c * 64, c).document_id for c in "123"]
    ledger.release(docs[0], owner="nobody")  # not held: no effect
    first = ledger.claim_next("host-a:1:1", 300)
    second = other.claim_next("host-b:2:2", 300)
    assert (first, second) == (docs[0], docs[1])
    ledger.release(docs[1], "host-b:2:2", retry_at=time.time() + 60)  # failed: retry later
    assert other.claim_next("host-b:2:2", 300) == docs[2]
    assert ledger.claim_next("host-c:3:3", 300) is None
    assert ledger.claim_next("host-a:1:1", 300) == docs[0]  # its own lease


def test_a_worker_whose_heartbeat_stopped_loses_its_leases(ledger_location, monkeypatch):
    ledger = Ledger(ledger_location)
    doc = _register(ledger, "f" * 64, "k").document_id
    ledger.heartbeat("far-host:7:1")
    assert ledger.claim_next("far-host:7:1", 900) == doc
    assert ledger.claim_next("near-host:8:1", 900) is None  # alive on another host
    assert [(w["host"], w["leases"]) for w in ledger.workers()] == [("far-host", [doc])]
    later = time.time() + STALE_SECONDS + 1  # the host went silent, its lease runs on
    monkeypatch.setattr("bots.storage.ledger_leases.time.time", lambda: later)
    assert ledger.workers() == []
    assert ledger.claim_next("near-host:8:1", 900) == doc


def test_a_worker_whose_lease_was_taken_over_records_nothing_more(ledger_location,
                                                                   monkeypatch):
    ledger, other = Ledger(ledger_location), Ledger(ledger_location)
    doc = _register(ledger, "e" * 64, "k").document_id
    ledger.heartbeat("far-host:7:1")
    assert ledger.claim_next("far-host:7:1", 900) == doc
    with ledger.fenced(doc, "far-host:7:1"):
        ledger.transition(doc, "read", kind="xrechnung-ubl", pages=1)  # still its lease
        later = time.time() + STALE_SECONDS + 1  # cut off longer than the stale time
        monkeypatch.setattr("bots.storage.ledger_leases.time.time", lambda: later)
        assert other.claim_next("near-host:8:1", 900) == doc
        for step in (lambda: ledger.transition(doc, "extracted"),
                     lambda: ledger.add_attempt(doc), lambda: ledger.check_lease(doc)):
            with pytest.raises(LeaseLost):
                step()
    assert [a["event"] for a in ledger.audit_rows(doc)] == ["received", "read"]
    row = ledger.get(doc)
    assert (row.state, row.attempts, row.lease_owner) == ("read", 0, "near-host:8:1")


def test_a_dead_worker_on_this_host_loses_its_leases_at_the_next_heartbeat(ledger_location):
    import subprocess
    import sys
    dead = subprocess.run([sys.executable, "-c", "from bots.storage.liveness import owner_id;"
                           "print(owner_id())"], capture_output=True, text=True, check=True)
    owner = dead.stdout.strip()
    ledger = Ledger(ledger_location)
    doc = _register(ledger, "9" * 64, "k").document_id
    ledger.heartbeat(owner)
    assert ledger.claim_next(owner, 900) == doc
    ledger.heartbeat(owner_id())  # the next worker on this host starts
    assert [w["owner"] for w in ledger.workers()] == [owner_id()]
    assert ledger.claim_next(owner_id(), 900) == doc


def test_ledger_survives_reopening(ledger_location):
    ledger = Ledger(ledger_location)
    doc = _register(ledger, "c" * 64, "k").document_id
    ledger.close()
    reopened = Ledger(ledger_location)
    assert reopened.get(doc).state == "received"
    assert [r.id for r in reopened.pending()] == [doc]


def test_sqlite_ledger_uses_wal(tmp_path):
    ledger = Ledger(tmp_path / "l.sqlite3")
    assert ledger._db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_unknown_state_is_refused(ledger_location):
    ledger = Ledger(ledger_location)
    doc = _register(ledger, "d" * 64, "k").document_id
    with pytest.raises(ValueError):
        ledger.transition(doc, "paid")


def _open_and_close(location) -> str:
    try:
        Ledger(location).close()
    except (sqlite3.Error, psycopg.Error) as exc:
        return repr(exc)
    return "ok"


def test_bots_starting_at_once_all_open_a_new_ledger(tmp_path):
    with multiprocessing.get_context("fork").Pool(6) as pool:
        for round_ in range(20):  # two watch services started together create it at once
            path = tmp_path / f"l{round_}.sqlite3"
            assert pool.map(_open_and_close, [path] * 6) == ["ok"] * 6


def test_bots_starting_at_once_migrate_a_new_postgresql_ledger_once(pg_cluster):
    urls = [pg_cluster.new_database() for _ in range(3)]
    # spawn, not fork: a child must never inherit the connection pool's threads
    with multiprocessing.get_context("spawn").Pool(4) as pool:
        for url in urls:
            assert pool.map(_open_and_close, [url] * 4) == ["ok"] * 4
    with _raw(urls[0]) as db:
        versions = [r[0] for r in db.execute("SELECT version FROM schema_migrations ORDER BY 1")]
    assert versions == [version for version, _, _ in MIGRATIONS]
    for url in urls:
        pg_cluster.drop_database(url)
