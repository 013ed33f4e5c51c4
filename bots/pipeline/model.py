"""The values that flow through the pipeline: Document -> Reading -> Invoice -> Checks ->
Routing -> Outcome. Small, immutable, JSON-ready; the closed sets of codes are enums."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum

from bots.pipeline.duedates import pay_by
from bots.pipeline.reasons import Reason
from rules.model import Decision


@dataclass(frozen=True)
class Document:
    """A registered original in the store."""

    id: str
    sha256: str
    source: str
    original_name: str
    store_path: str
    received_at: str


# What a reader says about the document itself, which the rules may test (rules.fields
# DOCUMENT_FIELDS); everything else an e-invoice's extraction reports is its e-invoice part.
DOCUMENT_FACTS = ("document_type_code", "credit_note")


@dataclass(frozen=True)
class Invoice:
    """The extracted invoice: contract fields with confidence and evidence, and in named parts
    what else is known — `document` (type code, credit note), `einvoice` (syntax, profile,
    validation and findings), `vendor` (the master-data match), `custom` (the rules'
    custom fields read from the text) and `payment` (VAT breakdown and cash discount, for
    the posting proposal: bots.posting.terms). `entered_by_hand`: a clerk typed the fields
    from the pages of an original the bot could not read; it is filed as it is, never read
    again."""

    kind: str
    pages: int
    fields: dict[str, str | None]
    confidence: dict[str, float]
    evidence: dict[str, str]
    warnings: tuple[str, ...]
    document: dict[str, object] = field(default_factory=dict)
    einvoice: dict[str, object] = field(default_factory=dict)
    vendor: dict[str, str] = field(default_factory=dict)
    custom: dict[str, str | None] = field(default_factory=dict)
    payment: dict[str, object] = field(default_factory=dict)
    entered_by_hand: bool = False

    def routing_fields(self, source: str) -> dict[str, object]:
        """The plain mapping the rules decide on."""
        return {**self.custom, **self.document, **self.fields, "kind": self.kind,
                "source": source}

    def invoice_key(self) -> str | None:
        """Who issued which invoice number: the key for duplicate detection."""
        number = self.fields.get("invoice_number")
        issuer = (self.fields.get("seller_vat_id") or self.fields.get("iban")
                  or (self.fields.get("seller_name") or "").casefold() or None)
        if not number or not issuer:
            return None
        return f"{issuer}|{number.strip().upper()}"

    def pay_by(self) -> str | None:
        return pay_by(self.fields)

    def to_dict(self) -> dict:
        return asdict(self) | {"warnings": list(self.warnings), "invoice_key": self.invoice_key(),
                               "pay_by": self.pay_by()}

    @classmethod
    def from_dict(cls, data: dict, *, fields: tuple[str, ...], kind: str, pages: int) -> Invoice:
        """An invoice as to_dict() recorded it; `fields` are the names every invoice carries,
        `kind` and `pages` apply when the record has none. Records made before the parts were
        named keep everything in one "extra" mapping: it is sorted into the parts here."""
        extra = dict(data.get("extra") or {})
        document = data.get("document") or {k: extra.pop(k) for k in DOCUMENT_FACTS if k in extra}
        vendor = data.get("vendor") or {k: extra.pop(k) for k in ("vendor_id", "vendor_match")
                                        if k in extra}
        einvoice = data.get("einvoice") or {k: extra.pop(k) for k in list(extra)
                                            if k.startswith("einvoice_") or k == "syntax"}
        return cls(kind=data.get("kind") or kind, pages=data.get("pages") or pages,
                   fields=dict.fromkeys(fields) | (data.get("fields") or {}),
                   confidence=dict(data.get("confidence") or {}),
                   evidence=dict(data.get("evidence") or {}),
                   warnings=tuple(data.get("warnings") or ()),
                   document=dict(document), einvoice=dict(einvoice), vendor=dict(vendor),
                   custom=dict(data.get("custom") or extra),
                   payment=dict(data.get("payment") or {}),
                   entered_by_hand=bool(data.get("entered_by_hand")))


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str = ""  # German, for clerks


@dataclass(frozen=True)
class Checks:
    items: tuple[Check, ...]
    problem: tuple[Reason, str] | None = None  # (reason, German detail) when not fileable

    def to_dict(self) -> dict:
        return {"items": [asdict(c) for c in self.items],
                "problem": list(self.problem) if self.problem else None}

    @classmethod
    def from_dict(cls, data: dict | None) -> Checks:
        data = data or {}
        problem = data.get("problem")
        return cls(items=tuple(Check(**item) for item in data.get("items") or ()),
                   problem=(Reason(problem[0]), problem[1]) if problem else None)


@dataclass(frozen=True)
class Routing:
    """Where the bot files an invoice: a queue, with the rule engine's decision that chose it
    (or a person's, for a manual assignment: `assignment` says who asked for whom)."""

    queue: str
    rule_id: str | None
    detail: str  # German, for clerks
    decision: Decision
    assignment: dict[str, str] = field(default_factory=dict)

    @property
    def review_required(self) -> bool:
        return self.decision.review_required

    def decision_dict(self) -> dict:
        return self.decision.to_dict() | self.assignment

    def to_dict(self) -> dict:
        return {"queue": self.queue, "reason": None, "detail": self.detail,
                "rule_id": self.rule_id, "decision": self.decision_dict()}

    @classmethod
    def from_dict(cls, data: dict) -> Routing:
        recorded = dict(data.get("decision") or {})
        decision = Decision.from_dict(recorded)
        assignment = {k: v for k, v in recorded.items() if k not in Decision.__dataclass_fields__}
        return cls(queue=data["queue"], rule_id=data.get("rule_id"),
                   detail=data.get("detail") or "", decision=decision, assignment=assignment)


class OutcomeKind(StrEnum):
    FILED = "filed"  # in the e-file
    EXCEPTION = "exception"  # in the exception queue, for a clerk
    DUPLICATE = "duplicate"  # the same bytes again: recorded, never filed twice
    PENDING = "pending"  # not finished now; retried later (reason RETRY or EFILE_UNAVAILABLE)


@dataclass(frozen=True)
class Outcome:
    """How one document ended this time."""

    document_id: str
    source: str
    file: str
    outcome: OutcomeKind
    caseworker: str | None = None
    reason: Reason | None = None

    @classmethod
    def of(cls, document: Document, outcome: OutcomeKind, *, caseworker: str | None = None,
           reason: Reason | None = None) -> Outcome:
        return cls(document.id, document.source, document.original_name, outcome,
                   caseworker=caseworker, reason=reason)

    @property
    def finished(self) -> bool:
        """Filed or an exception: the document's last transition ended its lease."""
        return self.outcome in (OutcomeKind.FILED, OutcomeKind.EXCEPTION)

    def to_dict(self) -> dict:
        data = asdict(self)
        data["reason_text"] = self.reason.text if self.reason else None
        return data


class DocumentProblem(Exception):
    """A document that cannot be filed: it becomes an exception with `reason`."""

    def __init__(self, reason: Reason | str, detail: str = "", *,
                 invoice: Invoice | None = None, checks: Checks | None = None,
                 decision: Decision | None = None):
        super().__init__(reason)
        self.reason = Reason(reason)
        self.detail = detail
        self.invoice = invoice
        self.checks = checks
        self.decision = decision


class FilingPostponed(Exception):
    """The e-file target cannot take a decided invoice now; the document stays decided and
    is filed later with the same decision."""
