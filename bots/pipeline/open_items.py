"""The rules engine's open_items, counted in the ledger only for the keys it asks for."""

from __future__ import annotations

from collections.abc import Mapping

from bots.storage.ledger import Ledger
from rules.engine import team_counter_key


class OpenItems(Mapping):
    """Filed documents per caseworker (fewest_open) and a team's turns (round_robin)."""

    def __init__(self, ledger: Ledger):
        self._ledger = ledger

    def __bool__(self) -> bool:
        return True

    def __getitem__(self, key: str) -> int:
        team_prefix = team_counter_key("")
        if key.startswith(team_prefix):
            return self._ledger.team_turns(key[len(team_prefix):])
        return self._ledger.filed_count(key)

    def _all(self) -> dict[str, int]:
        turns = {team_counter_key(t): n for t, n in self._ledger.decisions_per_team().items()}
        return self._ledger.open_items_per_caseworker() | turns

    def __iter__(self):
        return iter(self._all())

    def __len__(self) -> int:
        return len(self._all())
