"""A short run of bench/search.py on both backends: every kind of question answers what the
same question answered in Python gives (the bench stops otherwise)."""

import pytest

from bench.search import QUESTIONS, run

pytest_plugins = ["tests.pg_fixtures"]


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_each_question_finds_what_python_finds(backend, request):
    spec = "sqlite" if backend == "sqlite" else request.getfixturevalue("pg_cluster").url()
    rows = run(600, spec, rounds=1)
    assert [label for label, _, _ in rows] == list(QUESTIONS)
    hits = {label: n for label, _, n in rows}
    assert hits["Rechnungsnummer"] == 1 and hits["alles (leere Suche)"] == 600
    assert 0 < hits["Text (zwei Wörter)"] < 600
