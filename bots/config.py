"""The bot's configuration (config/bot.yaml): loaded once, validated, immutable."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bots.handover_config import (
    FilingConfig,
    Handover,
    HandoverConfigError,
    PostingConfig,
    ReturnsConfig,
    parse_handover,
)
from bots.storage.database import PASSWORD_ENV, has_password, is_postgres, sqlite_path
from mailbox.account import LOOPBACK_HOSTS, TLS_MODES
from ocr.model import FIELD_NAMES
from ocr.render import MAX_MEGAPIXELS


class ConfigError(Exception):
    """An invalid configuration; the message names file, line and the fix."""


@dataclass(frozen=True)
class BatchSplit:
    """How a stack of invoices scanned into one file is cut into documents (bots.intake.batch_split)."""

    separator_text: str = "RBOT-TRENNBLATT"  # the QR code text of samples/trennblatt.pdf
    at_blank_pages: bool = False  # also cut at blank pages (only for simplex scanning)


@dataclass(frozen=True)
class FolderConfig:
    path: Path
    source: str
    polling: bool = False
    settle_seconds: float = 2.0
    done_folder: Path | None = None
    keep_originals: bool = False
    batch: BatchSplit | None = None  # None: files are never split (split_batches: false)
    shared: bool = False  # written from other hosts too (bots.intake.shares)


@dataclass(frozen=True)
class MailboxConfig:
    """One mail account folder the mailbox bot reads. The password is never here: only the
    name of the environment variable that holds it."""

    name: str
    type: str  # imap | exchange
    host: str
    port: int
    user: str
    password_env: str
    processed_folder: str
    failed_folder: str
    folder: str = "INBOX"
    tls: str = "implicit"  # implicit | starttls | none (only on 127.0.0.1)
    ca_file: Path | None = None
    poll_seconds: float = 60.0
    source: str = "mail"


@dataclass(frozen=True)
class Limits:
    """Limits against hostile or accidental input; beyond them a document is an exception."""

    max_file_mb: float = 100.0
    max_pages: int = 200
    max_megapixels: float = MAX_MEGAPIXELS  # per page image, for the bot and its OCR workers


@dataclass(frozen=True)
class BotConfig:
    config_file: Path
    ledger: Path | str  # an SQLite file, or a postgresql:// URL (without its password)
    store: Path
    efile_root: Path
    log_file: Path
    rules: Path
    caseworkers: Path
    vendors: Path
    ocr_lang: str = "deu+eng"
    ocr_dpi: int = 300
    ocr_jobs: int = 0  # OCR worker processes; 0: one per CPU core
    min_confidence: float = 0.0  # a routing field read less surely: exception low_confidence
    routing_fields: tuple[str, ...] = ()
    required_fields: tuple[str, ...] = ("invoice_number", "issue_date", "total_gross")
    rescan_seconds: float = 300.0
    metrics_file: Path | None = None
    report_dir: Path | None = None
    retention_days: int = 30
    learned_retention_days: int = 365  # hints learned from corrections (bots.storage.retention)
    limits: Limits = field(default_factory=Limits)
    folders: tuple[FolderConfig, ...] = field(default_factory=tuple)
    mailboxes: tuple[MailboxConfig, ...] = field(default_factory=tuple)
    handover: Handover | None = None  # filing targets, posting proposals, return folders
    quarantine: Path | None = None  # what intake cannot take (symlinks, devices, too large)
    mounts: tuple[Path, ...] = ()  # shares that must be mounted (bots.fail_closed)

    @property
    def filing(self) -> FilingConfig:
        return self.handover.filing

    @property
    def posting(self) -> PostingConfig:
        return self.handover.posting

    @property
    def returns(self) -> ReturnsConfig:
        return self.handover.returns


_TOP_KEYS = {
    "ledger", "store", "efile_root", "log_file", "rules", "caseworkers", "vendors", "ocr",
    "required_fields", "rescan_seconds", "folders", "metrics_file", "report_dir",
    "retention_days", "learned_retention_days", "limits", "mailboxes", "filing", "posting",
    "returns", "quarantine", "mounts",
}
_FOLDER_KEYS = {"path", "source", "polling", "settle_seconds", "done_folder", "keep_originals",
                "split_batches", "shared"}
_OCR_KEYS = {"lang", "dpi", "jobs", "min_confidence", "routing_fields", "separator_text",
             "split_at_blank_pages"}


class _LineLoader(yaml.SafeLoader):
    """A YAML loader that remembers the line of every mapping (as key "__line__") and of
    each of its keys (as "__lines__")."""


def _construct_mapping(loader, node):
    mapping = loader.construct_mapping(node, deep=True)
    mapping["__line__"] = node.start_mark.line + 1
    mapping["__lines__"] = {key.value: key.start_mark.line + 1 for key, _ in node.value
                            if isinstance(key, yaml.ScalarNode)}
    return mapping


_META = ("__line__", "__lines__")


def _number(path: Path, raw: dict, key: str, default: float, *, whole: bool = False,
            minimum: float | None = None) -> float:
    """raw[key] as a number above 0 (or of at least `minimum`; a whole number with `whole`),
    or a ConfigError naming file, line and what to write instead ('rescan_seconds: soon')."""
    value = raw.get(key, default)
    kind = "a whole number" if whole else "a number"
    bound = "above 0" if minimum is None else f"of at least {minimum:g}"
    line = raw.get("__lines__", {}).get(key, raw.get("__line__", "?"))
    number = not isinstance(value, bool) and isinstance(value, int if whole else int | float)
    if not number or (value <= 0 if minimum is None else value < minimum):
        raise ConfigError(f"{path}:{line}: '{key}' must be {kind} {bound} "
                          f"(found {value!r}); e.g. {key}: {default:g}")
    return value


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load_config(path: Path) -> BotConfig:
    """Load and validate bot.yaml; relative paths are resolved against its folder (files
    placed beside it are found as `rules: rules.yaml`)."""
    path = Path(path).resolve()
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_LineLoader)
    except FileNotFoundError:
        raise ConfigError(f"{path}: file not found — pass --config with the path of bot.yaml") from None
    except yaml.YAMLError as exc:
        line = getattr(getattr(exc, "problem_mark", None), "line", -1) + 1
        raise ConfigError(f"{path}:{line}: not valid YAML ({getattr(exc, 'problem', exc)})") from None
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}:1: expected a mapping of settings at the top level")
    return _build(path, raw)


def _build(path: Path, raw: dict) -> BotConfig:
    base = path.parent
    _reject_unknown(path, raw, _TOP_KEYS, "top level")

    def resolve(key: str, default: str) -> Path:
        value = raw.get(key, default)
        if not isinstance(value, str) or not value:
            raise ConfigError(f"{path}:{raw['__line__']}: '{key}' must be a path")
        p = Path(value)
        return p if p.is_absolute() else Path(os.path.normpath(base / p))

    ocr = raw.get("ocr") or {}
    required = tuple(raw.get("required_fields", BotConfig.required_fields))
    unknown = [f for f in required if f not in FIELD_NAMES]
    if unknown:
        raise ConfigError(
            f"{path}:{raw['__line__']}: required_fields names unknown field(s) {unknown}; "
            f"use field names of the extract contract: {', '.join(FIELD_NAMES)}"
        )
    ocr = _ocr(path, ocr)
    batch = BatchSplit(str(ocr.get("separator_text", BatchSplit.separator_text)),
                       bool(ocr.get("split_at_blank_pages", False)))
    folders = tuple(_folder(path, base, f, batch) for f in raw.get("folders") or [])
    return BotConfig(
        config_file=path,
        ledger=_ledger(path, raw, base),
        store=resolve("store", "../var/store"),
        efile_root=resolve("efile_root", "../var/efile"),
        log_file=resolve("log_file", "../var/log/bot.jsonl"),
        rules=resolve("rules", "rules.yaml"),
        caseworkers=resolve("caseworkers", "caseworkers.yaml"),
        vendors=resolve("vendors", "vendors.yaml"),
        ocr_lang=str(ocr.get("lang", "deu+eng")),
        ocr_dpi=int(_number(path, ocr, "dpi", 300, whole=True, minimum=72)),
        ocr_jobs=int(ocr.get("jobs", 0)),
        min_confidence=float(ocr.get("min_confidence", 0.0)),
        routing_fields=tuple(ocr.get("routing_fields") or ()),
        required_fields=required,
        rescan_seconds=float(_number(path, raw, "rescan_seconds", 300)),
        metrics_file=resolve("metrics_file", "../var/metrics/rbot.prom"),
        report_dir=resolve("report_dir", "../var/reports"),
        retention_days=int(_number(path, raw, "retention_days", 30, whole=True, minimum=0)),
        learned_retention_days=int(_number(path, raw, "learned_retention_days", 365, whole=True,
                                           minimum=0)),
        limits=_limits(path, raw.get("limits") or {}),
        folders=folders,
        mailboxes=_mailboxes(path, base, raw.get("mailboxes") or []),
        handover=_handover(path, raw, base),
        quarantine=resolve("quarantine", "../var/quarantaene"),
        mounts=_mounts(path, raw),
    )


def _mounts(path: Path, raw: dict) -> tuple[Path, ...]:
    """`mounts`: absolute paths of shares (mount points) that must be mounted to start."""
    mounts = raw.get("mounts") or []
    line = raw.get("__lines__", {}).get("mounts", "?")
    if not isinstance(mounts, list) or not all(isinstance(m, str) and Path(m).is_absolute()
                                               for m in mounts):
        raise ConfigError(f"{path}:{line}: 'mounts' must be a list of absolute paths of "
                          "mount points, e.g. mounts: [/srv/eakte, /srv/registratur]")
    return tuple(Path(m) for m in mounts)


def _ledger(path: Path, raw: dict, base: Path) -> Path | str:
    """`ledger:` a path or sqlite:///path (default ../var/ledger.sqlite3,
    beside the config folder), or postgresql://..."""
    value = raw.get("ledger", "../var/ledger.sqlite3")
    if not isinstance(value, str) or not value:
        raise ConfigError(f"{path}:{raw['__line__']}: 'ledger' must be a path or a URL")
    if not is_postgres(value):
        return sqlite_path(value, base)
    if has_password(value):
        raise ConfigError(f"{path}:{raw['__line__']}: the ledger URL must not carry a password;"
                          f" set it in the environment ({PASSWORD_ENV}) or in ~/.pgpass")
    return value


