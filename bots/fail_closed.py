"""Configuration that would switch a check off or send filings elsewhere refuses the start,
naming file, line and the fix (`check` reports the same): a share marked as a mount that is
not mounted (the bot would fill the empty mount point locally), a missing vendors file (the
IBAN check against master data would be off), a Tesseract language that is not installed
(every scan would fail)."""

from __future__ import annotations

import functools
import os
import re
import subprocess
from pathlib import Path

from bots.config import BotConfig

# Two-letter codes people write, and the Tesseract language they mean.
_TESSERACT_CODES = {"de": "deu", "en": "eng", "fr": "fra", "it": "ita", "es": "spa",
                    "nl": "nld", "pl": "pol", "tr": "tur", "ru": "rus", "ar": "ara",
                    "pt": "por", "cs": "ces", "da": "dan", "sv": "swe", "el": "ell"}


def line_of(config_file: Path, key: str) -> int | str:
    """The line of a top-level `key:` in bot.yaml ('?' when not written there)."""
    try:
        lines = Path(config_file).read_text(encoding="utf-8").splitlines()
    except OSError:
        return "?"
    return next((n for n, line in enumerate(lines, 1) if re.match(rf"{key}\s*:", line)), "?")


def problems(config: BotConfig, installed_languages: set[str] | None = None) -> list[str]:
    """Everything that must stop the start; [] when the bot may start."""
    found = unmounted(config)
    if not config.vendors.is_file():
        found.append(f"{config.config_file}:{line_of(config.config_file, 'vendors')}: vendors "
                     f"file {config.vendors} not found — without it IBANs are not checked "
                     "against master data; create it (an empty one: 'vendors: []') or fix "
                     "the path (relative paths count from bot.yaml's folder)")
    languages = installed_languages if installed_languages is not None else tesseract_languages()
    problem = language_problem(config.ocr_lang, languages)
    if problem:
        found.append(f"{config.config_file}:{line_of(config.config_file, 'ocr')}: {problem}")
    return found


def watched_paths(config: BotConfig) -> list[tuple[str, Path]]:
    paths = [("efile_root", config.efile_root)]
    paths += [("folders", f.path) for f in config.folders]
    paths += [("folders", f.done_folder) for f in config.folders if f.done_folder]
    return paths


def share_missing(path: Path, mounts: tuple[Path, ...]) -> Path | None:
    """The share of `mounts` that `path` lies on if that share is not mounted now."""
    return next((m for m in mounts if Path(path).is_relative_to(m) and not os.path.ismount(m)),
                None)


def unmounted(config: BotConfig) -> list[str]:
    """Paths inside a share of `mounts` that is not mounted now."""
    found = []
    for mount in config.mounts:
        if os.path.ismount(mount):
            continue
        for key, path in watched_paths(config):
            if Path(path).is_relative_to(mount):
                found.append(f"{config.config_file}:{line_of(config.config_file, key)}: {path} "
                             f"is on the share {mount}, which is not mounted — mount it "
                             "(nothing is created in an empty mount point), then start again")
    return found


@functools.cache
def tesseract_languages() -> frozenset[str]:
    try:
        out = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True,
                             timeout=30, check=True).stdout
    except (OSError, subprocess.SubprocessError):
        return frozenset()
    return frozenset(out.split("\n", 1)[1].split() if out.startswith("List of") else out.split())


def language_problem(lang: str, installed: set[str]) -> str | None:
    """None when every language of `lang` ('deu+eng') is installed, else what to do."""
    if not installed:
        return "Tesseract is not installed — apt-get install tesseract-ocr"
    missing = [code for code in lang.split("+") if code not in installed]
    if not missing:
        return None
    hints = []
    for code in missing:
        meant = _TESSERACT_CODES.get(code.lower())
        if meant:
            hints.append(f"'{code}' is no Tesseract language: write '{meant}'"
                         + ("" if meant in installed else f" ({debian_package(meant)})"))
        elif re.fullmatch(r"[a-z]{3}(_[a-z]+)?", code, re.I):
            hints.append(f"'{code}' is not installed: apt-get install {debian_package(code)}")
        else:
            hints.append(f"'{code}' is no Tesseract language")
    return (f"ocr lang {lang!r}: " + "; ".join(hints)
            + f" (installed: {', '.join(sorted(installed - {'osd'}))})")


def debian_package(code: str) -> str:
    """Debian's package for a Tesseract language ('chi_sim' -> tesseract-ocr-chi-sim)."""
    return "tesseract-ocr-" + code.lower().replace("_", "-")
