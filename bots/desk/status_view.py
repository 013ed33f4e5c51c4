"""The operators' status page: documents per state and per day, exceptions by reason, the
last intake of each bot (per source), and what went wrong with mail — all from the ledger."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flask import Blueprint, render_template

from bots.desk.auth import admin_required
from bots.desk.deps import desk, ledger
from bots.storage.ledger import Ledger
from bots.storage.mail_ledger import MailRecord, SeenMails
from bots.storage.states import STATES

DAYS = 14

bp = Blueprint("status", __name__)


@dataclass(frozen=True)
class MailboxFigures:
    account: str
    mails: int
    failed: int  # no invoice in it, or an attachment refused: the mail went to the failed folder
    not_moved: int  # still in its folder (the server refused to move it, or not yet moved)
    last_seen: str | None


def mailbox_figures(mails: list[MailRecord]) -> list[MailboxFigures]:
    by_account: dict[str, list[MailRecord]] = defaultdict(list)
    for mail in mails:
        by_account[mail.account].append(mail)
    return [MailboxFigures(account, len(seen), sum(m.outcome == "failed" for m in seen),
                           sum(m.moved_at is None for m in seen),
                           max((m.seen_at for m in seen), default=None))
            for account, seen in sorted(by_account.items())]


def received_per_day(db: Ledger, days: int) -> list[tuple[str, str, int]]:
    """(day, current state, documents received that day) for the last `days` days."""
    return [tuple(row) for row in db.query(
        "SELECT substr(received_at, 1, 10) AS day, state, COUNT(*) FROM documents"
        " WHERE received_at >= ? GROUP BY day, state ORDER BY day DESC",
        ((datetime.now(UTC).date() - timedelta(days=days)).isoformat(),))]


def intake_by_source(db: Ledger) -> list[dict]:
    """Per source (folder, mailbox, upload): receipts, duplicates and the last intake."""
    return [dict(row) for row in db.query(
        "SELECT source, COUNT(*) AS receipts, SUM(duplicate) AS duplicates,"
        " MAX(received_at) AS last_at FROM receipts GROUP BY source ORDER BY source")]


def last_bot_event(db: Ledger) -> str | None:
    return db.query("SELECT MAX(at) FROM audit WHERE actor='bot'")[0][0]


@bp.route("/status")
@admin_required
def status():
    db = ledger()
    exceptions = db.by_state("exception")
    per_day: dict[str, Counter] = defaultdict(Counter)
    for day, state, count in received_per_day(db, DAYS):
        per_day[day][state] += count
    mail_sources = {"mail"} | {m.source for m in desk().config.mailboxes}
    return render_template(
        "status.html", states=STATES, by_state=db.counts_by_state(), per_day=per_day,
        days=DAYS, by_reason=sorted(Counter(r.reason for r in exceptions).items()),
        intake=intake_by_source(db), last_bot_event=last_bot_event(db),
        mailboxes=mailbox_figures(SeenMails(db).all()), mail_sources=mail_sources,
        mail_exceptions=sorted(Counter(r.reason for r in exceptions
                                       if r.source in mail_sources).items()),
    )
