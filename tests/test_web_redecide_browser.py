"""Deciding several exceptions again after a rule change, in a real browser (Debian's
Chromium through Playwright): the clerk ticks exceptions in the queue, a preview shows where
each would go (the replay of `rules plan`) — unchanged before the administrator's change, the
new caseworker after it — and only the confirmation files; each document once, each action
audited with what the preview said; axe-core finds nothing at WCAG 2.1 AA."""

from __future__ import annotations

import pytest
import yaml
from playwright.sync_api import Page, expect

from bots.wiring import open_config
from tests.test_web_search_browser import sample_desk, sign_in
from tests.test_web_support import (
    audit_events,
    axe_violations,
    efile_copies,
    ids_by_file,
    served_desk,
)

REGENBOGEN = "rechnung-regenbogen-2026-031.pdf"
RULE = {"id": "regenbogen", "name": "Betreuungsdienst Regenbogen: Eingliederungshilfe",
        "priority": 100, "when": {"field": "seller_name", "contains": "Regenbogen"},
        "route_to": "yilmaz"}

pytest_plugins = ["tests.desk_fixtures"]


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    config = sample_desk(tmp_path_factory.mktemp("redecide"))
    with served_desk(config) as base:
        yield base, config, ids_by_file(config)


def preview_of(page: Page, base: str, *names: str) -> None:
    page.goto(f"{base}/")
    for name in names:
        page.get_by_label(f"{name} auswählen").check()
    page.get_by_role("button", name="Ausgewählte erneut entscheiden …").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Erneut entscheiden: Vorschau")


def expectation(page: Page, name: str):
    return page.get_by_role("row").filter(has=page.get_by_role("link", name=name))


def test_preview_then_confirm_after_a_rule_change(served, page):
    base, config, ids = served
    sign_in(page, base, "anna")
    preview_of(page, base, REGENBOGEN, "leer.pdf")
    expect(expectation(page, REGENBOGEN)).to_contain_text("unverändert (keine Regel")
    expect(expectation(page, "leer.pdf")).to_contain_text("wird neu gelesen und entschieden")
    assert axe_violations(page) == []
    page.get_by_role("link", name="Abbrechen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Warteschlange: offene Ausnahmen")
    assert [e["event"] for e in audit_events(config, ids[REGENBOGEN])][-1] == "exception"

    rules_path = open_config(config).rules  # the administrator adds a rule
    rules = yaml.safe_load(rules_path.read_text(encoding="utf-8"))
    rules["rules"].append(RULE)
    rules_path.write_text(yaml.safe_dump(rules, allow_unicode=True), encoding="utf-8")

    preview_of(page, base, REGENBOGEN, "leer.pdf")
    expect(expectation(page, REGENBOGEN)).to_contain_text("Zuständig: Deniz Yilmaz")
    expect(expectation(page, REGENBOGEN)).to_contain_text("regenbogen")
    expect(page.get_by_role("list").filter(has_text="an die Sachbearbeitung")).to_contain_text(
        "1 Dokument ginge an die Sachbearbeitung")
    assert efile_copies(config, ids[REGENBOGEN]) == []  # a preview changes nothing
    page.get_by_role("button", name="Jetzt erneut entscheiden (2 Dokumente)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Erneut entschieden")
    expect(page.get_by_role("status")).to_have_text(
        "2 Dokumente erneut entschieden, davon 1 abgelegt.")
    expect(expectation(page, REGENBOGEN)).to_contain_text("Abgelegt bei Deniz Yilmaz.")
    expect(expectation(page, "leer.pdf")).to_contain_text("Weiterhin eine Ausnahme")
    assert axe_violations(page) == []

    assert len(efile_copies(config, ids[REGENBOGEN])) == 1
    assert "/yilmaz/" in str(efile_copies(config, ids[REGENBOGEN])[0])
    retry = [e for e in audit_events(config, ids[REGENBOGEN]) if e["event"] == "retry"]
    assert [(e["actor"], e["detail"]) for e in retry] == [
        ("anna", {"together_with": 1, "previewed": "Zuständig: Deniz Yilmaz"})]
    page.goto(f"{base}/")
    expect(page.get_by_role("link", name=REGENBOGEN, exact=True)).to_have_count(0)
