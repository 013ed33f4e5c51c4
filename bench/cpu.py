"""The scan path's cost in CPU seconds per page beside bare Tesseract's, on the same pages.

bench/ocr.py and bench/photos.py compare pages per minute of wall-clock time on all cores;
on a machine shared with other work that ratio moves with the others' load. CPU seconds
do not: here every page is read in this process with one job (no pool: the scan path's
Python, OpenCV and its Tesseract child are all this process's own CPU time and its waited
children's), bare `tesseract` reads the same page images with the same options, chunks
alternating which goes first. The ratio bare / scan path is the scan path's throughput
as a share of bare Tesseract's on idle cores.

Pages: bench/ocr.py's degraded 300-dpi scans of the corpus (`--pages scans`), or
bench/photos.py's phone photos (`--pages photos`, every level, tune set).

    .venv/bin/python bench/cpu.py [--pages scans|photos] [--limit N] [--work DIR]
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from itertools import islice
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.corpus import no_corpus, truth_rows  # noqa: E402
from ocr.extract import extract  # noqa: E402
from ocr.model import ReadError  # noqa: E402
from ocr.preprocess import DEFAULT_STEPS  # noqa: E402
from ocr.read import read_documents  # noqa: E402
from ocr.tesseract import OPTIONS  # noqa: E402

CHUNK = 4  # documents per alternation


def cpu_seconds() -> float:
    """CPU seconds (user + system) of this process and its waited-for children so far."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def bare_cpu(images: list[bytes], lang: str) -> float:
    """CPU seconds bare Tesseract takes for the page images, one after another."""
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    with tempfile.TemporaryDirectory() as folder:
        before = cpu_seconds()
        for index, image in enumerate(images):
            path = Path(folder) / f"{index}.jpg"
            path.write_bytes(image)
            command = ["tesseract", str(path), str(path.with_suffix("")), "-l", lang,
                       *OPTIONS, "--dpi", "300", "tsv"]
            subprocess.run(command, env=env, check=True, capture_output=True)
        return cpu_seconds() - before


def scan_cpu(documents: list[bytes], lang: str) -> tuple[float, int]:
    """CPU seconds the scan path (reading and extraction) takes, one job; and refusals."""
    before = cpu_seconds()
    readings = read_documents(documents, lang=lang, jobs=1, steps=DEFAULT_STEPS)
    refused = sum(isinstance(r, ReadError) for r in readings)
    for reading in readings:
        if not isinstance(reading, ReadError):
            extract(reading)
    return cpu_seconds() - before, refused


def scan_pages(corpus: Path, rows: list[dict], work: Path | None):
    """bench/ocr.py's degraded scans: (document, its page images) per corpus PDF."""
    from bench.ocr import make_scan

    for number, row in enumerate(rows):
        scan = make_scan(corpus, row, number, work)
        yield scan.pdf, scan.jpegs


def photo_pages(corpus: Path, rows: list[dict], work: Path | None):
    """bench/photos.py's phone photos of the tune set (each its own one-page document)."""
    from bench.photos import choose, samples_of

    for number, row in choose(rows, "tune"):
        for sample in samples_of(corpus, row, number, work):
            if sample.shot is not None:
                yield sample.data, [sample.data]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpus")
    parser.add_argument("--pages", choices=("scans", "photos"), default="scans")
    parser.add_argument("--limit", type=int, default=0, help="only the first N documents")
    parser.add_argument("--lang", default="deu+eng")
    parser.add_argument("--work", type=Path, help="keep the scans or photos here (reused)")
    args = parser.parse_args(argv)
    rows = truth_rows(args.corpus)
    if rows is None:
        return no_corpus(args.corpus)
    rows = [row for row in rows if row["kind"] == "zugferd-pdf"]
    if args.work:
        args.work.mkdir(parents=True, exist_ok=True)
    made = scan_pages if args.pages == "scans" else photo_pages
    documents = list(islice(made(args.corpus, rows, args.work), args.limit or None))
    scan_s = bare_s = 0.0
    pages = refused = 0
    started = time.perf_counter()
    for start in range(0, len(documents), CHUNK):
        chunk = documents[start : start + CHUNK]
        images = [image for _, page_images in chunk for image in page_images]
        if (start // CHUNK) % 2:
            bare_s += bare_cpu(images, args.lang)
        seconds, failed = scan_cpu([document for document, _ in chunk], args.lang)
        scan_s, refused = scan_s + seconds, refused + failed
        if not (start // CHUNK) % 2:
            bare_s += bare_cpu(images, args.lang)
        pages += len(images)
        print(f"  {start + len(chunk)}/{len(documents)} documents", file=sys.stderr)
    print(f"{len(documents)} documents ({args.pages}), {pages} pages, one job, "
          f"{time.perf_counter() - started:.0f} s on the clock; {refused} refused")
    print(f"scan path:      {scan_s / pages:5.2f} CPU s per page ({scan_s:.0f} s)")
    print(f"bare tesseract: {bare_s / pages:5.2f} CPU s per page ({bare_s:.0f} s)")
    print(f"scan path / bare tesseract (throughput per CPU second): {bare_s / scan_s:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
