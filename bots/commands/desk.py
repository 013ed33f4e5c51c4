"""The review desk's commands: `serve` and `users add`.

Passwords never come from the command line (they would stay in the shell history and the
process list): from a prompt, or from the environment variable RECHNUNGSBOT_USER_PASSWORD."""

from __future__ import annotations

import argparse
import getpass
import os
import sys

PASSWORD_ENV = "RECHNUNGSBOT_USER_PASSWORD"
USER_NAME_PATTERN = r"[a-z0-9][a-z0-9._-]{1,63}"


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

    users = sub.add_parser("users", help="local users of the review desk")
    users_sub = users.add_subparsers(dest="action", required=True)
    add = users_sub.add_parser("add", help=f"create a user or set a user's password and role "
                                           f"(password from a prompt or ${PASSWORD_ENV})")
    add.add_argument("name", help="user name: lower-case letters, digits, '.', '_' or '-'")
    add.add_argument("--role", choices=("clerk", "admin"), default="clerk",
                     help="clerk (queue, documents, upload) or admin (also the status page)")


def cmd_serve(args: argparse.Namespace, config) -> int:
    from bots.desk.serve import serve
    from bots.desk.settings import WebSettings

    settings = WebSettings.from_environment(
        secure_cookies=False if args.insecure_cookies else None)
    serve(config, settings, host=args.host, port=args.port, threads=args.threads)
    return 0


def cmd_users(args: argparse.Namespace, config) -> int:
    import re

    from bots.desk.accounts import Accounts
    from bots.desk.passwords import hash_password
    from bots.storage.ledger import Ledger

    if not re.fullmatch(USER_NAME_PATTERN, args.name):
        print("error: user names are 2-64 lower-case letters, digits, '.', '_' or '-'",
              file=sys.stderr)
        return 2
    password = _password()
    if password is None:
        return 2
    try:
        password_hash = hash_password(password)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    ledger = Ledger(config.ledger)
    accounts = Accounts(ledger)
    known = accounts.get_user(args.name) is not None
    accounts.save_user(args.name, args.role, password_hash)
    ledger.close()
    print(f"user {args.name} ({args.role}) {'updated' if known else 'created'}")
    return 0


def _password() -> str | None:
    if os.environ.get(PASSWORD_ENV):
        return os.environ[PASSWORD_ENV]
    if not sys.stdin.isatty():
        print(f"error: no terminal for a password prompt; set {PASSWORD_ENV}", file=sys.stderr)
        return None
    first = getpass.getpass("Password: ")
    if first != getpass.getpass("Password again: "):
        print("error: the passwords differ", file=sys.stderr)
        return None
    return first


COMMANDS = {"serve": cmd_serve, "users": cmd_users}
