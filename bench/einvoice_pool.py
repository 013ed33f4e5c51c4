"""The worker processes of bench/einvoice.py: started from a forkserver (a process must not
fork once it has used Saxon, einvoice/validation/saxon.py), each warmed up before timing."""

from __future__ import annotations

import multiprocessing

from ocr.extract import extract
from ocr.read import read_document


def read_and_validate(data: bytes) -> bool:
    return bool(extract(read_document(data)).extra["einvoice_valid"])


WORKER: dict = {}  # what a worker process was handed at its start


def _start_worker(blobs: list[bytes], ready, open_lock, prepare=None) -> None:
    """A worker's start: its official rules compiled and every document read and validated
    once (code paths hot), then `prepare()` (one worker at a time); then it waits until all
    workers are ready, so the timing that follows excludes compilation and set-up."""
    WORKER["open_lock"] = open_lock
    for data in blobs:
        read_and_validate(data)
    if prepare is not None:
        with open_lock:  # Store.check_writable's probe is not safe against a twin start
            prepare()
    ready.wait()


def warm_pool(workers: int, blobs: list[bytes], prepare=None):
    """A pool of `workers` processes, each warmed up (_start_worker) when it returns.
    Workers start from a forkserver, as the bot's own pools do: a process must not fork once
    it has used Saxon (einvoice/validation/saxon.py)."""
    context = multiprocessing.get_context("forkserver")
    ready = context.Barrier(workers + 1)
    pool = context.Pool(workers, initializer=_start_worker,
                        initargs=(blobs, ready, context.Lock(), prepare))
    ready.wait()
    return pool
