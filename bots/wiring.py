"""Building what the commands need from the configuration, with errors that say what to fix."""

from __future__ import annotations

import contextlib
from pathlib import Path

import structlog
from PIL import Image

from bots import fail_closed
from bots.config import BotConfig, ConfigError, load_config
from bots.filing.targets import (
    FilingSetupError,
    TemplateProblem,
    check_filing,
    forget_recorded_hand_overs,
)
from bots.intake.folder_bot import FolderBot
from bots.pipeline.context import Context
from bots.pipeline.vendors import VendorFileError, vendors_of
from bots.posting.export import export_template
from bots.storage.atomic import remove_stale_temporaries
from bots.storage.database import LedgerUnavailable, shown
from bots.storage.ledger import Ledger
from bots.storage.store import Store
from rules.loader import RulesConfigError, load_ruleset

log = structlog.get_logger("app")


class BotCannotWork(Exception):
    """The bot itself cannot work (invalid configuration, unwritable store): exit non-zero."""


def open_config(path: Path) -> BotConfig:
    try:
        return load_config(path)
    except ConfigError as exc:
        raise BotCannotWork(str(exc)) from None


def open_context(config: BotConfig) -> Context:
    refused = fail_closed.problems(config)
    if refused:
        raise BotCannotWork("\n".join(refused))
    try:
        ruleset = load_ruleset(config.rules, config.caseworkers)
    except RulesConfigError as exc:
        raise BotCannotWork(f"routing rules are invalid:\n{exc}") from None
    except FileNotFoundError as exc:
        raise BotCannotWork(f"{exc.filename}: file not found — check bot.yaml") from None
    try:
        vendors_of(config.vendors)
    except VendorFileError as exc:
        raise BotCannotWork(f"vendor master data is invalid:\n{exc}") from None
    try:
        targets = check_filing(config, set(ruleset.caseworkers) | set(ruleset.teams))
        export_template(config.posting)
    except FilingSetupError as exc:
        raise BotCannotWork(str(exc)) from None
    except TemplateProblem as exc:
        raise BotCannotWork(f"the posting export template cannot be used:\n{exc}") from None
    Image.MAX_IMAGE_PIXELS = int(config.limits.max_megapixels * 1_000_000)
    store = Store(config.store)
    try:
        store.check_writable()  # the e-file target may be down: filing retries, intake goes on
        _remove_leftovers(config)
        ledger = Ledger(config.ledger)
    except OSError as exc:
        raise BotCannotWork(f"cannot write {exc.filename or config.store}: {exc.strerror}") from None
    except LedgerUnavailable as exc:
        raise BotCannotWork(f"the ledger {shown(config.ledger)} cannot be reached ({exc})") from None
    if targets.dms is not None:
        forget_recorded_hand_overs(config, ledger)
    return Context(config=config, ledger=ledger, store=store, ruleset=ruleset)


def _remove_leftovers(config: BotConfig) -> None:
    """Temporary files of a killed bot in the store and the e-file target (never half files:
    writes are atomic, so these were never renamed into place)."""
    removed = remove_stale_temporaries(config.store)
    with contextlib.suppress(OSError):  # an unreachable e-file target is retried when filing
        removed += remove_stale_temporaries(config.efile_root)
    if removed:
        log.info("stale_temporaries_removed", count=removed)


def folder_bot_for(ctx: Context) -> FolderBot:
    """The folder bot; the watched folders are created when missing (registry staff need them)."""
    for folder in ctx.config.folders:
        try:
            folder.path.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise BotCannotWork(f"cannot create the watched folder {folder.path}: "
                                f"{exc.strerror}") from None
    return FolderBot(ctx.config.folders, ctx.ledger, ctx.store,
                     max_bytes=int(ctx.config.limits.max_file_mb * 2**20),
                     quarantine_root=ctx.config.quarantine)
