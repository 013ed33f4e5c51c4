"""Access by role (issue #14, item 9): a clerk opens open exceptions and what they handled
themselves, not any filed invoice; the duplicate check does not name documents the clerk may
not open; administrators open everything."""

from __future__ import annotations

from bots.config import load_config
from bots.desk.settings import WebSettings
from bots.desk.webapp import create_app
from tests.test_web_support import (
    TWIN_1,
    TWIN_2,
    add_user,
    csrf_of,
    login,
    version_of,
)

pytest_plugins = ["tests.desk_fixtures"]


def _client(config, name):
    app = create_app(load_config(config), WebSettings(secret_key="s" * 48, secure_cookies=False))
    client = app.test_client()
    assert login(client, name).status_code == 303
    return client


def test_a_clerk_opens_no_filed_invoice_of_someone_else(own_desk):
    config, ids = own_desk
    add_user(config, "berta", "clerk")
    anna, berta, otto = (_client(config, n) for n in ("anna", "berta", "otto"))
    first, twin = ids[TWIN_1], ids[TWIN_2]
    page = anna.get(f"/dokument/{first}").get_data(as_text=True)
    assert anna.post(f"/dokument/{first}/zuweisen", data={
        "csrf_token": csrf_of(page), "version": version_of(page),
        "caseworker": "wagner"}).status_code == 303
    for route in ("", "/seite/1.png", "/original"):
        assert berta.get(f"/dokument/{first}{route}").status_code == 404
    assert anna.get(f"/dokument/{first}").status_code == 200  # she filed it
    assert otto.get(f"/dokument/{first}").status_code == 200  # administration sees all
    twin_page = berta.get(f"/dokument/{twin}")
    assert twin_page.status_code == 200  # an open exception: the clerk's work
    page = twin_page.get_data(as_text=True)
    retried = berta.post(f"/dokument/{twin}/erneut", data={
        "csrf_token": csrf_of(page), "version": version_of(page)})
    assert retried.status_code == 303
    page = berta.get(f"/dokument/{twin}").get_data(as_text=True)
    assert "ein früheres Dokument" in page and first not in page
    assert first in otto.get(f"/dokument/{twin}").get_data(as_text=True)
    marked = berta.post(f"/dokument/{twin}/dublette", data={  # no id needed: the earlier one
        "csrf_token": csrf_of(page), "version": version_of(page), "original_id": ""})
    assert marked.status_code == 303
    assert "Dublette" in berta.get(f"/dokument/{twin}").get_data(as_text=True)
