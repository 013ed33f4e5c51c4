"""Request bodies at the server, before the application sees them: waitress reads a whole
body before it calls the application, so the size a request may send is decided from its
headers. Every request may send a small body (a form); only a POST to the upload page from a
signed-in user (a valid session cookie naming a live session in the ledger) may send up to
the upload limit. Nobody else can make the server spool large bodies to disk."""

from __future__ import annotations

import copy
import sqlite3
import time
from collections.abc import Callable
from http.cookies import CookieError, SimpleCookie

from flask import Flask
from itsdangerous import BadData
from waitress.channel import HTTPChannel
from waitress.parser import HTTPRequestParser

SMALL_BODY_BYTES = 256 * 1024
UPLOAD_PATH = "/hochladen"


def session_checker(app: Flask, ledger_path) -> Callable[[str], bool]:
    """Whether a Cookie header carries the session of a signed-in user."""
    serializer = app.session_interface.get_signing_serializer(app)
    cookie_name = app.config["SESSION_COOKIE_NAME"]
    max_age = int(app.permanent_session_lifetime.total_seconds())

    def signed_in(cookie_header: str) -> bool:
        try:
            morsel = SimpleCookie(cookie_header).get(cookie_name)
            sid = serializer.loads(morsel.value, max_age=max_age).get("sid") if morsel else None
        except (BadData, CookieError, ValueError, AttributeError, TypeError):
            return False
        return bool(sid) and _live_session(ledger_path, sid)

    return signed_in


def _live_session(ledger_path, sid: str) -> bool:
    try:
        with sqlite3.connect(f"file:{ledger_path}?mode=ro", uri=True, timeout=5) as db:
            row = db.execute("SELECT 1 FROM web_sessions s JOIN users u ON u.name = s.user"
                             " WHERE s.sid=? AND s.expires_at >= ? AND u.disabled_at IS NULL",
                             (sid, time.time())).fetchone()
    except sqlite3.Error:
        return False
    return row is not None


def channel_class(signed_in: Callable[[str], bool], upload_bytes: int) -> type[HTTPChannel]:
    """A waitress channel whose requests may send large bodies only as described above."""

    class Parser(HTTPRequestParser):
        def parse_header(self, header_plus):
            super().parse_header(header_plus)
            if self.command == "POST" and self.path == UPLOAD_PATH \
                    and signed_in(self.headers.get("COOKIE", "")):
                self.adj = copy.copy(self.adj)
                self.adj.max_request_body_size = upload_bytes + 1024 * 1024  # plus the form

    class Channel(HTTPChannel):
        parser_class = Parser

    return Channel
