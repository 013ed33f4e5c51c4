"""Find the invoice XML embedded in a ZUGFeRD / Factur-X / XRechnung PDF."""

from __future__ import annotations

from collections.abc import Iterator

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject

from einvoice.xmlsafe import MAX_XML_BYTES

# Attachment names of the invoice XML, by preference, compared case-insensitively.
INVOICE_XML_NAMES: tuple[str, ...] = (
    "factur-x.xml",
    "zugferd-invoice.xml",
    "xrechnung.xml",
)
_MAX_TREE_DEPTH = 16


def _resolve(obj):
    return obj.get_object() if obj is not None and hasattr(obj, "get_object") else obj


def _name_tree_leaves(node, depth: int = 0) -> Iterator[tuple[str, DictionaryObject]]:
    """(key, file specification) pairs of a PDF name tree, depth-limited against loops."""
    node = _resolve(node)
    if not isinstance(node, DictionaryObject) or depth > _MAX_TREE_DEPTH:
        return
    names = _resolve(node.get("/Names"))
    if isinstance(names, ArrayObject):
        for key, spec in zip(names[0::2], names[1::2], strict=False):
            yield str(_resolve(key)), _resolve(spec)
    kids = _resolve(node.get("/Kids"))
    if isinstance(kids, ArrayObject):
        for kid in kids:
            yield from _name_tree_leaves(kid, depth + 1)


def _annotation_specs(reader: PdfReader) -> Iterator[tuple[str, DictionaryObject]]:
    for page in reader.pages:
        for annot in _resolve(page.get("/Annots")) or ():
            annot = _resolve(annot)
            if isinstance(annot, DictionaryObject) and annot.get("/Subtype") == "/FileAttachment":
                yield "", _resolve(annot.get("/FS"))


def _file_specs(reader: PdfReader) -> Iterator[tuple[str, DictionaryObject]]:
    """Every file specification: EmbeddedFiles name tree, /AF of the catalog, annotations."""
    root = _resolve(reader.trailer.get("/Root"))
    if isinstance(root, DictionaryObject):
        names = _resolve(root.get("/Names"))
        if isinstance(names, DictionaryObject):
            yield from _name_tree_leaves(names.get("/EmbeddedFiles"))
        associated = _resolve(root.get("/AF"))
        if isinstance(associated, ArrayObject):
            for spec in associated:
                yield "", _resolve(spec)
    yield from _annotation_specs(reader)


def _spec_name(key: str, spec: DictionaryObject) -> str:
    for entry in ("/UF", "/F"):
        value = _resolve(spec.get(entry))
        if value:
            return str(value)
    return key


def _spec_data(spec: DictionaryObject) -> bytes | None:
    streams = _resolve(spec.get("/EF"))
    if not isinstance(streams, DictionaryObject):
        return None
    stream = _resolve(streams.get("/UF") or streams.get("/F"))
    if stream is None or not hasattr(stream, "get_data"):
        return None
    data = stream.get_data()
    return data if len(data) <= MAX_XML_BYTES else None


def find_invoice_xml(reader: PdfReader) -> tuple[str, bytes] | None:
    """(attachment name, XML bytes) of the embedded invoice, or None if there is none."""
    found: dict[str, tuple[str, DictionaryObject]] = {}
    for key, spec in _file_specs(reader):
        if not isinstance(spec, DictionaryObject):
            continue
        name = _spec_name(key, spec)
        lowered = name.rsplit("/", 1)[-1].lower()
        if lowered in INVOICE_XML_NAMES and lowered not in found:
            found[lowered] = (name, spec)
    for wanted in INVOICE_XML_NAMES:
        if wanted in found:
            name, spec = found[wanted]
            data = _spec_data(spec)
            if data:
                return name, data
    return None
