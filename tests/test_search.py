"""The ledger's search (bots.storage.search) on both backends, SQLite and a real PostgreSQL:
each criterion alone and together, the read text, newest first, a clerk's scope, and the
text gone after retention."""

from __future__ import annotations

import hashlib
from decimal import Decimal

import pytest

from bots.storage.ledger import Ledger
from bots.storage.search import Criteria, Scope, find, save_text
from bots.storage.states import State

pytest_plugins = ["tests.pg_fixtures"]

EVERYTHING = Scope(everything=True)
OPEN = (State.EXCEPTION,)

# name, state, caseworker, fields, read text
DOCUMENTS = (
    ("diakonie-0457.pdf", State.FILED, "schneider",
     {"invoice_number": "SL-2026-0457", "seller_name": "Diakonie-Sozialstation Lindenberg gGmbH",
      "issue_date": "2026-03-02", "total_gross": "1234.50"},
     "Rechnung Nr. SL-2026-0457 Häusliche Pflege Pflegegrad 3 März"),
    ("abendrot-0461.xml", State.FILED, "wagner",
     {"invoice_number": "HA-2026-10-0461", "seller_name": "Seniorenzentrum Haus Abendrot gGmbH",
      "issue_date": "2026-04-10", "total_gross": "1881.89"}, ""),
    ("regenbogen-031.pdf", State.EXCEPTION, None,
     {"invoice_number": "RB-2026-031", "seller_name": "Betreuungsdienst Regenbogen UG",
      "issue_date": "2026-05-20", "total_gross": "99.00"},
     "Betreuungsleistungen Regenbogen Fahrtkosten"),
    ("leer.pdf", State.EXCEPTION, None, None, None),
)


@pytest.fixture
def ledger(ledger_location):
    ledger = Ledger(ledger_location)
    for number, (name, state, caseworker, fields, text) in enumerate(DOCUMENTS):
        sha = hashlib.sha256(name.encode()).hexdigest()
        doc_id = ledger.register(sha256=sha, intake_key=name, source="registratur",
                                 original_name=name, store_path=sha, size=1).document_id
        with ledger.transaction() as db:  # received one day after the other, in list order
            db.execute("UPDATE documents SET received_at=? WHERE id=?",
                       (f"2026-06-0{number + 1}T08:00:00+00:00", doc_id))
        if fields is not None:
            ledger.transition(doc_id, State.EXTRACTED, invoice_json={"fields": fields},
                              also=lambda db, doc_id=doc_id, text=text: save_text(db, doc_id, text))
        ledger.transition(doc_id, state, caseworker=caseworker)
    yield ledger
    ledger.close()


def names(ledger: Ledger, criteria: Criteria, scope: Scope = EVERYTHING) -> list[str]:
    return [ledger.get(doc_id).original_name for doc_id in find(ledger, criteria, scope)]


def test_everything_newest_first(ledger):
    assert names(ledger, Criteria()) == ["leer.pdf", "regenbogen-031.pdf", "abendrot-0461.xml",
                                         "diakonie-0457.pdf"]


def test_each_criterion(ledger):
    assert names(ledger, Criteria(number="2026-0457")) == ["diakonie-0457.pdf"]
    assert names(ledger, Criteria(number="sl 2026 0457")) == ["diakonie-0457.pdf"]
    assert names(ledger, Criteria(number="%")) == []  # typed wildcards are plain characters
    assert names(ledger, Criteria(provider="Diakonie")) == ["diakonie-0457.pdf"]
    assert names(ledger, Criteria(provider="diakoni sozialstation")) == ["diakonie-0457.pdf"]
    assert names(ledger, Criteria(provider="Abendrot")) == ["abendrot-0461.xml"]
    assert names(ledger, Criteria(amount_from=Decimal("1234.50"),
                                  amount_to=Decimal("1234.50"))) == ["diakonie-0457.pdf"]
    assert names(ledger, Criteria(amount_from=Decimal("1000"))) == ["abendrot-0461.xml",
                                                                   "diakonie-0457.pdf"]
    assert names(ledger, Criteria(amount_to=Decimal("100"))) == ["regenbogen-031.pdf"]
    assert names(ledger, Criteria(issued_from="2026-04-01", issued_to="2026-04-30")) == \
        ["abendrot-0461.xml"]
    assert names(ledger, Criteria(received_from="2026-06-02", received_to="2026-06-03")) == \
        ["regenbogen-031.pdf", "abendrot-0461.xml"]
    assert names(ledger, Criteria(caseworker="wagner")) == ["abendrot-0461.xml"]
    assert names(ledger, Criteria(states=(State.EXCEPTION,))) == ["leer.pdf",
                                                                  "regenbogen-031.pdf"]


def test_criteria_together(ledger):
    assert names(ledger, Criteria(number="2026-0457", provider="Diakonie",
                                  states=(State.FILED,))) == ["diakonie-0457.pdf"]
    assert names(ledger, Criteria(number="2026-0457", provider="Abendrot")) == []


def test_the_read_text_by_words_and_their_beginnings(ledger):
    assert names(ledger, Criteria(text="Pflegegrad")) == ["diakonie-0457.pdf"]
    assert names(ledger, Criteria(text="häusliche pflege")) == ["diakonie-0457.pdf"]
    assert names(ledger, Criteria(text="Fahrtkost")) == ["regenbogen-031.pdf"]
    assert names(ledger, Criteria(text='Pflege" OR "x')) == []  # no query syntax gets through
    assert names(ledger, Criteria(text="Zahnarzt")) == []


def test_a_clerk_finds_open_exceptions_and_her_own_work_only(ledger):
    anna = Scope(everything=False, name="anna", open_states=OPEN)
    assert names(ledger, Criteria(), anna) == ["leer.pdf", "regenbogen-031.pdf"]
    abendrot = find(ledger, Criteria(provider="Abendrot"), EVERYTHING)[0]
    ledger.audit(abendrot, "assigned", actor="anna")
    assert names(ledger, Criteria(), anna) == ["leer.pdf", "regenbogen-031.pdf",
                                               "abendrot-0461.xml"]
    assert names(ledger, Criteria(provider="Diakonie"), anna) == []


def test_retention_drops_the_read_text(ledger):
    doc_id = find(ledger, Criteria(text="Pflegegrad"), EVERYTHING)[0]
    ledger.clear_personal_data(doc_id, "(gelöscht)", "2026-12-01T00:00:00+00:00")
    assert find(ledger, Criteria(text="Pflegegrad"), EVERYTHING) == []


def test_a_new_reading_replaces_the_text(ledger):
    doc_id = find(ledger, Criteria(text="Pflegegrad"), EVERYTHING)[0]
    with ledger.transaction() as db:
        save_text(db, doc_id, "Tagespflege im April")
    assert find(ledger, Criteria(text="Pflegegrad"), EVERYTHING) == []
    assert find(ledger, Criteria(text="Tagespflege"), EVERYTHING) == [doc_id]
    assert ledger.query("SELECT COUNT(*) FROM document_text")[0][0] == 2
