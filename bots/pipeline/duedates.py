"""When an invoice must be paid: its due date, else its issue date + 30 days (the usual term
for public debtors). Late payment costs dunning fees, so exceptions close to it are flagged."""

from __future__ import annotations

from datetime import date, datetime, timedelta

PAYMENT_TERM_DAYS = 30
URGENT_WITHIN_DAYS = 5


def pay_by(fields: dict) -> str | None:
    """ISO date by which the invoice must be paid, or None without due and issue date."""
    for key, offset in (("due_date", 0), ("issue_date", PAYMENT_TERM_DAYS)):
        try:
            return (date.fromisoformat(fields.get(key) or "") + timedelta(days=offset)).isoformat()
        except ValueError:
            continue
    return None


def days_left(pay_by_iso: str | None, today: date) -> int | None:
    if not pay_by_iso:
        return None
    return (date.fromisoformat(pay_by_iso) - today).days


def is_urgent(pay_by_iso: str | None, today: date, within: int = URGENT_WITHIN_DAYS) -> bool:
    left = days_left(pay_by_iso, today)
    return left is not None and left <= within


def overdue_on_arrival(pay_by_iso: str | None, received_at_iso: str) -> str | None:
    """A German note when the invoice was already to be paid before it arrived (its
    caseworker should know: dunning fees may follow), else None."""
    if not pay_by_iso:
        return None
    arrived = datetime.fromisoformat(received_at_iso).astimezone().date()
    due = date.fromisoformat(pay_by_iso)
    if due >= arrived:
        return None
    return (f"Bei Eingang bereits überfällig: zu zahlen bis {due:%d.%m.%Y}, eingegangen am "
            f"{arrived:%d.%m.%Y}.")
