"""ZIP attachments, unpacked within limits (entries, sizes, compression ratio).

The declared sizes are checked before anything is inflated, and every entry is read with a
bound, so a ZIP bomb costs at most the limits, never the machine."""

from __future__ import annotations

import io
import zipfile
import zlib
from dataclasses import dataclass

_CHUNK = 1 << 16


@dataclass(frozen=True)
class ZipLimits:
    max_entries: int = 100
    max_entry_bytes: int = 50 * 1024 * 1024
    max_total_bytes: int = 200 * 1024 * 1024
    max_ratio: int = 100  # uncompressed / compressed, for entries above ratio_floor
    ratio_floor: int = 1024 * 1024


DEFAULT_LIMITS = ZipLimits()


@dataclass(frozen=True)
class ZipEntry:
    index: int
    name: str  # as stored in the archive: for display only
    data: bytes


class ArchiveRefused(Exception):
    """The archive breaks a limit or is damaged; the message is German, for clerks."""


def is_office_document(data: bytes) -> bool:
    """OOXML (.docx, .xlsx) and OpenDocument files are ZIP containers, not archives."""
    try:
        names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    return "[Content_Types].xml" in names or (bool(names) and names[0] == "mimetype")


def unpack_zip(data: bytes, limits: ZipLimits = DEFAULT_LIMITS) -> list[ZipEntry]:
    """The files in a ZIP archive, or ArchiveRefused (German reason) if it breaks a limit."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = [info for info in archive.infolist() if not info.is_dir()]
        _check_declared(infos, limits)
        return [ZipEntry(i, info.filename, _read(archive, info, limits))
                for i, info in enumerate(infos, 1)]
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError,
            NotImplementedError) as exc:
        raise ArchiveRefused("ZIP-Archiv ist beschädigt oder nutzt ein nicht unterstütztes "
                             "Verfahren.") from exc


def _check_declared(infos: list[zipfile.ZipInfo], limits: ZipLimits) -> None:
    if len(infos) > limits.max_entries:
        raise ArchiveRefused(f"ZIP-Archiv enthält {len(infos)} Dateien (höchstens "
                             f"{limits.max_entries} erlaubt).")
    if sum(info.file_size for info in infos) > limits.max_total_bytes:
        raise ArchiveRefused("ZIP-Archiv ist entpackt zu groß.")
    for info in infos:
        if info.flag_bits & 0x1:
            raise ArchiveRefused("ZIP-Archiv ist passwortgeschützt.")
        if info.file_size > limits.max_entry_bytes:
            raise ArchiveRefused("Eine Datei im ZIP-Archiv ist entpackt zu groß.")
        if (info.file_size > limits.ratio_floor
                and info.file_size > limits.max_ratio * max(info.compress_size, 1)):
            raise ArchiveRefused("ZIP-Archiv ist auffällig stark komprimiert (ZIP-Bombe?).")


def _read(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limits: ZipLimits) -> bytes:
    """Read one entry, never more than its declared size allows (headers can lie)."""
    bound = min(info.file_size, limits.max_entry_bytes)
    out = bytearray()
    with archive.open(info) as handle:
        while chunk := handle.read(_CHUNK):
            out += chunk
            if len(out) > bound:
                raise ArchiveRefused("ZIP-Archiv enthält mehr Daten als angegeben.")
    return bytes(out)
