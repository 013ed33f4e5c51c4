"""What clerks do with an exception: correct fields and decide again, assign a caseworker,
reject with a reason, retry after a configuration change, mark as a duplicate.

Plain functions over the pipeline's Context, called by the review desk (bots/web). Every
action first claims the document in one guarded ledger transition — only while it is an open
exception and, when the caller passes the `version` it showed, unchanged since — and writes
the audit row with who and when. Deciding and filing reuse the pipeline's stages, so the
e-file receives an invoice exactly once, in the same form as the bot files it. Nothing is
ever deleted: a rejected document keeps its row, its audit trail and its original.
"""

from __future__ import annotations

import re
import time
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date

from stdnum import iban as stdnum_iban

from bots.config import ConfigError, load_config
from bots.learning.correction import learn_from_desk, learned_note
from bots.pipeline.context import Context
from bots.pipeline.fieldnames import label
from bots.pipeline.model import Routing
from bots.pipeline.reasons import Reason, explain
from bots.pipeline.recorded import document_of, recorded_invoice
from bots.pipeline.records import decision_record
from bots.pipeline.stages import checks_of
from bots.pipeline.work import LEASE_SECONDS, process_leased
from bots.storage.ledger import DocumentRow
from bots.storage.states import State
from ocr.german import parse_amount, parse_date
from ocr.identifiers import vat_valid
from ocr.model import FIELD_NAMES
from ocr.normalize import amount, collapse, compact_id
from rules.assignment import assign_caseworker, first_present_deputy
from rules.german import format_date
from rules.loader import RulesConfigError, load_ruleset
from rules.model import Decision, Outcome, RuleSet

OPEN = State.EXCEPTION
DOCUMENT_ID = re.compile(r"[0-9a-f]{16}")
MAX_TEXT = 500

_DATE_FIELDS = ("issue_date", "due_date")
_AMOUNT_FIELDS = ("total_net", "total_tax", "total_gross", "amount_due")
_GERMAN_AMOUNT = re.compile(r"-?(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d{1,2})?")


class ReviewError(Exception):
    """An action that was not done. `message` is German for the clerk; `field_errors` maps a
    form field to its German error."""

    def __init__(self, message: str, field_errors: Mapping[str, str] | None = None):
        super().__init__(message)
        self.message = message
        self.field_errors = dict(field_errors or {})


class Conflict(ReviewError):
    """The document is no open exception any more, or changed since the clerk saw it."""


@dataclass(frozen=True)
class ReviewResult:
    document_id: str
    state: str  # the document's state afterwards: filed | exception | rejected | decided ...
    queue: str | None
    reason: str | None
    message: str  # German, for the clerk


@dataclass(frozen=True)
class CaseworkerChoice:
    """A caseworker as the assignment form offers them, with who stands in today."""

    id: str
    name: str
    team: str | None  # the team's name
    absent_until: date | None
    deputy_name: str | None

    @property
    def label(self) -> str:
        name = f"{self.name}, {self.team}" if self.team else self.name
        if self.absent_until is None:
            return name
        stand_in = (f"Vertretung: {self.deputy_name}" if self.deputy_name
                    else "keine Vertretung anwesend")
        return f"{name} – abwesend bis {format_date(self.absent_until)}, {stand_in}"


# -- the actions --------------------------------------------------------------------------


def correct_fields(ctx: Context, doc_id: str, values: Mapping[str, str], *, actor: str,
                   version: int | None = None) -> ReviewResult:
    """Set the given contract fields (German input accepted, '' clears), then check, decide
    and file like the bot. Raises ReviewError with field errors when a value is invalid."""
    row = open_exception(ctx, doc_id, fileable=True)
    invoice = recorded_invoice(row)
    fields, errors = normalised_fields(values, invoice.fields)
    if errors:
        raise ReviewError("Bitte die markierten Angaben korrigieren.", errors)
    changed = sorted(f for f, v in fields.items() if invoice.fields.get(f) != v)
    corrected = replace(
        invoice,
        fields={**invoice.fields, **fields},
        confidence={**invoice.confidence, **dict.fromkeys(changed, 1.0)},
        evidence={**invoice.evidence, **dict.fromkeys(changed, "von Hand korrigiert")},
    )
    claim(ctx, row, State.EXTRACTED, actor=actor, event="fields_corrected", version=version,
           detail={"fields": changed}, invoice_json=corrected.to_dict(),
           pay_by=corrected.pay_by())
    taught = learn_from_desk(ctx, row, invoice.fields, corrected.fields, changed, actor=actor)
    result = finish(ctx, row.id)  # checked and decided on the corrected fields
    return replace(result, message=f"{result.message} {learned_note(taught)}".strip())


