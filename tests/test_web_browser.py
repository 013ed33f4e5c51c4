"""The review desk in a real browser: Debian's Chromium, headless, driven by Playwright,
against `run_bot.py serve` on a free port of 127.0.0.1.

A clerk logs in, opens the queue, corrects a field, assigns a caseworker — once with the
mouse, once by keyboard alone — and the invoice is in the e-file exactly once with the audit
rows written. axe-core checks every page against WCAG 2.1 A and AA; the pages reflow at
200 % zoom; the tests write the README's screenshots."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from tests.conftest import SAMPLES
from tests.test_web_support import (
    PASSWORD,
    PLAIN_A,
    PLAIN_B,
    SCREENSHOTS_ENV,
    TWIN_1,
    TWIN_2,
    ZUGFERD,
    add_user,
    audit_events,
    axe_violations,
    build_exceptions,
    corpus_einvoices,
    efile_copies,
    file_name,
    ids_by_file,
    served_desk,
    sign_in,
)

WIDE = {"width": 1280, "height": 900}
ZOOMED = {"width": 640, "height": 450}  # the same window at 200 % zoom
FIRST_PAGE = re.compile(r"^Seite 1 von \d+ des Originals")


pytest_plugins = ["tests.desk_fixtures"]


@pytest.fixture(scope="module")
def served(desk):
    """The module's desk, served by `run_bot.py serve` on a free port."""
    config, ids = desk
    with served_desk(config) as base:
        yield base, config, ids


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport=WIDE, locale="de-DE")
    yield context.new_page()
    context.close()


def test_clerk_corrects_a_field_and_assigns_with_the_mouse(served, page):
    base, config, ids = served
    doc = ids[file_name(PLAIN_A)]
    page.goto(f"{base}/")
    expect(page).to_have_url(f"{base}/anmelden?next=/")
    sign_in(page, base)
    page.get_by_role("link", name=file_name(PLAIN_A)).click()
    expect(page).to_have_url(f"{base}/dokument/{doc}")
    expect(page.get_by_role("img", name=FIRST_PAGE)).to_be_visible()

    page.get_by_label("Rechnungsnummer").fill("RE-2016-123456")
    page.get_by_role("button", name="Korrigieren und neu entscheiden").click()
    # the correction reads, checks and decides again: allow for a busy machine
    expect(page.get_by_role("status")).to_contain_text("Weiterhin eine Ausnahme", timeout=30_000)
    expect(page.get_by_label("Rechnungsnummer")).to_have_value("RE-2016-123456")

    page.get_by_label("Sachbearbeitung", exact=True).select_option("becker")
    page.get_by_role("button", name="Zuweisen und ablegen").click()
    expect(page.get_by_role("status")).to_have_text("Abgelegt bei Thomas Hoffmann.", timeout=30_000)

    assert [p.parent.name for p in efile_copies(config, doc)] == ["hoffmann"]
    events = [(a["actor"], a["event"]) for a in audit_events(config, doc)]
    assert ("anna", "fields_corrected") in events
    assert events[-2:] == [("anna", "assigned"), ("bot", "filed")]


