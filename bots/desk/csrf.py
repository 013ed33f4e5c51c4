"""CSRF protection: one random token per session, in a hidden field of every form; a state-
changing request without the session's token is refused with 403."""

from __future__ import annotations

import hmac
import secrets

from flask import abort, request, session

FIELD = "csrf_token"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def csrf_token() -> str:
    """The session's token (made on first use); templates put it into every form."""
    if FIELD not in session:
        session[FIELD] = secrets.token_urlsafe(32)
    return session[FIELD]


def renew_token() -> None:
    session[FIELD] = secrets.token_urlsafe(32)


def check_csrf() -> None:
    """before_request hook: 403 for a POST whose token is missing or not the session's."""
    if request.method in SAFE_METHODS:
        return
    expected = session.get(FIELD)
    sent = request.form.get(FIELD, "")
    if not expected or not hmac.compare_digest(expected, sent):
        abort(403, "Das Formular ist abgelaufen oder unvollständig (Sicherheitsmerkmal fehlt). "
                   "Bitte die Seite neu laden und es erneut versuchen.")