def assign(ctx: Context, doc_id: str, caseworker_id: str, *, actor: str, note: str = "",
           version: int | None = None) -> ReviewResult:
    """File the invoice into the chosen caseworker's queue — or, while they are absent, their
    first present deputy's, as the rules would."""
    row = open_exception(ctx, doc_id, fileable=True)
    if caseworker_id not in ctx.ruleset.caseworkers:
        raise ReviewError("Bitte eine Sachbearbeitung auswählen.",
                          {"caseworker": "Bitte eine Sachbearbeitung aus der Liste auswählen."})
    note = checked_text(note, "note", required=False)
    assignment = assign_caseworker(ctx.ruleset, caseworker_id, ctx.today())
    if assignment.caseworker is None:
        raise ReviewError(assignment.note, {"caseworker": assignment.note})
    invoice = recorded_invoice(row)
    explanation = " ".join(p for p in (f"Von Hand zugewiesen. {assignment.note}", note) if p)
    previous = Decision.from_dict((row.decision or {}).get("decision") or {})
    decision = Decision(Outcome.MANUAL, assignment.caseworker, assignment.team, None, (), False,
                        explanation, previous.trace)
    routing = Routing(queue=assignment.caseworker, rule_id=None, detail=explanation,
                      decision=decision,
                      assignment={"requested": caseworker_id, "assigned_by": actor})
    checks = checks_of(ctx, document_of(row), invoice)
    claim(ctx, row, State.DECIDED, actor=actor, event="assigned", version=version,
           detail={"caseworker": assignment.caseworker, "requested": caseworker_id},
           caseworker=assignment.caseworker, rule_id=None, invoice_json=invoice.to_dict(),
           decision_json=decision_record(routing, checks))
    return finish(ctx, row.id)  # filed as decided


def reject(ctx: Context, doc_id: str, reason_text: str, *, actor: str,
           version: int | None = None) -> ReviewResult:
    """Close the exception without filing; the document, its trail and its original stay."""
    row = open_exception(ctx, doc_id)
    text = checked_text(reason_text, "reason_text", required=True)
    claim(ctx, row, State.REJECTED, actor=actor, event="rejected", version=version,
           detail={"reason_text": text, "previous_reason": row.reason}, lease=False,
           reason_detail=f"Zurückgewiesen: {text}")
    return result_of(ctx, ctx.ledger.get(row.id))


def mark_duplicate(ctx: Context, doc_id: str, original_id: str, *, actor: str,
                   version: int | None = None) -> ReviewResult:
    """Close the exception as a duplicate of another document; it is never filed."""
    row = open_exception(ctx, doc_id)
    original_id = (original_id or "").strip().lower()
    if not DOCUMENT_ID.fullmatch(original_id) or original_id == row.id \
            or ctx.ledger.get(original_id) is None:
        raise ReviewError("Bitte die ID des ursprünglichen Dokuments angeben.",
                          {"original_id": "Unbekannte Dokument-ID: bitte die 16-stellige ID "
                                          "des ursprünglichen Dokuments eingeben."})
    claim(ctx, row, State.REJECTED, actor=actor, event="marked_duplicate", version=version,
           detail={"original_id": original_id, "previous_reason": row.reason}, lease=False,
           reason=Reason.DUPLICATE, reason_detail=f"Dublette von Dokument {original_id}")
    return result_of(ctx, ctx.ledger.get(row.id))