def tab_to(page: Page, selector: str, limit: int = 250) -> None:
    """Press Tab until `selector` has the focus; every element passed on the way must show a
    visible focus indicator (an outline of at least 2 px)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focus = page.evaluate("""(selector) => {
            const el = document.activeElement;
            const style = getComputedStyle(el);
            return {match: el.matches(selector), tag: el.tagName,
                    outline: style.outlineStyle, width: parseFloat(style.outlineWidth)};
        }""", selector)
        assert focus["outline"] != "none" and focus["width"] >= 2, focus
        if focus["match"]:
            return
    raise AssertionError(f"{selector} not reached by Tab")


def test_the_same_by_keyboard_alone(served, page):
    base, config, ids = served
    doc = ids[file_name(PLAIN_B)]
    page.goto(f"{base}/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Zum Inhalt springen"
    tab_to(page, "#f-username")
    page.keyboard.type("anna")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{base}/")

    tab_to(page, f'a[href="/dokument/{doc}"]')
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{base}/dokument/{doc}")

    tab_to(page, "#f-order_reference")
    page.keyboard.type("BESTELL-4711")
    page.keyboard.press("Enter")  # submits the correction form
    expect(page.get_by_role("status")).to_contain_text("Weiterhin eine Ausnahme")

    tab_to(page, "#f-caseworker")
    page.keyboard.type("Jan W")  # a closed select picks the option by typing
    assert page.input_value("#f-caseworker") == "wagner"
    tab_to(page, 'form[action$="/zuweisen"] button[type=submit]')
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_have_text("Abgelegt bei Jan Wagner.")

    assert [p.parent.name for p in efile_copies(config, doc)] == ["wagner"]
    events = [(a["actor"], a["event"], a["detail"]) for a in audit_events(config, doc)]
    assert ("anna", "fields_corrected", {"fields": ["order_reference"]}) in events
    assert events[-2][:2] == ("anna", "assigned") and events[-1][:2] == ("bot", "filed")


def check_page(page: Page, label: str, failures: dict) -> None:
    """axe-core at WCAG 2.1 AA, and no sideways scrolling of the page at 200 % zoom."""
    violations = axe_violations(page)
    if violations:
        failures[label] = violations
    page.set_viewport_size(ZOOMED)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    if overflow > 0:
        failures[f"{label} at 200 %"] = f"{overflow} px wider than the window"
    page.set_viewport_size(WIDE)


def test_every_page_passes_axe_at_wcag_21_aa_and_reflows(served, browser):
    base, config, ids = served
    failures: dict[str, object] = {}
    context = browser.new_context(viewport=WIDE, locale="de-DE")
    page = context.new_page()
    page.goto(f"{base}/")
    check_page(page, "login", failures)
    page.get_by_label("Benutzername").fill("anna")
    page.get_by_label("Passwort").fill("falsches-passwort")
    page.get_by_role("button", name="Anmelden").click()
    expect(page.get_by_role("alert")).to_contain_text("Benutzername oder Passwort ist falsch")
    check_page(page, "login with error", failures)

    sign_in(page, base)
    check_page(page, "queue", failures)
    page.get_by_label("Grund").select_option("no_rule")
    page.get_by_role("button", name="Filter anwenden").click()
    check_page(page, "queue filtered", failures)

    open_doc = ids[TWIN_2]
    page.goto(f"{base}/dokument/{open_doc}")
    check_page(page, "document", failures)
    page.get_by_label("Rechnungsdatum").fill("31.02.2026")
    page.get_by_role("button", name="Korrigieren und neu entscheiden").click()
    expect(page.get_by_role("alert")).to_contain_text("Rechnungsdatum: Bitte ein Datum")
    expect(page.locator("#fehler")).to_be_focused()  # the error summary takes the focus
    check_page(page, "document with field errors", failures)

    page.goto(f"{base}/dokument/{ids[TWIN_1]}")
    page.get_by_label("Sachbearbeitung", exact=True).select_option("schneider")
    page.get_by_role("button", name="Zuweisen und ablegen").click()
    expect(page.get_by_role("status")).to_have_text("Abgelegt bei Petra Schneider.")
    check_page(page, "filed document", failures)

    page.goto(f"{base}/hochladen")
    check_page(page, "upload", failures)
    page.get_by_label("Dateien auswählen").set_input_files(
        corpus_einvoices("kosit__01.09a-INVOICE_uncefact.xml"))
    page.get_by_role("button", name="Hochladen und verarbeiten").click()
    expect(page.get_by_role("heading", name="Ergebnis")).to_be_visible()
    expect(page.get_by_role("cell", name="kosit__01.09a-INVOICE_uncefact.xml")).to_be_visible()
    check_page(page, "upload results", failures)

    page.goto(f"{base}/dokument/0000000000000000")
    expect(page.get_by_role("heading", level=1)).to_have_text("Nicht gefunden")
    check_page(page, "404", failures)
    page.goto(f"{base}/status")
    expect(page.get_by_role("heading", level=1)).to_have_text("Kein Zugriff")
    check_page(page, "403", failures)
    context.close()

    admin = browser.new_context(viewport=WIDE, locale="de-DE").new_page()
    sign_in(admin, base, "otto")
    admin.get_by_role("link", name="Betriebsstatus").click()
    expect(admin.get_by_role("heading", level=1)).to_have_text("Betriebsstatus")
    check_page(admin, "status", failures)
    admin.context.close()
    assert failures == {}


def test_axe_reports_what_it_should(page):
    """The check above can fail: a page with an unlabelled field and an image without alt."""
    page.set_content('<html><body><img src="x.png"><input type="text"></body></html>')
    found = {v["id"] for v in axe_violations(page)}
    assert {"image-alt", "label", "html-has-lang"} <= found


def test_screenshots_of_queue_and_document_for_the_readme(served, page, tmp_path):
    base, _, ids = served
    folder = Path(os.environ.get(SCREENSHOTS_ENV) or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    sign_in(page, base)
    page.screenshot(path=folder / "queue.png", full_page=True)
    page.goto(f"{base}/dokument/{ids[file_name(ZUGFERD)]}")
    expect(page.get_by_role("img", name=FIRST_PAGE)).to_be_visible()
    page.wait_for_function("document.querySelector('.original img').complete")
    page.screenshot(path=folder / "document.png")
    for name in ("queue.png", "document.png"):
        with Image.open(folder / name) as image:
            assert image.width == WIDE["width"] and image.height >= WIDE["height"]


def test_an_invalid_e_invoice_shows_its_official_findings_and_gives_the_report(browser, tmp_path):
    broken = tmp_path / "ohne-leitweg-id.xml"
    broken.write_bytes((SAMPLES / "xrechnung-abendrot-2026-0461-ubl.xml").read_bytes()
                       .replace(b"<cbc:BuyerReference>05999-7210-19</cbc:BuyerReference>", b"")
                       .replace(b'<cbc:PayableAmount currencyID="EUR">1881.89',
                                b'<cbc:PayableAmount currencyID="EUR">1881.98'))
    config = build_exceptions(tmp_path / "desk", [broken])
    add_user(config, "anna", "clerk")
    with served_desk(config) as base:
        context = browser.new_context(viewport=WIDE, locale="de-DE", accept_downloads=True)
        page = context.new_page()
        sign_in(page, base)
        page.goto(f"{base}/dokument/{ids_by_file(config)[broken.name]}")
        expect(page.get_by_role("heading", name="E-Rechnung: Prüfung nach den amtlichen "
                                                "Regeln")).to_be_visible()
        for rule in ("BR-DE-15", "BR-CO-16"):
            expect(page.get_by_role("cell", name=rule, exact=True)).to_be_visible()
        finding = page.get_by_role("cell", name=re.compile(r"^Der Zahlbetrag \(BT-115\) ist nicht"))
        expect(finding).to_contain_text("Amtlicher Text: Amount due for payment (BT-115)")
        expect(finding).to_contain_text("Fundstelle: /Invoice/cac:LegalMonetaryTotal")
        failures: dict[str, object] = {}
        check_page(page, "invalid e-invoice", failures)
        assert failures == {}
        with page.expect_download() as download:
            page.get_by_role("link", name="Prüfbericht für den Rechnungssteller (PDF)").click()
        assert download.value.suggested_filename == "ohne-leitweg-id-pruefbericht.pdf"
        assert Path(download.value.path()).read_bytes().startswith(b"%PDF")
        context.close()


def test_a_duplicate_is_marked_by_choosing_its_original_from_a_list(own_desk, browser):
    """The likely originals (same sender and invoice number) are offered to choose, each to
    open — only those the user may open: once another user filed the original, a clerk is
    not shown it, an administrator is, and marks the duplicate with a click."""
    config, ids = own_desk
    with served_desk(config) as base:
        clerk = browser.new_context(viewport=WIDE, locale="de-DE").new_page()
        sign_in(clerk, base)
        clerk.goto(f"{base}/dokument/{ids[file_name(TWIN_2)]}")
        choices = clerk.get_by_role("group", name="Ursprüngliches Dokument")
        original = choices.get_by_role("radio", name=re.compile(f"^{file_name(TWIN_1)}: "))
        expect(original).to_be_checked()
        expect(choices).to_contain_text("gleicher Rechnungssteller, gleiche Rechnungsnummer")
        expect(choices.get_by_role("link", name=f"{file_name(TWIN_1)} öffnen")).to_have_attribute(
            "href", f"/dokument/{ids[file_name(TWIN_1)]}")
        assert axe_violations(clerk) == []

        admin = browser.new_context(viewport=WIDE, locale="de-DE").new_page()
        sign_in(admin, base, "otto")
        admin.goto(f"{base}/dokument/{ids[file_name(TWIN_1)]}")
        admin.get_by_label("Sachbearbeitung", exact=True).select_option("schneider")
        admin.get_by_role("button", name="Zuweisen und ablegen").click()
        expect(admin.get_by_role("status")).to_have_text("Abgelegt bei Petra Schneider.",
                                                         timeout=30_000)
        clerk.reload()  # filed by otto: none of anna's business
        expect(clerk.get_by_role("group", name="Ursprüngliches Dokument")).to_have_count(0)
        admin.goto(f"{base}/dokument/{ids[file_name(TWIN_2)]}")
        admin.get_by_role("radio", name=re.compile(f"^{file_name(TWIN_1)}: ")).check()
        admin.get_by_role("button", name="Als Dublette markieren").click()
        expect(admin.get_by_role("status")).to_contain_text("nicht abgelegt")
        assert audit_events(config, ids[file_name(TWIN_2)])[-1]["detail"]["original_id"] == \
            ids[file_name(TWIN_1)]
