"""The hand-over settings of bot.yaml (docs/filing.md): where filed invoices go (`filing`), the
posting proposals for the finance system (`posting`), and the caseworkers' return folders
(`returns`). bots.config calls parse_handover(); a mistake is a HandoverConfigError with the
line it is on and the fix."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from bots.posting.fields import PROPOSAL_FIELDS

FILESYSTEM, DMS_HOTFOLDER = "filesystem", "dms_hotfolder"
TARGETS = (FILESYSTEM, DMS_HOTFOLDER)


class HandoverConfigError(Exception):
    def __init__(self, line: int | str, message: str):
        super().__init__(message)
        self.line, self.message = line, message


@dataclass(frozen=True)
class DmsHotfolder:
    """A DMS that imports from a hot folder: per document the PDF (and the original XML of an
    e-invoice) and an index file rendered from `index_template`, then an optional ready
    marker. The DMS moves what it cannot import to `error_folder`."""

    folder: Path
    error_folder: Path
    index_template: Path
    staging_folder: Path  # written here first; on the same file system as `folder`
    ready_marker: str | None = None  # e.g. ".ready": an empty <document>.ready comes last


@dataclass(frozen=True)
class FilingConfig:
    target: str = FILESYSTEM
    queues: tuple[tuple[str, str, int], ...] = ()  # (queue, target, line in bot.yaml)
    dms: DmsHotfolder | None = None
    line: int = 0

    def target_for(self, queue: str) -> str:
        return next((target for name, target, _ in self.queues if name == queue), self.target)

    @property
    def targets_used(self) -> set[str]:
        return {self.target} | {target for _, target, _ in self.queues}


@dataclass(frozen=True)
class PostingConfig:
    """Posting proposals (Buchungsvorschläge): what an invoice needs to get one, where the
    daily export goes, and the custom field that holds the case reference (Aktenzeichen)."""

    export_dir: Path
    required: tuple[str, ...] = ("creditor_number", "account", "iban", "pay_by")
    case_reference: str | None = "aktenzeichen"
    xml_template: Path | None = None


@dataclass(frozen=True)
class ReturnsConfig:
    folder: Path  # <folder>/<caseworker id>/: a caseworker drops an invoice here to send it back
    settle_seconds: float = 2.0


@dataclass(frozen=True)
class Handover:
    filing: FilingConfig
    posting: PostingConfig
    returns: ReturnsConfig


_FILING_KEYS = {"target", "queues", "dms_hotfolder"}
_DMS_KEYS = {"folder", "error_folder", "index_template", "staging_folder", "ready_marker"}
_POSTING_KEYS = {"export_dir", "required", "case_reference", "xml_template"}
_RETURNS_KEYS = {"folder", "settle_seconds"}


def parse_handover(raw: dict, base: Path) -> Handover:
    """The three sections of bot.yaml (each optional); relative paths against `base`."""
    return Handover(filing=_filing(_section(raw, "filing"), base),
                    posting=_posting(_section(raw, "posting"), base),
                    returns=_returns(_section(raw, "returns"), base))


def _section(raw: dict, key: str) -> dict:
    value = raw.get(key)
    if value is None:
        return {"__line__": raw.get("__line__", 1), "__lines__": {}}
    if not isinstance(value, dict):
        raise HandoverConfigError(_line(raw, key), f"'{key}' must be a mapping of settings")
    return value


def _line(raw: dict, key: str | None = None) -> int | str:
    return raw.get("__lines__", {}).get(key, raw.get("__line__", "?"))


def _known(raw: dict, allowed: set[str], where: str) -> None:
    for key in raw:
        if not key.startswith("__") and key not in allowed:
            raise HandoverConfigError(_line(raw, key), f"unknown setting '{key}' in {where}; "
                                      f"allowed: {', '.join(sorted(allowed))}")


def _path(raw: dict, key: str, default: str | None, base: Path) -> Path | None:
    value = raw.get(key, default)
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise HandoverConfigError(_line(raw, key), f"'{key}' must be a path, e.g. {default}")
    path = Path(value)
    return path if path.is_absolute() else Path(os.path.normpath(base / path))


def _target(raw: dict, key: str, value: object) -> str:
    if value not in TARGETS:
        raise HandoverConfigError(_line(raw, key), f"filing target {value!r} is not known; "
                                  f"use one of: {', '.join(TARGETS)}")
    return str(value)


def _filing(raw: dict, base: Path) -> FilingConfig:
    _known(raw, _FILING_KEYS, "filing")
    target = _target(raw, "target", raw.get("target", FILESYSTEM))
    queues_raw = raw.get("queues") or {"__lines__": {}}
    if not isinstance(queues_raw, dict):
        raise HandoverConfigError(_line(raw, "queues"), "'queues' maps a queue (caseworker "
                                  "id) to its target, e.g. queues: {krause: dms_hotfolder}")
    queues = tuple((str(queue), _target(queues_raw, queue, value), _line(queues_raw, queue))
                   for queue, value in queues_raw.items() if not str(queue).startswith("__"))
    dms = _dms(_section(raw, "dms_hotfolder"), base)
    return FilingConfig(target=target, queues=queues, dms=dms, line=_line(raw, "target"))


def _dms(raw: dict, base: Path) -> DmsHotfolder:
    _known(raw, _DMS_KEYS, "filing: dms_hotfolder")
    folder = _path(raw, "folder", "../var/dms/import", base)
    marker = raw.get("ready_marker")
    if marker is not None and (not isinstance(marker, str) or not marker.startswith(".")
                               or "/" in marker or len(marker) < 2):
        raise HandoverConfigError(_line(raw, "ready_marker"), "'ready_marker' is the suffix of "
                                  "an empty file written last, e.g. .ready (or leave it out)")
    return DmsHotfolder(
        folder=folder, error_folder=_path(raw, "error_folder", "../var/dms/fehler", base),
        index_template=_path(raw, "index_template", "dms-index-xml.xml.j2", base),
        staging_folder=_path(raw, "staging_folder", None, base) or folder / ".rbot-uebergabe",
        ready_marker=marker)


def _posting(raw: dict, base: Path) -> PostingConfig:
    _known(raw, _POSTING_KEYS, "posting")
    required = raw.get("required", list(PostingConfig.required))
    if not isinstance(required, list) or not all(isinstance(r, str) for r in required):
        raise HandoverConfigError(_line(raw, "required"), "'required' is a list of proposal "
                                  "fields, e.g. [creditor_number, account, iban]")
    unknown = [name for name in required if name not in PROPOSAL_FIELDS]
    if unknown:
        raise HandoverConfigError(_line(raw, "required"), f"'required' names unknown field(s) "
                                  f"{unknown}; use: {', '.join(PROPOSAL_FIELDS)}")
    reference = raw.get("case_reference", PostingConfig.case_reference)
    if reference is not None and not isinstance(reference, str):
        raise HandoverConfigError(_line(raw, "case_reference"), "'case_reference' names the "
                                  "custom field of rules.yaml with the Aktenzeichen")
    return PostingConfig(export_dir=_path(raw, "export_dir", "../var/export/buchung", base),
                         required=tuple(required), case_reference=reference,
                         xml_template=_path(raw, "xml_template", None, base))


def _returns(raw: dict, base: Path) -> ReturnsConfig:
    _known(raw, _RETURNS_KEYS, "returns")
    settle = raw.get("settle_seconds", 2.0)
    if isinstance(settle, bool) or not isinstance(settle, int | float) or settle < 0:
        raise HandoverConfigError(_line(raw, "settle_seconds"), "'settle_seconds' must be a "
                                  f"number of at least 0 (found {settle!r}); e.g. "
                                  "settle_seconds: 2")
    return ReturnsConfig(folder=_path(raw, "folder", "../var/rueckgabe", base),
                         settle_seconds=float(settle))
