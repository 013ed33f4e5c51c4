"""Running the bots: once over everything present, or watching until told to stop."""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Iterable

import structlog
from tqdm import tqdm

from bots.folder_bot import FolderBot
from bots.ledger import Receipt
from bots.model import Outcome
from bots.pipeline import Context, process

log = structlog.get_logger("runner")

ONCE_MAX_WAIT_SECONDS = 60.0


def take_all_present(folder_bot: FolderBot, max_wait: float = ONCE_MAX_WAIT_SECONDS
                     ) -> list[Receipt]:
    """Take every file present now, waiting until each has settled (bounded)."""
    folder_bot.rescan()
    receipts: list[Receipt] = []
    deadline = time.monotonic() + max_wait
    while True:
        receipts += folder_bot.take_ready()
        if not folder_bot.has_waiting() or time.monotonic() > deadline:
            return receipts
        time.sleep(0.2)


def duplicate_outcomes(receipts: Iterable[Receipt]) -> list[Outcome]:
    return [Outcome(r.document_id, r.source, r.original_name, "duplicate", reason="duplicate")
            for r in receipts if r.duplicate]


def process_pending(ctx: Context, *, progress: bool = False,
                    stop: threading.Event | None = None) -> list[Outcome]:
    rows = ctx.ledger.pending()
    outcomes = []
    bar = tqdm(rows, desc="Rechnungen", unit="Dok.", disable=not progress, file=sys.stderr)
    for row in bar:
        if stop is not None and stop.is_set():
            break
        outcomes.append(process(ctx, row))
    return outcomes


def run_once(ctx: Context, folder_bot: FolderBot, *, progress: bool = False) -> list[Outcome]:
    receipts = take_all_present(folder_bot)
    outcomes = duplicate_outcomes(receipts) + process_pending(ctx, progress=progress)
    log.info("run_finished", documents=len(outcomes),
             filed=sum(o.outcome == "filed" for o in outcomes),
             exceptions=sum(o.outcome == "exception" for o in outcomes))
    return outcomes


def watch(ctx: Context, folder_bot: FolderBot, stop: threading.Event,
          tick_seconds: float = 0.5) -> None:
    """Serve the folders until `stop` is set; the document in hand is always finished."""
    folder_bot.start_watching()
    folder_bot.rescan()
    last_rescan = time.monotonic()
    log.info("watch_started", folders=len(folder_bot.folders))
    try:
        while not stop.is_set():
            folder_bot.take_ready()
            process_pending(ctx, stop=stop)
            if time.monotonic() - last_rescan >= ctx.config.rescan_seconds:
                folder_bot.rescan()
                last_rescan = time.monotonic()
            stop.wait(tick_seconds)
    finally:
        folder_bot.stop_watching()
        log.info("watch_stopped")
