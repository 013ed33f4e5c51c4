"""Regular expressions from the rules, compiled once and protected against runaway matching.

A pattern that can backtrack badly (a repetition inside a repetition, an alternation inside
a repetition, more than two open-ended repetitions, or syntax Python's own `re` does not
know, such as \\p{L}) runs on the `regex` package with a timeout. Every other pattern runs on
Python's `re` without one: a timed search costs about 3.5 µs more, which 500 rules cannot
afford, and without nesting the work grows at most with the square of the input, which
MAX_INPUT_CHARS bounds (longer values are not searched at all).

A pattern that must contain fixed texts (``(?i)lebenshilfe\\s+nordstadt`` needs
"lebenshilfe" and "nordstadt") keeps them as ``literals``: a value without one of them
cannot match, and checking that costs a fraction of a search. With ``(?i)`` the literals
are lower-case ASCII and are looked for in ``case_probe(value)``, which maps every character that Python's `re` lets match an
ASCII letter case-insensitively to that letter (see test_rules_patterns.py).
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
MIN_LITERAL_CHARS = 3

# Besides upper and lower case, Python's `re` matches these characters to ASCII letters
# when ignoring case (found by trying every code point; a test checks it stays so).
_CASE_PROBE = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"})


def case_probe(text: str) -> str:
    """The text as a case-insensitive literal check sees it (see the module docstring)."""
    return text.translate(_CASE_PROBE).lower()


@dataclass(frozen=True)
class Pattern:
    """A compiled pattern; ``search`` raises TimeoutError when a guarded search runs too long."""

    source: str
    compiled: re.Pattern | regex.Pattern = field(compare=False, repr=False)
    guarded: bool = field(compare=False)
    literals: tuple[str, ...] = field(default=(), compare=False)  # texts every match contains
    ignore_case: bool = field(default=False, compare=False)  # look for them in case_probe()

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
            compiled = re.compile(source)
        except re.error:
            pass  # let `regex` judge it and word the error
        else:
            literals, ignore_case = required_literals(source)
            return Pattern(source, compiled, False, literals, ignore_case)
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


def required_literals(source: str) -> tuple[tuple[str, ...], bool]:
    """(fixed texts of at least MIN_LITERAL_CHARS that every match contains, whether case
    is ignored). Only characters at the top level of the pattern count; with ignore-case
    only ASCII ones, lower-cased."""
    tree = sre_parse.parse(source)
    ignore_case = bool(tree.state.flags & sre_constants.SRE_FLAG_IGNORECASE)
    runs, current = [], []
    for op, arg in tree:
        usable = op is sre_constants.LITERAL and (not ignore_case or chr(arg).isascii())
        if usable:
            current.append(chr(arg).lower() if ignore_case else chr(arg))
        elif current:
            runs.append("".join(current))
            current = []
    runs.append("".join(current))
    return tuple(run for run in runs if len(run) >= MIN_LITERAL_CHARS), ignore_case


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
