"""bench/einvoice.py's part (3), end to end: --count unique XML e-invoices (corpus files with a
new invoice number each) taken into a temporary store and ledger, then processed by
--workers processes exactly as `run_bot.py run --once` does (a heartbeat, claiming the
oldest document due until none is left: claim, read, extract+validate, check, decide with a
catch-all rule, render the readable PDF, file atomically), in a temporary folder under
--workdir (var/ by default, the shipped bot's folder).

Printed per run: wall seconds, the workers' CPU seconds and, on a PostgreSQL server on this
machine, the server's CPU seconds; the rates per wall second and per CPU second (what the
machine's other load moves little) and what that makes on idle cores.
"""

from __future__ import annotations

import functools
import multiprocessing
import os
import re
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import yaml

from bench.einvoice_pool import WORKER, read_and_validate, warm_pool
from bench.pg_ledger import fresh_database, server_cpu_seconds
from bots.storage.database import PASSWORD_ENV
from ocr.read import read_document

REPO = Path(__file__).resolve().parents[1]
BENCH_RULES = {"rules": [{
    "id": "bench-alle-e-rechnungen",
    "name": "Benchmark: alle E-Rechnungen",
    "when": {"field": "kind", "one_of": ["xrechnung-ubl", "xrechnung-cii", "zugferd"]},
    "route_to": "becker",
}]}
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


def _open_worker(config_path: Path, environment: dict) -> None:
    """A worker's context opened before the clock starts, as a running bot has it."""
    os.environ.update(environment)  # the pool may have started before the ledger's password
    WORKER["ctx"] = _context(config_path)


def _process_worker(all_durable: bool) -> tuple[dict[str, int], dict, float]:
    """One worker as the bot runs it: a heartbeat, and claiming the oldest document due
    until none is left (the other workers claim beside it)."""
    from bots.pipeline.heartbeat import Heartbeat
    from bots.pipeline.runner import process_pending
    from bots.storage.metrics import STAGE_SECONDS

    if all_durable:
        _all_durable()
    ctx = WORKER["ctx"]
    outcomes: dict[str, int] = defaultdict(int)
    cpu = time.process_time()
    with Heartbeat(ctx.config.ledger, ctx.owner):
        for outcome in process_pending(ctx):
            outcomes[outcome.outcome] += 1
    stages = {stage: list(entry) for stage, entry in STAGE_SECONDS.items()}
    return dict(outcomes), stages, time.process_time() - cpu


def _warm_up(xmls: list[bytes]) -> None:
    """What a running bot has done once since it started, before the workers fork: the XML
    schemas compiled (about 0.1 s each), the Unicode font loaded, the code paths taken (each
    worker compiles its official rules itself, in warm_pool)."""
    from einvoice.readable_pdf import render_einvoice_pdf

    for data in xmls:
        read_and_validate(data)
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
    prepare = functools.partial(_open_worker, config_path, _ledger_environment())
    with warm_pool(workers, xmls, prepare) as pool:  # rules compiled, contexts open
        started = time.perf_counter()
        for i, data in enumerate(documents):
            take(Incoming(data, "bench", f"e-rechnung-{i}.xml", f"bench-{i}"), ctx.ledger,
                 ctx.store)
        intake = time.perf_counter() - started
        server_cpu = server_cpu_seconds(ledger)
        results = pool.map(_process_worker, [all_durable] * workers, chunksize=1)
        total = time.perf_counter() - started
        pool.close()  # workers end normally: what they created (tqdm's lock) is cleaned up
        pool.join()
        if server_cpu is not None:
            server_cpu = server_cpu_seconds(ledger) - server_cpu
    ctx.ledger.close()
    return _figures(results, tmp, count, intake, total, server_cpu)