def retry(ctx: Context, doc_id: str, *, actor: str, version: int | None = None,
          detail: dict | None = None) -> ReviewResult:
    """Decide again with the configuration as it is now (bot.yaml, rules, caseworkers): on the
    stored fields — so corrections are kept — or, when none were extracted, from the
    original through the whole pipeline. `detail` joins the audit row."""
    row = open_exception(ctx, doc_id)
    ctx = reloaded(ctx)
    resume_at = State.RECEIVED if row.invoice is None else State.EXTRACTED
    claim(ctx, row, resume_at, actor=actor, event="retry", version=version, detail=detail,
          attempts=0)
    return finish(ctx, row.id)  # on the stored fields, or read again when there are none


def reloaded(ctx: Context) -> Context:
    """The context with bot.yaml and the rules read anew (after an administrator's change)."""
    try:
        config = load_config(ctx.config.config_file)
        ruleset = load_ruleset(config.rules, config.caseworkers)
    except (ConfigError, RulesConfigError, FileNotFoundError):
        raise ReviewError("Die Konfiguration ist zurzeit fehlerhaft – bitte die Administration "
                          "informieren (run_bot.py rules check).") from None
    return replace(ctx, config=config, ruleset=ruleset)


def caseworker_choices(ruleset: RuleSet, today: date) -> list[CaseworkerChoice]:
    """Every caseworker with their team's name, the absence and the present deputy where one
    applies; sorted by surname (the last word of the name)."""
    choices = []
    for person in ruleset.caseworkers.values():
        deputy = first_present_deputy(ruleset.caseworkers, person, today) \
            if person.is_absent(today) else None
        team = ruleset.teams.get(person.team) if person.team else None
        choices.append(CaseworkerChoice(person.id, person.name, team.name if team else None,
                                        person.absent_until(today),
                                        deputy.name if deputy else None))
    return sorted(choices, key=lambda c: (c.name.split()[-1].casefold(), c.name.casefold()))


def queue_name(ruleset: RuleSet, queue: str | None) -> str:
    """A caseworker's (or team's) name for a queue id."""
    return ruleset.queue_name(queue)


def normalise_field(name: str, text: str | None) -> str | None:
    """A clerk's input in the contract form ('' -> None); ValueError with a German message."""
    value = collapse(text)
    if value is None:
        return None
    if name in _DATE_FIELDS:
        parsed = parse_date(value)
        if parsed is None:
            raise ValueError("Bitte ein Datum wie 31.12.2026 eingeben.")
        return parsed
    if name in _AMOUNT_FIELDS:
        return _amount(value)
    if name == "iban":
        value = compact_id(value)
        if not stdnum_iban.is_valid(value):
            raise ValueError("Diese IBAN ist ungültig (Länge oder Prüfziffer).")
        return value
    if name == "seller_vat_id":
        return _vat_id(compact_id(value))
    if name == "currency":
        if not re.fullmatch(r"[A-Za-z]{3}", value):
            raise ValueError("Bitte einen Währungscode aus drei Buchstaben eingeben, z. B. EUR.")
        return value.upper()
    if len(value) > 200:
        raise ValueError("Höchstens 200 Zeichen.")
    return value


# -- steps ----------------------------------------------------------------------------------


def open_exception(ctx: Context, doc_id: str, *, fileable: bool = False) -> DocumentRow:
    row = ctx.ledger.get(doc_id) if DOCUMENT_ID.fullmatch(doc_id or "") else None
    if row is None:
        raise Conflict("Dieses Dokument gibt es nicht.")
    if row.state != OPEN:
        raise Conflict("Dieses Dokument ist keine offene Ausnahme mehr.")
    if fileable and row.invoice is None:  # nothing read, nothing entered by hand yet
        raise ReviewError(f"{explain(row.reason)} Es kann so nicht abgelegt werden: bitte die "
                          "Angaben von Hand erfassen, neu anfordern oder zurückweisen.")
    return row


