"""Logins: local users (bots.desk.accounts) with Argon2 hashes, roles clerk and admin,
rate-limited attempts, and the rule that no page and no file is served without a login.

The signed session cookie carries only a random session id; the session itself lives in the
ledger, so logging out (or a new password) ends it even where a copy of the cookie is kept."""

from __future__ import annotations

import secrets
import time
from functools import wraps
from urllib.parse import urlsplit

import structlog
from flask import (
    Blueprint,
    abort,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)

from bots.desk.accounts import Accounts
from bots.desk.csrf import renew_token
from bots.desk.deps import desk, ledger
from bots.desk.passwords import hash_password, needs_rehash, verify_password
from bots.desk.ratelimit import LoginThrottle

log = structlog.get_logger("review_desk")

ROLES = ("clerk", "admin")
PUBLIC_ENDPOINTS = ("auth.login", "static")

bp = Blueprint("auth", __name__)


def require_login():
    """before_request hook: every endpoint but the login page and the stylesheet needs a
    signed-in user; everyone else is sent to the login page (also for unknown addresses)."""
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    sid = session.get("sid")
    user = Accounts(ledger()).session_user(sid) if sid else None
    if user is None:
        session.pop("sid", None)
        target = request.full_path.rstrip("?") if request.method == "GET" else None
        return redirect(url_for("auth.login", next=_local(target)))
    g.user = {"name": user["name"], "role": user["role"]}
    return None


def login_throttle() -> LoginThrottle:
    settings = desk().settings
    return LoginThrottle(ledger(), per_user=settings.login_max_failures,
                         per_address=settings.login_max_failures_per_address,
                         window=settings.login_window_seconds)


def admin_required(view):
    @wraps(view)
    def wrapped(*args, **kwargs):
        if g.user["role"] != "admin":
            abort(403, "Diese Seite ist dem Betrieb (Rolle Administration) vorbehalten.")
        return view(*args, **kwargs)
    return wrapped


@bp.route("/anmelden", methods=["GET", "POST"])
def login():
    if request.method == "GET":
        return render_template("login.html", next=_local(request.args.get("next")))
    name = request.form.get("username", "").strip()
    password = request.form.get("password", "")
    throttle = login_throttle()
    attempt = throttle.begin(name, request.remote_addr)
    if attempt.wait > 0:
        log.warning("login_refused", reason="rate_limited")
        minutes = max(1, round(attempt.wait / 60))
        return _login_error(429, f"Zu viele fehlgeschlagene Anmeldungen. Bitte in {minutes} "
                                 f"{'Minute' if minutes == 1 else 'Minuten'} erneut versuchen.")
    user = Accounts(ledger()).get_user(name) if name else None
    if not verify_password(user["password_hash"] if user else None, password) \
            or user.get("disabled_at"):
        log.info("login_failed")
        return _login_error(401, "Benutzername oder Passwort ist falsch.")
    throttle.succeeded(attempt)
    if needs_rehash(user["password_hash"]):
        Accounts(ledger()).save_user(user["name"], user["role"], hash_password(password))
    session.clear()
    session.permanent = True
    session["sid"] = secrets.token_urlsafe(32)
    hours = desk().settings.session_hours
    Accounts(ledger()).start_session(session["sid"], user["name"], time.time() + hours * 3600)
    renew_token()
    log.info("login", role=user["role"])
    return redirect(_local(request.form.get("next")) or url_for("queue.index"), code=303)


@bp.route("/abmelden", methods=["POST"])
def logout():
    Accounts(ledger()).end_session(session.get("sid", ""))
    session.clear()
    return redirect(url_for("auth.login", abgemeldet=1), code=303)


def _login_error(status: int, message: str):
    return render_template("login.html", error=message, next=_local(request.form.get("next")),
                           username=request.form.get("username", "")), status


def _local(target: str | None) -> str | None:
    """Only a path on this site (no scheme, no host, no '//') is a place to return to."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") \
            or "\\" in target:
        return None
    return target
