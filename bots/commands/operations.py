"""Operator commands: check, report, purge."""

from __future__ import annotations

import json
from datetime import date

from bots.commands.check import run_checks
from bots.commands.daily_report import write_report
from bots.storage.retention import due_for_purge, learned_due, purge, purge_learned
from bots.wiring import open_context


def add_parsers(sub) -> None:
    sub.add_parser("check", help="check configuration, paths, Tesseract, mailboxes, e-file")
    report = sub.add_parser("report", help="write the daily report (Excel and CSV)")
    report.add_argument("--date", type=date.fromisoformat, default=None,
                        help="report day (default today), YYYY-MM-DD")
    cleanup = sub.add_parser("purge", help="delete copies of filed originals after retention")
    cleanup.add_argument("--dry-run", action="store_true", help="only show what would go")
    cleanup.add_argument("--json", action="store_true")


def cmd_check(args, config) -> int:
    results = run_checks(config, mailbox_login=_mailbox_login())
    for result in results:
        print(result.line())
    return 1 if any(r.status == "FAIL" for r in results) else 0


def _mailbox_login():
    try:
        from bots.intake.mailbox_bot import check_login
    except ImportError:
        return None
    return check_login


def cmd_report(args, config) -> int:
    ctx = open_context(config)
    xlsx, csvs = write_report(ctx.ledger, config.report_dir, args.date or ctx.today())
    print(xlsx)
    for path in csvs:
        print(path)
    return 0


def cmd_purge(args, config) -> int:
    ctx = open_context(config)
    items = due_for_purge(ctx.ledger, config.retention_days)
    if args.json:
        print(json.dumps([i.__dict__ for i in items], indent=1))
    else:
        verb = "would purge" if args.dry_run else "purging"
        print(f"{verb} {len(items)} documents closed more than {config.retention_days} days ago "
              f"({sum(i.bytes for i in items) // 1024} KiB)")
        for item in items:
            print(f"  {item.document_id}  {item.state:<9} closed {item.closed_at}")
        print(f"{verb} learned hints older than {config.learned_retention_days} days: "
              f"{learned_due(ctx.ledger, config.learned_retention_days)}")
    if not args.dry_run:
        purge(ctx.ledger, ctx.store, items)
        purge_learned(ctx.ledger, config.learned_retention_days)
    return 0


COMMANDS = {"check": cmd_check, "report": cmd_report, "purge": cmd_purge}
