"""The bot's store: a durable copy of every original, addressed by its SHA-256."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from bots.storage.atomic import write_atomic


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class Store:
    def __init__(self, root: Path):
        self.root = Path(root)

    def path_for(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256

    def put(self, data: bytes) -> tuple[str, Path]:
        """Store `data` durably (idempotent); returns its hash and path."""
        sha = sha256_of(data)
        path = self.path_for(sha)
        if not (path.exists() and path.stat().st_size == len(data)):
            write_atomic(path, data)
        return sha, path

    def read(self, sha256: str) -> bytes:
        return self.path_for(sha256).read_bytes()

    def check_writable(self) -> None:
        """Raise OSError when the store cannot be written (the bot cannot work then)."""
        self.root.mkdir(parents=True, exist_ok=True)
        probe = self.root / f".write-probe-{os.getpid()}"  # one per process: no race at start
        write_atomic(probe, b"ok")
        probe.unlink()
