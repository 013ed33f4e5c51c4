"""`run_bot.py learned list|show|forget`: what the bot learned from clerks' corrections, per
provider, and removing it (bots.learning)."""

from __future__ import annotations

from bots.learning.describe import hint_rows, key_text, provider_name
from bots.storage.learned_hints import LearnedHints
from bots.storage.ledger import Ledger
from bots.text_table import text_table
from ocr.model import FIELD_NAMES

_HINT_HEADERS = ["Feld", "Gelesen", "Gelernt an Dokument", "Von", "Am", "Nutzung"]


def add_parsers(sub) -> None:
    learned = sub.add_parser("learned", help="what the bot learned from corrections")
    actions = learned.add_subparsers(dest="action", required=True)
    actions.add_parser("list", help="providers with learned fields")
    show = actions.add_parser("show", help="what was learned about one provider")
    show.add_argument("provider", type=int, help="the provider number from 'learned list'")
    forget = actions.add_parser("forget", help="remove what was learned about a provider")
    forget.add_argument("provider", type=int)
    forget.add_argument("--field", choices=FIELD_NAMES, help="only this field's hint")


def cmd_learned(args, config) -> int:
    ledger = Ledger(config.ledger)
    try:
        hints = LearnedHints(ledger)
        if args.action == "list":
            print(_listing(hints))
            return 0
        provider = hints.provider(args.provider)
        if provider is None:
            print(f"Keinen gelernten Rechnungssteller Nr. {args.provider}.")
            return 1
        if args.action == "show":
            print(_shown(provider))
            return 0
        removed = hints.forget(provider.id, args.field)
        print(f"Vergessen: {_count(removed)} für {provider_name(provider)}.")
        return 0
    finally:
        ledger.close()


def _count(hints: int) -> str:
    return "1 gelerntes Feld" if hints == 1 else f"{max(hints, 0)} gelernte Felder"


def _listing(hints: LearnedHints) -> str:
    providers = hints.providers()
    if not providers:
        return "Noch nichts gelernt."
    rows = [[str(p.id), provider_name(p), ", ".join(key_text(k) for k in p.keys[:2]),
             _count(len(p.hints)), p.updated_at[:10]] for p in providers]
    return text_table(["Nr.", "Rechnungssteller", "Erkannt an", "Gelernt", "Zuletzt"], rows)


def _shown(provider) -> str:
    head = [f"Rechnungssteller {provider.id}: {provider_name(provider)}",
            "Erkannt an: " + "; ".join(key_text(k) for k in provider.keys), ""]
    body = text_table(_HINT_HEADERS, hint_rows(provider)) if provider.hints \
        else "Keine gelernten Felder."
    return "\n".join(head) + body


COMMANDS = {"learned": cmd_learned}
