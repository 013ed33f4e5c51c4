"""create_app(): the review desk as a Flask application."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from functools import partial

from flask import Flask, render_template, request
from werkzeug.exceptions import HTTPException

from bots.config import BotConfig
from bots.desk import (
    auth,
    document_view,
    field_boxes,
    learned_view,
    page_words,
    queue_view,
    redecide_view,
    search_view,
    sidecar_view,
    status_view,
    suggestions_view,
    upload_view,
)
from bots.desk.csrf import check_csrf, csrf_token
from bots.desk.deps import Desk, close_ledger
from bots.desk.formatting import FILTERS, confidence
from bots.desk.previews import PREVIEW_LIMITS, Previews
from bots.desk.settings import WebSettings

CONTENT_SECURITY_POLICY = ("default-src 'self'; img-src 'self'; style-src 'self'; "
                           "script-src 'self'; form-action 'self'; frame-ancestors 'none'; "
                           "base-uri 'none'; object-src 'none'")

_ERROR_TITLES = {
    400: "Ungültige Anfrage", 401: "Nicht angemeldet", 403: "Kein Zugriff",
    404: "Nicht gefunden", 405: "Nicht erlaubt", 409: "Inzwischen geändert",
    413: "Zu groß", 429: "Zu viele Versuche", 500: "Technischer Fehler",
    503: "Vorübergehend nicht verfügbar",
}
_ERROR_TEXTS = {
    400: "Die Anfrage war unvollständig oder ungültig.",
    403: "Kein Zugriff.",
    404: "Diese Seite oder dieses Dokument gibt es nicht. Dokumente öffnen Sie über die "
         "Warteschlange.",
    405: "Diese Aktion ist so nicht möglich.",
    413: "Die hochgeladenen Dateien sind zusammen zu groß.",
    500: "Bei der Verarbeitung ist ein Fehler aufgetreten. Bitte den Betrieb informieren.",
}


def create_app(config: BotConfig, settings: WebSettings) -> Flask:
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=settings.secret_key,
        SESSION_COOKIE_NAME="rb_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Strict",
        SESSION_COOKIE_SECURE=settings.secure_cookies,
        PERMANENT_SESSION_LIFETIME=timedelta(hours=settings.session_hours),
        MAX_CONTENT_LENGTH=settings.max_upload_bytes,
        MAX_FORM_MEMORY_SIZE=1024 * 1024,
    )
    app.extensions["review_desk"] = Desk(
        config=config, settings=settings,
        previews=Previews(dpi=settings.preview_dpi,
                          limits=replace(PREVIEW_LIMITS, timeout=settings.preview_seconds)))
    app.before_request(auth.require_login)
    app.before_request(check_csrf)
    app.teardown_appcontext(close_ledger)
    app.after_request(_security_headers)
    app.register_error_handler(HTTPException, _error_page)
    app.jinja_env.globals["csrf_token"] = csrf_token
    app.jinja_env.filters.update(FILTERS)
    app.jinja_env.filters["confidence"] = partial(confidence, threshold=config.min_confidence)
    for blueprint in (auth.bp, queue_view.bp, document_view.bp, upload_view.bp, status_view.bp,
                      learned_view.bp, suggestions_view.bp, page_words.bp, search_view.bp,
                      sidecar_view.bp, redecide_view.bp, field_boxes.bp):
        app.register_blueprint(blueprint)
    return app


def _security_headers(response):
    response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Referrer-Policy"] = "same-origin"
    if request.endpoint != "static":
        response.headers["Cache-Control"] = "no-store"  # pages and images carry social data
    return response


def _error_page(error: HTTPException):
    status = error.code or 500
    own_text = error.description != type(error).description  # German text given to abort()
    text = error.description if own_text else _ERROR_TEXTS.get(status, _ERROR_TEXTS[500])
    return render_template("error.html", status=status,
                           title=_ERROR_TITLES.get(status, "Fehler"), text=text), status
