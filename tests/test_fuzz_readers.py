"""A short fuzz run (bench/fuzz_readers.py runs 10,000 inputs): mutated PDFs, XML and images
are read or refused with a ReadError — never another exception, never a hang."""

from bench.fuzz_hostile import fuzz_names, fuzz_pages
from bench.fuzz_readers import fuzz


def test_mutated_inputs_are_read_or_refused():
    counts = fuzz(150, 11)
    outcomes = {k: n for k, n in counts.items() if not k.startswith("seed:")}
    assert sum(outcomes.values()) == 150
    assert not [k for k in outcomes if k.startswith(("crash", "hang"))]
    assert any(k.startswith("refused:") for k in outcomes)
    assert any(k.startswith("read:") for k in outcomes)


def test_hostile_names_are_taken_and_shown_clean():
    counts = fuzz_names(60, 3)  # raises on a name not taken or shown with control characters
    assert counts["taken"] + counts["ignored"] == 60 and counts["taken"] > 30


def test_the_desk_page_route_answers_hostile_pdfs_in_time():
    counts = fuzz_pages(4, 5, seconds=2.0)
    assert counts["status:404"] + counts["status:200"] == 4
    assert counts["slow"] == 0 and counts["renderers_left"] == 0
