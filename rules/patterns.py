"""Regular expressions from the rules, compiled once and protected against runaway matching.

A pattern that can backtrack badly (a repetition inside a repetition, an alternation inside
a repetition, more than two open-ended repetitions, or syntax Python's own `re` does not
know, such as \\p{L}) runs on the `regex` package with a timeout. Every other pattern runs on
Python's `re` without one: a timed search costs about 3.5 µs more, which 500 rules cannot
afford, and without nesting the work grows at most with the square of the input, which
MAX_INPUT_CHARS bounds (longer values are not searched at all).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import regex

try:  # Python's own regex parser, used only to judge how a pattern may backtrack
    from re import _constants as sre_constants
    from re import _parser as sre_parse
except ImportError:  # pragma: no cover - another Python layout: guard every pattern
    sre_parse = sre_constants = None

TIMEOUT_SECONDS = 0.05
MAX_INPUT_CHARS = 1000


@dataclass(frozen=True)
class Pattern:
    """A compiled pattern; ``search`` raises TimeoutError when a guarded search runs too long."""

    source: str
    compiled: re.Pattern | regex.Pattern = field(compare=False, repr=False)
    guarded: bool = field(compare=False)

    def search(self, text: str) -> re.Match | regex.Match | None:
        if self.guarded:
            return self.compiled.search(text, timeout=TIMEOUT_SECONDS)
        return self.compiled.search(text)


class PatternError(ValueError):
    """The pattern does not compile; the message says why."""


def compile_pattern(source: str) -> Pattern:
    """Compile a pattern, choosing the engine as the module docstring says."""
    if not may_backtrack_badly(source):
        try:
            return Pattern(source, re.compile(source), guarded=False)
        except re.error:
            pass  # let `regex` judge it and word the error
    try:
        return Pattern(source, regex.compile(source), guarded=True)
    except regex.error as exc:
        raise PatternError(str(exc)) from None


def may_backtrack_badly(source: str) -> bool:
    """True when the pattern's structure allows exponential or high-polynomial matching."""
    if sre_parse is None:
        return True
    try:
        tree = sre_parse.parse(source)
    except Exception:  # noqa: BLE001 - syntax only `regex` knows: guard it
        return True
    counter = [0]
    return _risky(list(tree), inside_repeat=False, unbounded=counter) or counter[0] > 2


_REPEATS = {getattr(sre_constants, name, None)
            for name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT")} - {None}


def _risky(items: list, inside_repeat: bool, unbounded: list[int]) -> bool:
    c = sre_constants
    for op, arg in items:
        if op in _REPEATS:
            _low, high, body = arg
            repeats = high > 1
            if repeats and inside_repeat:
                return True
            if high == c.MAXREPEAT:
                unbounded[0] += 1
            if _risky(list(body), inside_repeat or repeats, unbounded):
                return True
        elif op is c.BRANCH:
            if inside_repeat or any(_risky(list(alt), inside_repeat, unbounded) for alt in arg[1]):
                return True
        elif op is c.SUBPATTERN:
            if _risky(list(arg[-1]), inside_repeat, unbounded):
                return True
        elif op in (c.ASSERT, c.ASSERT_NOT):
            if _risky(list(arg[1]), inside_repeat, unbounded):
                return True
        elif op is getattr(c, "ATOMIC_GROUP", None):
            if _risky(list(arg), inside_repeat, unbounded):
                return True
        elif op is c.GROUPREF_EXISTS:
            return True
    return False
