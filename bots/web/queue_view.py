"""The queue: open exceptions, most urgent first, with filters and counts per reason.

Urgency is the day by which the invoice must be paid: its due date, else the day of receipt
plus 30 days (the usual term for public debtors), so an invoice without a due date rises in
the queue with the days since it arrived."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask import Blueprint, render_template, request

from bots.ledger import DocumentRow
from bots.web.deps import ledger

DEFAULT_TERM = timedelta(days=30)
UNKNOWN_PROVIDER = "(nicht erkannt)"

bp = Blueprint("queue", __name__)


@dataclass(frozen=True)
class QueueItem:
    row: DocumentRow
    pay_by: date
    due_date_known: bool
    days_waiting: int
    provider: str

    @property
    def fields(self) -> dict:
        return (self.row.invoice or {}).get("fields") or {}

    def days_left(self, today: date) -> int:
        return (self.pay_by - today).days


def queue_items(rows: list[DocumentRow], today: date) -> list[QueueItem]:
    """The exceptions as queue items, the most urgent first (ties: the oldest first)."""
    items = [_item(row, today) for row in rows]
    return sorted(items, key=lambda i: (i.pay_by, i.row.received_at, i.row.id))


def _item(row: DocumentRow, today: date) -> QueueItem:
    received = datetime.fromisoformat(row.received_at).date()
    fields = (row.invoice or {}).get("fields") or {}
    due = _date(fields.get("due_date"))
    return QueueItem(row=row, pay_by=due or received + DEFAULT_TERM, due_date_known=due is not None,
                     days_waiting=(today - received).days,
                     provider=fields.get("seller_name") or UNKNOWN_PROVIDER)


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


@bp.route("/")
def index():
    today = date.today()
    everything = queue_items(ledger().by_state("exception"), today)
    chosen = {key: request.args.get(key, "") for key in ("grund", "quelle", "anbieter")}
    shown = [i for i in everything
             if chosen["grund"] in ("", i.row.reason)
             and chosen["quelle"] in ("", i.row.source)
             and chosen["anbieter"] in ("", i.provider)]
    return render_template(
        "queue.html", items=shown, total=len(everything), today=today, chosen=chosen,
        reason_counts=sorted(Counter(i.row.reason for i in everything).items()),
        sources=sorted({i.row.source for i in everything}),
        providers=sorted({i.provider for i in everything}, key=str.casefold),
        oldest_days=max((i.days_waiting for i in everything), default=None),
    )
