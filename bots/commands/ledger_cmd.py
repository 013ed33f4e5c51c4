"""Operator commands on the ledger itself: `ledger migrate --to postgresql://...` moves an
SQLite ledger to PostgreSQL (then point `ledger:` in bot.yaml at the URL)."""

from __future__ import annotations

import sys

from bots.storage.database import database_errors, is_postgres, shown
from bots.storage.ledger_copy import CopyRefused, copy_ledger


def add_parsers(sub) -> None:
    ledger = sub.add_parser("ledger", help="the ledger database itself")
    actions = ledger.add_subparsers(dest="action", required=True)
    move = actions.add_parser("migrate", help="copy this SQLite ledger to a new PostgreSQL "
                              "ledger and verify it (stop the bots first)")
    move.add_argument("--to", required=True, metavar="URL",
                      help="postgresql://user@host/db (password from RBOT_LEDGER_PASSWORD)")


def cmd_ledger(args, config) -> int:
    if is_postgres(config.ledger):
        print(f"error: the ledger is already on PostgreSQL ({shown(config.ledger)})",
              file=sys.stderr)
        return 2
    if not is_postgres(args.to):
        print("error: --to must be a postgresql:// URL", file=sys.stderr)
        return 2
    try:
        counts = copy_ledger(config.ledger, args.to)
    except (CopyRefused, *database_errors()) as exc:
        print(f"error: nothing copied: {exc}", file=sys.stderr)
        return 1
    for table, rows in counts.items():
        print(f"{table:<16} {rows:>8} rows copied and verified")
    print(f"done: set `ledger: {shown(args.to)}` in {config.config_file}")
    return 0


COMMANDS = {"ledger": cmd_ledger}
