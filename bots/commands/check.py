"""`run_bot.py check`: configuration, paths and permissions, Tesseract languages, mailbox logins
and the e-file target, one line per check, before anything is processed."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from bots.config import BotConfig
from bots.fail_closed import language_problem, share_missing, tesseract_languages, unmounted
from bots.filing.targets import TemplateProblem, targets_for
from bots.pipeline.vendors import VendorFileError, load_vendors
from bots.posting.export import export_template
from bots.storage.atomic import write_atomic
from bots.storage.database import LedgerUnavailable, database_errors, is_postgres, shown
from bots.storage.ledger import Ledger
from rules.loader import RulesConfigError, load_ruleset

MIN_FREE_MB = 500


@dataclass(frozen=True)
class CheckResult:
    status: str  # OK | WARN | FAIL
    name: str
    detail: str

    def line(self) -> str:
        return f"{self.status:<4}  {self.name:<22} {self.detail}"


def run_checks(config: BotConfig, mailbox_login: Callable | None = None) -> list[CheckResult]:
    results = [CheckResult("OK", "config", str(config.config_file)), _rules(config),
               _vendors(config)]
    results += [CheckResult("FAIL", "mounts", problem) for problem in unmounted(config)]
    results.append(_ledger(config))
    results += [_writable(name, path, config.mounts) for name, path in (
        *((("ledger folder", config.ledger.parent),) if not is_postgres(config.ledger) else ()),
        ("store", config.store),
        ("e-file target", config.efile_root), ("log folder", config.log_file.parent))]
    results += [_disk_space(name, path) for name, path in (
        ("store disk", config.store), ("e-file disk", config.efile_root))]
    results += list(_folders(config)) + _handover(config)
    results += [_tesseract(config.ocr_lang), _program("poppler", "pdftoppm", "-v")]
    if mailbox_login is not None:
        results += [_mailbox(box, mailbox_login) for box in config.mailboxes]
    results.append(_user())
    return results


def _rules(config: BotConfig) -> CheckResult:
    try:
        ruleset = load_ruleset(config.rules, config.caseworkers)
    except RulesConfigError as exc:
        return CheckResult("FAIL", "rules", str(exc).replace("\n", " | "))
    except OSError as exc:
        return CheckResult("FAIL", "rules", f"{exc.filename}: {exc.strerror}")
    return CheckResult("OK", "rules", f"{len(ruleset.rules)} rules, "
                       f"{len(ruleset.caseworkers)} caseworkers")


def _ledger(config: BotConfig) -> CheckResult:
    """The ledger opens (PostgreSQL: reachable, migrated); its workers alive and leases."""
    try:
        ledger = Ledger(config.ledger, wait_seconds=5)
    except (LedgerUnavailable, OSError, *database_errors()) as exc:
        return CheckResult("FAIL", "ledger", f"{shown(config.ledger)}: {exc}")
    try:
        workers = ledger.workers()
    finally:
        ledger.close()
    alive = "; ".join(f"{w['host']} pid {w['pid']} at {w['heartbeat']}, "
                      f"{len(w['leases'])} leases" for w in workers)
    return CheckResult("OK", "ledger", f"{shown(config.ledger)}, workers alive: "
                       f"{len(workers)}{' (' + alive + ')' if alive else ''}")


def _vendors(config: BotConfig) -> CheckResult:
    if not config.vendors.is_file():
        return CheckResult("FAIL", "vendors", f"{config.vendors} not found: create it (an empty "
                           "one: 'vendors: []') or fix the path in bot.yaml")
    try:
        vendors = load_vendors(config.vendors)
    except VendorFileError as exc:
        return CheckResult("FAIL", "vendors", str(exc))
    return CheckResult("OK", "vendors", f"{len(vendors)} vendors")


def _writable(name: str, folder: Path, mounts: tuple[Path, ...] = ()) -> CheckResult:
    if share_missing(folder, mounts) is not None:
        return CheckResult("FAIL", name, f"{folder}: its share is not mounted")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / ".check-probe"
        write_atomic(probe, b"ok")
        probe.unlink()
    except OSError as exc:
        return CheckResult("FAIL", name, f"{folder}: not writable ({exc.strerror})")
    return CheckResult("OK", name, f"{folder} writable")


def _handover(config: BotConfig) -> list[CheckResult]:
    """Filing target, index and export templates, the export and return folders."""
    try:
        targets, template = targets_for(config), export_template(config.posting)
    except TemplateProblem as exc:
        return [CheckResult("FAIL", "templates", str(exc))]
    results = [CheckResult("OK", "filing target", config.filing.target + "".join(
        f", {queue}: {target}" for queue, target, _ in config.filing.queues))]
    if targets.dms is not None:
        results += [_writable("DMS hot folder", config.filing.dms.folder),
                    _writable("DMS error folder", config.filing.dms.error_folder),
                    CheckResult("OK", "DMS index template", str(targets.dms.template.path))]
    if template is not None:
        results.append(CheckResult("OK", "export template", str(template.path)))
    return results + [_writable("posting export", config.posting.export_dir),
                      _writable("return folders", config.returns.folder)]


def _disk_space(name: str, folder: Path) -> CheckResult:
    try:
        free_mb = shutil.disk_usage(folder).free // 2**20
    except OSError as exc:
        return CheckResult("FAIL", name, f"{folder}: {exc.strerror}")
    status = "OK" if free_mb >= MIN_FREE_MB else "WARN"
    return CheckResult(status, name, f"{free_mb} MB free")


def _folders(config: BotConfig) -> Iterator[CheckResult]:
    for folder in config.folders:
        name = f"folder {folder.source}"
        if not folder.path.is_dir():
            yield CheckResult("FAIL", name, f"{folder.path}: missing — create it or fix bot.yaml")
        elif not folder.keep_originals and not os.access(folder.path, os.R_OK | os.W_OK | os.X_OK):
            yield CheckResult("FAIL", name, f"{folder.path}: needs read and write permission")
        else:
            kind = "polling" if folder.polling else "events"
            yield CheckResult("OK", name, f"{folder.path} ({kind})")


def _tesseract(lang: str) -> CheckResult:
    problem = language_problem(lang, tesseract_languages())
    if problem:
        return CheckResult("FAIL", "tesseract", problem)
    return CheckResult("OK", "tesseract", f"languages {lang}")


def _program(name: str, *command: str) -> CheckResult:
    try:
        subprocess.run(list(command), capture_output=True, timeout=30, check=False)
    except OSError:
        return CheckResult("FAIL", name, f"{command[0]} not found")
    return CheckResult("OK", name, f"{command[0]} found")


def _mailbox(box, login: Callable) -> CheckResult:
    name = f"mailbox {box.name}"
    if not os.environ.get(box.password_env):
        return CheckResult("FAIL", name, f"environment variable {box.password_env} is not set")
    try:
        login(box)
    except Exception as exc:  # noqa: BLE001 - any failure is reported, never raised
        return CheckResult("FAIL", name, f"{box.host}:{box.port}: {type(exc).__name__}")
    return CheckResult("OK", name, f"{box.host}:{box.port} login ok")


def _user() -> CheckResult:
    if os.geteuid() == 0:
        return CheckResult("WARN", "user", "running as root; run the service as an "
                           "unprivileged user (docs/operations.md)")
    return CheckResult("OK", "user", f"uid {os.geteuid()}")
