"""Who holds a lease, and whether that process is still alive.

An owner id is "host:pid:start", the process start time taken from /proc so that a reused pid
is not mistaken for the original process. A lease of a dead process on this host is taken over
at once; a lease held on another host is trusted until it expires (or its worker's heartbeat
stops, see ledger_leases.py). The host is the machine's name, or RBOT_WORKER_HOST where
several machines share a name (containers) — the chaos benchmark also runs "hosts" that way.
"""

from __future__ import annotations

import os
import socket
from pathlib import Path


def _start_ticks(pid: int) -> str:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return "?"
    return stat.rsplit(")", 1)[1].split()[19]  # field 22: start time since boot


def host_name() -> str:
    return os.environ.get("RBOT_WORKER_HOST") or socket.gethostname()


def owner_id() -> str:
    return f"{host_name()}:{os.getpid()}:{_start_ticks(os.getpid())}"


def owner_alive(owner: str | None) -> bool:
    """False only when the owner certainly is a dead process on this host."""
    if not owner:
        return False
    host, _, rest = owner.partition(":")
    pid_text, _, start = rest.partition(":")
    if host != host_name() or not pid_text.isdigit():
        return True
    pid = int(pid_text)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    return start in ("?", _start_ticks(pid))
