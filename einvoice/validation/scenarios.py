"""Which rules apply to an e-invoice: KoSIT's scenarios, tried in order, the first whose
`match` (an XPath over the invoice) holds applies - as KoSIT's validator selects them.

Around KoSIT's list (compiled/scenarios.json, built from KoSIT's scenarios.xml) the project
adds its own (scenarios-project.json): the Factur-X / ZUGFeRD 2.x profiles for XML embedded
in a PDF, tried first; EN 16931 for UBL and CII that KoSIT has no scenario for (another
CIUS, no or an unknown specification identifier), and ZUGFeRD 1.0, tried last.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from xml.sax.saxutils import quoteattr

from einvoice.validation.artefacts import ARTEFACTS, version_of

KOSIT = "KoSIT"
PROJECT = "Projekt"
# The XRechnung Schematron carries the Peppol BIS rules KoSIT merged into it.
MERGED_INTO = {"XRechnung": "Peppol-BIS-Billing"}


@dataclass(frozen=True)
class Resource:
    name: str
    location: str  # see artefacts.resource_path
    artefact: str  # its name in versions.json (or 'Factur-X')


@dataclass(frozen=True)
class Scenario:
    name: str
    source: str  # KOSIT or PROJECT
    match: str
    namespaces: dict[str, str] = field(hash=False, compare=False)
    schema: Resource
    schematrons: tuple[Resource, ...]
    levels: dict[str, str] = field(hash=False, compare=False)  # KoSIT's customLevel
    embedded_only: bool = False  # only for XML embedded in a PDF (Factur-X / ZUGFeRD)
    fallback: bool = False  # EN 16931 without a KoSIT scenario

    def artefacts(self) -> dict[str, str]:
        """Artefact name -> version of everything this scenario applies."""
        found = {}
        for resource in (self.schema, *self.schematrons):
            found[resource.artefact] = version_of(resource.artefact, resource.location)
            merged = MERGED_INTO.get(resource.artefact)
            if merged:
                found[merged] = version_of(merged, resource.location)
        if self.source == KOSIT:
            found["KoSIT-Konfiguration"] = version_of("KoSIT-Konfiguration", "")
        return found


def _scenario(data: dict, source: str, **flags) -> Scenario:
    return Scenario(name=data["name"], source=source, match=data["match"],
                    namespaces=data["namespaces"], schema=Resource(**data["schema"]),
                    schematrons=tuple(Resource(**r) for r in data["schematrons"]),
                    levels=data["levels"], **flags)


@lru_cache(maxsize=1)
def scenarios() -> tuple[Scenario, ...]:
    """Every scenario in the order they are tried."""
    kosit = json.loads((ARTEFACTS / "compiled" / "scenarios.json").read_text(encoding="utf-8"))
    own = json.loads((ARTEFACTS / "scenarios-project.json").read_text(encoding="utf-8"))
    return (*(_scenario(s, PROJECT, embedded_only=True) for s in own["embedded"]),
            *(_scenario(s, KOSIT) for s in kosit["scenarios"]),
            *(_scenario(s, PROJECT, fallback=True) for s in own["fallback"]))


@lru_cache(maxsize=1)
def selector() -> str:
    """An XSLT that names (by its position in scenarios()) the first scenario whose match
    holds for a document: all matches compiled once, evaluated in one call. Its parameter
    `embedded` says whether the XML came out of a PDF."""
    whens, namespaces = [], {}
    for number, scenario in enumerate(scenarios()):
        namespaces.update(scenario.namespaces)
        test = ("$embedded and " if scenario.embedded_only else "") + scenario.match
        whens.append(f"<xsl:when test={quoteattr(test)}>{number}</xsl:when>")
    declared = " ".join(f"xmlns:{prefix}={quoteattr(uri)}" for prefix, uri in namespaces.items())
    return (f'<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform" '
            f'xmlns:xs="http://www.w3.org/2001/XMLSchema" {declared}>'
            '<xsl:output method="text"/>'
            '<xsl:param name="embedded" as="xs:boolean" select="false()"/>'
            f'<xsl:template match="/"><xsl:choose>{"".join(whens)}'
            '<xsl:otherwise>-1</xsl:otherwise></xsl:choose></xsl:template></xsl:stylesheet>')
