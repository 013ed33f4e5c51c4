"""Click-to-fill in a real browser (Debian's Chromium, headless, Playwright) against `run_bot.py
serve`: the clerk chooses a field, clicks the invoice number on the page image, corrects;
the bot learns where the provider prints it. The page keeps passing axe-core."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import expect

from tests.conftest import write_bot_config
from tests.learning_fixtures import deliver, provider_invoice
from tests.test_web_support import PASSWORD, add_user, axe_violations, served_desk

pytest_plugins = ["tests.desk_fixtures"]


def test_a_clerk_fills_a_field_by_clicking_the_words_on_the_page(tmp_path: Path, browser):
    config = write_bot_config(tmp_path, settle_seconds=0)
    doc = deliver(config, "maerz.pdf", provider_invoice("SH-2026-0311", "31.03.2026",
                                                        "100,00", "19,00", "119,00"))
    add_user(config, "anna", "clerk")
    with served_desk(config) as base:
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="de-DE")
        page = context.new_page()
        page.goto(f"{base}/")
        page.get_by_label("Benutzername").fill("anna")
        page.get_by_label("Passwort").fill(PASSWORD)
        page.get_by_role("button", name="Anmelden").click()
        page.goto(f"{base}/dokument/{doc}")
        number = page.get_by_label("Rechnungsnummer")
        number.click()
        page.locator('.word-spot[data-word="SH-2026-0311"]').click()
        expect(number).to_have_value("SH-2026-0311")
        expect(number).to_be_focused()
        page.get_by_label("Rechnungsdatum").click()
        page.get_by_label("Rechnungsdatum").fill("")
        page.locator('.word-spot[data-word="31.03.2026"]').click()
        expect(page.get_by_label("Rechnungsdatum")).to_have_value("31.03.2026")
        assert axe_violations(page) == []
        page.get_by_role("button", name="Korrigieren und neu entscheiden").click()
        expect(page.get_by_role("status")).to_contain_text(
            "Gelernt für diesen Rechnungssteller: Rechnungsnummer.")
        context.close()
