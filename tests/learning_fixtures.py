"""Invoices of one provider whose program prints the invoice number after a word no label
grammar knows ('Kennz.'), as text PDFs: the bot misses the number until it learned it."""

from __future__ import annotations

import io
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from bots.pipeline.runner import run_once
from bots.wiring import folder_bot_for, open_config, open_context

SELLER = "Ambulanter Pflegedienst Sonnenhof GmbH"
VAT_ID = "DE136695976"
IBAN = "DE02120300000000202051"


def provider_invoice(number: str, day: str, net: str, tax: str, gross: str, *,
                     iban: str = IBAN) -> bytes:
    """A one-page text PDF of the provider with number, date (DD.MM.YYYY) and totals."""
    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=A4)
    page.setFont("Helvetica", 10)
    rows = [
        (20, 280, SELLER), (20, 274, "Lindenweg 4 · 50667 Köln"),
        (20, 240, "Landschaftsverband Musterland"), (20, 235, "Postfach 10 07 71"),
        (20, 230, "59901 Musterstadt"),
        (120, 240, f"Kennz. XQ   {number}"), (120, 235, f"Köln, den {day}"),
        (20, 200, "Pflegeleistungen nach SGB XI für März"),
        (120, 150, f"Summe netto   {net} EUR"), (120, 145, f"USt 19 %   {tax} EUR"),
        (120, 140, f"Gesamtbetrag   {gross} EUR"),
        (20, 30, f"IBAN {' '.join(iban[i:i + 4] for i in range(0, len(iban), 4))}"),
        (20, 25, f"USt-IdNr. {VAT_ID}"),
    ]
    for x, y, text in rows:
        page.drawString(x * mm, y * mm, text)
    page.save()
    return out.getvalue()


def deliver(config: Path, name: str, pdf: bytes) -> str:
    """Drop `pdf` into the bot's inbox (beside its config folder), run once: its id."""
    (config.parent.parent / "inbox" / name).write_bytes(pdf)
    ctx = open_context(open_config(config))
    try:
        [outcome] = run_once(ctx, folder_bot_for(ctx))
        return outcome.document_id
    finally:
        ctx.ledger.close()
