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
from bots.pipeline.heartbeat import Heartbeat
from bots.pipeline.model import Outcome, OutcomeKind, Reason
from bots.pipeline.work import LEASE_SECONDS, process_claimed
from bots.returns.feedback import collect_feedback
from bots.rule_admin.reload import RulesReloader
from bots.storage.database import LedgerUnavailable
from bots.storage.ledger import Receipt
from bots.storage.metrics import write_textfile

log = structlog.get_logger("runner")

ONCE_MAX_WAIT_SECONDS = 60.0
METRICS_EVERY_SECONDS = 15.0
FEEDBACK_EVERY_SECONDS = 5.0  # return folders and the DMS's error folder
LOOK_EVERY_SECONDS = 10.0  # without a notification: retries now due, leases of workers gone


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
    """Claim and process the oldest document due, one after another, until none is left
    for this process (other workers, on this host or others, claim beside it)."""
    outcomes, done = [], set()
    bar = tqdm(total=len(ctx.ledger.pending()) if progress else None, desc="Rechnungen",
               unit="Dok.", disable=not progress, file=sys.stderr)
    while stop is None or not stop.is_set():
        doc_id = ctx.ledger.claim_next(ctx.owner, LEASE_SECONDS)
        if doc_id is None:
            break
        if doc_id in done:  # released for another round: not again in this one
            ctx.ledger.release(doc_id, ctx.owner, ctx.ledger.get(doc_id).retry_at)
            break
        done.add(doc_id)
        outcome = process_claimed(ctx, doc_id)
        if outcome is not None:  # None: taken over by another worker meanwhile
            outcomes.append(outcome)
        bar.update()
    bar.close()
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
    with Heartbeat(ctx.config.ledger, ctx.owner):
        outcomes = duplicate_outcomes(receipts) + process_pending(ctx, progress=progress)
    write_metrics(ctx)
    log.info("run_finished", documents=len(outcomes),
             filed=sum(o.outcome == OutcomeKind.FILED for o in outcomes),
             exceptions=sum(o.outcome == OutcomeKind.EXCEPTION for o in outcomes))
    return outcomes


def _wait(ctx: Context, stop: threading.Event, seconds: float) -> bool:
    """Sleep a tick; True when work may be due. PostgreSQL wakes the worker when another
    process registers or returns a document (LISTEN/NOTIFY); SQLite looks every tick."""
    if ctx.ledger.backend == "sqlite":
        stop.wait(seconds)
        return True
    return ctx.ledger.wait_for_work(seconds)


class _Rounds:
    """One round of the watch loop: rules, intake, feedback, work, rescans, metrics."""

    def __init__(self, ctx: Context, folder_bot: FolderBot, rules: RulesReloader,
                 stop: threading.Event):
        self.ctx, self.folder_bot, self.rules, self.stop = ctx, folder_bot, rules, stop
        self.work_due = True
        self.last_look = self.last_rescan = self.last_metrics = self.last_feedback = (
            time.monotonic())

    def one(self) -> None:
        ctx, now = self.ctx, time.monotonic()
        self.rules.check(ctx)
        taken = self.folder_bot.take_ready()
        if now - self.last_feedback >= FEEDBACK_EVERY_SECONDS:
            collect_feedback(ctx)
            forget_recorded_hand_overs(ctx.config, ctx.ledger)
            self.last_feedback = now
        if self.work_due or taken or now - self.last_look >= LOOK_EVERY_SECONDS:
            self.work_due = False
            process_pending(ctx, stop=self.stop)
            self.last_look = time.monotonic()
        if now - self.last_rescan >= ctx.config.rescan_seconds:
            self.folder_bot.rescan()
            self.last_rescan = now
        if now - self.last_metrics >= METRICS_EVERY_SECONDS:
            write_metrics(ctx)
            self.last_metrics = now


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
    log.info("watch_started", folders=len(folder_bot.folders),
             mailboxes=len(ctx.config.mailboxes), ledger=ctx.ledger.shown_location())
    rounds = _Rounds(ctx, folder_bot, rules, stop)
    try:
        with Heartbeat(ctx.config.ledger, ctx.owner):
            while not stop.is_set():
                try:
                    rounds.one()
                    rounds.work_due = _wait(ctx, stop, tick_seconds)
                except LedgerUnavailable:
                    log.warning("ledger_unavailable")  # nothing lost: wait, then go on
                    stop.wait(1.0)
    finally:
        mail_stop.set()
        for thread in mail_threads:
            thread.join(timeout=30)
        folder_bot.stop_watching()
        log.info("watch_stopped")
