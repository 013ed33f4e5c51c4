"""Label proximity on the OCR words' boxes: where a label's value stands on a scanned page.

Right of the label, a little lower if need be (a label at the top of a table cell, the value
in a bigger font lower in it: OCR puts them on two rows), or below it: on the next lines,
the phrase whose words overlap the label's width. Distances are measured in the label's
letter height, so they hold at any resolution. Text layers have no boxes; for them the
character columns of ocr.candidates do this work.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ocr.layout import Box, Line

_PHRASE_GAP = 1.2  # words closer than this many letter heights form one phrase
_RIGHT_REACH = 30.0  # a value right of its label starts within this many letter heights
_LOWER = 0.9  # ... and its middle at most this many letter heights below the label's bottom
_BELOW_REACH = 3.5  # a value below its label starts within this many letter heights
_OVERLAP_SLACK = 1.0  # letter heights the value may start left of the label's left edge


@dataclass(frozen=True)
class Place:
    """The pixels a label or phrase covers on its page."""

    left: int
    top: int
    right: int
    bottom: int

    @property
    def height(self) -> int:
        return max(1, self.bottom - self.top)

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2


def place_of(boxes: list[Box]) -> Place | None:
    if not boxes:
        return None
    return Place(min(b.left for b in boxes), min(b.top for b in boxes),
                 max(b.right for b in boxes), max(b.bottom for b in boxes))


def phrases(line: Line, letter: int) -> list[tuple[int, int, Place]]:
    """(start, end, place) of the runs of words on a line less than a gap apart."""
    runs: list[list[Box]] = []
    for box in sorted(line.boxes, key=lambda b: b.left):
        if runs and box.left - runs[-1][-1].right < _PHRASE_GAP * letter:
            runs[-1].append(box)
        else:
            runs.append([box])
    return [(run[0].start, run[-1].end, place_of(run)) for run in runs]


def right_of(lines: list[Line], line_no: int, label: Place) -> Iterator[tuple[Line, int, int]]:
    """Phrases right of the label on nearby lines of its page, the nearest first: level with
    it or somewhat lower, never higher."""
    page, letter = lines[line_no].page, label.height
    found = []
    for line in lines[max(0, line_no - 2) : line_no + 3]:
        if line.page != page or not line.boxes:
            continue
        for start, end, place in phrases(line, letter):
            distance = place.left - label.right
            level = label.top - letter / 2 <= place.middle <= label.bottom + _LOWER * letter
            if level and -letter / 2 <= distance <= _RIGHT_REACH * letter:
                found.append((distance, line, start, end))
    for _, line, start, end in sorted(found, key=lambda f: f[0]):
        yield line, start, end


def below(lines: list[Line], line_no: int, label: Place) -> Iterator[tuple[Line, int, int]]:
    """Phrases under the label, on the next lines of its page, overlapping its width: the
    nearest line first, on each line the phrase overlapping most."""
    page, letter = lines[line_no].page, label.height
    for line in lines[line_no + 1 :]:
        if line.page != page or not line.boxes:
            return
        top = min(b.top for b in line.boxes)
        if top - label.bottom > _BELOW_REACH * letter:
            return
        overlaps = []
        for start, end, place in phrases(line, letter):
            overlap = min(place.right, label.right) - max(place.left, label.left)
            if overlap > 0 and place.left >= label.left - _OVERLAP_SLACK * letter:
                overlaps.append((overlap, start, end))
        for _, start, end in sorted(overlaps, reverse=True):
            yield line, start, end
