"""`run_bot.py proposals export`: the posting proposals not yet exported, as one batch of
files in posting.export_dir (CSV with German headers, JSON Lines, an XML template's file).
Run it once a day after the last filing (deploy/systemd: the report timer), or more often:
each run writes only what is new, and never a proposal twice."""

from __future__ import annotations

from datetime import date

from bots.posting.export import export_proposals, export_template
from bots.wiring import open_context


def add_parsers(sub) -> None:
    proposals = sub.add_parser("proposals", help="posting proposals for the finance system")
    actions = proposals.add_subparsers(dest="action", required=True)
    export = actions.add_parser("export", help="write the proposals not yet exported")
    export.add_argument("--date", type=date.fromisoformat, default=None,
                        help="the day the batch is named after (default today), YYYY-MM-DD")


def cmd_proposals(args, config) -> int:
    ctx = open_context(config)  # refuses a template that cannot be used
    written = export_proposals(ctx.ledger, config.posting, args.date or ctx.today(),
                               export_template(config.posting))
    if not written:
        print("Keine neuen Buchungsvorschläge.")
    for path in written:
        print(path)
    return 0


COMMANDS = {"proposals": cmd_proposals}
