"""The desk's search in a real browser (Debian's Chromium through Playwright) on shipped
samples: a caseworker's question "where did invoice 2026-1203 of the Diakonie go?" answered
with the filed invoice, its read-only page, the original and the sidecar to download; a
clerk finds open exceptions but not others' filed invoices; German errors for bad input;
axe-core finds nothing at WCAG 2.1 AA."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from bots.pipeline.runner import run_once
from bots.wiring import folder_bot_for, open_config, open_context
from tests.conftest import REPO, SAMPLES, write_bot_config
from tests.test_web_support import (
    PASSWORD,
    SCREENSHOTS_ENV,
    add_user,
    axe_violations,
    ids_by_file,
    served_desk,
)

FILED = {"rechnung-diakonie-2026-1203.pdf": "schneider",
         "rechnung-sanitaetshaus-vogt-2026-3381.pdf": "neumann",
         "xrechnung-abendrot-2026-0461-ubl.xml": "wagner"}
EXCEPTIONS = {"rechnung-regenbogen-2026-031.pdf": "no_rule", "leer.pdf": "unreadable"}

pytest_plugins = ["tests.desk_fixtures"]


def sample_desk(root: Path) -> Path:
    """The samples above run through the pipeline, with their own copy of the shipped rules
    (an administrator may change it); users anna (clerk) and otto (admin)."""
    rules = root / "config" / "rules.yaml"
    rules.parent.mkdir(parents=True)
    shutil.copy(REPO / "config" / "rules.yaml", rules)
    config = write_bot_config(root, extra={"rules": str(rules)})
    for name in (*FILED, *EXCEPTIONS):
        shutil.copy(SAMPLES / name, root / "inbox" / name)
    ctx = open_context(open_config(config))
    try:
        outcomes = run_once(ctx, folder_bot_for(ctx))
    finally:
        ctx.ledger.close()
    assert {o.file: o.caseworker or o.reason for o in outcomes} == FILED | EXCEPTIONS
    add_user(config, "anna", "clerk")
    add_user(config, "otto", "admin")
    return config


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    config = sample_desk(tmp_path_factory.mktemp("search"))
    with served_desk(config) as base:
        yield base, config, ids_by_file(config)


def sign_in(page: Page, base: str, user: str) -> None:
    page.goto(f"{base}/anmelden")
    page.get_by_label("Benutzername").fill(user)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Warteschlange: offene Ausnahmen")


def search(page: Page, **fields: str) -> None:
    page.get_by_role("link", name="Suche", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dokumente suchen")
    for label, value in fields.items():
        page.get_by_label(label, exact=False).first.fill(value)
    page.get_by_role("button", name="Suchen").click()


def result_names(page: Page) -> list[str]:
    return page.locator("table.queue td.doc a").all_inner_texts()


def test_where_did_invoice_2026_1203_of_the_diakonie_go(served, page):
    base, _, ids = served
    sign_in(page, base, "otto")
    search(page, **{"Rechnungsnummer": "2026-1203", "Rechnungssteller": "Diakonie"})
    expect(page.get_by_role("status")).to_have_text("1 Treffer.")
    row = page.locator("table.queue tbody tr")
    expect(row).to_contain_text("abgelegt bei Petra Schneider")
    expect(row).to_contain_text("SL-2026-1203")
    assert axe_violations(page) == []

    page.get_by_role("link", name="rechnung-diakonie-2026-1203.pdf").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Dokument: rechnung-diakonie-2026-1203.pdf")
    expect(page.locator(".summary")).to_contain_text("abgelegt bei Petra Schneider")
    expect(page.get_by_role("button", name="Zuweisen und ablegen")).to_have_count(0)
    with page.expect_download() as original:
        page.get_by_role("link", name="Original herunterladen").click()
    assert Path(original.value.path()).read_bytes() == \
        (SAMPLES / "rechnung-diakonie-2026-1203.pdf").read_bytes()
    with page.expect_download() as sidecar:
        page.get_by_role("link", name="Begleitdatei herunterladen (JSON)").click()
    data = json.loads(Path(sidecar.value.path()).read_text(encoding="utf-8"))
    doc_id = ids["rechnung-diakonie-2026-1203.pdf"]
    assert (data["document_id"], data["decision"]["queue"]) == (doc_id, "schneider")
    assert data["fields"]["invoice_number"] == "SL-2026-1203"
    assert axe_violations(page) == []


def test_each_criterion_in_the_browser(served, page):
    base, _, _ = served
    sign_in(page, base, "otto")
    search(page, **{"Betrag ab": "1.000", "Rechnungssteller": "Abendrot"})
    assert result_names(page) == ["xrechnung-abendrot-2026-0461-ubl.xml"]
    page.get_by_label("Rechnungssteller", exact=False).first.fill("")
    page.get_by_label("Betrag ab", exact=False).fill("")
    page.get_by_label("Stand").select_option(label="offene Ausnahme")
    page.get_by_role("button", name="Suchen").click()
    assert sorted(result_names(page)) == sorted(EXCEPTIONS)
    page.get_by_label("Stand").select_option(label="alle")
    page.get_by_label("Sachbearbeitung").select_option(label="Katrin Neumann, Hilfsmittel und "
                                                             "Kommunikationshilfen")
    page.get_by_role("button", name="Suchen").click()
    assert result_names(page) == ["rechnung-sanitaetshaus-vogt-2026-3381.pdf"]
    page.get_by_role("link", name="Angaben zurücksetzen").click()
    assert len(result_names(page)) == len(FILED) + len(EXCEPTIONS)


def test_words_of_the_read_text(served, page):
    base, _, _ = served
    sign_in(page, base, "otto")
    search(page, **{"Wörter im gelesenen Text": "Sozialstation Lindenberg"})
    assert result_names(page) == ["rechnung-diakonie-2026-1203.pdf"]


def test_a_clerk_finds_open_exceptions_not_others_filed_invoices(served, page):
    base, _, ids = served
    sign_in(page, base, "anna")
    search(page, Rechnungssteller="Diakonie")
    expect(page.get_by_role("status")).to_have_text("Kein Dokument passt zu diesen Angaben.")
    page.get_by_role("link", name="Angaben zurücksetzen").click()
    assert sorted(result_names(page)) == sorted(EXCEPTIONS)
    expect(page.get_by_label("leer.pdf auswählen")).to_be_visible()  # to decide again
    assert axe_violations(page) == []
    response = page.goto(f"{base}/dokument/{ids['rechnung-diakonie-2026-1203.pdf']}"
                         "/begleitdatei.json")
    assert response.status == 404


def test_bad_input_is_named_in_german(served, page):
    base, _, _ = served
    sign_in(page, base, "otto")
    search(page, **{"Betrag ab": "viel", "Rechnungsdatum ab": "32.13.2026"})
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Betrag ab: Bitte einen Betrag wie 1.234,56 eingeben.")
    expect(summary).to_contain_text("Rechnungsdatum ab: Bitte ein Datum wie 31.12.2026 "
                                    "eingeben.")
    expect(page.get_by_label("Betrag ab", exact=False)).to_have_attribute("aria-invalid", "true")
    assert axe_violations(page) == []


def test_screenshots_of_the_search_for_the_readme(served, page, tmp_path):
    base, _, _ = served
    folder = Path(os.environ.get(SCREENSHOTS_ENV) or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    sign_in(page, base, "otto")
    search(page, **{"Rechnungsnummer": "2026-1203", "Rechnungssteller": "Diakonie"})
    expect(page.get_by_role("status")).to_have_text("1 Treffer.")
    page.screenshot(path=folder / "search.png", full_page=True)
    assert (folder / "search.png").stat().st_size > 10_000
