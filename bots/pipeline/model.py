"""The values that flow through the pipeline: Document -> Reading -> Invoice -> Checks ->
Decision -> Filing. Small, immutable, JSON-ready."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from bots.pipeline.duedates import pay_by
from bots.pipeline.reasons import explain


@dataclass(frozen=True)
class Document:
    """A registered original in the store."""

    id: str
    sha256: str
    source: str
    original_name: str
    store_path: str
    received_at: str


@dataclass(frozen=True)
class Invoice:
    """The extracted invoice: contract fields with confidence and evidence."""

    kind: str
    pages: int
    fields: dict[str, str | None]
    confidence: dict[str, float]
    evidence: dict[str, str]
    warnings: tuple[str, ...]
    extra: dict[str, object]

    def routing_fields(self, source: str) -> dict[str, object]:
        """The plain mapping the rules decide on."""
        return {**self.extra, **self.fields, "kind": self.kind, "source": source}

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


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str = ""  # German, for clerks


@dataclass(frozen=True)
class Checks:
    items: tuple[Check, ...]
    problem: tuple[str, str] | None = None  # (reason code, German detail) when not fileable

    def to_dict(self) -> dict:
        return {"items": [asdict(c) for c in self.items],
                "problem": list(self.problem) if self.problem else None}

    @classmethod
    def from_dict(cls, data: dict | None) -> Checks:
        data = data or {}
        problem = data.get("problem")
        return cls(items=tuple(Check(**item) for item in data.get("items") or ()),
                   problem=tuple(problem) if problem else None)


@dataclass(frozen=True)
class Routing:
    """The decision as the bot files it: a queue, or an exception reason."""

    queue: str | None
    reason: str | None
    detail: str
    rule_id: str | None
    decision: dict = field(default_factory=dict)  # the rules engine's decision with its trace


@dataclass(frozen=True)
class Outcome:
    """How one document ended: filed | exception | duplicate | pending (retry later)."""

    document_id: str
    source: str
    file: str
    outcome: str
    caseworker: str | None = None
    reason: str | None = None

    def to_dict(self) -> dict:
        data = asdict(self)
        data["reason_text"] = explain(self.reason) if self.reason else None
        return data


class DocumentProblem(Exception):
    """A document that cannot be filed: it becomes an exception with `reason`."""

    def __init__(self, reason: str, detail: str = "", *, invoice: Invoice | None = None,
                 checks: Checks | None = None, decision: dict | None = None):
        super().__init__(reason)
        self.reason = reason
        self.detail = detail
        self.invoice = invoice
        self.checks = checks
        self.decision = decision
