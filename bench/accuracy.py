"""Per-field accuracy of ocr/ on the e-invoice corpus (../shared/corpus).

Mode (a) reads every file normally (XRechnung XML, ZUGFeRD PDF -> embedded XML) and scores
all contract fields (a field absent from the truth must come out as null). Mode (b) reads
the same PDFs through their text layer only, ignoring the embedded XML, and scores only the
fields the truth marks `visible`. Files of one `group` are one invoice in several
renderings; each group weighs 1 in total.

    .venv/bin/python bench/accuracy.py [--corpus DIR] [--misses]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.corpus import no_corpus, truth_rows  # noqa: E402
from ocr.extract import extract  # noqa: E402
from ocr.model import FIELD_NAMES, ReadError  # noqa: E402
from ocr.pdf import open_pdf  # noqa: E402
from ocr.pdftext import read_text_layer  # noqa: E402
from ocr.read import read_document  # noqa: E402

EXPECTED_KIND = {
    "zugferd-pdf": "zugferd",
    "xrechnung-ubl": "xrechnung-ubl",
    "xrechnung-cii": "xrechnung-cii",
}


@dataclass
class Score:
    """Group-weighted hits per field."""

    weight: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    hits: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    files: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    misses: list[str] = field(default_factory=list)

    def add(self, name: str, file: str, expected, got, weight: float) -> None:
        self.weight[name] += weight
        self.files[name] += 1
        if expected == got:
            self.hits[name] += weight
        else:
            self.misses.append(f"{file}: {name} expected {expected!r} got {got!r}")

    def accuracy(self, name: str) -> float | None:
        return self.hits[name] / self.weight[name] if self.weight[name] else None


def _group_weights(rows: list[dict]) -> dict[str, float]:
    sizes: dict[str, int] = defaultdict(int)
    for row in rows:
        sizes[row["group"]] += 1
    return {row["file"]: 1.0 / sizes[row["group"]] for row in rows}


def _fields_normal(path: Path) -> tuple[str, dict]:
    reading = read_document(path.read_bytes())
    return reading.kind, dict(extract(reading).fields)


def _fields_text_layer(path: Path) -> dict:
    data = path.read_bytes()
    reading = read_text_layer(data, len(open_pdf(data).pages))
    return dict(extract(reading).fields)


def score_normal(corpus: Path, rows: list[dict]) -> tuple[Score, list[str]]:
    score, problems = Score(), []
    weights = _group_weights(rows)
    for row in rows:
        try:
            kind, got = _fields_normal(corpus / row["file"])
        except ReadError as exc:
            kind, got = f"error {exc.code}", {}
            problems.append(f"{row['file']}: {exc}")
        if kind != EXPECTED_KIND[row["kind"]]:
            problems.append(f"{row['file']}: kind {kind}, expected {EXPECTED_KIND[row['kind']]}")
        for name in FIELD_NAMES:
            score.add(
                name, row["file"], row["fields"].get(name), got.get(name), weights[row["file"]]
            )
    return score, problems


def score_text_layer(corpus: Path, rows: list[dict]) -> Score:
    score = Score()
    pdfs = [row for row in rows if row["kind"] == "zugferd-pdf"]
    weights = _group_weights(pdfs)
    for row in pdfs:
        got = _fields_text_layer(corpus / row["file"])
        for name in FIELD_NAMES:
            if row.get("visible", {}).get(name):
                score.add(
                    name, row["file"], row["fields"].get(name), got.get(name), weights[row["file"]]
                )
    return score


def _cell(score: Score, name: str) -> str:
    accuracy = score.accuracy(name)
    return f"{score.files[name]:>4}  {'-' if accuracy is None else f'{accuracy:7.1%}':>7}"


def table(normal: Score, text: Score) -> str:
    rows = [f"{'field':<16} {'n(a)':>4}  {'acc(a)':>7}   {'n(b)':>4}  {'acc(b)':>7}"]
    for name in FIELD_NAMES:
        rows.append(f"{name:<16} {_cell(normal, name)}   {_cell(text, name)}")
    total_a = sum(normal.hits.values()) / max(sum(normal.weight.values()), 1e-9)
    total_b = sum(text.hits.values()) / max(sum(text.weight.values()), 1e-9)
    rows.append(
        f"{'all fields':<16} {sum(normal.files.values()):>4}  {total_a:7.1%}   "
        f"{sum(text.files.values()):>4}  {total_b:7.1%}"
    )
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpus")
    parser.add_argument("--misses", action="store_true", help="list every wrong field")
    args = parser.parse_args(argv)
    rows = truth_rows(args.corpus)
    if rows is None:
        return no_corpus(args.corpus)
    started = time.monotonic()
    normal, problems = score_normal(args.corpus, rows)
    text = score_text_layer(args.corpus, rows)
    print(f"corpus {args.corpus}: {len(rows)} files, {len({r['group'] for r in rows})} groups")
    print("(a) read normally (XML, embedded ZUGFeRD XML), all fields")
    print("(b) PDFs through their text layer only, visible fields; weighted by group\n")
    print(table(normal, text))
    print(f"\n{time.monotonic() - started:.1f} s")
    for line in problems + (normal.misses + ["--- (b)"] + text.misses if args.misses else []):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
