"""A worker's heartbeat in the ledger (table workers), from a thread with its own connection,
so a long document does not make the worker look gone: other hosts take over the leases of
a worker only when its heartbeat is older than STALE_SECONDS."""

from __future__ import annotations

import threading
from pathlib import Path

import structlog

from bots.storage.ledger import Ledger
from bots.storage.ledger_leases import HEARTBEAT_SECONDS

log = structlog.get_logger("heartbeat")


class Heartbeat:
    def __init__(self, location: Path | str, owner: str, seconds: float = HEARTBEAT_SECONDS):
        self.location, self.owner, self.seconds = location, owner, seconds
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def __enter__(self) -> Heartbeat:
        ready = threading.Event()
        self._thread = threading.Thread(target=self._beat, args=(ready,), daemon=True,
                                        name="heartbeat")
        self._thread.start()
        ready.wait(timeout=60)  # visible before the first document is claimed
        return self

    def __exit__(self, *exc_info) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=30)

    def _beat(self, ready: threading.Event) -> None:
        """In the thread, with a ledger of its own (a connection is not shared by threads)."""
        try:
            ledger = Ledger(self.location)
        except Exception as exc:  # noqa: BLE001 - the worker itself reports a missing ledger
            log.warning("heartbeat_not_started", error=type(exc).__name__)
            ready.set()
            return
        try:
            while True:
                try:
                    ledger.heartbeat(self.owner)
                except Exception as exc:  # noqa: BLE001 - the ledger may be down: beat again
                    log.warning("heartbeat_failed", error=type(exc).__name__)
                ready.set()
                if self._stop.wait(self.seconds):
                    break
            ledger.retire(self.owner)
        except Exception as exc:  # noqa: BLE001
            log.warning("heartbeat_not_retired", error=type(exc).__name__)
        finally:
            ledger.close()
