"""Build the official e-invoice rules the bot applies, from their published sources.

    .venv/bin/python scripts/build_einvoice_rules.py [--from RELEASE_DIR] [--version NAME=V ...]

einvoice/artefacts/sources/ holds the official artefacts unchanged, with their licences (the
layout of ../shared/einvoice-rules). The build makes einvoice/artefacts/compiled/ from them,
as KoSIT's builds do:
  XRechnung-{UBL,CII}-validation.xsl  the XRechnung Schematron with the Peppol BIS rules
                                      merged in (KoSIT's peppol-into-xr.xsl and rule list),
                                      compiled to XSLT 2.0 with SchXslt (compact SVRL)
  scenarios.json                      KoSIT's scenarios.xml: which rules apply to which
                                      specification identifier (BT-24), with its customLevel
                                      overrides, the XRechnung identifiers filled in from the
                                      XRechnung Schematron itself
  EN16931-{UBL,CII}-validation.xsl    CEN's precompiled EN 16931 XSLT without its records of
                                      which rules ran (a third faster; asserts unchanged)

An update to a new release is one command and a diff: put the release in a folder laid out
like ../shared/einvoice-rules, run this with --from that folder (and --version for each
artefact whose version changed; einvoice/artefacts/versions.json keeps them), run the tests,
read `git diff einvoice/artefacts`. Without --from it rebuilds from the vendored sources.
Needs Saxon-HE (saxonche); the bot itself only reads the compiled files.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
import tempfile
from pathlib import Path

from lxml import etree
from saxonche import PySaxonProcessor

REPO = Path(__file__).resolve().parents[1]
ARTEFACTS = REPO / "einvoice" / "artefacts"
SOURCES = ARTEFACTS / "sources"
COMPILED = ARTEFACTS / "compiled"
VERSIONS = ARTEFACTS / "versions.json"

CII_SCHEMA = "cen/cii/schema/D16B SCRDM (Subset)/uncoupled clm"
SCHXSLT = "schxslt/core/src/main/resources/xslt/2.0"
XR_SCHEMATRON = "xr/src/validation/schematron"
# What the bot needs of a release (files and folders), relative to the release folder.
NEEDED = (
    "README.md",
    "cen/LICENSE.txt", "cen/ubl/xslt/EN16931-UBL-validation.xslt",
    "cen/cii/xslt/EN16931-CII-validation.xslt", CII_SCHEMA,
    "xr/LICENSE", XR_SCHEMATRON, "xr/src/xsl/peppol-into-xr.xsl", "xr/src/xsl/rule-list.xml",
    "peppol/rules/sch/README.md", "peppol/rules/sch/PEPPOL-EN16931-UBL.sch",
    "peppol/rules/sch/PEPPOL-EN16931-CII.sch",
    "kosit/LICENSE", "kosit/scenarios.xml",
    "schxslt/LICENSE", SCHXSLT,
)
# KoSIT's resource locations, by file name -> (where the bot finds it, the artefact it is).
RESOURCES = {
    "UBL-Invoice-2.1.xsd": ("facturx:ubl-2.1/maindoc/UBL-Invoice-2.1.xsd", "UBL"),
    "UBL-CreditNote-2.1.xsd": ("facturx:ubl-2.1/maindoc/UBL-CreditNote-2.1.xsd", "UBL"),
    "CrossIndustryInvoice_100pD16B.xsd": (
        f"sources/{CII_SCHEMA}/CII/uncefact/data/standard/CrossIndustryInvoice_100pD16B.xsd",
        "CII"),
    "EN16931-UBL-validation.xsl": ("compiled/EN16931-UBL-validation.xsl", "EN16931"),
    "EN16931-CII-validation.xsl": ("compiled/EN16931-CII-validation.xsl", "EN16931"),
    "XRechnung-UBL-validation.xsl": ("compiled/XRechnung-UBL-validation.xsl", "XRechnung"),
    "XRechnung-CII-validation.xsl": ("compiled/XRechnung-CII-validation.xsl", "XRechnung"),
}
SCENARIOS_NS = "http://www.xoev.de/de/validator/framework/1/scenarios"
SCH_NS = "http://purl.oclc.org/dsdl/schematron"
SVRL_NS = "http://purl.oclc.org/dsdl/svrl"


def vendor(release: Path) -> None:
    """Replace the vendored sources by what the bot needs of `release`."""
    missing = [name for name in NEEDED if not (release / name).exists()]
    if missing:
        sys.exit(f"{release}: missing {', '.join(missing)}")
    shutil.rmtree(SOURCES, ignore_errors=True)
    for name in NEEDED:
        source, target = release / name, SOURCES / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target)
        else:
            shutil.copy2(source, target)


def xrechnung_ids(saxon: PySaxonProcessor) -> dict[str, str]:
    """The identifiers (BT-24) the XRechnung Schematron defines in its common.sch lets."""
    xpath = saxon.new_xpath_processor()
    lets = etree.parse(str(SOURCES / XR_SCHEMATRON / "common.sch")).iter(f"{{{SCH_NS}}}let")
    values: dict[str, str] = {}
    for let in lets:
        value = xpath.evaluate_single(let.get("value")).get_string_value()
        xpath.declare_variable(let.get("name"))
        xpath.set_parameter(let.get("name"), saxon.make_string_value(value))
        values[let.get("name")] = value
    return {"xrechnung.spec.id": values["XR-CIUS-ID"],
            "xrechnung.extension.id": values["XR-EXTENSION-ID"],
            "xrechnung.cvd.id": values["XR-CVD-ID"],
            "xrechnung.version": values["XR-MAJOR-MINOR-VERSION"]}


def compile_xrechnung(saxon: PySaxonProcessor, syntax: str, versions: dict) -> str:
    """Merge the Peppol rules into the XRechnung Schematron of `syntax` (UBL or CII), as
    KoSIT's build does, and compile it with SchXslt. Returns the XSLT's text."""
    xslt = saxon.new_xslt30_processor()
    with tempfile.TemporaryDirectory(prefix="xr-build-") as scratch:
        root = Path(scratch)
        shutil.copytree(SOURCES / "xr" / "src", root / "xr" / "src")
        bis = root / "xr" / "build" / "bis"  # where peppol-into-xr.xsl looks for them
        bis.mkdir(parents=True)
        for name in ("PEPPOL-EN16931-UBL.sch", "PEPPOL-EN16931-CII.sch"):
            shutil.copy2(SOURCES / "peppol" / "rules" / "sch" / name, bis / name)
        folder = root / XR_SCHEMATRON / syntax.lower()
        merged = folder / "merged.sch"
        merge = xslt.compile_stylesheet(stylesheet_file=str(root / "xr/src/xsl/peppol-into-xr.xsl"))
        merge.set_parameter("syntax", saxon.make_string_value(syntax))
        merge.transform_to_file(source_file=str(folder / f"XRechnung-{syntax}-validation.sch"),
                                output_file=str(merged))
        merged.write_text(merged.read_text(encoding="utf-8")
                          .replace("@xr-schematron.version.full@", versions["XRechnung"])
                          .replace("@xrechnung.version@", versions["XRechnung-Spezifikation"]),
                          encoding="utf-8")
        compiler = xslt.compile_stylesheet(
            stylesheet_file=str(SOURCES / SCHXSLT / "pipeline-for-svrl.xsl"))
        compiler.set_parameter("schxslt.svrl.compact", saxon.make_boolean_value(True))
        text = compiler.transform_to_string(source_file=str(merged))
    # The compiler stamps the time of compiling: left out, so a rebuild is byte for byte.
    return re.sub(r"\s*<dct:created>[^<]*</dct:created>", "", text)


def compact_en16931(syntax: str) -> str:
    """CEN's EN 16931 XSLT of `syntax` (UBL or CII) without the records of which patterns
    and rules ran (svrl:active-pattern, svrl:fired-rule): every assert and report stays as
    published, the report shrinks to what fired, and validating takes about a third less
    time. Licensed as its source."""
    source = f"cen/{syntax.lower()}/xslt/EN16931-{syntax}-validation.xslt"
    tree = etree.parse(str(SOURCES / source))
    for record in list(tree.iter(f"{{{SVRL_NS}}}fired-rule", f"{{{SVRL_NS}}}active-pattern")):
        record.getparent().remove(record)
    note = etree.Comment(f" Made by scripts/build_einvoice_rules.py from sources/{source}: the "
                         "svrl:active-pattern and svrl:fired-rule records left out, nothing "
                         "else changed. Licence: as the source (EUPL-1.2, sources/cen/"
                         "LICENSE.txt). ")
    tree.getroot().addprevious(note)
    return etree.tostring(tree, xml_declaration=True, encoding="UTF-8").decode("utf-8") + "\n"


def _resource(element: etree._Element) -> dict:
    name = element.findtext(f"{{{SCENARIOS_NS}}}name")
    location = element.findtext(f"{{{SCENARIOS_NS}}}location").strip()
    found = RESOURCES.get(location.rsplit("/", 1)[-1])
    if found is None:
        sys.exit(f"scenarios.xml: no vendored artefact for {location} ({name}); "
                 "add it to NEEDED and RESOURCES")
    return {"name": name, "location": found[0], "artefact": found[1]}


def kosit_scenarios(ids: dict[str, str]) -> list[dict]:
    """KoSIT's scenarios in their order (the first that matches a document applies)."""
    text = (SOURCES / "kosit" / "scenarios.xml").read_text(encoding="utf-8")
    for key, value in ids.items():
        text = text.replace(f"@{key}@", value)
    q = f"{{{SCENARIOS_NS}}}"
    scenarios = []
    for scenario in etree.fromstring(text.encode()).iter(f"{q}scenario"):
        schema = scenario.find(f"{q}validateWithXmlSchema/{q}resource")
        scenarios.append({
            "name": scenario.findtext(f"{q}name").strip(),
            "match": " ".join(scenario.findtext(f"{q}match").split()),
            "namespaces": {ns.get("prefix"): ns.text.strip()
                           for ns in scenario.iter(f"{q}namespace")},
            "schema": _resource(schema),
            "schematrons": [_resource(r) for r in
                            scenario.iterfind(f"{q}validateWithSchematron/{q}resource")],
            "levels": {level.text.strip(): level.get("level")
                       for level in scenario.iter(f"{q}customLevel")},
        })
    return scenarios


