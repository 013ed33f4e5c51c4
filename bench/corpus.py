"""The shared corpus's ground truth (../shared/corpus/truth.jsonl, see its README), read once
for the benchmarks and the tests that measure against it."""

from __future__ import annotations

import json
import sys
from pathlib import Path

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


def truth_rows(corpus: Path = DEFAULT_CORPUS) -> list[dict] | None:
    """The rows of the corpus's truth.jsonl; None when there is no corpus."""
    truth = Path(corpus) / "truth.jsonl"
    if not truth.is_file():
        return None
    return [json.loads(line) for line in truth.read_text(encoding="utf-8").splitlines()
            if line.strip()]


def no_corpus(corpus: Path) -> int:
    """What a benchmark says and returns when the corpus is missing."""
    print(f"no corpus at {corpus} (truth.jsonl missing)", file=sys.stderr)
    return 2
