"""Running page work in parallel across processes.

A pool per read of at most `jobs` worker processes (default: one per CPU core this
process may use), forked from a forkserver that has the OCR modules loaded: starting a
worker costs milliseconds, and no worker inherits the threads or locks of a bot process
(watchdog observers, mail threads). A single page runs in this process, without a pool.

The forkserver imports the program's main module once (so workers need not): like every
multiprocessing program, a script that reads scans must keep its work under
`if __name__ == "__main__":` (run_bot.py, bench/ocr.py and pytest do).
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import TypeVar

import cv2

T = TypeVar("T")
R = TypeVar("R")

_PRELOAD = ["__main__", "ocr.page"]  # __main__: workers need not import it again
_context = None


def default_jobs() -> int:
    """The CPU cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def _forkserver():
    global _context
    if _context is None:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(_PRELOAD)
        _context = context
    return _context


def _worker_started() -> None:
    cv2.setNumThreads(1)  # one core per worker: the pool is the parallelism


def run_parallel(work: Callable[[T], R], items: Sequence[T], jobs: int | None = None) -> list[R]:
    """work(item) for every item, results in order, on up to `jobs` processes."""
    workers = min(jobs or default_jobs(), len(items))
    if workers <= 1:
        return [work(item) for item in items]
    with ProcessPoolExecutor(workers, mp_context=_forkserver(),
                             initializer=_worker_started) as pool:
        return list(pool.map(work, items))
