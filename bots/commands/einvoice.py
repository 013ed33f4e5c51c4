"""`run_bot.py einvoice report FILE [--out DIR]`: the German validation report of an
e-invoice (XML, or a ZUGFeRD / Factur-X PDF) as HTML and PDF, for sending back to the sender."""

from __future__ import annotations

import sys
from pathlib import Path

from einvoice.report import report_html, report_of, report_pdf
from ocr.einvoice_check import check_einvoice

EXIT_VALID, EXIT_INVALID, EXIT_UNREADABLE = 0, 1, 2


def add_parsers(sub) -> None:
    einvoice = sub.add_parser("einvoice", help="e-invoices: the validation report")
    actions = einvoice.add_subparsers(dest="action", required=True)
    report = actions.add_parser("report", help="write the German validation report of an "
                                                "e-invoice as HTML and PDF")
    report.add_argument("file", type=Path)
    report.add_argument("--out", type=Path, default=Path("."),
                        help="folder for <name>-pruefbericht.html and .pdf (default: here)")


def cmd_einvoice(args) -> int:
    """Write the report; exit 0 for a valid e-invoice, 1 for an invalid one (or a file that
    is none), 2 when the file cannot be opened."""
    try:
        data = args.file.read_bytes()
    except OSError as exc:
        print(f"Datei nicht lesbar: {args.file} ({exc.strerror})", file=sys.stderr)
        return EXIT_UNREADABLE
    invoice, validation = check_einvoice(data)
    report = report_of(args.file.name, data, validation, invoice)
    args.out.mkdir(parents=True, exist_ok=True)
    stem = args.out / f"{args.file.stem}-pruefbericht"
    written = (stem.with_suffix(".html"), stem.with_suffix(".pdf"))
    written[0].write_text(report_html(report), encoding="utf-8")
    written[1].write_bytes(report_pdf(report))
    print(f"{'gültig' if validation.valid else 'ungültig'} ({report.counts}): "
          + ", ".join(str(path) for path in written))
    return EXIT_VALID if validation.valid else EXIT_INVALID
