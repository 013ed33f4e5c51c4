"""Metrics in the Prometheus text format, written as a textfile for node_exporter's textfile
collector (atomically, so a scrape never sees half a file). Labels carry states, reasons,
queues, kinds and stages — never invoice content."""

from __future__ import annotations

import functools
import time
from collections import defaultdict
from pathlib import Path

from bots.storage.atomic import write_atomic
from bots.storage.ledger import Ledger

# stage -> [count, seconds] of this process (counters restart with the process).
STAGE_SECONDS: dict[str, list[float]] = defaultdict(lambda: [0, 0.0])


def timed_stage(stage: str):
    """Decorator: account the wall time of a pipeline stage."""
    def wrap(function):
        @functools.wraps(function)
        def timed(*args, **kwargs):
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                entry = STAGE_SECONDS[stage]
                entry[0] += 1
                entry[1] += time.perf_counter() - start
        return timed
    return wrap


def _line(name: str, value: float, **labels: str) -> str:
    if not labels:
        return f"{name} {value:g}"
    text = ",".join(f'{k}="{_escape(str(v))}"' for k, v in sorted(labels.items()))
    return f"{name}{{{text}}} {value:g}"


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")


def _family(name: str, kind: str, help_text: str, lines: list[str]) -> list[str]:
    return [f"# HELP {name} {help_text}", f"# TYPE {name} {kind}", *lines]


def render(ledger: Ledger, now: float | None = None) -> str:
    facts = ledger.metric_facts()
    now = time.time() if now is None else now
    out: list[str] = []
    out += _family("rbot_documents", "gauge", "Documents in the ledger by state and kind.",
                   [_line("rbot_documents", n, state=s, kind=k or "unknown")
                    for (s, k), n in sorted(facts["by_state_kind"].items(),
                                            key=lambda item: (item[0][0], item[0][1] or ""))])
    out += _family("rbot_exceptions", "gauge", "Open exceptions by reason.",
                   [_line("rbot_exceptions", n, reason=r)
                    for r, n in sorted(facts["exceptions"].items(), key=lambda i: i[0] or "")])
    out += _family("rbot_queue_documents", "gauge", "Filed documents per e-file queue.",
                   [_line("rbot_queue_documents", n, queue=q)
                    for q, n in sorted(facts["queues"].items())])
    out += _family("rbot_ocr_pages", "gauge", "Pages of scanned documents read by OCR.",
                   [_line("rbot_ocr_pages", facts["ocr_pages"])])
    oldest = facts["oldest_unfinished"]
    out += _family("rbot_oldest_unfinished_seconds", "gauge",
                   "Age of the oldest document not yet filed or an exception.",
                   [_line("rbot_oldest_unfinished_seconds", max(0.0, now - oldest) if oldest else 0)])
    out += _family("rbot_stage_seconds", "summary", "Wall time of pipeline stages (this process).",
                   [line for stage, (count, total) in sorted(STAGE_SECONDS.items())
                    for line in (_line("rbot_stage_seconds_count", count, stage=stage),
                                 _line("rbot_stage_seconds_sum", round(total, 6), stage=stage))])
    out += _family("rbot_metrics_written_timestamp_seconds", "gauge",
                   "When this file was written.", [_line("rbot_metrics_written_timestamp_seconds",
                                                         round(now))])
    return "\n".join(out) + "\n"


def write_textfile(ledger: Ledger, path: Path) -> None:
    write_atomic(path, render(ledger).encode())
