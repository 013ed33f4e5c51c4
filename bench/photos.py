"""Phone photos of the corpus's invoices: what the scan path reads on them, level by level,
beside a clean render of the same pages.

Page 1 of every corpus PDF is rendered (300 dpi, colour) and photographed by bench/photo_set.py
at the levels mild, medium and hard (seeded: the same seed gives the same photos). The scan
path (ocr.read.read_documents + ocr.extract.extract) reads the photos and a clean 300-dpi
grayscale render of the same pages; bare `tesseract` reads the same photo files in the same
run, in alternating chunks, both on all cores.

Printed: the key fields of page 1 right per level (refusals counted as wrong; a group of
renderings of one invoice weighs 1) and as a share of the clean render's; the refusals with
the right German reason (bench/photo_set.py Shot.right_refusals: the defect's own, "unscharf"
or "verwackelt" for a lens blur over sigma 2 at 300 dpi, "Auflösung"/"zu klein" for a page
under 70 dpi); the share of fields with confidence >= 0.9
that are right; every refusal reason per level; pages per minute of the scan path and of bare
Tesseract on the photos; the peak memory of a batch of 30 photos read in a process of its own
(PSS of it, its workers and their Tesseracts).

A quarter of the invoices (every fourth group) is held out: `--set tune` (the default) never
shows them, `--set holdout` shows only them, `--set all` both.

    .venv/bin/python bench/photos.py [--corpus DIR] [--set tune|holdout|all] [--limit N]
                                     [--jobs N] [--work DIR] [--misses]
"""

from __future__ import annotations

import argparse
import io
import json
import re
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
from PIL import Image

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.corpus import no_corpus, truth_rows  # noqa: E402
from bench.memory import PeakMemory  # noqa: E402
from bench.ocr import Timing, bare_tesseract, scan_path, speed_lines  # noqa: E402
from bench.photo_set import LEVELS, Shot, photograph  # noqa: E402
from ocr.model import ReadError  # noqa: E402
from ocr.pool import default_jobs  # noqa: E402
from ocr.preprocess import DEFAULT_STEPS  # noqa: E402

SEED = 20260418
DPI = 300
HIGH = 0.9
CHUNK = 12  # photos per alternation of scan path and bare Tesseract
BATCH = 30  # photos in the memory measurement
# The fields a clerk and the rules need first: the required ones, the routing ones, the IBAN.
KEY_FIELDS = ("invoice_number", "issue_date", "total_gross", "seller_name", "seller_vat_id",
              "buyer_reference", "iban")
CONDITIONS = ("clean", *LEVELS)
CACHE_VERSION = 2  # of the photos kept in --work: older ones are made again


@dataclass
class Sample:
    """One page in one condition: the file the scan path reads, and what it shows."""

    row: dict
    condition: str
    data: bytes
    shot: Shot | None = None  # None for the clean render


def held_out(row: dict, groups: list[str]) -> bool:
    return groups.index(row["group"]) % 4 == 3


def render_first_page(pdf: Path) -> np.ndarray:
    done = subprocess.run(["pdftoppm", "-r", str(DPI), "-f", "1", "-l", "1", "-singlefile",
                           str(pdf)], check=True, capture_output=True)
    return np.asarray(Image.open(io.BytesIO(done.stdout)).convert("RGB"))


