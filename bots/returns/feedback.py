"""One pass over what comes back after filing — caseworkers' returns, the DMS's refusals —
run before each round of work (bots.pipeline.runner). A problem with one file is logged and
left for the next pass (bots.returns.drop_folder): it never stops the bot."""

from __future__ import annotations

from bots.pipeline.context import Context
from bots.returns.dms_rejections import collect_dms_rejections
from bots.returns.return_folder import collect_returns


def collect_feedback(ctx: Context) -> int:
    """How many documents came back into the exception queue."""
    return len(collect_returns(ctx)) + len(collect_dms_rejections(ctx))