def _figures(results: list, tmp: Path, count: int, intake: float, total: float,
             server_cpu: float | None) -> dict:
    processing = total - intake
    outcomes: dict[str, int] = defaultdict(int)
    stages: dict[str, list[float]] = defaultdict(lambda: [0, 0.0])
    for result, stage_times, _ in results:
        for key, value in result.items():
            outcomes[key] += value
        for stage, (n, seconds) in stage_times.items():
            stages[stage][0] += n
            stages[stage][1] += seconds
    cpu = sum(c for _, _, c in results)
    return {"count": count, "intake_s": intake, "total_s": total, "per_s": count / total,
            "processing_s": processing, "processing_per_s": count / processing,
            "worker_cpu_s": cpu, "server_cpu_s": server_cpu,
            "processing_per_cpu_s": count / cpu if cpu else float("nan"),
            "outcomes": dict(outcomes),
            "filed_pdfs": len(list((tmp / "var" / "efile").glob("*/*.pdf"))),
            "stage_ms": {s: 1000 * sec / n for s, (n, sec) in stages.items() if n}}


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


def print_e2e(e2e: dict, workers: int, mode: str) -> None:
    count, cpu, server_cpu = e2e["count"], e2e["worker_cpu_s"], e2e["server_cpu_s"]
    print(f"\n(3) end to end ({mode}), {count} XML e-invoices, {workers} processes:\n"
          f"    read -> validate -> decide -> render -> file: {e2e['processing_per_s']:.1f}/s "
          f"wall ({e2e['processing_s']:.1f} s)\n"
          f"    CPU: workers {cpu:.1f} s ({1000 * cpu / count:.1f} ms per document, "
          f"{e2e['processing_per_cpu_s']:.1f} per CPU second, i.e. "
          f"{e2e['processing_per_cpu_s'] * workers:.0f}/s on {workers} idle cores)")
    if server_cpu is not None:
        both = cpu + server_cpu
        print(f"    CPU: PostgreSQL server {server_cpu:.1f} s ({1000 * server_cpu / count:.1f} ms"
              f" per document); workers and server {both:.1f} s ({count / both:.1f} per CPU"
              f" second, {min(workers, 2) * count / both:.0f}/s on "
              f"{min(workers, 2)} idle cores shared with the server)")
    print(f"    with the intake before it (store + ledger, one process): {e2e['per_s']:.1f}/s "
          f"({e2e['total_s']:.1f} s, intake {e2e['intake_s']:.1f} s)")
    print(f"    outcomes {e2e['outcomes']}, readable PDFs filed: {e2e['filed_pdfs']}")
    print("    mean wall ms per stage: " + ", ".join(f"{stage} {ms:.1f}" for stage, ms in
                                                       e2e["stage_ms"].items()))


def e2e_runs(args, xmls: list[bytes], url: str | None) -> None:
    modes = (False, True) if args.compare_durable else (False,)
    counts = (1, args.workers) if args.scaling else (args.workers,)
    for _ in range(args.repeat):
        print(f"\nmachine speed now: {machine_speed(args.workers)}; ledger {args.ledger}")
        runs = {}
        for workers in counts:
            for all_durable in modes:
                e2e = end_to_end(xmls, args.count, workers, args.workdir, all_durable, url)
                runs[workers] = e2e
                print_e2e(e2e, workers,
                          "every commit fsynced" if all_durable else "relaxed bot steps")
        if args.scaling:
            one, many = runs[1], runs[args.workers]
            print(f"\n{args.workers} workers / 1 worker: "
                  f"{many['processing_per_s'] / one['processing_per_s']:.2f}x wall-clock "
                  f"(target 1.6x); CPU seconds per document "
                  f"{1000 * one['worker_cpu_s'] / one['count']:.1f} ms -> "
                  f"{1000 * many['worker_cpu_s'] / many['count']:.1f} ms (workers)"
                  + _server_change(one, many))


def _server_change(one: dict, many: dict) -> str:
    if one["server_cpu_s"] is None or many["server_cpu_s"] is None:
        return ""
    return (f", {1000 * one['server_cpu_s'] / one['count']:.1f} ms -> "
            f"{1000 * many['server_cpu_s'] / many['count']:.1f} ms (PostgreSQL)")
