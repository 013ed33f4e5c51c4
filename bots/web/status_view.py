"""The operators' status page: documents per state and per day, exceptions by reason, the
last intake of each bot (per source), and what went wrong with mail — all from the ledger."""

from __future__ import annotations

from collections import Counter, defaultdict

from flask import Blueprint, render_template

from bots.ledger import STATES
from bots.web.auth import admin_required
from bots.web.deps import ledger

DAYS = 14
MAIL_REASONS = ("no_attachment",)

bp = Blueprint("status", __name__)


def is_mail_source(source: str) -> bool:
    return source.lower().startswith(("mail", "postfach", "imap", "exchange"))


@bp.route("/status")
@admin_required
def status():
    db = ledger()
    exceptions = db.by_state("exception")
    per_day: dict[str, Counter] = defaultdict(Counter)
    for day, state, count in db.received_per_day(DAYS):
        per_day[day][state] += count
    mail_errors = Counter(r.reason for r in exceptions
                          if is_mail_source(r.source) or r.reason in MAIL_REASONS)
    return render_template(
        "status.html", states=STATES, by_state=db.counts_by_state(), per_day=per_day,
        days=DAYS, by_reason=sorted(Counter(r.reason for r in exceptions).items()),
        intake=db.intake_by_source(), last_bot_event=db.last_event_by_actor().get("bot"),
        mail_errors=sorted(mail_errors.items()), is_mail_source=is_mail_source,
    )
