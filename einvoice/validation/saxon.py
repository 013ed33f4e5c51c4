"""Saxon-HE (saxonche) for the official XSLT 2.0 rules and KoSIT's XPath scenario matches.

One engine per process, created on first use; every stylesheet compiled once when first
needed and kept, so a worker pays the compilation (about a second for all rules) once. An invoice is parsed into Saxon once for its scenario's match and all
of its stylesheets. A lock makes the engine safe for the threads of the review desk.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

from saxonche import PySaxonApiError, PySaxonProcessor, PyXdmNode

__all__ = ["PySaxonApiError", "SaxonEngine", "engine"]

_MEMFD = hasattr(os, "memfd_create") and os.path.isdir("/proc/self/fd")


class SaxonEngine:
    def __init__(self):
        self.processor = PySaxonProcessor(license=False)
        self._xslt = self.processor.new_xslt30_processor()
        self._stylesheets: dict[Path, object] = {}
        self._selector = None
        self.lock = threading.RLock()

    def parse_utf8(self, xml: bytes) -> PyXdmNode:
        """A UTF-8 document for Saxon. On Linux Saxon reads the bytes from an anonymous
        memory file (a third faster than handing it text); elsewhere it parses the text."""
        if not _MEMFD:
            return self.parse_text(xml.decode("utf-8-sig"))
        descriptor = os.memfd_create("rbot-einvoice", os.MFD_CLOEXEC)
        try:
            os.write(descriptor, xml)
            return self.processor.parse_xml(xml_file_name=f"/proc/self/fd/{descriptor}")
        finally:
            os.close(descriptor)

    def parse_text(self, text: str) -> PyXdmNode:
        return self.processor.parse_xml(xml_text=text)

    def transform(self, stylesheet: Path, document: PyXdmNode) -> str:
        """The stylesheet's output (SVRL) for the document; PySaxonApiError on failure."""
        executable = self._stylesheets.get(stylesheet)
        if executable is None:
            executable = self._xslt.compile_stylesheet(stylesheet_file=str(stylesheet))
            executable.set_property("!indent", "no")  # the report is read, not looked at
            self._stylesheets[stylesheet] = executable
        return executable.transform_to_string(xdm_node=document)

    def first_match(self, selector: str, document: PyXdmNode, embedded: bool) -> int:
        """The number the selector stylesheet (scenarios.selector()) gives the document."""
        if self._selector is None:
            self._selector = self._xslt.compile_stylesheet(stylesheet_text=selector)
        self._selector.set_parameter("embedded", self.processor.make_boolean_value(embedded))
        return int(self._selector.transform_to_string(xdm_node=document))


_engine: SaxonEngine | None = None
_engine_pid: int | None = None
_create = threading.Lock()


def engine() -> SaxonEngine:
    """This process's engine. A process forked from one that has used Saxon cannot use it:
    the child lacks the threads of Saxon's runtime (GraalVM), and its first garbage
    collection would hang or crash it. Such a child gets a clear error instead; worker
    processes start from a forkserver or are spawned (as ocr/pool.py's are)."""
    global _engine, _engine_pid
    with _create:
        if _engine is None:
            _engine, _engine_pid = SaxonEngine(), os.getpid()
        elif _engine_pid != os.getpid():
            raise RuntimeError("Saxon was started before this process was forked; start "
                               "worker processes with a forkserver or spawn them")
        return _engine
