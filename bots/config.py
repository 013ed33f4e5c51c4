"""The bot's configuration (config/bot.yaml): loaded once, validated, immutable."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ocr.model import FIELD_NAMES


class ConfigError(Exception):
    """An invalid configuration; the message names file, line and the fix."""


@dataclass(frozen=True)
class FolderConfig:
    path: Path
    source: str
    polling: bool = False
    settle_seconds: float = 2.0
    done_folder: Path | None = None
    keep_originals: bool = False


@dataclass(frozen=True)
class BotConfig:
    config_file: Path
    ledger: Path
    store: Path
    efile_root: Path
    log_file: Path
    rules: Path
    caseworkers: Path
    vendors: Path
    ocr_lang: str = "deu+eng"
    ocr_dpi: int = 300
    required_fields: tuple[str, ...] = ("invoice_number", "issue_date", "total_gross")
    rescan_seconds: float = 300.0
    folders: tuple[FolderConfig, ...] = field(default_factory=tuple)


_TOP_KEYS = {
    "ledger", "store", "efile_root", "log_file", "rules", "caseworkers", "vendors", "ocr",
    "required_fields", "rescan_seconds", "folders",
}
_FOLDER_KEYS = {"path", "source", "polling", "settle_seconds", "done_folder", "keep_originals"}


class _LineLoader(yaml.SafeLoader):
    """A YAML loader that remembers the line of every mapping (as key '__line__')."""


def _construct_mapping(loader, node):
    mapping = loader.construct_mapping(node, deep=True)
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load_config(path: Path) -> BotConfig:
    """Load and validate bot.yaml; relative paths are resolved against its folder's parent."""
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
    base = path.parent.parent
    _reject_unknown(path, raw, _TOP_KEYS, "top level")

    def resolve(key: str, default: str) -> Path:
        value = raw.get(key, default)
        if not isinstance(value, str) or not value:
            raise ConfigError(f"{path}:{raw['__line__']}: '{key}' must be a path")
        p = Path(value)
        return p if p.is_absolute() else base / p

    ocr = raw.get("ocr") or {}
    required = tuple(raw.get("required_fields", BotConfig.required_fields))
    unknown = [f for f in required if f not in FIELD_NAMES]
    if unknown:
        raise ConfigError(
            f"{path}:{raw['__line__']}: required_fields names unknown field(s) {unknown}; "
            f"use field names of the extract contract: {', '.join(FIELD_NAMES)}"
        )
    folders = tuple(_folder(path, base, f) for f in raw.get("folders") or [])
    return BotConfig(
        config_file=path,
        ledger=resolve("ledger", "var/ledger.sqlite3"),
        store=resolve("store", "var/store"),
        efile_root=resolve("efile_root", "var/efile"),
        log_file=resolve("log_file", "var/log/bot.jsonl"),
        rules=resolve("rules", "config/rules.yaml"),
        caseworkers=resolve("caseworkers", "config/caseworkers.yaml"),
        vendors=resolve("vendors", "config/vendors.yaml"),
        ocr_lang=str(ocr.get("lang", "deu+eng")),
        ocr_dpi=int(ocr.get("dpi", 300)),
        required_fields=required,
        rescan_seconds=float(raw.get("rescan_seconds", 300)),
        folders=folders,
    )


def _folder(path: Path, base: Path, raw) -> FolderConfig:
    if not isinstance(raw, dict) or "path" not in raw:
        line = raw.get("__line__", "?") if isinstance(raw, dict) else "?"
        raise ConfigError(f"{path}:{line}: each entry of 'folders' needs a 'path'")
    _reject_unknown(path, raw, _FOLDER_KEYS, "a folder entry")

    def abs_path(value: str) -> Path:
        p = Path(value)
        return p if p.is_absolute() else base / p

    done = raw.get("done_folder")
    return FolderConfig(
        path=abs_path(raw["path"]),
        source=str(raw.get("source", "folder")),
        polling=bool(raw.get("polling", False)),
        settle_seconds=float(raw.get("settle_seconds", 2)),
        done_folder=abs_path(done) if done else None,
        keep_originals=bool(raw.get("keep_originals", False)),
    )


def _reject_unknown(path: Path, raw: dict, allowed: set[str], where: str) -> None:
    for key in raw:
        if key != "__line__" and key not in allowed:
            raise ConfigError(
                f"{path}:{raw['__line__']}: unknown setting '{key}' in {where}; "
                f"allowed: {', '.join(sorted(allowed))}"
            )
