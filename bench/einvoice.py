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
(3) end to end per second: --count unique XML e-invoices (corpus files with a new invoice
    number each) taken into a temporary store and ledger, then processed through
    bots.pipeline.recipe (claim, read, extract+validate, check, decide with a catch-all rule,
    render the readable PDF, file atomically, release) by --workers processes, in a
    temporary folder under --workdir (var/ by default, the shipped bot's folder).

Wall-clock rates depend on what else runs on the machine (a shared machine gives the
workers less than its cores); the rate per CPU second of the workers, and what that makes
on idle cores, is printed beside them.

    .venv/bin/python bench/einvoice.py [--corpus DIR] [--seconds 5] [--count 400]
                                       [--workers 2] [--misses] [--ledger postgresql[://…]]
    .venv/bin/python bench/einvoice.py --only e2e --ledger postgresql --scaling

--ledger takes (3)'s ledger to PostgreSQL (a cluster started for the run, or a new
database on the server of a URL, see bench/pg_ledger.py); --scaling runs (3) with one
worker and with --workers and prints the ratio.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import re
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.corpus import no_corpus, truth_rows  # noqa: E402
from bench.pg_ledger import fresh_database, server  # noqa: E402
from bots.storage.database import PASSWORD_ENV  # noqa: E402
from ocr.extract import extract  # noqa: E402
from ocr.model import FIELD_NAMES, ReadError  # noqa: E402
from ocr.read import read_document  # noqa: E402

BENCH_RULES = {"rules": [{
    "id": "bench-alle-e-rechnungen",
    "name": "Benchmark: alle E-Rechnungen",
    "when": {"field": "kind", "one_of": ["xrechnung-ubl", "xrechnung-cii", "zugferd"]},
    "route_to": "becker",
}]}


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

def _read_and_validate(data: bytes) -> bool:
    return bool(extract(read_document(data)).extra["einvoice_valid"])


_WORKER: dict = {}  # what a worker process was handed at its start


def _start_worker(blobs: list[bytes], ready, open_lock) -> None:
    """A worker's start: its official rules compiled and every document read and validated
    once (code paths hot); then it waits until all workers are ready, so the timing that
    follows excludes compilation."""
    _WORKER["open_lock"] = open_lock
    for data in blobs:
        _read_and_validate(data)
    ready.wait()


def _read_worker(args: tuple[list[bytes], float]) -> tuple[int, float]:
    blobs, seconds = args
    done, cpu_start, deadline = 0, time.process_time(), time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        for data in blobs:
            _read_and_validate(data)
        done += len(blobs)
    return done, time.process_time() - cpu_start


def warm_pool(workers: int, blobs: list[bytes]):
    """A pool of `workers` processes, each warmed up (_start_worker) when it returns.
    Workers start from a forkserver, as the bot's own pools do: a process must not fork once
    it has used Saxon (einvoice/validation/saxon.py)."""
    context = multiprocessing.get_context("forkserver")
    ready = context.Barrier(workers + 1)
    pool = context.Pool(workers, initializer=_start_worker,
                        initargs=(blobs, ready, context.Lock()))
    ready.wait()
    return pool


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


# -- (3) end to end -------------------------------------------------------------------------

_UBL_ID = re.compile(rb"(<cbc:ID>)([^<]*)(</cbc:ID>)")
_CII_ID = re.compile(rb"(<rsm:ExchangedDocument>(?:\s|<!--.*?-->)*<ram:ID>)([^<]*)(</ram:ID>)",
                     re.S)


def with_number(xml: bytes, suffix: str) -> bytes:
    """The invoice with `suffix` appended to its number (BT-1): a new invoice, same content."""
    pattern = _CII_ID if b"CrossIndustryInvoice" in xml[:2000] else _UBL_ID
    return pattern.sub(lambda m: m.group(1) + m.group(2) + suffix.encode() + m.group(3), xml,
                       count=1)


def _bench_config(root: Path, ledger: str | None = None) -> Path:
    (root / "config").mkdir(parents=True)
    rules = root / "config" / "rules.yaml"
    rules.write_text(yaml.safe_dump(BENCH_RULES, allow_unicode=True), encoding="utf-8")
    config = {"ledger": ledger or str(root / "var" / "ledger.sqlite3"),
              "store": str(root / "var" / "store"),
              "efile_root": str(root / "var" / "efile"),
              "log_file": str(root / "var" / "log" / "bot.jsonl"), "rules": str(rules),
              "caseworkers": str(REPO / "config" / "caseworkers.yaml"),
              "vendors": str(REPO / "config" / "vendors.yaml"),
              "metrics_file": str(root / "var" / "metrics" / "rbot.prom"), "folders": []}
    path = root / "config" / "bot.yaml"
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    return path


def _context(config_path: Path):
    from bots.logs import configure_logging
    from bots.wiring import open_config, open_context

    config = open_config(config_path)
    configure_logging(config.log_file)
    return open_context(config)


def _all_durable() -> None:
    """For comparison: every ledger commit with synchronous=FULL, as before the relaxed
    states (bots.storage.ledger.RELAXED_STATES)."""
    from bots.storage.ledger import Ledger

    relaxed = Ledger.transaction

    def durable(self, *, durable: bool = True, **options):
        return relaxed(self, durable=True, **options)

    Ledger.transaction = durable


def _process_worker(args: tuple[Path, list[str], bool, dict]
                    ) -> tuple[dict[str, int], dict, float]:
    from bots.pipeline.work import process_leased
    from bots.storage.metrics import STAGE_SECONDS

    config_path, document_ids, all_durable, environment = args
    os.environ.update(environment)  # the pool may have started before the ledger's password
    if all_durable:
        _all_durable()
    with _WORKER["open_lock"]:  # Store.check_writable's probe is not safe against a twin start
        ctx = _context(config_path)
    outcomes: dict[str, int] = defaultdict(int)
    cpu = time.process_time()
    for document_id in document_ids:
        outcome = process_leased(ctx, document_id)
        outcomes[outcome.outcome if outcome else "leased"] += 1
    stages = {stage: list(entry) for stage, entry in STAGE_SECONDS.items()}
    return dict(outcomes), stages, time.process_time() - cpu


def _warm_up(xmls: list[bytes]) -> None:
    """What a running bot has done once since it started, before the workers fork: the XML
    schemas compiled (about 0.1 s each), the Unicode font loaded, the code paths taken (each
    worker compiles its official rules itself, in warm_pool)."""
    from einvoice.readable_pdf import render_einvoice_pdf

    for data in xmls:
        _read_and_validate(data)
        render_einvoice_pdf(read_document(data).einvoice)


def end_to_end(xmls: list[bytes], count: int, workers: int, workdir: Path,
               all_durable: bool = False, server: str | None = None) -> dict:
    workdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="bench-einvoice-", dir=workdir) as tmp, \
            fresh_database(server, Path(tmp).name.replace("-", "_")) as ledger:
        return _end_to_end(xmls, count, workers, Path(tmp), all_durable, ledger)


def _ledger_environment() -> dict[str, str]:
    return {name: os.environ[name] for name in (PASSWORD_ENV,) if name in os.environ}


def _end_to_end(xmls: list[bytes], count: int, workers: int, tmp: Path, all_durable: bool,
                ledger: str | None) -> dict:
    from bots.intake.register import Incoming, take

    _warm_up(xmls)
    config_path = _bench_config(tmp, ledger)
    ctx = _context(config_path)
    documents = [with_number(xmls[i % len(xmls)], f"-B{i}") for i in range(count)]
    assert len(set(documents)) == count, "every benchmark document must be unique"
    with warm_pool(workers, xmls) as pool:  # the workers' rules compiled before timing
        started = time.perf_counter()
        for i, data in enumerate(documents):
            take(Incoming(data, "bench", f"e-rechnung-{i}.xml", f"bench-{i}"), ctx.ledger,
                 ctx.store)
        intake = time.perf_counter() - started
        pending = [row.id for row in ctx.ledger.pending()]
        results = pool.map(_process_worker, [
            (config_path, pending[k::workers], all_durable, _ledger_environment())
            for k in range(workers)])
    total = time.perf_counter() - started
    processing = total - intake
    outcomes: dict[str, int] = defaultdict(int)
    stages: dict[str, list[float]] = defaultdict(lambda: [0, 0.0])
    for result, stage_times, _ in results:
        for key, value in result.items():
            outcomes[key] += value
        for stage, (n, seconds) in stage_times.items():
            stages[stage][0] += n
            stages[stage][1] += seconds
    filed = len(list((tmp / "var" / "efile").glob("*/*.pdf")))
    cpu = sum(c for _, _, c in results)
    ctx.ledger.close()
    return {"count": count, "intake_s": intake, "total_s": total, "per_s": count / total,
            "processing_s": processing, "processing_per_s": count / processing,
            "processing_per_cpu_s": count / cpu if cpu else float("nan"),
            "outcomes": dict(outcomes), "filed_pdfs": filed,
            "stage_ms": {s: 1000 * sec / n for s, (n, sec) in stages.items() if n}}


# -- main -----------------------------------------------------------------------------------

def _print_accuracy(corpus: Path, rows: list[dict], show_misses: bool) -> None:
    table, misses, invalid = accuracy(corpus, rows)
    print("(1) accuracy (contract fields, document type, credit note flag)\n" + table)
    print(f"invalid e-invoices: {len(invalid)}")
    for line in invalid + (misses if show_misses else []):
        print("  " + line)


def _reference_loop(_: int = 0) -> float:
    """Seconds for a fixed pure-Python loop: how fast this machine's cores are just now."""
    started, total = time.perf_counter(), 0
    for number in range(3_000_000):
        total += number * number % 7
    return time.perf_counter() - started


def machine_speed(workers: int) -> str:
    """The reference loop in `workers` processes at once, for comparing runs on a shared
    machine (the same loop takes longer while other work competes for the cores)."""
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        seconds = pool.map(_reference_loop, range(workers))
    return f"reference loop {max(seconds):.2f} s in each of {workers} processes"


def _print_e2e(e2e: dict, workers: int, mode: str) -> None:
    print(f"\n(3) end to end ({mode}), {e2e['count']} XML e-invoices, {workers} processes:\n"
          f"    read -> validate -> decide -> render -> file: {e2e['processing_per_s']:.0f}/s "
          f"({e2e['processing_s']:.1f} s; {e2e['processing_per_cpu_s']:.0f} per CPU second, "
          f"i.e. {e2e['processing_per_cpu_s'] * workers:.0f}/s on {workers} idle cores)\n"
          f"    with the intake before it (store + ledger, one process): {e2e['per_s']:.0f}/s "
          f"({e2e['total_s']:.1f} s, intake {e2e['intake_s']:.1f} s)")
    print(f"    outcomes {e2e['outcomes']}, readable PDFs filed: {e2e['filed_pdfs']}")
    print("    mean wall ms per stage: " + ", ".join(f"{stage} {ms:.1f}" for stage, ms in
                                                       e2e["stage_ms"].items()))


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
            _e2e_runs(args, xmls, url)
    return 0


def _e2e_runs(args, xmls: list[bytes], url: str | None) -> None:
    modes = (False, True) if args.compare_durable else (False,)
    counts = (1, args.workers) if args.scaling else (args.workers,)
    for _ in range(args.repeat):
        print(f"\nmachine speed now: {machine_speed(args.workers)}; ledger {args.ledger}")
        rates = {}
        for workers in counts:
            for all_durable in modes:
                e2e = end_to_end(xmls, args.count, workers, args.workdir, all_durable, url)
                rates[workers] = e2e["processing_per_s"]
                _print_e2e(e2e, workers,
                           "every commit fsynced" if all_durable else "relaxed bot steps")
        if args.scaling:
            print(f"\n{args.workers} workers / 1 worker: "
                  f"{rates[args.workers] / rates[1]:.2f}x (target 1.6x)")


if __name__ == "__main__":
    sys.exit(main())
