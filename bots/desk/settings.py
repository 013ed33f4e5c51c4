"""The review desk's settings: from the command line and the environment, never from YAML
(the session secret is a secret)."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass

SECRET_ENV = "RECHNUNGSBOT_WEB_SECRET"
SECURE_COOKIE_ENV = "RECHNUNGSBOT_WEB_SECURE_COOKIES"


@dataclass(frozen=True)
class WebSettings:
    secret_key: str
    secure_cookies: bool = True  # False only for plain HTTP on a trusted host (tests, demo)
    session_hours: float = 8.0
    max_upload_bytes: int = 50 * 1024 * 1024
    max_upload_files: int = 20
    login_max_failures: int = 5  # per user name
    login_max_failures_per_address: int = 50  # behind a TLS proxy the office shares one
    login_window_seconds: float = 15 * 60
    preview_dpi: int = 110
    preview_seconds: float = 20.0  # the time one page image may take to render

    @classmethod
    def from_environment(cls, *, secure_cookies: bool | None = None) -> WebSettings:
        """The secret from RECHNUNGSBOT_WEB_SECRET (else a random one: sessions then end with
        the process); Secure cookies unless turned off by argument or environment ('0')."""
        secret = os.environ.get(SECRET_ENV) or secrets.token_urlsafe(48)
        if secure_cookies is None:
            secure_cookies = os.environ.get(SECURE_COOKIE_ENV, "1") != "0"
        return cls(secret_key=secret, secure_cookies=secure_cookies)