def claim(ctx: Context, row: DocumentRow, to_state: State, *, actor: str, event: str,
           version: int | None, detail: dict | None = None, lease: bool = True,
           **columns) -> None:
    """Move the open exception on, with the audit row; with `lease`, the bots leave the
    document alone until finish has done the pipeline's part."""
    if lease:
        columns |= {"lease_owner": ctx.owner, "lease_until": time.time() + LEASE_SECONDS}
    if not ctx.ledger.transition_from(row.id, OPEN, to_state, actor=actor, event=event,
                                      version=version, detail=detail, **columns):
        raise Conflict("Das Dokument wurde inzwischen von jemand anderem bearbeitet. "
                       "Bitte die Seite neu laden.")


def finish(ctx: Context, doc_id: str) -> ReviewResult:
    """Resume the document through the pipeline under the lease claim took — the runner's
    own lease-and-error wrapper — and report where it is now."""
    process_leased(ctx, doc_id)
    return result_of(ctx, ctx.ledger.get(doc_id))


def normalised_fields(values: Mapping[str, str], current: Mapping[str, str | None]
                ) -> tuple[dict[str, str | None], dict[str, str]]:
    """The submitted fields in contract form, and German errors per field. A value the clerk
    left as it was read is kept even when it fails a check (a specimen VAT ID, say): only
    what the clerk types is checked."""
    fields, errors = {}, {}
    for name in FIELD_NAMES:
        if name not in values:
            continue
        try:
            fields[name] = normalise_field(name, values[name])
        except ValueError as exc:
            if _same(values[name], current.get(name)):
                fields[name] = current.get(name)
            else:
                errors[name] = f"{label(name)}: {exc}"
    return fields, errors


def _same(text: str | None, value: str | None) -> bool:
    return value is not None and "".join((text or "").split()).upper() == \
        "".join(value.split()).upper()


def checked_text(value: str | None, field: str, *, required: bool,
                 limit: int = MAX_TEXT) -> str:
    text = (value or "").strip()
    if required and not text:
        raise ReviewError("Bitte einen Grund angeben.", {field: "Bitte einen Grund angeben."})
    if len(text) > limit:
        raise ReviewError(f"Höchstens {limit} Zeichen.", {field: f"Höchstens {limit} Zeichen."})
    return text


def _amount(value: str) -> str:
    """'1.234,5', '1234', '1234.56' or '1.234,56 €' -> '1234.56' (a dot before three digits
    groups thousands, as Germans write)."""
    text = value.replace("€", "").replace("EUR", "").strip()
    if _GERMAN_AMOUNT.fullmatch(text):
        parsed = amount(text.replace(".", "").replace(",", "."))
    else:
        parsed = parse_amount(text)
    if parsed is None:
        raise ValueError("Bitte einen Betrag wie 1.234,56 eingeben.")
    return parsed


def _vat_id(value: str) -> str:
    if not re.fullmatch(r"[A-Z]{2}[0-9A-Z]{2,13}", value):
        raise ValueError("Bitte eine USt-IdNr. wie DE123456789 eingeben.")
    if value[:2] not in ("GB", "CH", "NO") and not vat_valid(value):
        raise ValueError("Diese USt-IdNr. ist ungültig (Prüfziffer).")
    return value


def result_of(ctx: Context, row: DocumentRow) -> ReviewResult:
    """What the clerk is told: where the document is now, from the ledger."""
    name = queue_name(ctx.ruleset, row.caseworker)
    if row.state == State.FILED:
        message = f"Abgelegt bei {name}."
    elif row.state == State.DECIDED:
        message = (f"Entschieden für {name}. Die E-Akte ist gerade nicht erreichbar; der Bot "
                   "legt die Rechnung später ab.")
    elif row.state == State.EXCEPTION:
        message = f"Weiterhin eine Ausnahme: {explain(row.reason)}"
    elif row.state == State.REJECTED and row.reason == Reason.DUPLICATE:
        message = f"{row.reason_detail}: nicht abgelegt, das Original bleibt gespeichert."
    elif row.state == State.REJECTED:
        message = "Zurückgewiesen und nicht abgelegt. Das Original bleibt gespeichert."
    else:
        message = "Die Verarbeitung schlug fehl; der Bot versucht es erneut."
    reason = row.reason if row.state in (OPEN, State.REJECTED) else None
    return ReviewResult(row.id, row.state, row.caseworker, reason, message)
