"""Login throttling (issue #14, item 8): per user and per address, kept in the ledger (a
restart does not lift it), exact under parallel attempts, lifted by `users unlock`; and the
`users` command's full set (issue #16): list, add, disable, enable, reset-password, unlock,
remove."""

from __future__ import annotations

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

from bots.config import load_config
from bots.desk.ratelimit import LoginThrottle
from bots.desk.settings import WebSettings
from bots.desk.webapp import create_app
from bots.storage.ledger import Ledger
from tests.conftest import REPO
from tests.test_web_support import PASSWORD, csrf_of, login

pytest_plugins = ["tests.desk_fixtures"]
WRONG = "falsch-falsch-falsch"


def make_app(config, **limits):
    settings = WebSettings(secret_key="s" * 48, secure_cookies=False, **limits)
    return create_app(load_config(config), settings)


def users(config, *args, password=None):
    env = {k: v for k, v in os.environ.items() if k != "RECHNUNGSBOT_USER_PASSWORD"}
    if password:
        env["RECHNUNGSBOT_USER_PASSWORD"] = password
    return subprocess.run([sys.executable, str(REPO / "run_bot.py"), "--config", str(config),
                           "users", *args], capture_output=True, text=True, env=env,
                          stdin=subprocess.DEVNULL, timeout=120)


def test_one_users_failures_lock_that_user_only_and_survive_a_restart(own_desk):
    config, _ = own_desk
    client = make_app(config, login_max_failures=3).test_client()
    for _ in range(3):
        assert login(client, "anna", WRONG).status_code == 401
    blocked = login(client, "anna")  # the right password, but too many failures
    assert blocked.status_code == 429
    assert "Zu viele fehlgeschlagene Anmeldungen" in blocked.get_data(as_text=True)
    assert login(client, "otto").status_code == 303  # same address, another user: welcome
    restarted = make_app(config, login_max_failures=3).test_client()
    assert login(restarted, "anna").status_code == 429  # kept in the ledger
    unlocked = users(config, "unlock", "anna")
    assert unlocked.returncode == 0, unlocked.stderr
    assert login(restarted, "anna").status_code == 303


def test_an_address_is_locked_only_after_many_users_failed(own_desk):
    config, _ = own_desk
    client = make_app(config, login_max_failures=2,
                      login_max_failures_per_address=4).test_client()
    for name in ("a1", "a2", "a3", "a4"):
        assert login(client, name, WRONG).status_code == 401
    assert login(client, "otto").status_code == 429  # a password sprayer from one address


def test_parallel_wrong_logins_check_no_more_passwords_than_allowed(own_desk):
    config, _ = own_desk
    app = make_app(config, login_max_failures=5)

    def attempt(_):
        client = app.test_client()
        token = csrf_of(client.get("/anmelden").get_data(as_text=True))
        return client.post("/anmelden", data={"username": "anna", "password": WRONG,
                                              "csrf_token": token}).status_code

    with ThreadPoolExecutor(max_workers=20) as pool:
        codes = list(pool.map(attempt, range(40)))
    assert sorted(codes).count(401) == 5 and codes.count(429) == 35


def test_the_window_ages_failures_out(own_desk):
    config, _ = own_desk
    now = [1000.0]
    ledger = Ledger(load_config(config).ledger)
    throttle = LoginThrottle(ledger, per_user=2, per_address=10, window=60,
                             clock=lambda: now[0])
    assert throttle.begin("anna", "10.0.0.1").wait == 0
    now[0] += 10
    assert throttle.begin("ANNA ", "10.0.0.2").wait == 0
    assert throttle.begin("anna", "10.0.0.3").wait == 50
    assert throttle.begin("ben", "10.0.0.1").wait == 0
    now[0] += 51
    attempt = throttle.begin("anna", "10.0.0.1")
    assert attempt.wait == 0
    throttle.succeeded(attempt)
    assert ledger.query("SELECT COUNT(*) FROM login_attempts WHERE key='user:anna'")[0][0] == 0
    ledger.close()


def test_users_command_full_set(own_desk):
    config, _ = own_desk
    listing = users(config, "list")
    assert listing.returncode == 0
    assert "anna" in listing.stdout and "Prüfplatz" in listing.stdout
    assert "Administration" in listing.stdout
    client = make_app(config).test_client()
    assert login(client, "anna").status_code == 303
    assert users(config, "disable", "anna").returncode == 0
    assert client.get("/").status_code == 302  # the running session ended
    assert login(client, "anna").status_code == 401
    assert "deaktiviert" in users(config, "list").stdout
    assert users(config, "enable", "anna").returncode == 0
    for _ in range(5):
        login(client, "anna", WRONG)
    assert login(client, "anna").status_code == 429
    assert "5 Fehlversuche" in users(config, "list").stdout
    new = "ein-neues-langes-passwort"
    assert users(config, "reset-password", "anna", password=new).returncode == 0
    assert login(client, "anna", PASSWORD).status_code == 401  # the old one is gone
    assert login(client, "anna", new).status_code == 303  # and the lock with it
    assert users(config, "remove", "anna").returncode == 0
    assert "anna" not in users(config, "list").stdout
    unknown = users(config, "disable", "nobody")
    assert unknown.returncode == 2 and "no user nobody" in unknown.stderr
