"""The e-file target on the file system: <efile_root>/<queue>/<document_id>.pdf with
<document_id>.json beside it (and .xml for e-invoices), each written atomically and all made
durable together; the JSON sidecar is renamed into place last, so a sidecar means a complete
filing. Filing again rewrites the same files: a restart never files twice."""

from __future__ import annotations

import json
from pathlib import Path

from bots.fail_closed import share_missing
from bots.filing.sidecar import sidecar
from bots.filing.target import EfileUnavailable, Filing, Withdrawal, check_folder
from bots.storage.atomic import fsync_path, write_atomic_group


class FilesystemTarget:
    def __init__(self, root: Path, mounts: tuple[Path, ...] = ()):
        self.root = Path(root)
        self.mounts = mounts

    def check(self, queue: str, needed: int = 0) -> None:
        check_folder(self.folder(queue), needed)

    def folder(self, queue: str) -> Path:
        """A queue's folder, never through a symlink: a caseworker's folder replaced by a
        link to elsewhere is refused (the document waits; the operator reads why)."""
        folder = self.root / queue
        if share_missing(self.root, self.mounts) is not None:
            raise EfileUnavailable("the e-file share is not mounted")
        if folder.is_symlink() or (folder.exists() and not folder.resolve().is_relative_to(
                self.root.resolve())):
            raise EfileUnavailable(f"the queue folder of {queue} is a symlink; not followed")
        return folder

    def file(self, filing: Filing) -> str:
        document_id, queue = filing.filed.document.id, filing.filed.routing.queue
        meta = json.dumps(sidecar(filing), ensure_ascii=False, indent=2, default=str).encode()
        files = [(f"{document_id}.pdf", filing.pdf)]
        if filing.xml is not None:
            files.append((f"{document_id}.xml", filing.xml))
        files.append((f"{document_id}.json", meta))
        self.check(queue, sum(len(data) for _, data in files))
        try:
            write_atomic_group(self.folder(queue), files)
        except OSError as exc:
            raise EfileUnavailable(f"cannot write the target ({exc.strerror})") from None
        return str(self.folder(queue) / f"{document_id}.pdf")

    def withdraw(self, withdrawal: Withdrawal) -> None:
        """Delete the copy from the caseworker's folder, sidecar first (without it the rest
        is no filing any more); the original stays in the bot's store."""
        folder = self.folder(withdrawal.filed.routing.queue)
        document_id = withdrawal.filed.document.id
        try:
            for suffix in (".json", ".pdf", ".xml"):
                (folder / f"{document_id}{suffix}").unlink(missing_ok=True)
            if folder.is_dir():
                fsync_path(folder)
        except OSError as exc:
            raise EfileUnavailable(f"cannot withdraw from the target ({exc.strerror})") from None
