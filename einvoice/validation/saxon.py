"""Saxon-HE (saxonche) for the official XSLT 2.0 rules and KoSIT's XPath scenario matches.

One engine per process: created on first use (again in a forked child), every stylesheet
compiled once when first needed and kept, so a worker pays the compilation (about a second
for all rules) once. An invoice is parsed into Saxon once for its scenario's match and all
of its stylesheets. A lock makes the engine safe for the threads of the review desk.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

from saxonche import PySaxonApiError, PySaxonProcessor, PyXdmNode

__all__ = ["PySaxonApiError", "SaxonEngine", "engine"]


class SaxonEngine:
    def __init__(self):
        self.processor = PySaxonProcessor(license=False)
        self._xslt = self.processor.new_xslt30_processor()
        self._stylesheets: dict[Path, object] = {}
        self._matchers: dict[tuple, object] = {}
        self.lock = threading.RLock()

    def parse(self, text: str) -> PyXdmNode:
        return self.processor.parse_xml(xml_text=text)

    def transform(self, stylesheet: Path, document: PyXdmNode) -> str:
        """The stylesheet's output (SVRL) for the document; PySaxonApiError on failure."""
        executable = self._stylesheets.get(stylesheet)
        if executable is None:
            executable = self._xslt.compile_stylesheet(stylesheet_file=str(stylesheet))
            self._stylesheets[stylesheet] = executable
        return executable.transform_to_string(xdm_node=document)

    def matches(self, expression: str, namespaces: dict[str, str], document: PyXdmNode) -> bool:
        """The effective boolean value of an XPath over the document."""
        key = tuple(sorted(namespaces.items()))
        xpath = self._matchers.get(key)
        if xpath is None:
            xpath = self.processor.new_xpath_processor()
            for prefix, uri in namespaces.items():
                xpath.declare_namespace(prefix, uri)
            xpath.set_caching(True)
            self._matchers[key] = xpath
        xpath.set_context(xdm_item=document)
        return xpath.effective_boolean_value(expression)


_engine: SaxonEngine | None = None
_engine_pid: int | None = None
_create = threading.Lock()


def engine() -> SaxonEngine:
    """This process's engine."""
    global _engine, _engine_pid
    with _create:
        if _engine is None or _engine_pid != os.getpid():
            _engine, _engine_pid = SaxonEngine(), os.getpid()
        return _engine
