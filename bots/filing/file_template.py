"""Files from an administrator's Jinja2 template: a DMS import index, an export layout.

The template runs in Jinja2's immutable sandbox with strict undefined names, so a misspelt
variable is an error rather than an empty field. It is loaded and tried at start, on a full
and on a sparse invoice: a mistake is refused then, with the template's file and line
(TemplateProblem), never at the first invoice. An XML template (name ending .xml.j2) escapes
values for XML and must render well-formed XML; `csv` quotes a value for a ';' CSV.

Filters: de_date ('2026-11-03' -> '03.11.2026'), de_amount ('1234.5' -> '1.234,50'), csv.
"""

from __future__ import annotations

import traceback
from collections.abc import Mapping
from pathlib import Path

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment
from lxml import etree

from einvoice.readable_pdf import german_amount, german_date


class TemplateProblem(Exception):
    """A template that cannot be used; the message starts with file:line."""


def _de_date(value) -> str:
    return "" if value in (None, "") else german_date(str(value))


def _de_amount(value) -> str:
    return "" if value in (None, "") else german_amount(value)


def _csv(value) -> str:
    """One field of a ';'-separated CSV line, quoted when it needs to be."""
    text = "" if value is None else str(value)
    if any(c in text for c in ';"\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


class FileTemplate:
    def __init__(self, path: Path, trials: tuple[Mapping, ...] = ()):
        self.path = Path(path)
        self.is_xml = self.path.name.endswith(".xml.j2")
        environment = ImmutableSandboxedEnvironment(
            loader=jinja2.FileSystemLoader(str(self.path.parent)),
            undefined=jinja2.StrictUndefined, autoescape=self.is_xml,
            keep_trailing_newline=True)
        environment.filters.update(de_date=_de_date, de_amount=_de_amount, csv=_csv)
        try:
            self._template = environment.get_template(self.path.name)
        except jinja2.TemplateNotFound:
            raise TemplateProblem(f"{self.path}:0: template not found; check the path in "
                                  "bot.yaml") from None
        except jinja2.TemplateSyntaxError as exc:
            raise TemplateProblem(f"{self.path}:{exc.lineno}: {exc.message}") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise TemplateProblem(f"{self.path}:0: cannot read the template "
                                  f"({type(exc).__name__}); it must be UTF-8 text") from None
        for values in trials:
            self.render(values)

    @property
    def extension(self) -> str:
        """What the template makes: '.xml' for dms-index-xml.xml.j2, '.csv' for *.csv.j2."""
        return Path(self.path.name.removesuffix(".j2")).suffix or ".txt"

    def render(self, values: Mapping) -> bytes:
        try:
            text = self._template.render(**values)
        except Exception as exc:  # noqa: BLE001 - any error inside the template is its own
            raise TemplateProblem(f"{self.path}:{self._line_of(exc)}: "
                                  f"{type(exc).__name__}: {exc}") from None
        data = text.encode("utf-8")
        if self.is_xml:
            self._check_xml(data)
        return data

    def _line_of(self, exc: BaseException) -> int | str:
        frames = [f for f in traceback.extract_tb(exc.__traceback__)
                  if Path(f.filename) == self.path.resolve() or f.filename == str(self.path)]
        return frames[-1].lineno if frames else "?"

    def _check_xml(self, data: bytes) -> None:
        parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
        try:
            etree.fromstring(data, parser)
        except etree.XMLSyntaxError as exc:
            raise TemplateProblem(f"{self.path}:?: renders no well-formed XML ({exc.msg}, "
                                  f"line {exc.lineno} of the output)") from None
