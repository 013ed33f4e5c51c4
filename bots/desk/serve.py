"""Serving the review desk with waitress (a production WSGI server, pure Python)."""

from __future__ import annotations

import structlog
from waitress import serve as waitress_serve

from bots.config import BotConfig
from bots.desk.settings import WebSettings
from bots.desk.webapp import create_app

log = structlog.get_logger("review_desk")


def serve(config: BotConfig, settings: WebSettings, *, host: str, port: int,
          threads: int = 4) -> None:
    """Serve until interrupted. Put a TLS proxy in front for anything but localhost."""
    app = create_app(config, settings)
    log.info("review_desk_started", host=host, port=port, secure_cookies=settings.secure_cookies)
    print(f"Prüfplatz: http://{host}:{port}/ (Strg+C beendet)", flush=True)
    waitress_serve(app, host=host, port=port, threads=threads, ident="review-desk",
                   clear_untrusted_proxy_headers=True)
