"""The seller's name: after a seller label, in the letterhead, or in the footer."""

from __future__ import annotations

import re

from ocr.candidates import Candidate, label_hits, unlabelled
from ocr.layout import Line, cells

# Legal forms that end a company name ("Lieferant GmbH", "Musterverein e.V.").
_SUFFIX_FORMS = (
    r"GmbH\s*&\s*Co\.?(?:\s*KGaA|\s*KG|\s*OHG)?",
    r"gGmbH",
    r"GmbH",
    r"mbH",
    r"gAG",
    r"AG",
    r"KGaA",
    r"KG",
    r"OHG",
    r"GbR",
    r"PartG(?:mbB)?",
    r"e\.\s?V\.",
    r"e\.\s?K\.",
    r"eG",
    r"UG(?:\s*\(haftungsbeschränkt\))?",
    r"SE",
    r"a\.\s?G\.",
    r"Ltd\.?",
    r"Limited",
    r"Inc\.?",
    r"LLC",
    r"LLP",
    r"PLC",
    r"SARL",
    r"SAS",
    r"S\.A\.",
    r"SA",
    r"B\.?V\.",
    r"N\.V\.",
    r"S\.r\.l\.",
)
_SUFFIX = re.compile(rf"(?<![\w-])(?:{'|'.join(_SUFFIX_FORMS)})(?![\w&])", re.IGNORECASE)
# Words that make a name a legal entity wherever they stand ("Stiftung Anna Haus").
_ENTITY_WORDS = re.compile(
    r"(?<!\w)(?:Stiftung|Verein|Genossenschaft|Diakonie|Caritas|Lebenshilfe|Anstalt)", re.IGNORECASE
)
_BUYER_BLOCK = re.compile(
    r"Rechnungsempfänger|Leistungsempfänger|Käufer|Kunde|Empfänger|Bill\s+to|Customer|Buyer"
    r"|Client|Adresse\s+de\s+(?:livraison|facturation)",
    re.IGNORECASE,
)
_NAME_SEPARATORS = re.compile(r"\s+[·|•]\s+|\s+[-–]\s+(?=\S*\d)|,\s+(?=\S*\d)")
_LABEL_END = re.compile(r"\s*:|\s*$|\s{2,}")
_LETTERHEAD_LINES = 8
_FOOTER_LINES = 8


def name_in(cell: str) -> str | None:
    """The company name a cell holds: up to its last legal form, or the entity phrase
    before any address separator; None without a legal form or entity word."""
    head = _NAME_SEPARATORS.split(cell, maxsplit=1)[0].strip(" ,;:")
    suffixes = list(_SUFFIX.finditer(head))
    if suffixes and head[: suffixes[0].start()].strip():
        name = head[: suffixes[-1].end()]
    elif _ENTITY_WORDS.search(head):
        name = head
    else:
        return None
    name = " ".join(name.split())
    return name if 3 <= len(name) <= 80 and not name[0].isdigit() else None


def _plain_name(cell: str) -> str | None:
    """A cell that reads like a name: letters, few digits, not itself a label."""
    text = " ".join(cell.split())
    if not 3 <= len(text) <= 80 or text.endswith(":") or ":" in text:
        return None
    if sum(c.isdigit() for c in text) > 2 or sum(c.isalpha() for c in text) < 3:
        return None
    return text


def _labelled(lines: list[Line]) -> list[Candidate]:
    """Names after 'Verkäufer', 'Rechnungsersteller', 'Lieferant' ...: on the label's line
    or on one of the next lines below it."""
    found = []
    for hit in label_hits(lines, "seller_name"):
        line = lines[hit.line_no]
        if not _LABEL_END.match(line.text, hit.end):
            continue  # "Lieferant GmbH" is a name, not the label "Lieferant:"
        rest = line.text[hit.end :].strip(" :")
        window = [(line, rest)] if rest else []
        for below in lines[hit.line_no + 1 : hit.line_no + 5]:
            if below.page == line.page:
                window += [
                    (below, below.text[s:e]) for s, e in cells(below.text) if e > hit.start - 2
                ][:1]
        for target, cell in window:
            name = name_in(cell) or None
            score = 0.85 if name else 0.7
            name = name or _plain_name(cell)
            if name:
                span = (target.text.find(cell), target.text.find(cell) + len(cell))
                found.append(
                    unlabelled("seller_name", name, target, span, score, f"label '{hit.text}'")
                )
                break
    return found


def _with_form(lines: list[Line], score: float, what: str) -> list[Candidate]:
    found = []
    for line in lines:
        if _BUYER_BLOCK.search(line.text):
            break
        for start, end in cells(line.text):
            name = name_in(line.text[start:end])
            if name:
                found.append(unlabelled("seller_name", name, line, (start, end), score, what))
    return found


def seller_candidates(lines: list[Line]) -> list[Candidate]:
    first_page = [line for line in lines if line.page == 1 and line.text.strip()]
    letterhead = _with_form(first_page[:_LETTERHEAD_LINES], 0.75, "letterhead")
    footer = _with_form(first_page[-_FOOTER_LINES:], 0.65, "footer")
    return _labelled(lines) + letterhead[:1] + footer[:1]
