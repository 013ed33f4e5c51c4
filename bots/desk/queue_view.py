"""The queue: open exceptions, most urgent first, with filters and counts per reason.

Urgency is the day by which the invoice must be paid (bots.pipeline.duedates: its due date, else its
issue date + 30 days); without either, the day of receipt + 30 days, so such an invoice rises
in the queue with the days since it arrived."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask import Blueprint, render_template, request

from bots.desk.deps import ledger
from bots.pipeline.duedates import PAYMENT_TERM_DAYS, URGENT_WITHIN_DAYS, pay_by
from bots.storage.ledger import DocumentRow

UNKNOWN_PROVIDER = "(nicht erkannt)"

bp = Blueprint("queue", __name__)


@dataclass(frozen=True)
class QueueItem:
    row: DocumentRow
    pay_by: date
    basis: str  # German: what the pay-by date was taken from
    days_waiting: int
    provider: str

    @property
    def fields(self) -> dict:
        return (self.row.invoice or {}).get("fields") or {}

    def days_left(self, today: date) -> int:
        return (self.pay_by - today).days

    def urgent(self, today: date) -> bool:
        return self.days_left(today) <= URGENT_WITHIN_DAYS


def queue_items(rows: list[DocumentRow], today: date) -> list[QueueItem]:
    """The exceptions as queue items, the most urgent first (ties: the oldest first)."""
    items = [_item(row, today) for row in rows]
    return sorted(items, key=lambda i: (i.pay_by, i.row.received_at, i.row.id))


def _item(row: DocumentRow, today: date) -> QueueItem:
    received = datetime.fromisoformat(row.received_at).date()
    fields = (row.invoice or {}).get("fields") or {}
    due = pay_by(fields)
    if due is None:
        day, basis = received + timedelta(days=PAYMENT_TERM_DAYS), "Eingang + 30 Tage"
    else:
        day = date.fromisoformat(due)
        basis = "Fälligkeitsdatum" if fields.get("due_date") == due else \
            "Rechnungsdatum + 30 Tage"
    return QueueItem(row=row, pay_by=day, basis=basis, days_waiting=(today - received).days,
                     provider=fields.get("seller_name") or UNKNOWN_PROVIDER)


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
        urgent=sum(i.urgent(today) for i in everything), urgent_days=URGENT_WITHIN_DAYS,
        reason_counts=sorted(Counter(i.row.reason for i in everything).items()),
        sources=sorted({i.row.source for i in everything}),
        providers=sorted({i.provider for i in everything}, key=str.casefold),
        oldest_days=max((i.days_waiting for i in everything), default=None),
    )
