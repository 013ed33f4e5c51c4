"""Routing learned, decided by people: three invoices of one provider assigned by hand to
the same caseworker make `rules suggest` propose the rule, with its plan; accepted, it is
in rules.yaml and routes the provider's next invoice. Nothing changes without --accept."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from bots.config import load_config
from bots.desk import actions as review
from bots.desk.settings import WebSettings
from bots.desk.webapp import create_app
from bots.learning.routing import suggestions
from bots.storage.ledger import Ledger
from bots.wiring import open_config, open_context
from rules.engine import decide
from rules.loader import load_ruleset
from tests.conftest import REPO, run_bot, write_bot_config
from tests.learning_fixtures import deliver, provider_invoice
from tests.test_web_support import add_user, csrf_of, login

MONTHS = [(f"SH-2026-0{m}11", f"2{m}.0{m}.2026", "100,00", "19,00", "119,00")
          for m in range(1, 6)]


def _assign(config: Path, doc_id: str, caseworker: str) -> None:
    ctx = open_context(open_config(config))
    try:
        review.assign(ctx, doc_id, caseworker, actor="anna")
    finally:
        ctx.ledger.close()


def test_three_manual_assignments_propose_a_rule_an_admin_accepts(tmp_path: Path):
    rules = tmp_path / "rules.yaml"
    shutil.copy(REPO / "config" / "rules.yaml", rules)
    config = write_bot_config(tmp_path, settle_seconds=0, extra={"rules": str(rules)})
    for number, month in enumerate(MONTHS[:3]):
        doc = deliver(config, f"m{number}.pdf", provider_invoice(*month))
        _assign(config, doc, "hoffmann")
        ledger = Ledger(open_config(config).ledger)
        found = suggestions(ledger, load_ruleset(rules, REPO / "config" / "caseworkers.yaml"))
        ledger.close()
        assert len(found) == (1 if number == 2 else 0)
    [suggestion] = found
    assert (suggestion.field, suggestion.value, suggestion.queue, suggestion.count) == (
        "seller_vat_id", "DE136695976", "hoffmann", 3)

    before = rules.read_text(encoding="utf-8")
    shown = run_bot("--config", str(config), "rules", "suggest", check=True).stdout
    assert "Vorschlag vorschlag-seller-vat-id-de136695976 (3 Zuweisungen von Hand" in shown
    assert 'equals: DE136695976' in shown and "route_to: hoffmann" in shown
    assert "3 Dokumente gingen mit den neuen Regeln woanders hin" in shown
    assert "no_rule" in shown  # the plan: from the exception queue to Hoffmann
    assert rules.read_text(encoding="utf-8") == before  # proposing changes nothing
    assert run_bot("--config", str(config), "rules", "suggest", "--accept", "nichts"
                   ).returncode == 1
    _accept_on_the_desk(config, suggestion.rule_id)
    assert suggestion.rule_id in rules.read_text(encoding="utf-8")
    rules.write_text(before, encoding="utf-8")  # once more, from the command line
    accepted = run_bot("--config", str(config), "rules", "suggest", "--accept",
                       suggestion.rule_id, check=True).stdout
    assert accepted.startswith(f"Regel {suggestion.rule_id} in ")
    assert rules.read_text(encoding="utf-8").startswith(before.rstrip("\n"))
    assert "Keine Vorschläge" in run_bot("--config", str(config), "rules", "suggest").stdout

    fourth = deliver(config, "m4.pdf", provider_invoice(*MONTHS[3]))
    ledger = Ledger(open_config(config).ledger)
    fields = ledger.get(fourth).invoice["fields"]
    ledger.close()
    decision = decide(load_ruleset(rules, REPO / "config" / "caseworkers.yaml"), fields,
                      today=date.today())
    assert (decision.rule_id, decision.caseworker) == (suggestion.rule_id, "hoffmann")


def test_assignments_that_disagree_propose_nothing(tmp_path: Path):
    config = write_bot_config(tmp_path, settle_seconds=0)
    for number, (month, caseworker) in enumerate(zip(MONTHS[:4], ("hoffmann", "schneider",
                                                                 "hoffmann", "neumann"), strict=True)):
        _assign(config, deliver(config, f"m{number}.pdf", provider_invoice(*month)),
                caseworker)
    ledger = Ledger(open_config(config).ledger)
    assert suggestions(ledger, load_ruleset(REPO / "config" / "rules.yaml",
                                            REPO / "config" / "caseworkers.yaml")) == []
    ledger.close()


def _accept_on_the_desk(config: Path, rule_id: str) -> None:
    add_user(config, "anna", "clerk")
    add_user(config, "otto", "admin")
    app = create_app(load_config(config), WebSettings(secret_key="k" * 48,
                                                      secure_cookies=False))
    clerk, admin = app.test_client(), app.test_client()
    assert login(clerk, "anna").status_code == 303 and login(admin, "otto").status_code == 303
    assert clerk.get("/regelvorschlaege").status_code == 403
    page = admin.get("/regelvorschlaege").get_data(as_text=True)
    assert f"Regel {rule_id} übernehmen" in page and "route_to: hoffmann" in page
    assert "3 Dokumente gingen mit den neuen Regeln woanders hin" in page
    token = csrf_of(page)
    assert admin.post("/regelvorschlaege/nichts/uebernehmen",
                      data={"csrf_token": token}).status_code == 404
    assert admin.post(f"/regelvorschlaege/{rule_id}/uebernehmen",
                      data={"csrf_token": token}).status_code == 303
    after = admin.get("/regelvorschlaege").get_data(as_text=True)
    assert f"Regel {rule_id} in die Regeldatei übernommen." in after
    assert "Keine Vorschläge." in after
