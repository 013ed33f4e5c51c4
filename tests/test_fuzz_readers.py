"""A short fuzz run (bench/fuzz_readers.py runs 10,000 inputs): mutated PDFs, XML and images
are read or refused with a ReadError — never another exception, never a hang."""

from bench.fuzz_readers import fuzz


def test_mutated_inputs_are_read_or_refused():
    counts = fuzz(150, 11)
    outcomes = {k: n for k, n in counts.items() if not k.startswith("seed:")}
    assert sum(outcomes.values()) == 150
    assert not [k for k in outcomes if k.startswith(("crash", "hang"))]
    assert any(k.startswith("refused:") for k in outcomes)
    assert any(k.startswith("read:") for k in outcomes)
