"""The seller's name, from every place an invoice prints it: after a seller label, in the
letterhead, in the sender line above the address window, in an address block, in the
footer. The seller is the party printed in several places (the buyer once, in the window):
a name found in places of several kinds is believed more.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ocr import addresses
from ocr.candidates import Candidate, label_hits, unlabelled
from ocr.layout import Line, cells
from ocr.legal_forms import has_legal_form, is_bare_form, name_in
from ocr.vocabulary import umlaut_tolerant

_BUYER_BLOCK = re.compile(
    umlaut_tolerant(r"Rechnungsempfänger|Leistungsempfänger|Käufer|Kunde|Empfänger|Bill\s+to"
                    r"|Customer|Buyer|Client|Adresse\s+de\s+(?:livraison|facturation)"),
    re.IGNORECASE,
)
_TAGLINE = re.compile(r"\s[·•|]\s|,.*,")
_GREETING = re.compile(r"(?:sehr\s+geehrte|liebe|hallo|dear|madame|monsieur)\b", re.IGNORECASE)
# A top line that cannot end a name: one word, or a little word at its end ("Praxis für").
_UNFINISHED = re.compile(r"^\S+$|\s(?:für|am|an|im|in|zum|zur|der|die|das|und|&|von|de|du"
                         r"|of|the|and)$", re.IGNORECASE)
_LABEL_END = re.compile(r"\s*:|\s*$|\s{2,}")
_LETTERHEAD_LINES = 8
_NAME_LINES_BELOW = 4
_FOOTER_LINES = 8
_WINDOW_LINES = 8  # lines under a sender line that hold the recipient's address
AGREEMENT = 0.1  # belief added per further kind of place that prints the same name
_MAX_SCORE = 0.97


def _plain_name(cell: str) -> str | None:
    """A cell that reads like a name: mostly letters, not a label, not an address line."""
    text = " ".join(cell.split())
    if not 3 <= len(text) <= 80 or ":" in text or not text[0].isalpha():
        return None
    if sum(c.isdigit() for c in text) > 2 or sum(c.isalpha() for c in text) < 3:
        return None
    return text


def _company(text: str) -> str | None:
    """A company name with a legal form in `text`, unless it is a bank's or a court's."""
    name = name_in(text)
    return name if name and addresses.name_shape(name) else None


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
    return text + " " if text and len(text) <= 40 and not has_legal_form(text) else ""


def _form_below(lines: list[Line], position: int, start: int) -> str:
    """The legal form a name continues with on the next line of its column (a letterhead
    "Caritas Pflegedienste Ahlenfeld" over "GmbH & Co. KG"), or ''."""
    if position + 1 >= len(lines):
        return ""
    below, line = lines[position + 1], lines[position]
    if below.page != line.page or below.index != line.index + 1:
        return ""
    spans = [span for span in cells(below.text) if abs(span[0] - start) <= 2]
    text = below.text[spans[0][0] : spans[0][1]] if spans else ""
    return " " + " ".join(text.split()) if text and is_bare_form(text) else ""


def _with_form(lines: list[Line], score: float, what: str, *, wrapped: bool) -> list[Candidate]:
    found = []
    for position, line in enumerate(lines):
        if _BUYER_BLOCK.search(line.text):
            break
        for start, end in cells(line.text):
            name = _company(line.text[start:end])
            if name:
                prefix = _wrapped_start(lines, position, start) if wrapped else ""
                form = "" if has_legal_form(name) else _form_below(lines, position, start)
                found.append(unlabelled("seller_name", prefix + name + form, line,
                                        (start, end), score, what))
    return found


def _top_cell(line: Line) -> tuple[str, int, int] | None:
    """The first cell of a letterhead line if it reads like a name (no tagline, greeting)."""
    start, end = cells(line.text)[0]
    text = line.text[start:end]
    name = addresses.name_shape(text)
    if not name or name_in(text) or _TAGLINE.search(text) or _BUYER_BLOCK.search(text):
        return None
    if _GREETING.match(text) or text.rstrip().endswith((",", ":")):
        return None
    return name, start, end


def _letterhead_line(first_page: list[Line]) -> list[Candidate]:
    """The top line of the page as a name without a legal form ("Taxi Yilmaz"); a name
    broken after a single word or a little word ("Praxis für") goes on on the next line."""
    if not first_page or not (top := _top_cell(first_page[0])):
        return []
    name, start, end = top
    line = first_page[0]
    if form := _form_below(first_page, 0, start):
        return [unlabelled("seller_name", name + form, line, (start, end), 0.75, "letterhead")]
    if (_UNFINISHED.search(name) and len(first_page) > 1
            and first_page[1].index == line.index + 1 and (rest := _top_cell(first_page[1]))):
        name = f"{name} {rest[0]}"
    return [unlabelled("seller_name", name, line, (start, end), 0.5, "top line")]


def _addressed(lines: list[Line]) -> list[Candidate]:
    """Names in sender lines and over address blocks; the block in the address window
    under a sender line is the recipient's."""
    found, window = [], set()
    for sender in addresses.sender_names(lines):
        line = lines[sender.line_no]
        score = 0.75 if name_in(sender.name) else 0.65
        found.append(unlabelled("seller_name", sender.name, line, (sender.start, sender.end),
                                score, "sender line"))
        window |= set(range(sender.line_no + 1, sender.line_no + 1 + _WINDOW_LINES))
    for block in addresses.block_names(lines):
        line = lines[block.line_no]
        if block.line_no in window or _BUYER_BLOCK.search(line.text):
            continue
        score = 0.6 if name_in(block.name) else 0.5
        found.append(unlabelled("seller_name", block.name, line, (block.start, block.end),
                                score, "address block"))
    return found


