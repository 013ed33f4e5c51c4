"""The administrators' page of proposed routing rules (/regelvorschlaege): rules learned from
repeated manual assignments (bots.learning.routing), each with its YAML and what `rules
plan` says it changes; an administrator accepts one into rules.yaml. Never applied alone."""

from __future__ import annotations

import structlog
from flask import Blueprint, abort, flash, g, redirect, render_template, url_for

from bots.desk.auth import admin_required
from bots.desk.deps import context
from bots.learning.routing import accept, impact, suggestions
from bots.rule_admin.plan import format_plan
from rules.loader import RulesConfigError

log = structlog.get_logger("desk")
bp = Blueprint("suggestions", __name__)


def _found():
    ctx = context()
    return ctx, suggestions(ctx.ledger, ctx.ruleset, today=ctx.today())


@bp.route("/regelvorschlaege")
@admin_required
def index():
    ctx, found = _found()
    config = ctx.config
    paths = {"current_rules": str(config.rules), "new_rules": "mit dem Vorschlag",
             "caseworkers": str(config.caseworkers)}
    plans = {s.rule_id: format_plan(impact(config.ledger, ctx.ruleset, config.rules,
                                           config.caseworkers, s), paths) for s in found}
    return render_template("suggestions.html", suggestions=found, plans=plans)


@bp.route("/regelvorschlaege/<rule_id>/uebernehmen", methods=["POST"])
@admin_required
def take(rule_id: str):
    ctx, found = _found()
    chosen = next((s for s in found if s.rule_id == rule_id), None)
    if chosen is None:
        abort(404)
    try:
        accept(ctx.config.rules, ctx.config.caseworkers, chosen)
    except RulesConfigError:
        flash("Die Regel lässt sich nicht übernehmen: bitte von Hand in die Regeldatei "
              "eintragen (run_bot.py rules check).", "error")
        return redirect(url_for(".index"), code=303)
    log.info("rule_accepted", rule_id=rule_id, actor=g.user["name"])
    flash(f"Regel {rule_id} in die Regeldatei übernommen.", "success")
    return redirect(url_for(".index"), code=303)