def build(versions: dict) -> dict[str, str]:
    """The compiled files: name -> text."""
    with PySaxonProcessor(license=False) as saxon:
        ids = xrechnung_ids(saxon)
        versions = versions | {"XRechnung-Spezifikation": ids["xrechnung.version"]}
        files = {f"XRechnung-{s}-validation.xsl": compile_xrechnung(saxon, s, versions)
                 for s in ("UBL", "CII")}
    files |= {f"EN16931-{s}-validation.xsl": compact_en16931(s) for s in ("UBL", "CII")}
    files["scenarios.json"] = json.dumps(
        {"source": "KoSIT validator-configuration-xrechnung", "xrechnung_ids": ids,
         "scenarios": kosit_scenarios(ids)}, ensure_ascii=False, indent=1) + "\n"
    return files


def _versions(assignments: list[str]) -> dict:
    versions = json.loads(VERSIONS.read_text(encoding="utf-8"))
    for assignment in assignments:
        name, _, value = assignment.partition("=")
        if name not in versions or not value:
            sys.exit(f"--version {assignment}: expected NAME=VERSION, NAME one of "
                     f"{', '.join(versions)}")
        versions[name] = value
    return versions


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--from", dest="release", type=Path,
                        help="a release folder laid out like ../shared/einvoice-rules")
    parser.add_argument("--version", action="append", default=[], metavar="NAME=VERSION",
                        help="the new version of an artefact (see versions.json)")
    args = parser.parse_args(argv)
    versions = _versions(args.version)
    if args.release is not None:
        vendor(args.release.resolve())
    files = build(versions)
    VERSIONS.write_text(json.dumps(versions, ensure_ascii=False, indent=1) + "\n",
                        encoding="utf-8")
    COMPILED.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (COMPILED / name).write_text(text, encoding="utf-8")
        print(f"wrote {(COMPILED / name).relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
