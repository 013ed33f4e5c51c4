"""Invoice fields from printed text (a PDF text layer or OCR lines): labels, shapes,
checksums and arithmetic, each value with a confidence and where it was found."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

from stdnum import iban as stdnum_iban

from ocr import parsers
from ocr.amount_labels import amount_labels, column_sums
from ocr.amounts import choose_totals
from ocr.candidates import Candidate, labelled, line_end, next_cell_end, unlabelled
from ocr.choose import best
from ocr.german import find_amounts, find_dates, slash_dates_day_first
from ocr.identifiers import find_ibans, find_vat_ids, leitweg_valid, vat_valid
from ocr.labels import BUYER_LINE, OTHER_DATE_LINE
from ocr.layout import Line
from ocr.model import Extraction
from ocr.sections import buyer_zones
from ocr.seller import seller_candidates

# A further source of candidates: f(lines) -> candidates of any fields.
CandidateSource = Callable[[list[Line]], Iterable[Candidate]]
VALID_BONUS = 0.1
INVALID_PENALTY = 0.35
REPAIR_PENALTY = 0.15
DUE_AS_GROSS = 0.05
_EXEMPT = re.compile(
    r"(?:umsatz)?steuerfrei|von\s+der\s+(?:Umsatzsteuer|USt\.?)\s+befreit|§\s?4\s?Nr\.?\s?\d+"
    r"|§\s?19\s?UStG|Kleinunternehmer|exon[ée]r[ée]|TVA\s+non\s+applicable|VAT\s+exempt"
    r"|exempt\s+from\s+VAT", re.IGNORECASE)
_LEITWEG_SHAPE = re.compile(r"(?<![\w-])\d{2,12}(?:-[A-Z0-9]{1,30})?-\d{2}(?![\w-])")
_TITLE_LINES = 20  # non-empty lines at the top of page 1
_CREDIT_NOTE = re.compile(r"(?<!\w)(?:Gutschrift|Avoir|Credit\s+note)(?!\w)", re.IGNORECASE)
_PAYMENT_DAYS = re.compile(
    r"(?:Zahlungsziel|zahlbar|zahlen|überweisen|begleichen|Zahlung|pay(?:able|ment)?|paid"
    r"|payment\s+terms|paiement|payer|r[èe]glement)"
    r"\D{0,40}?(?:innerhalb|binnen|within|sous|dans\s+un\s+d[ée]lai\s+de|:)(?:\s+von)?"
    r"\s*(\d{1,3})\s*(?:Tage|Tagen|days|jours)(?![^\n]{0,20}(?:Skonto|escompte|discount))",
    re.IGNORECASE,
)


def _adjust(candidate: Candidate, delta: float, note: str) -> Candidate:
    score = max(0.05, min(0.99, candidate.score + delta))
    return replace(candidate, score=score, evidence=f"{candidate.evidence}; {note}")


def _checked(candidates: list[Candidate], valid, what: str) -> list[Candidate]:
    """Raise the candidates `valid` accepts, lower the others."""
    return [
        _adjust(c, VALID_BONUS, f"{what} valid")
        if valid(c.value)
        else _adjust(c, -INVALID_PENALTY, f"{what} not verified")
        for c in candidates
    ]


def _leitweg_inside(candidate: Candidate) -> Candidate:
    """'des Empfängers 04011000-12345-03' -> the Leitweg-ID it holds, if valid."""
    for match in _LEITWEG_SHAPE.finditer(candidate.value):
        if match.group() != candidate.value and leitweg_valid(match.group()):
            return replace(candidate, value=match.group(), column=candidate.column + match.start())
    return candidate


class TextFields:
    """The fields of one document's lines. One method per field or group of fields."""

    def __init__(self, lines: list[Line], sources: Sequence[CandidateSource] = ()):
        self.lines = lines
        self._hints: dict[str, list[Candidate]] = defaultdict(list)
        for source in sources:
            for candidate in source(lines):
                self._hints[candidate.field].append(candidate)
        self._by_place = {(line.page, line.index): line for line in lines}
        self.day_first = slash_dates_day_first("\n".join(line.text for line in lines))
        self._date = parsers.date_parser(day_first=self.day_first)
        self._buyer_zones = buyer_zones(lines)

    def _line_of(self, candidate: Candidate) -> Line:
        return self._by_place.get((candidate.page, candidate.line), Line(0, 0, ""))

    def _not_buyer(self, candidates: list[Candidate]) -> list[Candidate]:
        """Drop values printed on a line about the buyer (their VAT ID, a direct debit) or
        in a block under a buyer header."""
        return [
            c
            for c in candidates
            if not BUYER_LINE.search(self._line_of(c).text)
            and not any(zone.holds(c.page, c.line, c.column) for zone in self._buyer_zones)
        ]

    def _everywhere(self, find, field: str, score: float, what: str) -> list[Candidate]:
        """Unlabelled candidates: every value `find` recognises by its shape; values whose
        OCR look-alikes had to be repaired (O read for 0) score lower."""
        return [
            unlabelled(
                field,
                item.value,
                line,
                (item.start, item.end),
                score - REPAIR_PENALTY if item.repaired else score,
                what + (" (OCR look-alikes repaired)" if item.repaired else ""),
            )
            for line in self.lines
            for item in find(line.text)
        ]

    def _checked_hints(self, field: str, valid) -> list[Candidate]:
        """Hints whose value its checksum refutes are dropped, not obeyed."""
        return [hint for hint in self._hints[field] if valid(hint.value)]

    def _labelled(self, field: str, parse, reach=next_cell_end) -> list[Candidate]:
        """Candidates after the field's labels, and the hints of extra sources."""
        return labelled(self.lines, field, parse, reach) + self._hints[field]

    def invoice_number(self) -> Candidate | None:
        return best(self._labelled("invoice_number", parsers.identifier))

    def order_reference(self) -> Candidate | None:
        return best(self._labelled("order_reference", parsers.identifier))

    def buyer_reference(self) -> Candidate | None:
        found = [
            _leitweg_inside(c)
            for c in self._labelled("buyer_reference", parsers.reference)
        ]
        leitweg = [c for c in found if leitweg_valid(c.value)]
        found = [c for c in found if c not in leitweg] + [
            _adjust(c, VALID_BONUS, "Leitweg-ID check digits valid") for c in leitweg
        ]
        found += [
            unlabelled("buyer_reference", m.group(), line, m.span(), 0.45, "Leitweg-ID shape")
            for line in self.lines
            for m in _LEITWEG_SHAPE.finditer(line.text)
            if leitweg_valid(m.group()) and not find_dates(m.group())
        ]
        return best(found)

    def issue_date(self) -> Candidate | None:
        return best(self._labelled("issue_date", self._date, line_end)) or self._first_date()

    def _first_date(self) -> Candidate | None:
        """No label: the first date on page 1 not about delivery, ordering or payment."""
        for line in self.lines:
            if line.page != 1 or OTHER_DATE_LINE.search(line.text) or BUYER_LINE.search(line.text):
                continue
            dates = find_dates(line.text, day_first=self.day_first)
            if dates:
                item = dates[0]
                return unlabelled(
                    "issue_date", item.value, line, (item.start, item.end), 0.4, "first date"
                )
        return None

    def due_date(self, issue: Candidate | None) -> Candidate | None:
        found = best(self._labelled("due_date", self._date, line_end))
        return found or (self._due_from_terms(issue) if issue else None)

    def _due_from_terms(self, issue: Candidate) -> Candidate | None:
        """'Zahlungsziel 14 Tage' / 'zahlbar innerhalb von 30 Tagen': issue date + days."""
        for line in self.lines:
            match = _PAYMENT_DAYS.search(line.text)
            if match:
                due = date.fromisoformat(issue.value) + timedelta(days=int(match.group(1)))
                what = f"issue date + {match.group(1)} days"
                return unlabelled("due_date", due.isoformat(), line, match.span(), 0.5, what)
        return None

    def iban(self) -> Candidate | None:
        found = labelled(self.lines, "iban", parsers.iban, line_end)
        found += self._everywhere(find_ibans, "iban", 0.6, "IBAN shape")
        found += self._checked_hints("iban", stdnum_iban.is_valid)
        return best(_checked(self._not_buyer(found), stdnum_iban.is_valid, "mod 97"))

    def seller_vat_id(self) -> Candidate | None:
        found = labelled(self.lines, "seller_vat_id", parsers.vat_id, next_cell_end)
        found += self._everywhere(
            lambda text: find_vat_ids(text, find_ibans(text)), "seller_vat_id", 0.45, "VAT ID shape"
        )
        found += self._checked_hints("seller_vat_id", vat_valid)
        return best(_checked(self._not_buyer(found), vat_valid, "checksum"))

    def currency(self) -> Candidate | None:
        found = best(labelled(self.lines, "currency", parsers.currency, next_cell_end))
        if found:
            return _adjust(found, 0.1, "currency label")
        marks = Counter(mark for line in self.lines for mark in parsers.currency_marks(line.text))
        if marks:
            code, count = marks.most_common(1)[0]
            return Candidate(
                "currency", code, 0.85 if count > 1 else 0.7, f"{count} currency marks"
            )
        return None

    def credit_note(self) -> bool:
        """Titled a credit note near the top of page 1 ("Gutschrift", "Avoir", "Credit note")."""
        top = [line for line in self.lines if line.page == 1 and line.text.strip()]
        top = top[:_TITLE_LINES]
        return any(_CREDIT_NOTE.search(line.text) for line in top)

    def totals(self) -> dict[str, Candidate]:
        labels = amount_labels(self.lines)
        found = {f: labelled(self.lines, f, parsers.amount, line_end, column=True, hits=hits)
                 + column_sums(self.lines, hits) + self._hints[f]
                 for f, hits in labels.hits.items()}
        if not labels.deductions:  # nothing prepaid: the amount due is the gross
            found["total_gross"] += [
                replace(_adjust(c, -DUE_AS_GROSS, "amount due, nothing deducted"),
                        field="total_gross") for c in found["amount_due"]]
        if not found["total_tax"] and (exempt := self._exemption()):
            found["total_tax"].append(exempt)
        printed = frozenset(a.value for line in self.lines for a in find_amounts(line.text))
        chosen = choose_totals(found, printed)
        if self.credit_note() and _all_negative(chosen):
            # EN 16931: a credit note (381) states its amounts positive; its type says credit
            chosen = {name: replace(c, value=c.value.lstrip("-"),
                                    evidence=f"{c.evidence}; credit note: amount positive")
                      for name, c in chosen.items()}
        return chosen

    def _exemption(self) -> Candidate | None:
        """A note that the invoice is exempt from VAT: its tax is zero."""
        for line in self.lines:
            match = _EXEMPT.search(line.text)
            if match:
                return unlabelled("total_tax", "0.00", line, match.span(), 0.8, "VAT exemption")
        return None

    def seller_name(self) -> Candidate | None:
        return best(seller_candidates(self.lines) + self._hints["seller_name"])

    def all(self) -> dict[str, Candidate]:
        issue = self.issue_date()
        found = {
            "invoice_number": self.invoice_number(),
            "issue_date": issue,
            "due_date": self.due_date(issue),
            "buyer_reference": self.buyer_reference(),
            "order_reference": self.order_reference(),
            "seller_name": self.seller_name(),
            "seller_vat_id": self.seller_vat_id(),
            "iban": self.iban(),
            "currency": self.currency(),
            **self.totals(),
        }
        if found["currency"] is None and any(found.get(f) for f in ("total_gross", "total_net")):
            found["currency"] = Candidate(
                "currency", "EUR", 0.5, "assumed: amounts without currency"
            )
        return {name: c for name, c in found.items() if c is not None}


