"""Read a Schematron report (SVRL): every failed assert and successful report, with the
official rule id, flag, text and location, the location made readable."""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from einvoice.values import xpath_of

_SVRL = "{http://purl.oclc.org/dsdl/svrl}"
# A location step as the ISO skeleton writes it (*:Name[namespace-uri()='ns'][1]) or SchXslt
# (Q{ns}Name[1]); an attribute step (@name) may end it.
_STEP = re.compile(r"\*:(?P<a>[\w.-]+)\[namespace-uri\(\)='(?P<ans>[^']*)'\]\[(?P<ai>\d+)\]"
                   r"|Q\{(?P<bns>[^}]*)\}(?P<b>[\w.-]+)\[(?P<bi>\d+)\]"
                   r"|@(?P<attr>[\w:.-]+)")
# The rule id the text begins with, as the official rules write it: '[BR-01]-', '[BR-DE-1] '.
_ID_PREFIX = re.compile(r"^\s*\[[^\]]+\]\s*-?\s*")


@dataclass(frozen=True)
class Assertion:
    """A fired assert or report as published: id and flag may be missing."""

    rule: str | None
    flag: str | None
    report: bool  # a successful report (not a failed assert)
    text: str
    location: str


def assertions(svrl: str, root: etree._Element) -> list[Assertion]:
    """The failed asserts and successful reports of an SVRL report, their locations as
    XPaths into the invoice whose parsed root is `root`."""
    if "failed-assert" not in svrl and "successful-report" not in svrl:
        return []  # nothing fired (most invoices): no need to parse the report
    report = etree.fromstring(svrl.encode("utf-8"))
    found = []
    for node in report.iter(f"{_SVRL}failed-assert", f"{_SVRL}successful-report"):
        text = " ".join("".join(node.findtext(f"{_SVRL}text") or "").split())
        found.append(Assertion(
            rule=node.get("id"), flag=node.get("flag"),
            report=node.tag == f"{_SVRL}successful-report",
            text=_ID_PREFIX.sub("", text), location=readable(node.get("location") or "", root)))
    return found


def readable(location: str, root: etree._Element) -> str:
    """The SVRL location as an XPath with the invoice's own prefixes ('/Invoice/cac:
    LegalMonetaryTotal'); the location as given when it does not lead to an element."""
    element, attribute = None, None
    for step in _STEP.finditer(location):
        if step["attr"]:
            attribute = step["attr"]
            break
        namespace, name = (step["ans"], step["a"]) if step["a"] else (step["bns"], step["b"])
        tag, index = f"{{{namespace}}}{name}" if namespace else name, int(step["ai"] or step["bi"])
        if element is None:
            element = root if root.tag == tag and index == 1 else None
        else:
            candidates = list(element.iterchildren(tag))
            element = candidates[index - 1] if index <= len(candidates) else None
        if element is None:
            return location
    if element is None:
        return location
    return xpath_of(element) + (f"/@{attribute}" if attribute else "")
