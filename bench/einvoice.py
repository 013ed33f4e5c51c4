"""E-invoices: per-field accuracy on the corpus, and how many per second the bot reads and
validates, and takes end to end (intake, read, validate, decide, render, file).

(1) accuracy: every corpus file read normally (XRechnung XML, ZUGFeRD PDF -> its XML); each
    contract field compared with ../shared/corpus/truth.jsonl (a field absent from the truth
    must be null), per file and weighted by group (a group is one invoice in several
    renderings); plus document type, credit note flag and the validation verdict.
(2) read+validated per second: read_document + extract (parse, model, fields, XML schema,
    the official Schematron of the document's scenario with Saxon-HE) on the corpus XML
    files, in --workers processes, repeated for about --seconds; each worker compiles its
    rules and reads every file once before the clock starts (compilation excluded); ZUGFeRD
    PDFs (pypdf and pdftotext per file) measured apart.
(3) end to end per second: --count unique XML e-invoices taken into a temporary store and
    ledger, then processed by --workers processes as the bot's workers do (claiming the
    oldest document due, read, validate, decide, render, file): bench/einvoice_e2e.py.

Wall-clock rates depend on what else runs on the machine (a shared machine gives the
workers less than its cores); the CPU seconds of the workers (and of a PostgreSQL server
on this machine), the rate per CPU second, and what that makes on idle cores are printed
beside them.

    .venv/bin/python bench/einvoice.py [--corpus DIR] [--seconds 5] [--count 400]
                                       [--workers 2] [--misses] [--ledger postgresql[://…]]
    .venv/bin/python bench/einvoice.py --only e2e --ledger postgresql --scaling

--ledger takes (3)'s ledger to PostgreSQL (a cluster started for the run, or a new
database on the server of a URL, see bench/pg_ledger.py); --scaling runs (3) with one
worker and with --workers and prints the ratio.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.corpus import no_corpus, truth_rows  # noqa: E402
from bench.einvoice_e2e import e2e_runs  # noqa: E402
from bench.einvoice_pool import read_and_validate, warm_pool  # noqa: E402
from bench.pg_ledger import server  # noqa: E402
from ocr.extract import extract  # noqa: E402
from ocr.model import FIELD_NAMES, ReadError  # noqa: E402
from ocr.read import read_document  # noqa: E402

# -- (1) accuracy -------------------------------------------------------------------------

def accuracy(corpus: Path, rows: list[dict]) -> tuple[str, list[str], list[str]]:
    """(table, misses, invalid files with their errors)."""
    groups: dict[str, int] = defaultdict(int)
    for row in rows:
        groups[row["group"]] += 1
    hits, files = defaultdict(int), defaultdict(int)
    weighted, weights = defaultdict(float), defaultdict(float)
    misses, invalid = [], []
    for row in rows:
        weight = 1.0 / groups[row["group"]]
        try:
            extraction = extract(read_document((corpus / row["file"]).read_bytes()))
        except ReadError as exc:
            misses.append(f"{row['file']}: {exc}")
            continue
        got = dict(extraction.fields) | {
            "document_type_code": extraction.extra["document_type_code"],
            "credit_note": extraction.extra["credit_note"]}
        expected = {name: row["fields"].get(name) for name in FIELD_NAMES} | {
            "document_type_code": row["type_code"],
            "credit_note": row["type_code"] == "381" or row.get("ubl_root") == "CreditNote"}
        for name, value in expected.items():
            files[name] += 1
            weights[name] += weight
            if got[name] == value:
                hits[name] += 1
                weighted[name] += weight
            else:
                misses.append(f"{row['file']}: {name} expected {value!r} got {got[name]!r}")
        if not extraction.extra["einvoice_valid"]:
            errors = [f"{f['rule']} {f['message']}" for f in extraction.extra["einvoice_findings"]
                      if f["severity"] == "error"]
            invalid.append(f"{row['file']}: " + " | ".join(errors))
    lines = [f"{'field':<20} {'files':>5} {'per file':>9} {'per group':>10}"]
    for name in expected:
        lines.append(f"{name:<20} {files[name]:>5} {hits[name] / files[name]:>9.1%} "
                     f"{weighted[name] / weights[name]:>10.1%}")
    total, all_hits = sum(files.values()), sum(hits.values())
    lines.append(f"{'all fields':<20} {total:>5} {all_hits / total:>9.1%} "
                 f"{sum(weighted.values()) / sum(weights.values()):>10.1%}")
    return "\n".join(lines), misses, invalid


# -- (2) read + validate --------------------------------------------------------------------

def _read_worker(args: tuple[list[bytes], float]) -> tuple[int, float]:
    blobs, seconds = args
    done, cpu_start, deadline = 0, time.process_time(), time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        for data in blobs:
            read_and_validate(data)
        done += len(blobs)
    return done, time.process_time() - cpu_start


def read_rate(blobs: list[bytes], seconds: float, workers: int) -> dict:
    """Documents per second in `workers` processes (wall) and per CPU second, compilation
    and warm-up excluded."""
    with warm_pool(workers, blobs) as pool:
        started = time.perf_counter()
        results = pool.map(_read_worker, [(blobs, seconds)] * workers, chunksize=1)
        wall = time.perf_counter() - started
    done = sum(n for n, _ in results)
    cpu = sum(c for _, c in results)
    return {"documents": done, "wall_s": wall, "per_s": done / wall,
            "per_cpu_s": done / cpu if cpu else float("nan")}


# -- main -----------------------------------------------------------------------------------

def _print_accuracy(corpus: Path, rows: list[dict], show_misses: bool) -> None:
    table, misses, invalid = accuracy(corpus, rows)
    print("(1) accuracy (contract fields, document type, credit note flag)\n" + table)
    print(f"invalid e-invoices: {len(invalid)}")
    for line in invalid + (misses if show_misses else []):
        print("  " + line)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpus")
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--count", type=int, default=400)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--misses", action="store_true", help="list every wrong field")
    parser.add_argument("--workdir", type=Path, default=REPO / "var",
                        help="where (3) keeps its temporary ledger, store and e-file: by default "
                             "var/, where the shipped bot.yaml keeps them (file creation costs "
                             "differ between folders: on the development machine /tmp took "
                             "1 ms of kernel time per new file, var/ 0.03 ms)")
    parser.add_argument("--compare-durable", action="store_true",
                        help="also run (3) with every ledger commit fsynced (synchronous=FULL)")
    parser.add_argument("--only", choices=("accuracy", "read", "e2e"), help="run one part")
    parser.add_argument("--repeat", type=int, default=1,
                        help="run (3) this many times (the machine may be shared)")
    parser.add_argument("--ledger", default="sqlite",
                        help="(3)'s ledger: sqlite, postgresql (a cluster for the run) or a "
                             "postgresql:// URL of a server (a new database on it)")
    parser.add_argument("--scaling", action="store_true",
                        help="(3) with 1 worker and with --workers: the ratio")
    args = parser.parse_args(argv)
    rows = truth_rows(args.corpus)
    if rows is None:
        return no_corpus(args.corpus)
    print(f"corpus {args.corpus}: {len(rows)} files, {len({r['group'] for r in rows})} groups\n")
    xmls = [(args.corpus / r["file"]).read_bytes() for r in rows if r["kind"] != "zugferd-pdf"]
    pdfs = [(args.corpus / r["file"]).read_bytes() for r in rows if r["kind"] == "zugferd-pdf"]
    if args.only in (None, "accuracy"):
        _print_accuracy(args.corpus, rows, args.misses)
    if args.only in (None, "read"):
        for label, blobs, seconds in (("XML e-invoices", xmls, args.seconds),
                                      ("ZUGFeRD PDFs", pdfs, args.seconds / 2)):
            rate = read_rate(blobs, seconds, args.workers)
            print(f"\n(2) read+validated, {label}: {rate['per_s']:.0f}/s with {args.workers} "
                  f"processes ({rate['documents']} in {rate['wall_s']:.1f} s); "
                  f"{rate['per_cpu_s']:.0f} per CPU second, i.e. "
                  f"{rate['per_cpu_s'] * args.workers:.0f}/s on {args.workers} idle cores")
    if args.only in (None, "e2e"):
        with server(args.ledger) as url:
            e2e_runs(args, xmls, url)
    return 0


if __name__ == "__main__":
    sys.exit(main())
