"""Running the bots: once over everything present, or watching until told to stop."""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Iterable

import structlog
from tqdm import tqdm

from bots.filing.targets import forget_recorded_hand_overs
from bots.intake.folder_bot import FolderBot
from bots.intake.mailbox_bot import read_mailboxes_once, start_mailbox_threads
from bots.pipeline.context import Context
from bots.pipeline.model import Outcome, OutcomeKind, Reason
from bots.pipeline.work import process_leased
from bots.returns.feedback import collect_feedback
from bots.rule_admin.reload import RulesReloader
from bots.storage.ledger import Receipt
from bots.storage.metrics import write_textfile

log = structlog.get_logger("runner")

ONCE_MAX_WAIT_SECONDS = 60.0
METRICS_EVERY_SECONDS = 15.0
FEEDBACK_EVERY_SECONDS = 5.0  # return folders and the DMS's error folder


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
    return [Outcome(r.document_id, r.source, r.original_name, OutcomeKind.DUPLICATE,
                    reason=Reason.DUPLICATE) for r in receipts if r.duplicate]


def process_pending(ctx: Context, *, progress: bool = False,
                    stop: threading.Event | None = None) -> list[Outcome]:
    rows = ctx.ledger.pending()
    outcomes = []
    bar = tqdm(rows, desc="Rechnungen", unit="Dok.", disable=not progress, file=sys.stderr)
    for row in bar:
        if stop is not None and stop.is_set():
            break
        outcome = process_leased(ctx, row.id)
        if outcome is not None:
            outcomes.append(outcome)
    return outcomes


def write_metrics(ctx: Context) -> None:
    if ctx.config.metrics_file is None:
        return
    try:
        write_textfile(ctx.ledger, ctx.config.metrics_file)
    except OSError as exc:
        log.warning("metrics_not_written", error=type(exc).__name__)


def run_once(ctx: Context, folder_bot: FolderBot, *, progress: bool = False) -> list[Outcome]:
    receipts = take_all_present(folder_bot)
    receipts += read_mailboxes_once(ctx.config, ctx.ledger, ctx.store)
    collect_feedback(ctx)  # returned by caseworkers, refused by the DMS
    outcomes = duplicate_outcomes(receipts) + process_pending(ctx, progress=progress)
    write_metrics(ctx)
    log.info("run_finished", documents=len(outcomes),
             filed=sum(o.outcome == OutcomeKind.FILED for o in outcomes),
             exceptions=sum(o.outcome == OutcomeKind.EXCEPTION for o in outcomes))
    return outcomes


def watch(ctx: Context, folder_bot: FolderBot, stop: threading.Event,
          tick_seconds: float = 0.5) -> None:
    """Serve the folders and mailboxes (one thread each) until `stop` is set; the document
    in hand is always finished. A changed rules.yaml or caseworkers.yaml is taken before the
    next round of work once it is valid (bots.rule_admin.reload)."""
    rules = RulesReloader(ctx.config.rules, ctx.config.caseworkers)
    folder_bot.start_watching()
    mail_stop = threading.Event()
    mail_threads = start_mailbox_threads(ctx.config, mail_stop)
    folder_bot.rescan()
    last_rescan = last_metrics = last_feedback = time.monotonic()
    log.info("watch_started", folders=len(folder_bot.folders),
             mailboxes=len(ctx.config.mailboxes))
    try:
        while not stop.is_set():
            rules.check(ctx)
            folder_bot.take_ready()
            if time.monotonic() - last_feedback >= FEEDBACK_EVERY_SECONDS:
                collect_feedback(ctx)
                forget_recorded_hand_overs(ctx.config, ctx.ledger)
                last_feedback = time.monotonic()
            process_pending(ctx, stop=stop)
            if time.monotonic() - last_rescan >= ctx.config.rescan_seconds:
                folder_bot.rescan()
                last_rescan = time.monotonic()
            if time.monotonic() - last_metrics >= METRICS_EVERY_SECONDS:
                write_metrics(ctx)
                last_metrics = time.monotonic()
            stop.wait(tick_seconds)
    finally:
        mail_stop.set()
        for thread in mail_threads:
            thread.join(timeout=30)
        folder_bot.stop_watching()
        log.info("watch_stopped")
