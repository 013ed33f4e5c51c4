"""Security of the review desk (Flask test client on a ledger made by the real pipeline): no
page and no file without a login, CSRF tokens on every form, documents by id only, login
attempts rate-limited, cookies and headers as they must be."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from bots.config import load_config
from bots.desk.settings import WebSettings
from bots.desk.webapp import create_app
from tests.conftest import REPO
from tests.test_web_support import (
    PASSWORD,
    PLAIN_A,
    TWIN_1,
    add_user,
    audit_events,
    csrf_of,
    login,
    version_of,
)

pytest_plugins = ["tests.desk_fixtures"]


def make_app(config: Path, *, secure: bool = False, max_failures: int = 5):
    settings = WebSettings(secret_key="s" * 48, secure_cookies=secure,
                           login_max_failures=max_failures)
    return create_app(load_config(config), settings)


def route_urls(app, doc_id: str) -> list[tuple[str, str]]:
    """(method, url) for every route of the application but the login page and static files."""
    urls = []
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if rule.endpoint in ("static", "auth.login"):
                continue
            values = {"doc_id": doc_id, "page": 1, "kind": "pdf", "provider_id": 1,
                      "rule_id": "vorschlag"}
            url = app.url_for(rule.endpoint, **{k: values[k] for k in rule.arguments})
            urls += [(method, url) for method in sorted(rule.methods & {"GET", "POST"})]
    return urls


def test_every_route_without_login_redirects_to_the_login(desk):
    config, ids = desk
    app = make_app(config)
    client = app.test_client()
    urls = route_urls(app, ids[PLAIN_A]) + [("GET", "/gibt-es-nicht"),
                                            ("GET", "/dokument/../../etc/passwd")]
    assert len(urls) >= 11
    for method, url in urls:
        response = client.open(url, method=method)
        assert response.status_code == 302, (method, url)
        assert response.location.startswith("/anmelden"), (method, url)
    page = client.get(f"/dokument/{ids[PLAIN_A]}/seite/1.png")
    assert page.status_code == 302 and b"PNG" not in page.data


def test_only_the_stylesheet_and_script_are_public(desk):
    config, _ = desk
    client = make_app(config).test_client()
    assert client.get("/static/desk.css").status_code == 200
    assert client.get("/static/desk.js").status_code == 200
    assert client.get("/static/../templates/base.html").status_code in (302, 404)
    assert client.get("/static/%2e%2e/app.py").status_code == 404


def test_login_returns_only_to_a_local_page(desk):
    config, _ = desk
    client = make_app(config).test_client()
    for target, expected in (("/status", "/status"), ("//evil.example/x", "/"),
                             ("https://evil.example/", "/"), ("/\\evil.example", "/")):
        token = csrf_of(client.get("/anmelden").get_data(as_text=True))
        response = client.post("/anmelden", data={"username": "otto", "password": PASSWORD,
                                                  "csrf_token": token, "next": target})
        assert (response.status_code, response.location) == (303, expected), target
        client.post("/abmelden", data={"csrf_token": csrf_of(client.get("/").get_data(
            as_text=True))})


def test_every_form_without_its_csrf_token_gets_403(desk):
    config, ids = desk
    app = make_app(config)
    client = app.test_client()
    assert login(client, "anna").status_code == 303
    doc = ids[PLAIN_A]
    page = client.get(f"/dokument/{doc}").get_data(as_text=True)
    forms = re.findall(r'<form[^>]*method="post" action="([^"#]+)', page)
    assert len(forms) == 6  # logout, correct, assign, retry, duplicate, reject
    version = version_of(page)
    before = audit_events(config, doc)
    for action in forms:
        data = {"version": version, "caseworker": "wagner", "reason_text": "x",
                "invoice_number": "X", "original_id": ids[TWIN_1]}
        assert client.post(action, data=data).status_code == 403, action
        assert client.post(action, data=data | {"csrf_token": "forged"}).status_code == 403
    assert client.post("/hochladen", data={}).status_code == 403
    assert audit_events(config, doc) == before
    assert client.get("/").status_code == 200  # still signed in: logout needs the token too


def test_login_form_needs_its_csrf_token_too(desk):
    config, _ = desk
    client = make_app(config).test_client()
    client.get("/anmelden")
    response = client.post("/anmelden", data={"username": "anna", "password": PASSWORD})
    assert response.status_code == 403


PATH_LIKE_IDS = ["0000000000000000", "ffffffffffffffff", "ABCDEF0123456789", "..",
                 "..%2F..%2Fetc%2Fpasswd", "%2e%2e%2f%2e%2e%2fetc%2fpasswd", "etc%2Fpasswd",
                 "C:%5Cwindows", "0123", "x" * 300]


def test_unknown_or_path_like_document_ids_are_404(desk):
    config, _ = desk
    client = make_app(config).test_client()
    login(client, "anna")
    token = csrf_of(client.get("/").get_data(as_text=True))
    for doc_id in PATH_LIKE_IDS:
        assert client.get(f"/dokument/{doc_id}").status_code == 404, doc_id
        assert client.get(f"/dokument/{doc_id}/seite/1.png").status_code == 404, doc_id
        response = client.post(f"/dokument/{doc_id}/zuweisen",
                               data={"csrf_token": token, "version": "1",
                                     "caseworker": "wagner"})
        assert response.status_code == 404, doc_id


def test_known_document_pages_and_images(desk):
    config, ids = desk
    client = make_app(config).test_client()
    login(client, "anna")
    doc = ids[PLAIN_A]
    assert client.get(f"/dokument/{doc}").status_code == 200
    image = client.get(f"/dokument/{doc}/seite/1.png")
    assert image.status_code == 200 and image.data.startswith(b"\x89PNG")
    assert image.headers["Cache-Control"] == "no-store"
    assert client.get(f"/dokument/{doc}/seite/999.png").status_code == 404
    assert client.get(f"/dokument/{doc}/seite/0.png").status_code == 404


def test_wrong_password_and_unknown_user_read_the_same(desk):
    config, _ = desk
    client = make_app(config).test_client()
    wrong = login(client, "anna", "nicht-das-passwort").get_data(as_text=True)
    unknown = login(client, "niemand", "nicht-das-passwort").get_data(as_text=True)
    assert "Benutzername oder Passwort ist falsch." in wrong
    assert wrong.replace("anna", "niemand") == unknown


@pytest.mark.parametrize("secure", [True, False])
def test_session_cookie_flags(desk, secure):
    config, _ = desk
    client = make_app(config, secure=secure).test_client()
    cookie = login(client, "anna").headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    assert ("Secure" in cookie) is secure


def test_secure_cookies_are_the_default():
    assert WebSettings.from_environment().secure_cookies is True
    assert WebSettings.from_environment(secure_cookies=False).secure_cookies is False


def test_headers_keep_pages_out_of_caches_and_frames(desk):
    config, _ = desk
    client = make_app(config).test_client()
    login(client, "anna")
    response = client.get("/")
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]


def test_the_status_page_is_for_admins(desk):
    config, _ = desk
    clerk = make_app(config).test_client()
    login(clerk, "anna")
    refused = clerk.get("/status")
    assert refused.status_code == 403
    assert "Rolle Administration" in refused.get_data(as_text=True)
    assert "Betriebsstatus" not in clerk.get("/").get_data(as_text=True)
    admin = make_app(config).test_client()
    login(admin, "otto")
    assert admin.get("/status").status_code == 200


def test_logout_ends_the_session_even_for_a_copied_cookie(desk):
    config, _ = desk
    app = make_app(config)
    client = app.test_client()
    login(client, "anna")
    copied = client.get_cookie("rb_session").value
    token = csrf_of(client.get("/").get_data(as_text=True))
    assert client.post("/abmelden", data={"csrf_token": token}).status_code == 303
    assert client.get("/").status_code == 302
    thief = app.test_client()
    thief.set_cookie("rb_session", copied)
    assert thief.get("/").status_code == 302


def test_a_new_password_ends_the_users_sessions(desk):
    config, _ = desk
    client = make_app(config).test_client()
    login(client, "anna")
    assert client.get("/").status_code == 200
    add_user(config, "anna", "clerk")  # users add again: new password (here the same)
    assert client.get("/").status_code == 302


def test_users_add_takes_no_password_argument_and_checks_it(desk):
    config, _ = desk
    run = [sys.executable, str(REPO / "run_bot.py"), "--config", str(config), "users", "add"]
    plain = {k: v for k, v in os.environ.items() if k != "RECHNUNGSBOT_USER_PASSWORD"}
    no_prompt = subprocess.run([*run, "berta"], capture_output=True, text=True, env=plain,
                               stdin=subprocess.DEVNULL, timeout=60)
    assert no_prompt.returncode == 2 and "RECHNUNGSBOT_USER_PASSWORD" in no_prompt.stderr
    short = subprocess.run([*run, "berta"], capture_output=True, text=True, timeout=60,
                           env=plain | {"RECHNUNGSBOT_USER_PASSWORD": "kurz"})
    assert short.returncode == 2 and "at least 12 characters" in short.stderr
    as_argument = subprocess.run([*run, "berta", "--password", "x" * 20], capture_output=True,
                                 text=True, env=plain, timeout=60)
    assert as_argument.returncode == 2 and "unrecognized arguments" in as_argument.stderr
