"""The one review-desk fixture of the tests: a ledger of exceptions made by the real pipeline
from corpus e-invoices and a letter that is no invoice, with the users anna (clerk) and otto
(admin). Test modules load it with `pytest_plugins = ["tests.desk_fixtures"]`.

`browser` is Debian's Chromium driven by Playwright, one per module; `page` a German tab of
it, 1280 × 900, that may download (a module may define its own). `desk` is shared by the tests of a module that only read; `own_desk` is a fresh one for a
test that changes the ledger. Both are (bot.yaml, {file name: document id})."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from tests.test_web_support import (
    LETTER,
    PLAIN_A,
    PLAIN_B,
    TWIN_1,
    TWIN_2,
    WIDE,
    ZUGFERD,
    add_user,
    build_exceptions,
    corpus_einvoices,
    ids_by_file,
    launch_chromium,
)


def make_desk(root: Path) -> tuple[Path, dict[str, str]]:
    letter = root / LETTER
    letter.write_text("Sehr geehrte Damen und Herren, anbei keine Rechnung.\n")
    files = [*corpus_einvoices(PLAIN_A, PLAIN_B, TWIN_1, TWIN_2, ZUGFERD), letter]
    config = build_exceptions(root, files)
    add_user(config, "anna", "clerk")
    add_user(config, "otto", "admin")
    return config, ids_by_file(config)


@pytest.fixture(scope="module")
def desk(tmp_path_factory):
    return make_desk(tmp_path_factory.mktemp("desk"))


@pytest.fixture
def own_desk(tmp_path: Path):
    return make_desk(tmp_path)


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport=WIDE, locale="de-DE", accept_downloads=True)
    yield context.new_page()
    context.close()
