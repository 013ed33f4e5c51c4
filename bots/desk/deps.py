"""What a request works with: the ledger (one connection per request: SQLite connections stay
in their thread), the pipeline context with the rules as they are now, the signed-in user."""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort, current_app, g

from bots.config import BotConfig
from bots.desk.previews import Previews
from bots.desk.settings import WebSettings
from bots.pipeline.context import Context
from bots.storage.ledger import Ledger
from bots.storage.store import Store
from rules.loader import RulesConfigError, load_ruleset


@dataclass(frozen=True)
class Desk:
    """The application's long-lived parts (kept in app.extensions)."""

    config: BotConfig
    settings: WebSettings
    previews: Previews


def desk() -> Desk:
    return current_app.extensions["review_desk"]


def ledger() -> Ledger:
    if "ledger" not in g:
        g.ledger = Ledger(desk().config.ledger)
    return g.ledger


def context() -> Context:
    """The pipeline context; the rules are read per request, so an administrator's change
    counts at once (and an invalid change shows a clear page instead of old rules)."""
    if "context" not in g:
        config = desk().config
        try:
            ruleset = load_ruleset(config.rules, config.caseworkers)
        except (RulesConfigError, FileNotFoundError):
            abort(503, "Die Zuständigkeitsregeln sind zurzeit fehlerhaft – bitte die "
                       "Administration informieren (run_bot.py rules check).")
        g.context = Context(config=config, ledger=ledger(), store=Store(config.store),
                            ruleset=ruleset)
    return g.context


def close_ledger(_exc=None) -> None:
    db = g.pop("ledger", None)
    if db is not None:
        db.close()
