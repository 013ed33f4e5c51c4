"""Serving the review desk with waitress (a production WSGI server, pure Python): small
request bodies for everyone, large ones only for uploads of signed-in users
(bots.desk.body_limits), a bounded number of connections."""

from __future__ import annotations

import structlog
from waitress import create_server

from bots.config import BotConfig
from bots.desk.body_limits import SMALL_BODY_BYTES, channel_class, session_checker
from bots.desk.settings import WebSettings
from bots.desk.webapp import create_app

log = structlog.get_logger("review_desk")
CONNECTIONS = 50


def serve(config: BotConfig, settings: WebSettings, *, host: str, port: int,
          threads: int = 4) -> None:
    """Serve until interrupted. Put a TLS proxy in front for anything but localhost."""
    app = create_app(config, settings)
    server = create_server(app, host=host, port=port, threads=threads, ident="review-desk",
                           clear_untrusted_proxy_headers=True, connection_limit=CONNECTIONS,
                           max_request_body_size=SMALL_BODY_BYTES)
    server.channel_class = channel_class(session_checker(app, config.ledger),
                                         settings.max_upload_bytes)
    log.info("review_desk_started", host=host, port=port, secure_cookies=settings.secure_cookies)
    print(f"Prüfplatz: http://{host}:{port}/ (Strg+C beendet)", flush=True)
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