def _handover(path: Path, raw: dict, base: Path) -> Handover:
    try:
        return parse_handover(raw, base)
    except HandoverConfigError as exc:
        raise ConfigError(f"{path}:{exc.line}: {exc.message}") from None


def _ocr(path: Path, raw) -> dict:
    """The 'ocr' settings, checked: known keys, sensible numbers, contract field names."""
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: 'ocr' must be a mapping of settings")
    line = raw.get("__line__", "?")
    _reject_unknown(path, raw | {"__line__": line}, _OCR_KEYS, "ocr")
    try:
        jobs, threshold = int(raw.get("jobs", 0)), float(raw.get("min_confidence", 0.0))
    except (TypeError, ValueError):
        raise ConfigError(f"{path}:{line}: ocr jobs must be a whole number and min_confidence "
                          "a number between 0 and 1") from None
    if jobs < 0 or not 0.0 <= threshold <= 1.0:
        raise ConfigError(f"{path}:{line}: ocr jobs must be 0 (one per core) or more and "
                          "min_confidence between 0 and 1")
    unknown = [f for f in raw.get("routing_fields") or () if f not in FIELD_NAMES]
    if unknown:
        raise ConfigError(f"{path}:{line}: ocr routing_fields names unknown field(s) {unknown}; "
                          f"use field names of the extract contract: {', '.join(FIELD_NAMES)}")
    if not str(raw.get("separator_text", "x")).strip():
        raise ConfigError(f"{path}:{line}: ocr separator_text must not be empty")
    return raw


