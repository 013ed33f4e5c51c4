"""How long a file must stay unchanged before intake takes it. Locally the settle time is
enough: a writer that pauses longer is still seen holding the file open (bots.intake.writers).
A writer on another host (a scanner or a copy writing to an SMB or NFS share, several bot
hosts on one folder: docs/scale-out.md) is invisible to that check, so on a shared folder
only size and modification time tell, and they must stay unchanged for at least
SHARED_SETTLE_SECONDS. A folder is shared when it says so (`shared: true` in bot.yaml) or
when it lies on a network file system."""

from __future__ import annotations

import os
from pathlib import Path

from bots.config import FolderConfig

SHARED_SETTLE_SECONDS = 30.0
NETWORK_FILE_SYSTEMS = frozenset({
    "nfs", "nfs4", "cifs", "smb3", "smbfs", "9p", "ceph", "glusterfs", "fuse.glusterfs",
    "fuse.sshfs", "fuse.cephfs", "lustre", "gpfs", "afs", "beegfs", "ocfs2", "gfs2", "davfs",
})
MOUNTS = Path("/proc/self/mounts")


def file_system_type(path: Path, mounts: str | None = None) -> str | None:
    """The type of the file system `path` lies on (the longest mount point above it), from
    the mount table (`mounts`: its text; default this process's); None when unknown."""
    try:
        table = MOUNTS.read_text() if mounts is None else mounts
    except OSError:
        return None
    where = os.path.realpath(path)
    found, found_type = "", None
    for line in table.splitlines():
        cells = line.split()
        if len(cells) < 3:
            continue
        point = cells[1].replace("\\040", " ")
        inside = where == point or where.startswith(point.rstrip("/") + "/")
        if inside and len(point) >= len(found):
            found, found_type = point, cells[2]
    return found_type


def is_shared(folder: FolderConfig, mounts: str | None = None) -> bool:
    return folder.shared or file_system_type(folder.path, mounts) in NETWORK_FILE_SYSTEMS


def settle_time(folder: FolderConfig, mounts: str | None = None) -> float:
    """Seconds a file's size and mtime must stay unchanged before it is taken."""
    if is_shared(folder, mounts):
        return max(folder.settle_seconds, SHARED_SETTLE_SECONDS)
    return folder.settle_seconds