def _all_negative(totals: dict[str, Candidate]) -> bool:
    values = [Decimal(c.value) for c in totals.values()]
    return bool(values) and all(v <= 0 for v in values) and any(v < 0 for v in values)


def _warnings(fields: dict[str, str]) -> tuple[str, ...]:
    """What a clerk should look at: printed identifiers failing their checks, totals that
    do not add up. Names the fields, never their values."""
    warnings = []
    if "iban" in fields and not stdnum_iban.is_valid(fields["iban"]):
        warnings.append("iban: printed IBAN fails the mod-97 check")
    if "seller_vat_id" in fields and not vat_valid(fields["seller_vat_id"]):
        warnings.append("seller_vat_id: check digits not verified")
    if all(name in fields for name in ("total_net", "total_tax", "total_gross")):
        net, tax, gross = (Decimal(fields[n]) for n in ("total_net", "total_tax", "total_gross"))
        if net + tax != gross:
            warnings.append("totals: total_net + total_tax != total_gross")
    return tuple(warnings)


def extract_from_lines(lines: list[Line],
                       sources: Sequence[CandidateSource] = ()) -> Extraction:
    """The contract fields of a document's layout lines. `sources` add candidates of their
    own (hints learned about a provider: where it prints a field, with their confidence);
    they compete with what the labels find and pass the same checks."""
    text_fields = TextFields(lines, sources)
    found = text_fields.all()
    fields = {name: c.value for name, c in found.items()}
    return Extraction(
        fields=fields,
        confidence={name: round(c.score, 3) for name, c in found.items()},
        evidence={name: c.evidence for name, c in found.items()},
        warnings=_warnings(fields),
        extra={"document_type_code": "381" if text_fields.credit_note() else None,
               "credit_note": text_fields.credit_note()},
    )
