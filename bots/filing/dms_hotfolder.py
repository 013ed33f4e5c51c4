"""The DMS hot-folder target: per document its PDF (a scan's searchable PDF, a readable copy
of an XRechnung, with the original XML beside it) and an index file rendered from the
administration's template, handed over atomically and exactly once (bots.filing.handover),
then an optional ready marker. A return is handed over as an index of its own (action
"rueckgabe") that marks the document in the DMS: a hot folder cannot take a file back."""

from __future__ import annotations

from bots.filing.file_template import FileTemplate
from bots.filing.handover import forget_earlier, hand_over, key_for
from bots.filing.index_values import FILING, RETURN, index_values
from bots.filing.target import EfileUnavailable, Filing, Withdrawal, check_folder
from bots.handover_config import DmsHotfolder


class DmsHotfolderTarget:
    def __init__(self, config: DmsHotfolder, template: FileTemplate):
        self.config = config
        self.template = template

    @property
    def index_suffix(self) -> str:
        """'.index.xml': the index's own suffix, never the XML e-invoice's '.xml'."""
        return f".index{self.template.extension}"

    def check(self, queue: str, needed: int = 0) -> None:
        check_folder(self.config.folder, needed)
        check_folder(self.config.staging_folder)

    def file(self, filing: Filing) -> str:
        document_id = filing.filed.document.id
        names = {"pdf": f"{document_id}.pdf",
                 "xml": f"{document_id}.xml" if filing.xml is not None else None}
        index = self.template.render(index_values(filing.filed, action=FILING, at=filing.at,
                                                  number=filing.number, files=names))
        files = [(names["pdf"], filing.pdf)]
        if filing.xml is not None:
            files.append((names["xml"], filing.xml))
        files.append((f"{document_id}{self.index_suffix}", index))
        self._hand_over(document_id, "f", filing.number, document_id, files)
        return str(self.config.folder / names["pdf"])

    def withdraw(self, withdrawal: Withdrawal) -> None:
        document_id = withdrawal.filed.document.id
        index = self.template.render(index_values(
            withdrawal.filed, action=RETURN, at=withdrawal.at, number=withdrawal.number,
            files={"pdf": None, "xml": None}, note=withdrawal.note, returned_by=withdrawal.by))
        stem = f"{document_id}-rueckgabe-{withdrawal.number}"
        self._hand_over(document_id, "r", withdrawal.number, stem,
                        [(f"{stem}{self.index_suffix}", index)])

    def _hand_over(self, document_id: str, kind: str, number: int, stem: str,
                   files: list[tuple[str, bytes]]) -> None:
        """Hand the files over (the ready marker <stem><suffix> last) under the key of this
        document's number-th filing ("f") or return ("r")."""
        if self.config.ready_marker:
            files = [*files, (f"{stem}{self.config.ready_marker}", b"")]
        self.check("", sum(len(data) for _, data in files))
        forget_earlier(self.config.staging_folder, document_id, kind, number)
        try:
            hand_over(self.config.staging_folder, self.config.folder,
                      key_for(document_id, kind, number), files)
        except OSError as exc:
            raise EfileUnavailable(f"cannot hand over to the DMS ({exc.strerror})") from None
