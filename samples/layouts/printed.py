"""The values of an invoice as its family prints them, and the few fixed phrases each
language needs (page numbers, greetings, the service period)."""

from __future__ import annotations

from decimal import Decimal

from samples.layouts.content import Content
from samples.layouts.style import Family, fmt_amount, fmt_date, fmt_iban

PHRASES = {
    "de": {"page": "Seite 1 von 1", "period": "Leistungszeitraum:", "customer": "Kunden-Nr.:",
           "beneficiary": "Leistungsberechtigte/r:", "tax_number": "Steuernummer:",
           "ik": "IK:", "greeting": "Mit freundlichen Grüßen", "phone": "Tel.",
           "intro": "für die erbrachten Leistungen erlauben wir uns zu berechnen:",
           "service_date": "Leistungsdatum:", "file_ref": "Ihr Aktenzeichen:",
           "contact": "Ansprechpartner:", "bank": "Bankverbindung"},
    "en": {"page": "Page 1 of 1", "period": "Service period:", "customer": "Customer no.:",
           "beneficiary": "Client:", "tax_number": "Tax number:", "ik": "IK:",
           "greeting": "Kind regards", "phone": "Phone", "service_date": "Delivery date:",
           "intro": "we are pleased to invoice the following services:",
           "file_ref": "Your file:", "contact": "Contact:", "bank": "Bank details"},
    "fr": {"page": "Page 1 sur 1", "period": "Période :", "customer": "N° client :",
           "beneficiary": "Bénéficiaire :", "tax_number": "SIRET :", "ik": "IK :",
           "greeting": "Cordialement", "phone": "Tél.", "service_date": "Date de livraison :",
           "intro": "nous vous prions de trouver ci-dessous notre facture :",
           "file_ref": "Votre dossier :", "contact": "Contact :", "bank": "Coordonnées bancaires"},
}


def phrase(family: Family, key: str) -> str:
    return PHRASES[family.lang][key]


def date(family: Family, day) -> str:
    return fmt_date(day, family.date_fmt)


def amount(family: Family, content: Content, value: Decimal, *, currency: bool = True) -> str:
    """An amount as the family prints it; credit notes negative if the family does so."""
    if content.credit_note and family.credit_negative:
        value = -value
    return fmt_amount(value, family.amount_fmt,
                      family.currency if currency and family.currency != "header" else "none")


def iban(family: Family, content: Content) -> str:
    return fmt_iban(content.seller.iban, family.iban_fmt)


def vat_id(family: Family, content: Content) -> str:
    value = content.seller.vat_id or ""
    if family.iban_fmt == "grouped" and value.startswith("DE") and family.font == "Courier":
        return f"DE {value[2:5]} {value[5:8]} {value[8:]}"
    return value


def title(family: Family, content: Content) -> str:
    return family.credit_title if content.credit_note else family.title


def header_value(family: Family, content: Content, key: str) -> str | None:
    """The printed value of a header field, None when this invoice has none."""
    period = f"{date(family, content.period[0])} – {date(family, content.period[1])}"
    values = {
        "number": content.number,
        "date": date(family, content.issue),
        "customer": content.customer_number,
        "due": date(family, content.due) if content.due else None,
        "order": content.order,
        "leitweg": content.leitweg,
        "file_ref": content.file_reference,
        "period": period,
        "page": "1 / 1",
        "ik": content.seller.ik,
        "service_date": date(family, content.period[1]),
        "contact": content.seller.owner,
        "beneficiary": content.beneficiary,
        "vat_id": content.seller.vat_id,
        "place_date": f"{content.seller.city}, {'den ' if family.lang == 'de' else 'le '}"
                      f"{date(family, content.issue)}",
    }
    return values[key]


def title_text(family: Family, content: Content) -> str:
    return family.title_line.format(title=title(family, content), number=content.number,
                                    date=date(family, content.issue))
