"""The scan path on degraded scans of the corpus: accuracy, honest confidence, speed, memory.

Every PDF of ../shared/corpus is rendered to 300-dpi grayscale pages, degraded like a
registry scan (seeded: rotation within +-2 degrees, gray paper, grain, blur, JPEG; one
document in eight turned by 90, 180 or 270 degrees, one in five with dark scanner borders),
and saved as an image-only PDF: no text layer, no embedded XML. The scan path
(ocr.read.read_documents + ocr.extract.extract) reads them; bare `tesseract` reads the
same page images in the same run, in alternating chunks, both on all cores.

Printed: per-field accuracy on the fields each page shows (German-language invoices and
the others; a group of renderings of one invoice weighs 1), the share of fields with
confidence >= 0.9 that are right (and each confidence band), pages per minute of the scan
path and of bare Tesseract, documents the quality gate refused (must be none), peak
memory (PSS of this process and all its descendants) over the run and for one 30-page scan.

    .venv/bin/python bench/ocr.py [--corpus DIR] [--jobs N] [--limit N] [--misses]
                                  [--steps borders,orientation,deskew] [--work DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import img2pdf
import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.corpus import no_corpus, truth_rows  # noqa: E402
from bench.memory import PeakMemory  # noqa: E402
from ocr.extract import extract  # noqa: E402
from ocr.model import FIELD_NAMES, ReadError  # noqa: E402
from ocr.pool import default_jobs  # noqa: E402
from ocr.preprocess import DEFAULT_STEPS, STEPS  # noqa: E402
from ocr.read import read_documents  # noqa: E402
from ocr.tesseract import OPTIONS  # noqa: E402

DPI = 300
SEED = 20260301
CHUNK = 8  # documents per alternation of scan path and bare Tesseract
HIGH = 0.9
BANDS = ((0.9, 1.01), (0.7, 0.9), (0.5, 0.7), (0.0, 0.5))
MEMORY_PAGES = 30


# --- degraded scans ----------------------------------------------------------------------


@dataclass(frozen=True)
class Degradation:
    """How one document is spoiled; all drawn from one seeded generator per document."""

    angles: tuple[float, ...]
    paper: float
    ink: float
    grain: float
    blur: float
    jpeg: int
    turn: int
    border: int
    seed: int


def degradation(seed: int, pages: int) -> Degradation:
    rng = np.random.default_rng(seed)
    turn = int(rng.choice([0, 90, 180, 270], p=[0.875, 0.0417, 0.0417, 0.0416]))
    return Degradation(
        angles=tuple(float(a) for a in rng.uniform(-2.0, 2.0, pages)),
        paper=float(rng.uniform(200, 240)), ink=float(rng.uniform(20, 60)),
        grain=float(rng.uniform(3, 10)), blur=float(rng.uniform(0.3, 1.1)),
        jpeg=int(rng.integers(55, 86)), turn=turn,
        border=int(rng.integers(25, 70)) if rng.random() < 0.2 else 0, seed=seed,
    )


def degrade(page: np.ndarray, how: Degradation, index: int) -> bytes:
    """One clean 300-dpi page as a scanner delivers it: a JPEG."""
    rng = np.random.default_rng(how.seed * 100 + index)
    height, width = page.shape
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), how.angles[index], 1.0)
    page = cv2.warpAffine(page, matrix, (width, height), flags=cv2.INTER_CUBIC,
                          borderMode=cv2.BORDER_CONSTANT, borderValue=255)
    pixels = how.paper - (255.0 - page.astype(np.float32)) * (how.paper - how.ink) / 255.0
    pixels = cv2.GaussianBlur(pixels, (0, 0), how.blur)
    pixels += rng.normal(0.0, how.grain, pixels.shape).astype(np.float32)
    if how.border:
        pixels[:, : how.border] = rng.uniform(15, 45)  # the scanner lid beyond the paper
        pixels[-how.border // 2 :, :] = rng.uniform(15, 45)
    image = np.clip(pixels, 0, 255).astype(np.uint8)
    if how.turn:
        image = np.ascontiguousarray(np.rot90(image, -how.turn // 90))
    ok, jpeg = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, how.jpeg])
    assert ok
    return jpeg.tobytes()


def render(pdf: Path) -> list[np.ndarray]:
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(["pdftoppm", "-r", str(DPI), "-gray", str(pdf), f"{folder}/p"],
                       check=True, capture_output=True)
        return [cv2.imread(str(p), cv2.IMREAD_GRAYSCALE) for p in sorted(Path(folder).iterdir())]


@dataclass
class Scan:
    row: dict
    jpegs: list[bytes]
    pdf: bytes


def make_scan(corpus: Path, row: dict, number: int, work: Path | None) -> Scan:
    cached = work / f"{number:03d}.json" if work else None
    if cached and cached.exists():
        names = json.loads(cached.read_text())
        jpegs = [(work / name).read_bytes() for name in names]
    else:
        pages = render(corpus / row["file"])
        how = degradation(SEED + number, len(pages))
        jpegs = [degrade(page, how, index) for index, page in enumerate(pages)]
        if work:
            names = [f"{number:03d}-{i}.jpg" for i in range(len(jpegs))]
            for name, jpeg in zip(names, jpegs, strict=True):
                (work / name).write_bytes(jpeg)
            cached.write_text(json.dumps(names))
    layout = img2pdf.get_fixed_dpi_layout_fun((DPI, DPI))
    return Scan(row, jpegs, img2pdf.convert(jpegs, layout_fun=layout))


# --- running -----------------------------------------------------------------------------


@dataclass
class Timing:
    scan_s: float = 0.0
    bare_s: float = 0.0
    pages: int = 0


def bare_tesseract(jpegs: list[bytes], jobs: int, lang: str) -> float:
    """Seconds bare Tesseract takes for the pages, `jobs` at once, OpenMP off as ours."""
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    with tempfile.TemporaryDirectory() as folder:
        paths = []
        for index, jpeg in enumerate(jpegs):
            path = Path(folder) / f"{index}.jpg"
            path.write_bytes(jpeg)
            paths.append(path)

        def one(path: Path) -> None:
            command = ["tesseract", str(path), str(path.with_suffix("")), "-l", lang,
                       *OPTIONS, "--dpi", str(DPI), "tsv"]
            subprocess.run(command, env=env, check=True, capture_output=True)

        started = time.perf_counter()
        with ThreadPoolExecutor(jobs) as pool:
            list(pool.map(one, paths))
        return time.perf_counter() - started


def scan_path(pdfs: list[bytes], jobs: int, steps: frozenset[str], lang: str):
    started = time.perf_counter()
    readings = read_documents(pdfs, lang=lang, jobs=jobs, steps=steps)
    results = [r if isinstance(r, ReadError) else extract(r) for r in readings]
    return results, time.perf_counter() - started


def run(scans: list[Scan], jobs: int, steps: frozenset[str], lang: str):
    timing, results = Timing(), []
    for start in range(0, len(scans), CHUNK):
        chunk = scans[start : start + CHUNK]
        pages = [jpeg for scan in chunk for jpeg in scan.jpegs]
        if (start // CHUNK) % 2:
            timing.bare_s += bare_tesseract(pages, jobs, lang)
        found, seconds = scan_path([scan.pdf for scan in chunk], jobs, steps, lang)
        timing.scan_s += seconds
        if not (start // CHUNK) % 2:
            timing.bare_s += bare_tesseract(pages, jobs, lang)
        timing.pages += len(pages)
        results += found
        print(f"  {min(start + CHUNK, len(scans))}/{len(scans)} documents", file=sys.stderr)
    return results, timing


# --- scoring -----------------------------------------------------------------------------


@dataclass
class Score:
    weight: dict = field(default_factory=lambda: defaultdict(float))
    hits: dict = field(default_factory=lambda: defaultdict(float))
    count: dict = field(default_factory=lambda: defaultdict(int))

    def add(self, name: str, right: bool, weight: float) -> None:
        self.weight[name] += weight
        self.count[name] += 1
        self.hits[name] += weight if right else 0.0

    def cell(self, name: str) -> str:
        if not self.weight[name]:
            return f"{'-':>4}  {'-':>7}"
        return f"{self.count[name]:>4}  {self.hits[name] / self.weight[name]:7.1%}"


def score(scans: list[Scan], results: list, misses: list[str]):
    groups: dict[str, int] = defaultdict(int)
    for scan in scans:
        groups[scan.row["group"]] += 1
    german, other = Score(), Score()
    bands = {band: [0, 0] for band in BANDS}
    for scan, result in zip(scans, results, strict=True):
        row = scan.row
        target = german if row.get("language") == "de" else other
        weight = 1.0 / groups[row["group"]]
        fields = {} if isinstance(result, ReadError) else result.fields
        confidence = {} if isinstance(result, ReadError) else result.confidence
        for name in FIELD_NAMES:
            if not row.get("visible", {}).get(name):
                continue
            expected, got = row["fields"].get(name), fields.get(name)
            right = expected == got
            target.add(name, right, weight)
            if got is not None:
                band = next(b for b in BANDS if b[0] <= confidence.get(name, 0.0) < b[1])
                bands[band][0] += 1
                bands[band][1] += right
            if not right:
                misses.append(f"{row['file']}: {name} expected {expected!r} got {got!r} "
                              f"({confidence.get(name, 0):.2f})")
    return german, other, bands


def speed_lines(timing: Timing, on: str = "") -> list[str]:
    """Pages per minute of the scan path and of bare Tesseract, and their ratio."""
    ratio = timing.bare_s / timing.scan_s if timing.scan_s else 0.0
    return [f"{'scan path' + on + ':':<{16 + len(on)}}{60 * timing.pages / timing.scan_s:6.1f} "
            f"pages/min ({timing.scan_s:.0f} s)",
            f"{'bare tesseract' + on + ':':<{16 + len(on)}}{60 * timing.pages / timing.bare_s:6.1f} "
            f"pages/min ({timing.bare_s:.0f} s)",
            f"scan path / bare tesseract: {ratio:.2f}"]


def report(scans, results, timing, jobs, steps, memory, big) -> str:
    misses: list[str] = []
    german, other, bands = score(scans, results, misses)
    refused = [f"{s.row['file']}: {r} [{r.detail}]" for s, r in zip(scans, results, strict=True)
               if isinstance(r, ReadError)]
    lines = [f"{len(scans)} documents, {timing.pages} pages, {jobs} jobs, "
             f"steps: {','.join(sorted(steps)) or 'none'}", "",
             f"{'field':<16} {'n(de)':>5} {'acc(de)':>7}   {'n(oth)':>5} {'acc(oth)':>8}"]
    for name in FIELD_NAMES:
        lines.append(f"{name:<16} {german.cell(name)}   {other.cell(name)}")
    lines.append("")
    for (low, high), (found, right) in bands.items():
        share = f"{right / found:.1%}" if found else "-"
        lines.append(f"confidence {low:.1f}-{min(high, 1.0):.1f}: {found:>4} fields, "
                     f"{share} right")
    lines += [
        "",
        *speed_lines(timing),
        f"peak memory over the run: {memory:.0f} MB (PSS of this process, which holds all "
        "the scans, and its descendants)",
        f"one {MEMORY_PAGES}-page scan in a process of its own: {big[0]:.0f} MB peak (PSS, "
        f"with its workers and Tesseracts), {60 * MEMORY_PAGES / big[1]:.1f} pages/min",
        f"refused by the quality gate or unreadable: {len(refused)}",
        *refused,
    ]
    return "\n".join(lines), misses


def thirty_pages(scans: list[Scan], jobs: int, steps, lang) -> tuple[float, float]:
    """(peak MB, seconds) of reading one 30-page scan in a process of its own (so the
    benchmark's own data do not count): that process, its workers and their Tesseracts."""
    jpegs = [jpeg for scan in scans for jpeg in scan.jpegs][:MEMORY_PAGES]
    pdf = img2pdf.convert(jpegs, layout_fun=img2pdf.get_fixed_dpi_layout_fun((DPI, DPI)))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "scan.pdf"
        path.write_bytes(pdf)
        command = [sys.executable, __file__, "--read-one", str(path), "--jobs", str(jobs),
                   "--lang", lang, "--steps", ",".join(sorted(steps))]
        started = time.perf_counter()
        child = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
        with PeakMemory(child.pid) as peak:
            output, _ = child.communicate()
        seconds = time.perf_counter() - started
    if child.returncode != 0:
        raise SystemExit(f"the {MEMORY_PAGES}-page scan was not read: {output}")
    return peak.peak, seconds


def read_one(path: Path, jobs: int, steps: frozenset[str], lang: str) -> int:
    """--read-one: read one document as the scan path does (for the memory measurement)."""
    [result] = read_documents([path.read_bytes()], lang=lang, jobs=jobs, steps=steps)
    if isinstance(result, ReadError):
        print(result)
        return 1
    extract(result)
    print(f"{result.pages} pages")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpus")
    parser.add_argument("--jobs", type=int, default=default_jobs())
    parser.add_argument("--limit", type=int, default=0, help="only the first N documents")
    parser.add_argument("--steps", default=",".join(sorted(DEFAULT_STEPS)),
                        help=f"preprocessing steps, of {','.join(STEPS)} ('' for none)")
    parser.add_argument("--lang", default="deu+eng")
    parser.add_argument("--work", type=Path, help="keep the degraded scans here (reused)")
    parser.add_argument("--misses", action="store_true", help="list every wrong field")
    parser.add_argument("--json", type=Path, help="also write the results as JSON here")
    parser.add_argument("--read-one", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    steps = frozenset(s for s in args.steps.split(",") if s)
    if not steps <= set(STEPS):
        parser.error(f"unknown steps {sorted(steps - set(STEPS))}")
    if args.read_one:
        return read_one(args.read_one, args.jobs, steps, args.lang)
    rows = truth_rows(args.corpus)
    if rows is None:
        return no_corpus(args.corpus)
    rows = [row for row in rows if row["kind"] == "zugferd-pdf"]
    rows = rows[: args.limit] if args.limit else rows
    if args.work:
        args.work.mkdir(parents=True, exist_ok=True)
    print(f"degrading {len(rows)} documents ...", file=sys.stderr)
    scans = [make_scan(args.corpus, row, n, args.work) for n, row in enumerate(rows)]
    with PeakMemory() as peak:
        results, timing = run(scans, args.jobs, steps, args.lang)
    big = thirty_pages(scans, args.jobs, steps, args.lang)
    text, misses = report(scans, results, timing, args.jobs, steps, peak.peak, big)
    print(text)
    if args.misses:
        print("\n".join(["", "misses:", *misses]))
    if args.json:
        args.json.write_text(json.dumps(
            [{"file": s.row["file"], "error": str(r)} if isinstance(r, ReadError) else
             {"file": s.row["file"], "fields": dict(r.fields), "confidence": dict(r.confidence)}
             for s, r in zip(scans, results, strict=True)], ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
