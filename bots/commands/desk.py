"""The review desk's command `serve` (its users: bots.commands.users)."""

from __future__ import annotations

import argparse


def add_parsers(sub) -> None:
    serve = sub.add_parser("serve", help="serve the review desk (the exception queue in the "
                                         "browser)")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on "
                       "(default 127.0.0.1; put a TLS proxy in front for anything else)")
    serve.add_argument("--port", type=int, default=8080, help="port (default 8080)")
    serve.add_argument("--threads", type=int, default=4, help="worker threads (default 4)")
    serve.add_argument("--insecure-cookies", action="store_true",
                       help="send the session cookie over plain HTTP too (no TLS proxy; "
                            "trusted networks only)")


def cmd_serve(args: argparse.Namespace, config) -> int:
    from bots.desk.serve import serve
    from bots.desk.settings import WebSettings

    settings = WebSettings.from_environment(
        secure_cookies=False if args.insecure_cookies else None)
    serve(config, settings, host=args.host, port=args.port, threads=args.threads)
    return 0


COMMANDS = {"serve": cmd_serve}
