"""What every stage works with: the configuration, the ledger, the store and the rules."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from bots.config import BotConfig
from bots.storage.ledger import Ledger
from bots.storage.liveness import owner_id
from bots.storage.store import Store
from rules.loader import RuleSet


@dataclass
class Context:
    config: BotConfig
    ledger: Ledger
    store: Store
    ruleset: RuleSet
    today: Callable[[], date] = date.today
    owner: str = field(default_factory=owner_id)  # this process, for leases in the ledger
