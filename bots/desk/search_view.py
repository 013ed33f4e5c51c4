"""The search: filed and excepted documents by invoice number, provider, amount, invoice date,
day of receipt, caseworker, state and the words of the read text, newest first, 25 a page,
each linking to its document page.

A clerk (Prüfplatz) finds what they may open (bots.desk.access): open exceptions, documents
on their way through the bot, and what they handled or uploaded themselves; administrators
find everything. So a result never names a document its page would refuse."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask import Blueprint, g, render_template, request

from bots.desk import access
from bots.desk.actions import caseworker_choices, normalise_field, queue_name
from bots.desk.deps import context, ledger
from bots.storage.ledger import DocumentRow
from bots.storage.search import Criteria, Scope, find
from bots.storage.states import State

PAGE_SIZE = 25

bp = Blueprint("search", __name__)

# The states a clerk chooses from, in words (value -> (German, states)).
STATE_CHOICES = {
    "abgelegt": ("abgelegt", (State.FILED,)),
    "ausnahme": ("offene Ausnahme", (State.EXCEPTION,)),
    "unterwegs": ("in Bearbeitung durch den Bot",
                  (State.RECEIVED, State.READ, State.EXTRACTED, State.DECIDED)),
    "geschlossen": ("geschlossen (nicht abgelegt)", (State.REJECTED,)),
}
# Form field -> (contract field whose check it takes, German label).
_DATES = {"datum_von": "Rechnungsdatum ab", "datum_bis": "Rechnungsdatum bis",
          "eingang_von": "Eingang ab", "eingang_bis": "Eingang bis"}
_AMOUNTS = {"betrag_von": "Betrag ab", "betrag_bis": "Betrag bis"}
FORM_FIELDS = ("nummer", "anbieter", *_AMOUNTS, *_DATES, "sachbearbeitung", "zustand", "text")


@dataclass(frozen=True)
class Hit:
    row: DocumentRow
    where: str | None  # German: where the document is now (None: its state and reason say it)

    @property
    def fields(self) -> dict:
        return (self.row.invoice or {}).get("fields") or {}


@bp.route("/suche")
def index():
    asked = {name: request.args.get(name, "").strip()[:200] for name in FORM_FIELDS}
    criteria, errors = criteria_of(asked)
    page = _page_number(request.args.get("seite"))
    ids = [] if errors else find(ledger(), criteria, scope_of(g.user))
    shown = ids[(page - 1) * PAGE_SIZE: page * PAGE_SIZE]
    ctx = context()
    return render_template(
        "search.html", active="search", asked=asked, errors=errors, total=len(ids), page=page,
        pages=max(1, -(-len(ids) // PAGE_SIZE)), first=(page - 1) * PAGE_SIZE + 1,
        hits=[_hit(ledger().get(doc_id), ctx.ruleset) for doc_id in shown],
        states=STATE_CHOICES, choices=caseworker_choices(ctx.ruleset, date.today()),
        teams=sorted(ctx.ruleset.teams.values(), key=lambda t: t.name.casefold()),
        searched=any(asked.values()),
        error_message="Bitte die markierten Angaben korrigieren." if errors else None)


def scope_of(user: dict) -> Scope:
    return Scope(everything=user["role"] == "admin", name=user["name"],
                 open_states=tuple(sorted(access.CLERK_STATES)))


def criteria_of(asked: dict[str, str]) -> tuple[Criteria, dict[str, str]]:
    """The search criteria from the form (German dates and amounts), and German errors per
    form field."""
    values, errors = {}, {}
    for name, label in _DATES.items():
        values[name] = _checked(asked[name], "issue_date", label, name, errors)
    for name, label in _AMOUNTS.items():
        value = _checked(asked[name], "total_gross", label, name, errors)
        values[name] = Decimal(value) if value else None
    states = STATE_CHOICES.get(asked["zustand"], ("", ()))[1]
    return Criteria(number=asked["nummer"], provider=asked["anbieter"],
                    amount_from=values["betrag_von"], amount_to=values["betrag_bis"],
                    issued_from=values["datum_von"], issued_to=values["datum_bis"],
                    received_from=values["eingang_von"], received_to=values["eingang_bis"],
                    caseworker=asked["sachbearbeitung"], states=states,
                    text=asked["text"]), errors


def _checked(text: str, field: str, label: str, name: str, errors: dict) -> str | None:
    try:
        return normalise_field(field, text)
    except ValueError as exc:
        errors[name] = f"{label}: {exc}"
        return None


def _page_number(text: str | None) -> int:
    return int(text) if text and text.isdigit() and 0 < int(text) < 100_000 else 1


def _hit(row: DocumentRow, ruleset) -> Hit:
    if row.state == State.FILED:
        where = f"abgelegt bei {queue_name(ruleset, row.caseworker)}"
    elif row.state in (State.EXCEPTION, State.REJECTED):
        where = None  # the template names the reason
    elif row.state == State.DECIDED:
        where = f"entschieden für {queue_name(ruleset, row.caseworker)}, wird abgelegt"
    else:
        where = "in Bearbeitung durch den Bot"
    return Hit(row, where)
