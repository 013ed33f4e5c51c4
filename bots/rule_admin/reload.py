"""Reloading the routing rules while `watch` runs.

`watch` asks a RulesReloader between two batches of documents whether rules.yaml or
caseworkers.yaml changed (by content hash). A change is taken once the files have stayed the
same for one more check (an editor may still be writing), then both files are validated
together. Valid: the context's rule set is replaced in one assignment, so every document is
decided with one whole rule set, old or new. Invalid: the change is refused, each problem is
logged on one line (file, line, message: configuration, never invoice data) and the last good
rules keep running; the same refused content is not reported again.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import structlog

from bots.pipeline.context import Context
from rules.loader import RulesConfigError, load_ruleset
from rules.model import RuleSet

log = structlog.get_logger("rules")

Fingerprint = tuple[str | None, ...]


def fingerprint(paths: tuple[Path, ...]) -> Fingerprint:
    """The SHA-256 of each file's content (None for a file that cannot be read)."""
    digests = []
    for path in paths:
        try:
            digests.append(hashlib.sha256(path.read_bytes()).hexdigest())
        except OSError:
            digests.append(None)
    return tuple(digests)


def version(stamp: Fingerprint) -> str:
    """A short id of a rules version for log lines: the first 12 hex digits of each hash."""
    return "+".join((digest or "missing")[:12] for digest in stamp)


class RulesReloader:
    """Watches the rules file and the caseworker directory of one context."""

    def __init__(self, rules_path: Path, caseworkers_path: Path):
        self.paths = (Path(rules_path), Path(caseworkers_path))
        self.active = fingerprint(self.paths)  # what the running rule set was loaded from
        self._last_seen = self.active
        self._refused: Fingerprint | None = None

    def check(self, ctx: Context) -> bool:
        """Switch ``ctx.ruleset`` to the files' new content when it changed, has settled and
        is valid; True when it switched."""
        seen = fingerprint(self.paths)
        settled, self._last_seen = seen == self._last_seen, seen
        if seen in (self.active, self._refused) or not settled:
            return False
        ruleset = self._load(seen)
        if ruleset is None or fingerprint(self.paths) != seen:  # changed while loading
            return False
        ctx.ruleset = ruleset
        self.active, self._refused = seen, None
        log.info("rules_reloaded", version=version(seen), rules=len(ruleset.rules),
                 caseworkers=len(ruleset.caseworkers), teams=len(ruleset.teams))
        return True

    def _load(self, seen: Fingerprint) -> RuleSet | None:
        try:
            return load_ruleset(*self.paths)
        except RulesConfigError as exc:
            for problem in exc.problems:
                log.error("rules_refused", file=problem.file, line=problem.line,
                          problem=problem.message)
        except Exception as exc:  # noqa: BLE001 - a reload must never stop the bot
            log.error("rules_refused", error_type=type(exc).__name__)
        self._refused = seen
        log.warning("rules_kept", version=version(self.active), refused=version(seen))
        return None
