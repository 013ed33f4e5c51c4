"""`users`: the review desk's local users — list, add, disable, enable, reset-password (which
also unlocks), unlock (after too many failed logins), remove.

Passwords never come from the command line (they would stay in the shell history and the
process list): from a prompt, or from the environment variable RECHNUNGSBOT_USER_PASSWORD."""

from __future__ import annotations

import argparse
import getpass
import os
import re
import sys

PASSWORD_ENV = "RECHNUNGSBOT_USER_PASSWORD"
USER_NAME_PATTERN = r"[a-z0-9][a-z0-9._-]{1,63}"
ROLE_WORDS = {"clerk": "Prüfplatz", "admin": "Administration"}
_ACTIONS = {
    "disable": "may no longer sign in (sessions ended)",
    "enable": "may sign in again",
    "reset-password": "set a new password (ends sessions, lifts a login lock)",
    "unlock": "lift the lock after too many failed logins",
    "remove": "delete the user (the audit trail keeps their name)",
}


def add_parsers(sub) -> None:
    users = sub.add_parser("users", help="local users of the review desk")
    users_sub = users.add_subparsers(dest="action", required=True)
    users_sub.add_parser("list", help="users, roles and whether they may sign in")
    add = users_sub.add_parser("add", help=f"create a user or set a user's password and role "
                                           f"(password from a prompt or ${PASSWORD_ENV})")
    add.add_argument("name", help="user name: lower-case letters, digits, '.', '_' or '-'")
    add.add_argument("--role", choices=tuple(ROLE_WORDS), default="clerk",
                     help="clerk (Prüfplatz: queue, documents, upload) or admin "
                          "(Administration: also the status page)")
    for action, text in _ACTIONS.items():
        users_sub.add_parser(action, help=text).add_argument("name")


def cmd_users(args: argparse.Namespace, config) -> int:
    from bots.desk.accounts import Accounts
    from bots.storage.ledger import Ledger

    if args.action != "list" and not re.fullmatch(USER_NAME_PATTERN, args.name):
        return _fail("user names are 2-64 lower-case letters, digits, '.', '_' or '-'")
    ledger = Ledger(config.ledger)
    try:
        accounts = Accounts(ledger)
        if args.action == "list":
            print(_listing(accounts, ledger))
            return 0
        if args.action == "add":
            return _add(accounts, args.name, args.role)
        if accounts.get_user(args.name) is None:
            return _fail(f"no user {args.name}; see 'users list'")
        return _change(accounts, ledger, args.action, args.name)
    finally:
        ledger.close()


def _add(accounts, name: str, role: str) -> int:
    password_hash = _new_password_hash()
    if password_hash is None:
        return 2
    known = accounts.get_user(name) is not None
    accounts.save_user(name, role, password_hash)
    print(f"user {name} ({role}) {'updated' if known else 'created'}")
    return 0


def _change(accounts, ledger, action: str, name: str) -> int:
    from bots.desk.ratelimit import unlock

    if action == "reset-password":
        password_hash = _new_password_hash()
        if password_hash is None:
            return 2
        accounts.save_user(name, accounts.get_user(name)["role"], password_hash)
    if action in ("disable", "enable"):
        accounts.set_disabled(name, action == "disable")
    if action == "remove":
        accounts.remove_user(name)
    if action in ("reset-password", "unlock", "remove"):
        unlock(ledger, name)
    print(f"user {name}: {action} done")
    return 0


def _listing(accounts, ledger) -> str:
    from bots.desk.ratelimit import user_key
    from bots.text_table import text_table

    users = accounts.list_users()
    if not users:
        return "Keine Benutzer angelegt (users add NAME --role clerk|admin)."
    failures = {row[0]: row[1] for row in ledger.query(
        "SELECT key, COUNT(*) FROM login_attempts GROUP BY key")}
    rows = [[u["name"], ROLE_WORDS.get(u["role"], u["role"]),
             _state(u, failures.get(user_key(u["name"]), 0)), u["created_at"][:10]]
            for u in users]
    return text_table(["Benutzer", "Rolle", "Status", "angelegt"], rows)


def _state(user: dict, failures: int) -> str:
    if user["disabled_at"]:
        return f"deaktiviert seit {user['disabled_at'][:10]}"
    if failures:
        return f"aktiv, {failures} Fehlversuch{'e' if failures != 1 else ''}"
    return "aktiv"


def _new_password_hash() -> str | None:
    from bots.desk.passwords import hash_password

    password = _password()
    if password is None:
        return None
    try:
        return hash_password(password)
    except ValueError as exc:
        _fail(str(exc))
        return None


def _password() -> str | None:
    if os.environ.get(PASSWORD_ENV):
        return os.environ[PASSWORD_ENV]
    if not sys.stdin.isatty():
        _fail(f"no terminal for a password prompt; set {PASSWORD_ENV}")
        return None
    first = getpass.getpass("Password: ")
    if first != getpass.getpass("Password again: "):
        _fail("the passwords differ")
        return None
    return first


def _fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 2
