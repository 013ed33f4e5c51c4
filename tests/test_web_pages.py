"""What the review desk's pages show (Flask test client, real pipeline, real poppler): the
queue by urgency with filters and counts, the document page with fields, checks, rule trace
and page images, field errors tied to their fields, upload into the pipeline, operator status."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from PIL import Image

from bots.config import load_config
from bots.desk.settings import WebSettings
from bots.desk.webapp import create_app
from bots.pipeline.runner import run_once
from bots.storage.ledger import Ledger
from bots.storage.mail_ledger import MailRecord, SeenMails
from bots.wiring import folder_bot_for, open_context
from tests.conftest import REPO
from tests.test_web_support import (
    LETTER,
    PASSWORD,
    PLAIN_A,
    PLAIN_B,
    TWIN_1,
    TWIN_2,
    ZUGFERD,
    corpus_einvoices,
    csrf_of,
    efile_copies,
    file_name,
    login,
    version_of,
)

pytest_plugins = ["tests.desk_fixtures"]


def client_for(config: Path, user: str = "anna"):
    app = create_app(load_config(config), WebSettings(secret_key="k" * 48,
                                                      secure_cookies=False))
    client = app.test_client()
    assert login(client, user).status_code == 303
    return client


def queue_order(html: str) -> list[str]:
    return re.findall(r'<a href="/dokument/([0-9a-f]{16})">', html)


def test_queue_is_sorted_by_urgency(desk):
    config, ids = desk
    html = client_for(config).get("/").get_data(as_text=True)
    # pay by: the ZUGFeRD 1.0 issue date 2013-03-05 + 30, A 2016-04-04 + 30, B 2016-06-21
    # + 30, the twins due 2018-04-13 (received in that order), the letter (no fields)
    # receipt + 30 days
    assert queue_order(html) == [ids[file_name(ZUGFERD)], ids[PLAIN_A], ids[PLAIN_B],
                                 ids[TWIN_1], ids[TWIN_2], ids[LETTER]]
    assert "Rechnungsdatum + 30 Tage" in html and "Fälligkeitsdatum" in html
    assert "Eingang + 30 Tage" in html
    assert "überfällig seit" in html


def test_queue_counts_per_reason_and_age_of_the_oldest(desk):
    config, _ = desk
    html = client_for(config).get("/").get_data(as_text=True)
    assert "<strong>6</strong> offene Ausnahmen" in html
    assert re.search(r">keine Regel</a>: <strong>5</strong>", html)
    assert re.search(r">Format nicht unterstützt</a>: <strong>1</strong>", html)
    assert "Die älteste wartet <strong>seit heute</strong>" in html


@pytest.mark.parametrize(("query", "expected"), [
    ("grund=unsupported", [LETTER]),
    ("grund=no_rule", [file_name(ZUGFERD), PLAIN_A, PLAIN_B, TWIN_1, TWIN_2]),
    ("quelle=registratur&grund=unsupported", [LETTER]),
    ("quelle=upload", []),
    ("anbieter=%28nicht+erkannt%29", [LETTER]),
])
def test_queue_filters(desk, query, expected):
    config, ids = desk
    html = client_for(config).get(f"/?{query}").get_data(as_text=True)
    assert queue_order(html) == [ids[name] for name in expected]


def test_document_page_shows_fields_checks_and_the_rule_trace_in_german(desk):
    config, ids = desk
    html = client_for(config).get(f"/dokument/{ids[PLAIN_A]}").get_data(as_text=True)
    assert "<h1>Ausnahme: kosit__01.01a-INVOICE_uncefact.xml</h1>" in html
    assert "Keine Zuständigkeitsregel passt" in html
    assert 'id="f-invoice_number" name="invoice_number" value="123456XX"' in html
    assert 'id="f-issue_date" name="issue_date" value="04.04.2016"' in html  # German form
    assert "Erkennung: 100 % (sicher)" in html
    assert "Erfüllt:</strong> Alle Pflichtangaben vorhanden" in html
    assert "<p>Keine Regel passt.</p>" in html
    assert re.search(r"<summary>Warum die \d+ anderen Regeln nicht passten</summary>", html)
    assert re.search(r"„Lebenshilfe Nordstadt[^“]*“: USt-IdNr\. ist "
                     r"DE123456789, erwartet DE811234565", html)
    assert f'src="/dokument/{ids[PLAIN_A]}/seite/1.png"' in html
    assert "Anna Becker, Eingliederungshilfe (SGB IX) – abwesend bis" in html and "Vertretung: Thomas Hoffmann" in html
    assert "<td>Bot</td>" in html and "ausgelesen → Ausnahme" in html


def test_page_image_of_an_xml_invoice_is_its_readable_rendering(desk):
    config, ids = desk
    png = client_for(config).get(f"/dokument/{ids[PLAIN_A]}/seite/1.png").data
    with Image.open(io.BytesIO(png)) as image:
        assert image.format == "PNG"
        assert image.width > 800 and image.height > image.width  # an A4 page at 110 dpi


def test_a_document_without_pages_says_so(desk):
    config, ids = desk
    html = client_for(config).get(f"/dokument/{ids[LETTER]}").get_data(as_text=True)
    assert "keine Seitenansicht" in html
    assert "/zuweisen" not in html and "/korrigieren" not in html  # nothing to file
    assert "/zurueckweisen" in html and "/erneut" in html


def test_field_errors_are_tied_to_their_fields(desk):
    config, ids = desk
    client = client_for(config)
    doc = ids[PLAIN_B]
    page = client.get(f"/dokument/{doc}").get_data(as_text=True)
    response = client.post(f"/dokument/{doc}/korrigieren", data={
        "csrf_token": csrf_of(page), "version": version_of(page), "issue_date": "31.02.2026",
        "total_gross": "zwölf Euro"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'role="alert"' in html and '<a href="#f-issue_date">' in html
    for name in ("issue_date", "total_gross"):
        assert re.search(rf'id="err-{name}"', html)
        assert re.search(rf'id="f-{name}"[^>]*aria-invalid="true"[^>]*'
                         rf'aria-describedby="hint-{name} err-{name}"', html, re.S)
    assert 'value="31.02.2026"' in html  # the clerk's input is kept for correcting
    assert 'id="f-invoice_number" name="invoice_number" value="123456"' in html


def test_correct_and_assign_through_the_forms(own_desk):
    config, ids = own_desk
    client = client_for(config)
    doc = ids[TWIN_1]
    page = client.get(f"/dokument/{doc}").get_data(as_text=True)
    corrected = client.post(f"/dokument/{doc}/korrigieren", data={
        "csrf_token": csrf_of(page), "version": version_of(page), "order_reference": "B-77"})
    assert corrected.status_code == 303
    page = client.get(f"/dokument/{doc}").get_data(as_text=True)
    assert "Weiterhin eine Ausnahme" in page
    stale = client.post(f"/dokument/{doc}/zuweisen", data={
        "csrf_token": csrf_of(page), "version": "1", "caseworker": "wagner"})
    assert stale.status_code == 303  # back to the page, with the conflict message
    assert "inzwischen von jemand anderem bearbeitet" in client.get(
        f"/dokument/{doc}").get_data(as_text=True)
    assigned = client.post(f"/dokument/{doc}/zuweisen", data={
        "csrf_token": csrf_of(page), "version": version_of(page), "caseworker": "wagner"})
    assert assigned.status_code == 303
    page = client.get(f"/dokument/{doc}").get_data(as_text=True)
    assert "Abgelegt bei Jan Wagner." in page
    assert "<strong>abgelegt</strong> bei Jan Wagner" in page
    assert "/zuweisen" not in page  # a filed document offers no actions
    assert [p.parent.name for p in efile_copies(config, doc)] == ["wagner"]


def test_upload_enters_the_pipeline_with_source_upload(own_desk):
    config, ids = own_desk
    client = client_for(config, "otto")
    routed = (corpus_einvoices(PLAIN_A)[0].read_bytes()  # Lebenshilfe's VAT ID and IBAN on file
              .replace(b"DE 123456789", b"DE811234565")
              .replace(b"DE79000000001234567890", b"DE67414500750031044711"))
    unrouted = corpus_einvoices("kosit__01.08a-INVOICE_uncefact.xml")[0].read_bytes()
    known = corpus_einvoices(PLAIN_A)[0].read_bytes()
    token = csrf_of(client.get("/hochladen").get_data(as_text=True))
    response = client.post("/hochladen", content_type="multipart/form-data", data={
        "csrf_token": token,
        "files": [(io.BytesIO(routed), "lebenshilfe.xml"), (io.BytesIO(unrouted), "neu.xml"),
                  (io.BytesIO(known), "nochmal.xml"), (io.BytesIO(b""), "leer.pdf")]})
    assert response.status_code == 303  # taken only: the bot does the work
    waiting = client.get("/hochladen").get_data(as_text=True)
    assert "leer.pdf: nicht übernommen, die Datei ist leer." in waiting
    assert waiting.count("Wartet auf den Bot.") == 2 and "data-refresh" in waiting
    ctx = open_context(load_config(config))
    try:
        run_once(ctx, folder_bot_for(ctx))
    finally:
        ctx.ledger.close()
    html = client.get("/hochladen").get_data(as_text=True)
    rows = re.findall(r"<tr>\s*<td>([^<]+)</td>\s*<td>\s*(.*?)\s*</td>", html, re.S)
    results = {name: " ".join(re.sub(r"<[^>]+>", "", text).split()) for name, text in rows}
    assert results == {
        "lebenshilfe.xml": "Abgelegt in die E-Akte von Thomas Hoffmann.",
        "neu.xml": "Ausnahme: Keine Zuständigkeitsregel passt – bitte Sachbearbeitung "
                   "manuell zuweisen. (Code: no_rule)",
        "nochmal.xml": "Dublette: diese Datei liegt bereits vor.",
    }
    assert "data-refresh" not in html
    assert f'href="/dokument/{ids[PLAIN_A]}"' in html  # the duplicate links its original
    ledger = Ledger(load_config(config).ledger)
    try:
        uploaded = {r.original_name: r for r in ledger.all_documents() if r.source == "upload"}
        assert set(uploaded) == {"lebenshilfe.xml", "neu.xml"}
        assert uploaded["lebenshilfe.xml"].state == "filed"
        assert uploaded["neu.xml"].state == "exception"
        assert [p.parent.name for p in efile_copies(config, uploaded["lebenshilfe.xml"].id)] \
            == ["hoffmann"]
    finally:
        ledger.close()


def test_upload_without_files_is_an_error_tied_to_the_field(desk):
    config, _ = desk
    client = client_for(config)
    token = csrf_of(client.get("/hochladen").get_data(as_text=True))
    response = client.post("/hochladen", content_type="multipart/form-data",
                           data={"csrf_token": token})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'aria-describedby="hint-files err-files" aria-invalid="true"' in html


def test_status_page_shows_states_days_reasons_and_bots(desk):
    config, _ = desk
    html = client_for(config, "otto").get("/status").get_data(as_text=True)
    figures = dict(re.findall(r'<th scope="row">([^<]+)</th><td class="num">(\d+)</td>', html))
    ledger = Ledger(load_config(config).ledger)
    try:
        counts = ledger.counts_by_state()
        assert int(figures["Ausnahme"]) == counts["exception"]
        assert int(figures["eingegangen"]) == counts.get("received", 0)
    finally:
        ledger.close()
    today = date.today().strftime("%d.%m.%Y")
    assert f'<th scope="row">{today}</th>' in html
    assert "keine Regel</a>:" in html and "Format nicht unterstützt</a>: 1" in html
    assert "(Code: unsupported)" in html  # the code only beside the German words
    assert re.search(r'<th scope="row">registratur</th><td class="num">6</td>', html)
    assert "Letzte Aktivität des Bots im Protokoll: <strong>" in html
    assert "Keine offenen Ausnahmen aus Postfächern." in html


def test_status_page_shows_the_mailboxes(own_desk):
    config, _ = own_desk
    ledger = Ledger(load_config(config).ledger)
    try:
        mails = SeenMails(ledger)
        for uid, outcome in (("1", "processed"), ("2", "failed"), ("3", "processed")):
            mails.record(MailRecord(
                mail_key=f"imap:rechnungen:INBOX:7:{uid}", account="rechnungen", folder="INBOX",
                uidvalidity="7", uid=uid, message_id=f"<{uid}@example.org>", sender=None,
                body_sha256=uid * 64, eml_sha256=uid * 64, outcome=outcome, duplicate_of=None,
                documents=()))
            if uid != "3":
                mails.moved(f"imap:rechnungen:INBOX:7:{uid}")
    finally:
        ledger.close()
    html = client_for(config, "otto").get("/status").get_data(as_text=True)
    assert re.search(r'<th scope="row">rechnungen</th><td class="num">3</td>'
                     r'<td class="num">1</td><td class="num">1</td>', html)


def test_users_add_makes_a_user_who_can_sign_in(own_desk):
    config, _ = own_desk
    made = subprocess.run(
        [sys.executable, str(REPO / "run_bot.py"), "--config", str(config), "users", "add",
         "berta", "--role", "clerk"], cwd=REPO, capture_output=True, text=True, timeout=60,
        env=dict(os.environ, RECHNUNGSBOT_USER_PASSWORD=PASSWORD), stdin=subprocess.DEVNULL)
    assert made.returncode == 0, made.stderr
    assert made.stdout.strip() == "user berta (clerk) created"
    assert "Warteschlange" in client_for(config, "berta").get("/").get_data(as_text=True)


def test_the_validation_report_is_offered_for_e_invoices_only(desk):
    config, ids = desk
    client = client_for(config)
    page = client.get(f"/dokument/{ids[PLAIN_A]}").get_data(as_text=True)
    assert "E-Rechnung: Prüfung nach den amtlichen Regeln" in page
    assert "Prüfszenario: EN16931 XRechnung (CII)" in page and "XRechnung 2.5.0" in page
    report = client.get(f"/dokument/{ids[PLAIN_A]}/pruefbericht.pdf")
    assert report.status_code == 200 and report.mimetype == "application/pdf"
    assert report.data.startswith(b"%PDF")
    assert "kosit__01.01a-INVOICE_uncefact-pruefbericht.pdf" in report.headers[
        "Content-Disposition"]
    html = client.get(f"/dokument/{ids[PLAIN_A]}/pruefbericht.html")
    assert "Die E-Rechnung ist nach den angewandten amtlichen Regeln gültig." in html.get_data(
        as_text=True)
    assert client.get(f"/dokument/{ids[LETTER]}/pruefbericht.pdf").status_code == 404
    assert "Prüfbericht" not in client.get(f"/dokument/{ids[LETTER]}").get_data(as_text=True)
    assert client.get(f"/dokument/{ids[PLAIN_A]}/pruefbericht.exe").status_code == 404