def _folder(path: Path, base: Path, raw, batch: BatchSplit | None = None) -> FolderConfig:
    if not isinstance(raw, dict) or "path" not in raw:
        line = raw.get("__line__", "?") if isinstance(raw, dict) else "?"
        raise ConfigError(f"{path}:{line}: each entry of 'folders' needs a 'path'")
    _reject_unknown(path, raw, _FOLDER_KEYS, "a folder entry")

    def abs_path(value: str) -> Path:
        p = Path(value)
        return p if p.is_absolute() else Path(os.path.normpath(base / p))

    done = raw.get("done_folder")
    return FolderConfig(
        path=abs_path(raw["path"]),
        source=str(raw.get("source", "folder")),
        polling=bool(raw.get("polling", False)),
        settle_seconds=float(_number(path, raw, "settle_seconds", 2, minimum=0)),
        done_folder=abs_path(done) if done else None,
        keep_originals=bool(raw.get("keep_originals", False)),
        batch=batch if raw.get("split_batches", True) else None,
        shared=bool(raw.get("shared", False)),
    )


_MAILBOX_KEYS = {"name", "type", "host", "port", "tls", "user", "password_env", "ca_file",
                 "folder", "processed_folder", "failed_folder", "poll_seconds", "source"}
_DEFAULT_PORTS = {("imap", "implicit"): 993, ("imap", "starttls"): 143, ("imap", "none"): 143,
                  ("exchange", "implicit"): 443}


