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
_NAME_LINES_BELOW = 4
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
    return name if 3 <= len(name) <= 80 and name[0].isalpha() else None


def _plain_name(cell: str) -> str | None:
    """A cell that reads like a name: mostly letters, not a label, not an address line."""
    text = " ".join(cell.split())
    if not 3 <= len(text) <= 80 or ":" in text or not text[0].isalpha():
        return None
    if sum(c.isdigit() for c in text) > 2 or sum(c.isalpha() for c in text) < 3:
        return None
    return text


def _cells_under(lines: list[Line], hit) -> list[tuple[Line, int, int]]:
    """The label's own cell rest, then the first cell reaching into its column on each of
    the next lines; cells that are labels themselves ('Nummer : 4711') are left out."""
    line = lines[hit.line_no]
    found = []
    for start, end in cells(line.text):
        if start <= hit.start < end and line.text[hit.end : end].strip(" :"):
            found.append((line, hit.end, end))
    for below in lines[hit.line_no + 1 : hit.line_no + 1 + _NAME_LINES_BELOW]:
        if below.page != line.page:
            break
        for start, end in cells(below.text):
            if end > hit.start - 2:
                if not below.text[end:].lstrip().startswith(":"):
                    found.append((below, start, end))
                break
    return found


def _labelled(lines: list[Line]) -> list[Candidate]:
    """Names after 'Verkäufer:', 'Rechnungsersteller', 'Lieferant:' ...: in the label's
    cell or in the cells below it; a name with a legal form is preferred."""
    found = []
    for hit in label_hits(lines, "seller_name"):
        if not _LABEL_END.match(lines[hit.line_no].text, hit.end):
            continue  # "Lieferant GmbH" is a name, not the label "Lieferant:"
        options = [
            (line, start, end, name_in(line.text[start:end]), _plain_name(line.text[start:end]))
            for line, start, end in _cells_under(lines, hit)
        ]
        with_form = [(line, s, e, name, 0.85) for line, s, e, name, _ in options if name]
        plain = [(line, s, e, name, 0.7) for line, s, e, _, name in options if name]
        for line, start, end, name, score in (with_form or plain)[:1]:
            found.append(
                unlabelled("seller_name", name, line, (start, end), score, f"label '{hit.text}'")
            )
    return found


def _wrapped_start(lines: list[Line], position: int, start: int) -> str:
    """The first part of a letterhead name broken over two lines ("MVM Musterhafter" above
    "Versicherungsverein Musterstadt a.G."): the line right above, same column, no digits."""
    if position == 0:
        return ""
    above, line = lines[position - 1], lines[position]
    if above.page != line.page or above.index != line.index - 1:
        return ""
    spans = cells(above.text)
    if not spans or abs(spans[0][0] - start) > 2:
        return ""
    text = _plain_name(above.text[spans[0][0] : spans[0][1]])
    return text + " " if text and len(text) <= 40 and not name_in(text) else ""


def _with_form(lines: list[Line], score: float, what: str, *, wrapped: bool) -> list[Candidate]:
    found = []
    for position, line in enumerate(lines):
        if _BUYER_BLOCK.search(line.text):
            break
        for start, end in cells(line.text):
            name = name_in(line.text[start:end])
            if name:
                prefix = _wrapped_start(lines, position, start) if wrapped else ""
                found.append(
                    unlabelled("seller_name", prefix + name, line, (start, end), score, what)
                )
    return found


def seller_candidates(lines: list[Line]) -> list[Candidate]:
    first_page = [line for line in lines if line.page == 1 and line.text.strip()]
    letterhead = _with_form(first_page[:_LETTERHEAD_LINES], 0.75, "letterhead", wrapped=True)
    footer = _with_form(first_page[-_FOOTER_LINES:], 0.65, "footer", wrapped=False)
    return _labelled(lines) + letterhead[:1] + footer[:1]
