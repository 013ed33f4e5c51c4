"""Fault-injection points for crash tests.

`fault_point("after_mail_registered")` does nothing unless the environment variable RBOT_FAULT
names that point (a comma-separated list may name several); then the process kills itself
with SIGKILL right there, as a power cut would: no cleanup, no finally blocks, no flushing.
Tests start the bot as a subprocess with RBOT_FAULT set, then restart it without.
`name:stop` instead stops the process there (SIGSTOP, all its threads and its heartbeat),
as a host cut off from the network would be, until a SIGCONT.

Points: after_mail_registered (a mail's documents are in the ledger, the mail not yet moved);
efile_written (a filing written or handed over, not yet recorded); handover_staged and
handover_partial (a DMS or export hand-over staged / its first file moved);
proposals_batch_marked (an export batch recorded, its files not yet written); return_withdrawn
(a returned invoice's e-file copy withdrawn, the return not yet recorded).
"""

from __future__ import annotations

import os
import signal

ENV_VAR = "RBOT_FAULT"


def fault_point(name: str) -> None:
    named = os.environ.get(ENV_VAR, "").split(",")
    if name in named:
        os.kill(os.getpid(), signal.SIGKILL)
    elif f"{name}:stop" in named:  # the process paused (SIGCONT goes on), as a host cut off
        os.kill(os.getpid(), signal.SIGSTOP)
