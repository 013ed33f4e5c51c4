"""Vendor master data (config/vendors.yaml): who a provider is, and where it may be paid.

An invoice whose VAT ID or IBAN is on file names its vendor: that fills in (or confirms) the
seller's name. A known vendor (by VAT ID, tax number or exact name) with an IBAN that is not
on file is the classic invoice fraud: the check in bots.pipeline.checks sends it to the exception
queue as `iban_changed`. Logs show IBANs only masked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

import structlog
import yaml

from bots.pipeline.model import Invoice
from ocr.model import Kind

log = structlog.get_logger("vendors")

CONFIRMED = 0.98  # seller_name confidence when the vendor's IBAN or VAT ID is on the invoice
_KEYS = {"id", "name", "vat_id", "tax_number", "ibans", "provider_number", "creditor_number"}


class VendorFileError(Exception):
    """vendors.yaml cannot be used; the message names file, line and the fix."""


@dataclass(frozen=True)
class Vendor:
    id: str
    name: str
    vat_id: str | None = None
    tax_number: str | None = None
    ibans: tuple[str, ...] = ()
    provider_number: str | None = None
    creditor_number: str | None = None  # Kreditorennummer in the finance system


@dataclass(frozen=True)
class VendorMatch:
    vendor: Vendor
    by: str  # "vat_id" | "iban" | "tax_number" | "name"


def compact(value: str | None) -> str | None:
    return re.sub(r"\s+", "", value).upper() if value else None


def mask_iban(iban: str | None) -> str:
    """'DE67…4711': the country, check digits and last four, never the account."""
    value = compact(iban) or ""
    return f"{value[:4]}…{value[-4:]}" if len(value) > 8 else "…"


def _vendor(path: Path, entry, line: int) -> Vendor:
    if not isinstance(entry, dict) or not entry.get("id") or not entry.get("name"):
        raise VendorFileError(f"{path}:{line}: each vendor needs at least 'id' and 'name'")
    unknown = set(entry) - _KEYS
    if unknown:
        raise VendorFileError(f"{path}:{line}: unknown key(s) {sorted(unknown)}; "
                              f"allowed: {', '.join(sorted(_KEYS))}")
    ibans = entry.get("ibans") or []
    if isinstance(ibans, str) or not all(isinstance(i, str) for i in ibans):
        raise VendorFileError(f"{path}:{line}: 'ibans' must be a list of IBANs")
    return Vendor(id=str(entry["id"]), name=str(entry["name"]),
                  vat_id=compact(entry.get("vat_id")), tax_number=entry.get("tax_number"),
                  ibans=tuple(compact(i) for i in ibans),
                  provider_number=entry.get("provider_number"),
                  creditor_number=_creditor_number(path, entry, line))


def _creditor_number(path: Path, entry: dict, line: int) -> str | None:
    value = entry.get("creditor_number")
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int) or not str(value).strip():
        raise VendorFileError(f"{path}:{line}: 'creditor_number' of {entry['id']!r} must be the "
                              "Kreditorennummer as text, e.g. creditor_number: \"70001\"")
    return str(value).strip()


def creditor_number(invoice: Invoice, vendors: tuple[Vendor, ...]) -> str | None:
    """The finance system's creditor number of the vendor the invoice comes from, if known."""
    vendor_id = invoice.vendor.get("vendor_id")
    return next((v.creditor_number for v in vendors if v.id == vendor_id), None)


def load_vendors(path: Path) -> tuple[Vendor, ...]:
    """The vendors of a vendors.yaml; none when the file is absent."""
    path = Path(path)
    if not path.is_file():
        return ()
    try:
        node = yaml.compose(path.read_text(encoding="utf-8"))
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise VendorFileError(f"{path}: not valid YAML ({exc})") from None
    entries = raw.get("vendors") or [] if isinstance(raw, dict) else None
    if not isinstance(entries, list):
        raise VendorFileError(f"{path}:1: expected 'vendors:' with a list of vendors")
    lines = _entry_lines(node)
    return tuple(_vendor(path, entry, lines[n] if n < len(lines) else 1)
                 for n, entry in enumerate(entries))


def _entry_lines(node) -> list[int]:
    """The line of each entry of the top-level 'vendors' list (for error messages)."""
    if node is None or not hasattr(node, "value"):
        return []
    for key, value in node.value:
        if getattr(key, "value", None) == "vendors" and hasattr(value, "value"):
            return [item.start_mark.line + 1 for item in value.value]
    return []