def _png(rgb: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(rgb).convert("L").save(buffer, "PNG", dpi=(DPI, DPI))
    return buffer.getvalue()


def samples_of(corpus: Path, row: dict, number: int, work: Path | None) -> list[Sample]:
    """The clean render and the photos of one invoice's first page (kept in `work`)."""
    cached = work / f"{number:03d}.json" if work else None
    meta = json.loads(cached.read_text()) if cached and cached.exists() else {}
    if meta.get("version") == CACHE_VERSION:
        files = [(work / name).read_bytes() for name in meta["files"]]
        shots = [Shot(**shot) for shot in meta["shots"]]
    else:
        page = render_first_page(corpus / row["file"])
        made = [photograph(page, DPI, level, SEED + 10 * number + index)
                for index, level in enumerate(LEVELS)]
        files = [_png(page)] + [data for data, _ in made]
        shots = [shot for _, shot in made]
        if cached:
            names = [f"{number:03d}-{condition}.bin" for condition in CONDITIONS]
            for name, data in zip(names, files, strict=True):
                (work / name).write_bytes(data)
            cached.write_text(json.dumps({"version": CACHE_VERSION, "files": names,
                                          "shots": [asdict(shot) for shot in shots]}))
    return [Sample(row, "clean", files[0])] + [
        Sample(row, level, data, shot)
        for level, data, shot in zip(LEVELS, files[1:], shots, strict=True)]


# --- running -----------------------------------------------------------------------------


def run(samples: list[Sample], jobs: int, lang: str) -> tuple[list, Timing]:
    """The scan path on every sample (results in order); on the photos timed against bare
    Tesseract on the same files, which goes first in every other chunk."""
    timing, results = Timing(), {}
    photos = [n for n, sample in enumerate(samples) if sample.shot is not None]
    clean = [n for n, sample in enumerate(samples) if sample.shot is None]
    for start in range(0, len(photos), CHUNK):
        chunk = photos[start : start + CHUNK]
        files = [samples[n].data for n in chunk]
        if (start // CHUNK) % 2:
            timing.bare_s += bare_tesseract(files, jobs, lang)
        found, seconds = scan_path(files, jobs, DEFAULT_STEPS, lang)
        timing.scan_s += seconds
        if not (start // CHUNK) % 2:
            timing.bare_s += bare_tesseract(files, jobs, lang)
        timing.pages += len(chunk)
        results.update(zip(chunk, found, strict=True))
        print(f"  {start + len(chunk)}/{len(photos)} photos", file=sys.stderr)
    found, _ = scan_path([samples[n].data for n in clean], jobs, DEFAULT_STEPS, lang)
    results.update(zip(clean, found, strict=True))
    return [results[n] for n in range(len(samples))], timing


# --- scoring -----------------------------------------------------------------------------


def problem_code(error: ReadError) -> str:
    """The quality gate's problem code of a refusal, else the read error's own code."""
    match = re.search(r"\((\w+)\)$", error.message)
    return match.group(1) if match else error.code


@dataclass
class Tally:
    weight: float = 0.0
    right: float = 0.0
    high: int = 0  # fields read with confidence >= HIGH
    high_right: int = 0
    refused: Counter = None
    right_refusals: int = 0
    wrong_refusals: int = 0

    def __post_init__(self):
        self.refused = Counter()


def _tally_fields(tally: Tally, sample: Sample, result, weight: float, misses: list) -> None:
    row = sample.row
    fields = {} if isinstance(result, ReadError) else result.fields
    confidence = {} if isinstance(result, ReadError) else result.confidence
    for name, expected in row["fields"].items():
        if not row.get("visible", {}).get(name):
            continue
        got = fields.get(name)
        if got is not None and confidence.get(name, 0.0) >= HIGH:
            tally.high += 1
            tally.high_right += got == expected
        if name in KEY_FIELDS:
            tally.weight += weight
            tally.right += weight * (got == expected)
            if got != expected:
                misses.append(f"{sample.condition:<6} {row['file']}: {name} expected "
                              f"{expected!r} got {got!r} ({confidence.get(name, 0):.2f})")


def score(samples: list[Sample], results: list, misses: list) -> dict[str, dict[str, Tally]]:
    """Tallies per condition, for all deliveries ('all') and for each one."""
    groups = Counter(sample.row["group"] for sample in samples if sample.shot is None)
    tallies: dict[str, dict[str, Tally]] = defaultdict(lambda: defaultdict(Tally))
    for sample, result in zip(samples, results, strict=True):
        weight = 1.0 / groups[sample.row["group"]]
        kinds = ("all", sample.shot.delivery) if sample.shot else ("all",)
        for kind in kinds:
            tally = tallies[sample.condition][kind]
            _tally_fields(tally, sample, result, weight, misses if kind == "all" else [])
            if isinstance(result, ReadError):
                code = problem_code(result)
                tally.refused[f"{code}: {result.detail or result.message}"] += 1
                right = sample.shot is not None and code in sample.shot.right_refusals
                tally.right_refusals += right
                tally.wrong_refusals += not right
    return tallies


# --- report ------------------------------------------------------------------------------


def _share(part: float, whole: float) -> str:
    return f"{part / whole:6.1%}" if whole else "     -"


def report(samples: list[Sample], results: list, timing: Timing, jobs: int, memory: float,
           chosen: str) -> tuple[str, list[str]]:
    misses: list[str] = []
    tallies = score(samples, results, misses)
    clean = tallies["clean"]["all"]
    clean_accuracy = clean.right / clean.weight if clean.weight else 0.0
    pages = sum(1 for sample in samples if sample.shot is None)
    lines = [f"{pages} first pages ({chosen} set), {len(samples) - pages} photos, seed {SEED}, "
             f"{jobs} jobs; key fields: {', '.join(KEY_FIELDS)}", "",
             f"{'level':<8} {'key fields':>10} {'of clean':>8}  {'refused':>7} "
             f"{'right reason':>12}  {'conf>=0.9 right':>15}"]
    for condition in CONDITIONS:
        tally = tallies[condition]["all"]
        accuracy = tally.right / tally.weight if tally.weight else 0.0
        refused = sum(tally.refused.values())
        lines.append(f"{condition:<8} {_share(tally.right, tally.weight):>10} "
                     f"{_share(accuracy, clean_accuracy):>8}  {refused:>7} "
                     f"{tally.right_refusals:>12}  {tally.high:>5} {_share(tally.high_right, tally.high)}")
    lines += ["", "by delivery (key fields right):"]
    for condition in LEVELS:
        cells = [f"{kind} {_share(t.right, t.weight).strip()} ({sum(t.refused.values())} refused)"
                 for kind, t in sorted(tallies[condition].items()) if kind != "all"]
        lines.append(f"  {condition:<8} " + ", ".join(cells))
    lines += ["", "refusals:"]
    for condition in CONDITIONS:
        for reason, count in tallies[condition]["all"].refused.most_common():
            lines.append(f"  {condition:<8} {count:>3} x {reason}")
    lines += [
        "",
        *speed_lines(timing, " on the photos"),
        f"a batch of {BATCH} photos in a process of its own: {memory:.0f} MB peak (PSS, with "
        "its workers and Tesseracts)",
    ]
    return "\n".join(lines), misses


def batch_memory(samples: list[Sample], jobs: int, lang: str) -> float:
    """Peak MB of reading BATCH photos at once in a process of its own (its workers and
    their Tesseracts included), as a bot reads a folder of photos."""
    photos = [sample.data for sample in samples if sample.shot is not None][:BATCH]
    with tempfile.TemporaryDirectory() as folder:
        for number, data in enumerate(photos):
            (Path(folder) / f"{number:02d}.jpg").write_bytes(data)
        command = [sys.executable, __file__, "--read-batch", folder, "--jobs", str(jobs),
                   "--lang", lang]
        child = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
        with PeakMemory(child.pid) as peak:
            output, _ = child.communicate()
    if child.returncode != 0:
        raise SystemExit(f"the batch of {BATCH} photos was not read: {output}")
    return peak.peak


def read_batch(folder: Path, jobs: int, lang: str) -> int:
    """--read-batch: read every file of a folder at once, as the scan path does."""
    files = [path.read_bytes() for path in sorted(folder.iterdir())]
    results, _ = scan_path(files, jobs, DEFAULT_STEPS, lang)
    print(f"{len(results)} photos")
    return 0


def choose(rows: list[dict], chosen: str) -> list[tuple[int, dict]]:
    groups = sorted({row["group"] for row in rows})
    numbered = list(enumerate(rows))
    if chosen == "all":
        return numbered
    return [(n, row) for n, row in numbered if held_out(row, groups) == (chosen == "holdout")]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpus")
    parser.add_argument("--set", dest="chosen", choices=("tune", "holdout", "all"),
                        default="tune")
    parser.add_argument("--limit", type=int, default=0, help="only the first N invoices")
    parser.add_argument("--jobs", type=int, default=default_jobs())
    parser.add_argument("--lang", default="deu+eng")
    parser.add_argument("--work", type=Path, help="keep the photos here (reused)")
    parser.add_argument("--misses", action="store_true", help="list every wrong key field")
    parser.add_argument("--read-batch", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.read_batch:
        return read_batch(args.read_batch, args.jobs, args.lang)
    rows = truth_rows(args.corpus)
    if rows is None:
        return no_corpus(args.corpus)
    chosen = choose([row for row in rows if row["kind"] == "zugferd-pdf"], args.chosen)
    chosen = chosen[: args.limit] if args.limit else chosen
    if args.work:
        args.work.mkdir(parents=True, exist_ok=True)
    print(f"photographing {len(chosen)} pages ...", file=sys.stderr)
    samples = [sample for number, row in chosen
               for sample in samples_of(args.corpus, row, number, args.work)]
    results, timing = run(samples, args.jobs, args.lang)
    memory = batch_memory(samples, args.jobs, args.lang)
    text, misses = report(samples, results, timing, args.jobs, memory, args.chosen)
    print(text)
    if args.misses:
        print("\n".join(["", "misses:", *misses]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
