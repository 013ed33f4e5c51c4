"""The national rules of XRechnung (BR-DE-*), for invoices that declare XRechnung in BT-24.

Errors make the e-invoice invalid (the KoSIT validator rejects them); warnings are the rules
the XRechnung Schematron flags as warnings. Messages are German, for the clerk.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from stdnum import iban as stdnum_iban

from einvoice.model import EInvoice, Finding

XRECHNUNG_TYPE_CODES = frozenset({"326", "380", "384", "389", "381", "875", "876", "877"})
_VAT_ID_CATEGORIES = frozenset({"S", "Z", "E", "AE", "K", "G", "L", "M"})
_TRANSFER, _CARD, _DEBIT = frozenset({"30", "58"}), frozenset({"48", "54", "55"}), "59"
_SKONTO = re.compile(r"#(SKONTO|VERZUG)#TAGE=[0-9]+#PROZENT=[0-9]+\.[0-9]{2}#"
                     r"(BASISBETRAG=-?[0-9]+\.[0-9]{2}#)?")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
# Leitweg-ID (KoSIT): coarse address 2-12 digits, optional fine address, 2 check digits.
_LEITWEG_ID = re.compile(r"[0-9]{2,12}(-[0-9A-Za-z]{1,30})?-[0-9]{2}")


def _error(rule: str, message: str) -> Finding:
    return Finding(rule, "error", message)


def _warning(rule: str, message: str) -> Finding:
    return Finding(rule, "warning", message)


def _seller_and_buyer(inv: EInvoice) -> Iterator[Finding]:
    seller, buyer = inv.seller, inv.buyer
    if seller.contact.is_empty():
        yield _error("BR-DE-2", "Kontaktangaben des Verkäufers (BG-6) fehlen.")
    if not seller.address.city:
        yield _error("BR-DE-3", "Ort des Verkäufers (BT-37) fehlt.")
    if not seller.address.post_code:
        yield _error("BR-DE-4", "Postleitzahl des Verkäufers (BT-38) fehlt.")
    if not seller.contact.name:
        yield _error("BR-DE-5", "Ansprechpartner des Verkäufers (BT-41) fehlt.")
    if not seller.contact.phone:
        yield _error("BR-DE-6", "Telefonnummer des Ansprechpartners (BT-42) fehlt.")
    if not seller.contact.email:
        yield _error("BR-DE-7", "E-Mail-Adresse des Ansprechpartners (BT-43) fehlt.")
    if not buyer.address.city:
        yield _error("BR-DE-8", "Ort des Käufers (BT-52) fehlt.")
    if not buyer.address.post_code:
        yield _error("BR-DE-9", "Postleitzahl des Käufers (BT-53) fehlt.")
    if inv.delivery_address is not None and not inv.delivery_address.city:
        yield _error("BR-DE-10", "Ort der Lieferanschrift (BT-77) fehlt.")
    if inv.delivery_address is not None and not inv.delivery_address.post_code:
        yield _error("BR-DE-11", "Postleitzahl der Lieferanschrift (BT-78) fehlt.")
    phone = seller.contact.phone or ""
    if phone and sum(char.isdigit() for char in phone) < 3:
        yield _warning("BR-DE-27", "Telefonnummer des Verkäufers (BT-42) hat weniger als drei "
                       "Ziffern.")
    email = seller.contact.email or ""
    if email and not _EMAIL.fullmatch(email):
        yield _warning("BR-DE-28", "E-Mail-Adresse des Verkäufers (BT-43) ist ungültig.")


def _references(inv: EInvoice) -> Iterator[Finding]:
    if not inv.buyer_reference:
        yield _error("BR-DE-15", "Leitweg-ID bzw. Käuferreferenz (BT-10) fehlt.")
    elif not _LEITWEG_ID.fullmatch(inv.buyer_reference):
        yield _warning("LEITWEG-ID", "Käuferreferenz (BT-10) hat nicht die Form einer "
                       "Leitweg-ID (Grobadressierung-Feinadressierung-Prüfziffer).")
    if inv.type_code and inv.type_code not in XRECHNUNG_TYPE_CODES:
        yield _warning("BR-DE-17", f"Rechnungsart {inv.type_code} (BT-3) ist in der "
                       "XRechnung nicht vorgesehen.")
    if inv.type_code == "384" and not inv.preceding_invoices:
        yield _warning("BR-DE-26", "Korrigierte Rechnung (384) ohne Bezug auf die vorherige "
                       "Rechnung (BT-25).")
    names = [name for name in inv.attachments if name]
    if len(names) != len(set(names)):
        yield _error("BR-DE-22", "Dateinamen der Anlagen (BT-125) sind nicht eindeutig.")


def _tax(inv: EInvoice) -> Iterator[Finding]:
    if any(vat.rate is None for vat in inv.vat_breakdown):
        yield _error("BR-DE-14", "Steuersatz (BT-119) fehlt in der Umsatzsteueraufschlüsselung.")
    categories = {vat.category for vat in inv.vat_breakdown}
    if (categories & _VAT_ID_CATEGORIES and not inv.seller.vat_id and not inv.seller.tax_number
            and inv.tax_representative is None):
        yield _error("BR-DE-16", "USt-IdNr. (BT-31) oder Steuernummer (BT-32) des Verkäufers "
                     "fehlt.")


def _skonto(inv: EInvoice) -> Iterator[Finding]:
    tokens = [token for token in (inv.payment_terms or "").split() if token.startswith("#")]
    if any(not _SKONTO.fullmatch(token) for token in tokens):
        yield _error("BR-DE-18", "Skonto-Angabe in den Zahlungsbedingungen (BT-20) hat nicht das "
                     "Format #SKONTO#TAGE=n#PROZENT=n.nn#.")


def _payment(inv: EInvoice) -> Iterator[Finding]:
    if not inv.payment_means:
        yield _error("BR-DE-1", "Zahlungsanweisungen (BG-16) fehlen.")
    for means in inv.payment_means:
        code = means.code or ""
        transfer, card, debit = bool(means.iban), bool(means.card), bool(means.mandate
                                                                          or means.debited_iban)
        if code in _TRANSFER:
            if not transfer:
                yield _error("BR-DE-23-a", "Überweisung angegeben, aber keine Kontoverbindung "
                             "(IBAN, BT-84).")
            if card or debit:
                yield _error("BR-DE-23-b", "Überweisung angegeben, aber Karten- oder "
                             "Lastschriftangaben vorhanden.")
            if code == "58" and means.iban and not stdnum_iban.is_valid(means.iban):
                yield _warning("BR-DE-19", "IBAN der Überweisung (BT-84) ist ungültig.")
        elif code in _CARD:
            if not card:
                yield _error("BR-DE-24-a", "Kartenzahlung angegeben, aber keine Kartenangaben.")
            if transfer or debit:
                yield _error("BR-DE-24-b", "Kartenzahlung angegeben, aber Überweisungs- oder "
                             "Lastschriftangaben vorhanden.")
        elif code == _DEBIT:
            yield from _direct_debit(inv, means, transfer, card)


def _direct_debit(inv: EInvoice, means, transfer: bool, card: bool) -> Iterator[Finding]:
    if not means.mandate:
        yield _error("BR-DE-25-a", "Lastschrift angegeben, aber keine Mandatsreferenz (BT-89).")
    if transfer or card:
        yield _error("BR-DE-25-b", "Lastschrift angegeben, aber Überweisungs- oder "
                     "Kartenangaben vorhanden.")
    if not inv.creditor_id:
        yield _error("BR-DE-30", "Lastschrift ohne Gläubiger-Identifikationsnummer (BT-90).")
    if not means.debited_iban:
        yield _error("BR-DE-31", "Lastschrift ohne zu belastendes Konto (BT-91).")
    elif not stdnum_iban.is_valid(means.debited_iban):
        yield _warning("BR-DE-20", "IBAN des zu belastenden Kontos (BT-91) ist ungültig.")


def xrechnung_findings(inv: EInvoice) -> tuple[Finding, ...]:
    """The BR-DE findings of an XRechnung (nothing for other e-invoices)."""
    if not inv.is_xrechnung:
        return ()
    return (*_payment(inv), *_seller_and_buyer(inv), *_references(inv), *_tax(inv),
            *_skonto(inv))