def _kind(candidate: Candidate) -> str:
    return candidate.evidence.split(" p")[0]


_FOLD = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "ß": "ss", "é": "e", "è": "e"})


def _folded(name: str) -> str:
    """A name as OCR may spell it: no case, no umlauts, no blanks or dots."""
    return "".join(c for c in name.casefold().translate(_FOLD) if c.isalnum())


def _spelling(group: list[Candidate]) -> Candidate:
    """Of one name's spellings the likeliest: OCR loses umlauts more than it makes them;
    then the spelling most places print ("gG mbH" in a spaced-out letterhead, "gGmbH" in
    the footer and the sender line); then the best-believed."""
    def votes(candidate: Candidate) -> int:
        return sum(c.value == candidate.value for c in group)
    return max(group, key=lambda c: (sum(not ch.isascii() for ch in c.value), votes(c),
                                     c.score))


def _agreeing(found: list[Candidate]) -> list[Candidate]:
    """One candidate per name, raised by AGREEMENT for every further line that prints it
    (spelt alike but for OCR's umlauts and blanks); a name that begins a longer one (a
    letterhead broken over two lines) counts for the longer one."""
    merged = []
    for candidate in found:
        key = _folded(candidate.value)
        same = [c for c in found if key.startswith(_folded(c.value))
                and (key == _folded(c.value) or candidate.value.startswith(c.value + " "))]
        places = {(c.page, c.line) for c in same}
        spellings = [c for c in same if _folded(c.value) == key]
        top = _spelling(spellings)
        if len(places) > 1:
            best_score = max(c.score for c in spellings)
            score = min(_MAX_SCORE, best_score + AGREEMENT * (len(places) - 1))
            others = sorted({_kind(c) for c in same if (c.page, c.line) != (top.page, top.line)})
            top = replace(top, score=score, evidence=f"{top.evidence}; also in {', '.join(others)}")
        if all(_folded(m.value) != key for m in merged):
            merged.append(top)
    return merged


def _bottom(lines: list[Line], share: float = 0.25) -> list[Line]:
    """The lines in the bottom `share` of a page (by the words' places on a scan)."""
    if any(line.boxes for line in lines):
        tops = [min(b.top for b in line.boxes) for line in lines]
        bottom = max(b.bottom for line in lines for b in line.boxes)
        limit = bottom - share * (bottom - min(tops))
        return [line for line, top in zip(lines, tops, strict=True) if top >= limit]
    last = max((line.index for line in lines), default=0)
    return [line for line in lines if line.index >= (1 - share) * last]


def seller_candidates(lines: list[Line]) -> list[Candidate]:
    first_page = [line for line in lines if line.page == 1 and line.text.strip()]
    letterhead = _with_form(first_page[:_LETTERHEAD_LINES], 0.75, "letterhead", wrapped=True)
    letterhead.sort(key=lambda c: not has_legal_form(c.value))  # before "Diakonie" alone
    footer = _with_form(_bottom(first_page)[-_FOOTER_LINES:], 0.65, "footer", wrapped=False)
    page_one = [line for line in lines if line.page == 1]
    found = (_labelled(lines) + letterhead[:1] + footer[:1] + _letterhead_line(first_page)
             + _addressed(page_one))
    return _agreeing(found)