_cache: dict[Path, tuple[float, tuple[Vendor, ...]]] = {}


def vendors_of(path: Path) -> tuple[Vendor, ...]:
    """load_vendors, read again only when the file changed (administrators edit it live).
    A changed file that cannot be used is refused with a warning, and the vendors loaded
    before stay in use, as with the rules: one broken edit must not fail every invoice.
    VendorFileError only when there are none loaded before (at start, see bots.wiring)."""
    path = Path(path)
    cached = _cache.get(path)
    try:
        mtime = path.stat().st_mtime
    except OSError as exc:  # moved away or unreadable during an edit: keep what was loaded
        if cached is not None:
            log.warning("vendors_unreadable", problem=exc.strerror, kept=len(cached[1]))
            return cached[1]
        return ()
    if cached is None or cached[0] != mtime:
        try:
            cached = (mtime, load_vendors(path))
        except VendorFileError as exc:
            if cached is None:
                raise
            log.warning("vendors_refused", problem=str(exc), kept=len(cached[1]))
            cached = (mtime, cached[1])  # warned once per edit
        _cache[path] = cached
    return cached[1]


def _tax_numbers(text: str) -> set[str]:
    return set(re.findall(r"\d{2,3}/\d{3,4}/\d{4,5}", text or ""))


def _name_key(name: str | None) -> str:
    return re.sub(r"[^a-z0-9äöüß]", "", (name or "").casefold())


def find_vendor(invoice: Invoice, vendors: tuple[Vendor, ...], text: str = "") -> VendorMatch | None:
    """The vendor the invoice comes from: by its VAT ID (the legal identity), else its IBAN,
    else a tax number printed on it (in the text), else its exact seller name. A value
    names a vendor only if it is on file for exactly one."""
    iban, vat_id = compact(invoice.fields.get("iban")), compact(invoice.fields.get("seller_vat_id"))
    numbers = _tax_numbers(text)
    name = _name_key(invoice.fields.get("seller_name"))
    tests = (
        ("vat_id", lambda v: bool(vat_id) and v.vat_id == vat_id),
        ("iban", lambda v: bool(iban) and iban in v.ibans),
        ("tax_number", lambda v: bool(v.tax_number) and v.tax_number in numbers),
        ("name", lambda v: bool(name) and _name_key(v.name) == name),
    )
    for by, test in tests:
        found = [v for v in vendors if test(v)]
        if len(found) == 1:
            return VendorMatch(found[0], by)
    return None


def with_vendor(invoice: Invoice, vendors: tuple[Vendor, ...], text: str = "") -> Invoice:
    """The invoice with its vendor noted (vendor: vendor_id, vendor_match) and, when the
    vendor's VAT ID or IBAN is on it, its seller_name filled in or confirmed from the master
    data (an e-invoice keeps the name its XML gives)."""
    match = find_vendor(invoice, vendors, text)
    if match is None:
        return invoice
    vendor = {"vendor_id": match.vendor.id, "vendor_match": match.by}
    legal_name = Kind(invoice.kind).is_einvoice and invoice.fields.get("seller_name")
    if match.by not in ("vat_id", "iban") or legal_name:
        return replace(invoice, vendor=vendor)  # an e-invoice's XML names its seller itself
    fields = invoice.fields | {"seller_name": match.vendor.name}
    confidence = invoice.confidence | {"seller_name": max(
        CONFIRMED, invoice.confidence.get("seller_name", 0.0))}
    evidence = invoice.evidence | {"seller_name": f"vendor master data ({match.by})"}
    return replace(invoice, fields=fields, confidence=confidence, evidence=evidence,
                   vendor=vendor)


def changed_iban(invoice: Invoice, vendors: tuple[Vendor, ...]) -> tuple[Vendor, str] | None:
    """(vendor, invoice IBAN) when the invoice comes from a known vendor but names an IBAN
    that is not on file for it; None otherwise."""
    vendor_id = invoice.vendor.get("vendor_id")
    iban = compact(invoice.fields.get("iban"))
    vendor = next((v for v in vendors if v.id == vendor_id), None)
    if vendor is None or not iban or not vendor.ibans or iban in vendor.ibans:
        return None
    return vendor, iban
