"""The Tesseract call itself: pytesseract (as ocr.tesseract runs it) against the bare command
line, and one run asked for both TSV and Tesseract's own PDF, on the same page images.

The pages are the benchmark's degraded corpus scans (bench/ocr.py), prepared as the scan
path prepares them (upright, straight, binarised); every variant reads the same 1-bit page
files with the same options, all cores busy, in alternating rounds so that a busy machine
weighs on each alike. Printed: pages per minute of each variant and its ratio to the bare
command line.

    .venv/bin/python bench/tesseract_call.py [--corpus DIR] [--pages N] [--rounds N] [--jobs N]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import cv2
import numpy as np
import pytesseract

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.corpus import no_corpus, truth_rows  # noqa: E402
from bench.ocr import DPI, SEED, degradation, degrade, render  # noqa: E402
from ocr.pool import default_jobs  # noqa: E402
from ocr.preprocess import prepare  # noqa: E402
from ocr.tesseract import OPTIONS, TESSERACT_TIMEOUT_S, run_tsv  # noqa: E402

LANG = "deu+eng"


def pages_of(corpus: Path, count: int) -> list[np.ndarray]:
    """`count` binarised page images of degraded corpus scans, as Tesseract gets them."""
    rows = [row for row in truth_rows(corpus) if row["kind"] == "zugferd-pdf"]
    pages: list[np.ndarray] = []
    for number, row in enumerate(rows):
        clean = render(corpus / row["file"])
        how = degradation(SEED + number, len(clean))
        for index, page in enumerate(clean):
            jpeg = np.frombuffer(degrade(page, how, index), np.uint8)
            pages.append(prepare(cv2.imdecode(jpeg, cv2.IMREAD_GRAYSCALE), DPI).ocr)
            if len(pages) == count:
                return pages
    return pages


def bare(image: np.ndarray) -> str:
    """The bare command line, as before pytesseract."""
    with tempfile.TemporaryDirectory() as folder:
        page = Path(folder) / "page.pbm"
        cv2.imwrite(str(page), image)
        command = ["tesseract", str(page), str(page.with_suffix("")), "-l", LANG, *OPTIONS,
                   "--dpi", str(DPI), "tsv"]
        subprocess.run(command, env={**os.environ, "OMP_THREAD_LIMIT": "1"}, check=True,
                       capture_output=True, timeout=TESSERACT_TIMEOUT_S)
        return page.with_suffix(".tsv").read_text(encoding="utf-8")


def with_pytesseract(image: np.ndarray) -> str:
    return run_tsv(image, lang=LANG, dpi=DPI, binary=True)


def tsv_and_pdf(image: np.ndarray) -> str:
    """One pytesseract run for the word boxes and Tesseract's searchable PDF of the page."""
    with tempfile.TemporaryDirectory() as folder:
        page = Path(folder) / "page.pbm"
        cv2.imwrite(str(page), image)
        tsv, _pdf = pytesseract.run_and_get_multiple_output(
            str(page), extensions=["tsv", "pdf"], lang=LANG, timeout=TESSERACT_TIMEOUT_S)
        return tsv


VARIANTS = {"bare command line": bare, "pytesseract (tsv)": with_pytesseract,
            "pytesseract (tsv + pdf)": tsv_and_pdf}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpus")
    parser.add_argument("--pages", type=int, default=24)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=default_jobs())
    args = parser.parse_args(argv)
    if truth_rows(args.corpus) is None:
        return no_corpus(args.corpus)
    pages = pages_of(args.corpus, args.pages)
    seconds = dict.fromkeys(VARIANTS, 0.0)
    with ThreadPoolExecutor(args.jobs) as pool:
        for round_ in range(args.rounds):
            names = list(VARIANTS)[round_ % 3:] + list(VARIANTS)[: round_ % 3]
            for name in names:
                started = time.perf_counter()
                list(pool.map(VARIANTS[name], pages))
                seconds[name] += time.perf_counter() - started
    total = len(pages) * args.rounds
    same = all(bare(page) == with_pytesseract(page) for page in pages[:3])
    print(f"{len(pages)} pages x {args.rounds} rounds, {args.jobs} at once, "
          f"pytesseract {pytesseract.__version__}, Tesseract {pytesseract.get_tesseract_version()}"
          f"; same TSV from both calls: {'yes' if same else 'NO'}")
    for name, spent in seconds.items():
        print(f"{name:<24} {60 * total / spent:6.1f} pages/min  "
              f"x{seconds['bare command line'] / spent:.2f} of the bare command line")
    return 0


if __name__ == "__main__":
    sys.exit(main())
