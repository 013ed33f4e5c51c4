"""Configuration problems: where they are (file, line) and how to fix them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz, process


@dataclass(frozen=True)
class ConfigProblem:
    """One mistake in a configuration file; ``message`` says what is wrong and the fix."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


class RulesConfigError(Exception):
    """The rules or the caseworker directory cannot be used; ``problems`` lists every mistake."""

    def __init__(self, problems: Iterable[ConfigProblem]):
        self.problems: list[ConfigProblem] = sorted(problems, key=lambda p: (p.file, p.line))
        super().__init__("\n".join(str(p) for p in self.problems))


class ProblemLog:
    """Collects problems for one file, so parsers can report and go on."""

    def __init__(self, file: str, into: list[ConfigProblem]):
        self.file = file
        self._into = into

    def add(self, line: int, message: str) -> None:
        self._into.append(ConfigProblem(self.file, line, message))


def did_you_mean(word: object, choices: Iterable[str]) -> str:
    """' (meinten Sie „x“?)' for the closest choice, or '' when nothing is close."""
    if not isinstance(word, str):
        return ""
    best = process.extractOne(word, list(choices), scorer=fuzz.ratio, score_cutoff=60)
    return f" (meinten Sie „{best[0]}“?)" if best else ""