def _mailboxes(path: Path, base: Path, entries) -> tuple[MailboxConfig, ...]:
    mailboxes = tuple(_mailbox(path, base, entry) for entry in entries)
    names = [m.name for m in mailboxes]
    for name in names:
        if names.count(name) > 1:
            raise ConfigError(f"{path}: two mailboxes are named '{name}'; give each its own name")
    return mailboxes


def _mailbox(path: Path, base: Path, raw) -> MailboxConfig:
    line = raw.get("__line__", "?") if isinstance(raw, dict) else "?"

    def fail(message: str) -> ConfigError:
        return ConfigError(f"{path}:{line}: mailbox {raw.get('name', '?')!r}: {message}")

    if not isinstance(raw, dict):
        raise ConfigError(f"{path}:{line}: each entry of 'mailboxes' must be a mapping")
    if "password" in raw:
        raise fail("never put a password in YAML; set 'password_env' to the name of the "
                   "environment variable that holds it")
    _reject_unknown(path, raw, _MAILBOX_KEYS, "a mailbox entry")
    missing = [k for k in ("name", "host", "user", "password_env", "processed_folder",
                           "failed_folder") if not raw.get(k)]
    if missing:
        raise fail(f"missing {', '.join(missing)}")
    kind, tls = str(raw.get("type", "imap")), str(raw.get("tls", "implicit"))
    if (kind, tls) not in _DEFAULT_PORTS:
        raise fail(f"type must be imap or exchange and tls one of {', '.join(TLS_MODES)} "
                   "(exchange: implicit only)")
    if tls == "none" and raw["host"] not in LOOPBACK_HOSTS:
        raise fail("tls: none is only allowed for 127.0.0.1 (tests); use implicit or starttls")
    if not str(raw["password_env"]).replace("_", "").isalnum():
        raise fail("password_env must be the NAME of an environment variable, e.g. "
                   "RBOT_MAIL_PASSWORD")
    folder = str(raw.get("folder", "INBOX"))
    if folder in (raw["processed_folder"], raw["failed_folder"]):
        raise fail("processed_folder and failed_folder must differ from folder")
    ca_file = Path(raw["ca_file"]) if raw.get("ca_file") else None
    if ca_file and kind == "exchange":
        raise fail("ca_file is for IMAP; for Exchange set REQUESTS_CA_BUNDLE in the environment")
    return MailboxConfig(
        name=str(raw["name"]), type=kind, host=str(raw["host"]),
        port=int(_number(path, raw, "port", _DEFAULT_PORTS[(kind, tls)], whole=True, minimum=1)),
        user=str(raw["user"]),
        password_env=str(raw["password_env"]), processed_folder=str(raw["processed_folder"]),
        failed_folder=str(raw["failed_folder"]), folder=folder, tls=tls,
        ca_file=base / ca_file if ca_file and not ca_file.is_absolute() else ca_file,
        poll_seconds=float(_number(path, raw, "poll_seconds", 60)),
        source=str(raw.get("source", "mail")))


def _limits(path: Path, raw: dict) -> Limits:
    allowed = {f for f in Limits.__dataclass_fields__}
    _reject_unknown(path, raw | {"__line__": raw.get("__line__", "?")}, allowed, "limits")
    values = {}
    for key in (k for k in raw if k not in _META):
        default = getattr(Limits, key)
        values[key] = type(default)(_number(path, raw, key, default,
                                            whole=isinstance(default, int)))
    return Limits(**values)


def _reject_unknown(path: Path, raw: dict, allowed: set[str], where: str) -> None:
    for key in raw:
        if key not in _META and key not in allowed:
            raise ConfigError(
                f"{path}:{raw['__line__']}: unknown setting '{key}' in {where}; "
                f"allowed: {', '.join(sorted(allowed))}"
            )
