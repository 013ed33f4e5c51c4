"""The command line: run --once, watch, extract, einvoice report, exceptions, rules, status."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
from pathlib import Path

from bots.commands import desk as web_commands
from bots.commands import einvoice as einvoice_cmd
from bots.commands import learned as learned_cmd
from bots.commands import ledger_cmd
from bots.commands import operations as ops_cmd
from bots.commands import output as reports
from bots.commands import proposals as proposals_cmd
from bots.commands import rules as rules_cmd
from bots.commands import users as users_cmd
from bots.commands.extract import extract_files
from bots.intake.quarantine import quarantined_file
from bots.logs import configure_logging
from bots.pipeline.runner import run_once, watch
from bots.wiring import BotCannotWork, folder_bot_for, open_config, open_context

DEFAULT_CONFIG = Path(__file__).resolve().parents[2] / "config" / "bot.yaml"
EXIT_OK, EXIT_DOCUMENTS_PENDING, EXIT_CANNOT_WORK = 0, 1, 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="run_bot.py", description=(
        "Rechnungseingangs-Bot: reads inbound invoices, decides who is responsible and files "
        "them into the caseworker's e-file queue."))
    parser.add_argument("--config", type=Path, default=DEFAULT_CONFIG,
                        help="bot.yaml (default: config/bot.yaml)")
    parser.add_argument("-v", "--verbose", action="store_true", help="log every event")
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="process all pending input")
    run.add_argument("--once", action="store_true", required=True,
                     help="process what is present now, then exit")
    run.add_argument("--json", action="store_true", help="print a JSON list of outcomes")
    run.add_argument("--full-names", action="store_true",
                     help="JSON: file names in full, not masked (they may hold social data)")

    sub.add_parser("watch", help="watch the folders until SIGTERM/SIGINT")

    extract = sub.add_parser("extract", help="read files and print their invoice fields")
    extract.add_argument("files", nargs="+", type=Path)
    extract.add_argument("--json", action="store_true", help="JSON Lines (the default)")
    einvoice_cmd.add_parsers(sub)

    exceptions = sub.add_parser("exceptions", help="the exception queue")
    exc_sub = exceptions.add_subparsers(dest="action", required=True)
    listing = exc_sub.add_parser("list", help="list open exceptions")
    listing.add_argument("--json", action="store_true")
    show = exc_sub.add_parser("show", help="show one exception")
    show.add_argument("document_id", help="the document id or its start (4 characters or more)")
    show.add_argument("--json", action="store_true")

    status = sub.add_parser("status", help="documents per state and queue")
    status.add_argument("--json", action="store_true")

    rules_cmd.add_parsers(sub)
    ledger_cmd.add_parsers(sub)
    web_commands.add_parsers(sub)
    users_cmd.add_parsers(sub)
    ops_cmd.add_parsers(sub)
    proposals_cmd.add_parsers(sub)
    learned_cmd.add_parsers(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command == "extract":
            return extract_files(args.files, _ocr_settings(args.config))
        if args.command == "einvoice":  # needs no configuration, like extract
            return einvoice_cmd.cmd_einvoice(args)
        config = open_config(args.config)
        level = logging.INFO if (args.verbose or args.command == "watch") else logging.WARNING
        configure_logging(config.log_file, console_level=level)
        return COMMANDS[args.command](args, config)
    except BotCannotWork as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_CANNOT_WORK


def _ocr_settings(config_path: Path) -> dict:
    """How `extract` reads: the configured language, resolution and pixel limit."""
    try:
        config = open_config(config_path)
    except BotCannotWork:
        return {}
    return {"lang": config.ocr_lang, "dpi": config.ocr_dpi,
            "max_megapixels": config.limits.max_megapixels}


def cmd_run(args, config) -> int:
    ctx = open_context(config)
    outcomes = run_once(ctx, folder_bot_for(ctx), progress=sys.stderr.isatty() and not args.json)
    if args.json:
        print(reports.outcomes_json(outcomes, full_names=args.full_names))
    else:
        print(reports.outcome_table(outcomes))
    pending = any(o.outcome == "pending" for o in outcomes)
    return EXIT_DOCUMENTS_PENDING if pending else EXIT_OK


def cmd_watch(args, config) -> int:
    ctx = open_context(config)
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    watch(ctx, folder_bot_for(ctx), stop)
    return EXIT_OK


MIN_ID_PREFIX = 4  # `exceptions show` takes the start of an id, as git takes a hash's


def cmd_exceptions(args, config) -> int:
    ctx = open_context(config)
    if args.action == "list":
        rows = ctx.ledger.by_state("exception")
        today = ctx.today()
        print(reports.exceptions_json(rows, today) if args.json
              else reports.exceptions_table(rows, today))
        return EXIT_OK
    prefix = args.document_id.strip().lower()
    found = [r for r in ctx.ledger.by_state("exception") if r.id.startswith(prefix)] \
        if len(prefix) >= MIN_ID_PREFIX else []
    if len(found) != 1:
        what = (f"Mehrere offene Ausnahmen beginnen mit {prefix}: "
                + ", ".join(r.id for r in found) if found else
                f"Keine offene Ausnahme mit der ID {args.document_id} (mindestens "
                f"{MIN_ID_PREFIX} Zeichen der ID).")
        print(what, file=sys.stderr)
        return EXIT_DOCUMENTS_PENDING
    row = found[0]
    audit = ctx.ledger.audit_rows(row.id)
    where = quarantined_file(ctx.ledger, row.sha256)
    show = reports.exception_json if args.json else reports.exception_detail
    print(show(row, audit, ctx.today(), quarantined=where))
    return EXIT_OK


def cmd_status(args, config) -> int:
    ctx = open_context(config)
    show = reports.status_json if args.json else reports.status_text
    print(show(ctx.ledger, ctx.today()))
    return EXIT_OK


COMMANDS = {"run": cmd_run, "watch": cmd_watch, "exceptions": cmd_exceptions,
            "status": cmd_status, **rules_cmd.COMMANDS,
            **web_commands.COMMANDS, "users": users_cmd.cmd_users, **ops_cmd.COMMANDS,
            **proposals_cmd.COMMANDS, **learned_cmd.COMMANDS, **ledger_cmd.COMMANDS}
