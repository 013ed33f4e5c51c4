"""The desk's page of what the bot learned from corrections (/gelernt): per provider the
fields it reads from learned places, each removable; the same as `run_bot.py learned`."""

from __future__ import annotations

import structlog
from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for

from bots.desk.deps import ledger
from bots.learning.describe import key_text, place_text, provider_name, use_text
from bots.pipeline.fieldnames import label
from bots.storage.learned_hints import LearnedHints
from ocr.model import FIELD_NAMES

log = structlog.get_logger("desk")
bp = Blueprint("learned", __name__)


@bp.route("/gelernt")
def index():
    providers = LearnedHints(ledger()).providers()
    return render_template("learned.html", providers=providers, key_text=key_text,
                           place_text=place_text, provider_name=provider_name,
                           use_text=use_text, label=label)


@bp.route("/gelernt/<int:provider_id>/vergessen", methods=["POST"])
def forget(provider_id: int):
    hints = LearnedHints(ledger())
    provider = hints.provider(provider_id)
    field = request.form.get("field") or None
    if provider is None or (field is not None and field not in FIELD_NAMES):
        abort(404)
    removed = hints.forget(provider_id, field)
    log.info("hints_forgotten", provider=provider_id, field=field, hints=removed,
             actor=g.user["name"])
    what = f"„{label(field)}“" if field else "alles Gelernte"
    flash(f"Vergessen: {what} für {provider_name(provider)}.", "success")
    return redirect(url_for(".index"), code=303)
