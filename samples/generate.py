"""Write the sample invoices and their expected results.

    .venv/bin/python samples/generate.py [--out DIR]      (default: the samples/ folder)
    .venv/bin/python samples/generate.py --separator-sheet   (only DIR/trennblatt.pdf)

Writes DIR/invoices/* and DIR/expected.json from the fictitious set in samples/catalog.py,
the single source of truth, and DIR/trennblatt.pdf, the separator sheet for batch scans. Deterministic: seeded noise, reportlab invariant mode, fixed
dates. Byte-identical on re-run except zugferd-*.pdf (factur-x stamps the current time)
and passwort.pdf (encryption uses random salts).

expected.json lists every file in invoices/. Per invoice: kind, pages, the contract fields
the document carries (a field it does not carry is absent), the vendor id in
config/vendors.yaml (known providers only), and the expected outcome: "filed" with the
caseworker id, or "exception" with its reason code.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the repository root importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import facturx  # noqa: E402

from samples import bad_files  # noqa: E402
from samples.catalog import BAD_FILES, INVOICES, KNOWN_SELLERS  # noqa: E402
from samples.model import Invoice  # noqa: E402
from samples.pdf_layout import render_invoice  # noqa: E402
from samples.scan_effects import encode, scan_pages  # noqa: E402
from samples.separator_sheet import separator_pdf  # noqa: E402
from samples.xml_cii import cii_invoice  # noqa: E402
from samples.xml_ubl import ubl_invoice  # noqa: E402

SAMPLES = Path(__file__).resolve().parent
KNOWN_VENDOR_IDS = {seller.key for seller in KNOWN_SELLERS}


def render(invoice: Invoice) -> tuple[bytes, int]:
    """The file bytes of one sample invoice and its number of pages (0 for XML, as extract)."""
    if invoice.kind == "xrechnung-ubl":
        return ubl_invoice(invoice), 0
    if invoice.kind == "xrechnung-cii":
        return cii_invoice(invoice, xrechnung=True), 0
    pdf = render_invoice(invoice)
    if invoice.kind == "pdf-text":
        return pdf, invoice.expected_pages
    if invoice.kind == "zugferd":
        return _zugferd(invoice, pdf), invoice.expected_pages
    pages = scan_pages(pdf, invoice.scan)
    if len(pages) != invoice.expected_pages:
        raise RuntimeError(f"{invoice.file}: layout gave {len(pages)} pages, "
                           f"expected {invoice.expected_pages}")
    return encode(pages, invoice.scan.fmt), len(pages)


def _zugferd(invoice: Invoice, pdf: bytes) -> bytes:
    metadata = {
        "author": invoice.seller.name,
        "keywords": "Factur-X, ZUGFeRD, Rechnung",
        "title": f"Rechnung {invoice.number}",
        "subject": f"Rechnung {invoice.number} vom {invoice.issue_date:%d.%m.%Y}",
    }
    return facturx.generate_from_binary(
        pdf, cii_invoice(invoice, xrechnung=False), flavor="factur-x", level="en16931",
        check_xsd=True, pdf_metadata=metadata, lang="de-DE",
    )


def bad_file_bytes() -> dict[str, bytes]:
    """The damaged and unsupported inputs, each made from a real sample where it can be."""
    donor = next(inv for inv in INVOICES if inv.kind == "pdf-text")
    pdf = render_invoice(donor)
    made = {
        "leer.pdf": bad_files.empty(),
        "abgeschnitten.pdf": bad_files.truncated(pdf),
        "passwort.pdf": bad_files.encrypted(pdf),
        "anschreiben.docx": bad_files.cover_letter_docx(),
    }
    assert made.keys() == BAD_FILES.keys()
    return made


def expectation(invoice: Invoice, pages: int) -> dict:
    entry = {"file": invoice.file, "kind": invoice.kind, "pages": pages,
             "fields": invoice.fields()}
    if invoice.seller.key in KNOWN_VENDOR_IDS:
        entry["vendor"] = invoice.seller.key
    if invoice.caseworker:
        entry.update(outcome="filed", caseworker=invoice.caseworker)
    else:
        entry.update(outcome="exception", reason="no_rule")
    return entry


def build(out: Path) -> dict:
    """Write out/invoices/* and out/expected.json; return the expectations."""
    folder = out / "invoices"
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for invoice in INVOICES:
        data, pages = render(invoice)
        (folder / invoice.file).write_bytes(data)
        files.append(expectation(invoice, pages))
    for name, data in bad_file_bytes().items():
        (folder / name).write_bytes(data)
        files.append({"file": name, "outcome": "exception", "reason": BAD_FILES[name]})
    expected = {"files": files}
    text = json.dumps(expected, ensure_ascii=False, indent=2) + "\n"
    (out / "expected.json").write_text(text, encoding="utf-8")
    write_separator_sheet(out)
    return expected


def write_separator_sheet(out: Path) -> Path:
    path = out / "trennblatt.pdf"
    path.write_bytes(separator_pdf())
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=SAMPLES,
                        help="folder to write invoices/ and expected.json into")
    parser.add_argument("--separator-sheet", action="store_true",
                        help="write only the separator sheet trennblatt.pdf")
    args = parser.parse_args(argv)
    if args.separator_sheet:
        print(f"wrote {write_separator_sheet(args.out)}")
        return 0
    expected = build(args.out)
    print(f"wrote {len(expected['files'])} sample files to {args.out / 'invoices'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
