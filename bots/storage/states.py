"""The states a document passes through in the ledger, and which of them end its work."""

from __future__ import annotations

from enum import StrEnum


class State(StrEnum):
    RECEIVED = "received"  # registered; its original is in the store
    READ = "read"  # its kind and pages are known
    EXTRACTED = "extracted"  # its invoice fields are recorded
    DECIDED = "decided"  # a queue is recorded; filing is due
    FILED = "filed"  # in the e-file (terminal)
    EXCEPTION = "exception"  # waits for a clerk (terminal for the bot)
    REJECTED = "rejected"  # closed by a clerk without filing (terminal)


STATES: tuple[State, ...] = tuple(State)
TERMINAL: tuple[State, ...] = (State.FILED, State.EXCEPTION, State.REJECTED)
# Durability (WAL): every commit is fsynced (synchronous=FULL) except the bot's own steps that
# are redone identically after a power loss: reading, extracting, filing into the queue
# already recorded as decided (the same files again), leases and attempt counts. A commit
# with NORMAL is atomic and in order; only its fsync waits for the next FULL commit or
# checkpoint. So intake (before the input is deleted), decisions (before a queue receives
# the invoice), exceptions and every human action stay durable at once.
RELAXED_STATES = frozenset({State.READ, State.EXTRACTED, State.FILED})
