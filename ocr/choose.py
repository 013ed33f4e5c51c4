"""Picking one value from a field's candidates."""

from __future__ import annotations

from dataclasses import replace

from ocr.candidates import Candidate

AGREEMENT_BONUS = 0.03


def ranked(candidates: list[Candidate], *, later_first: bool = False) -> list[Candidate]:
    """One candidate per value, best first: its best score plus a little for every further
    place that says the same; ties go to the earlier line (or the later, for totals)."""
    by_value: dict[str, list[Candidate]] = {}
    for candidate in candidates:
        by_value.setdefault(candidate.value, []).append(candidate)
    merged = []
    for group in by_value.values():
        top = max(group, key=lambda c: c.score)
        score = min(0.99, top.score + AGREEMENT_BONUS * (len(group) - 1))
        merged.append(replace(top, score=score))
    position = 1 if later_first else -1
    return sorted(
        merged, key=lambda c: (c.score, position * c.page, position * c.line), reverse=True
    )


def best(candidates: list[Candidate], *, later_first: bool = False) -> Candidate | None:
    ranked_candidates = ranked(candidates, later_first=later_first)
    return ranked_candidates[0] if ranked_candidates else None
