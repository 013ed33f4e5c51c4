"""Retention of what was learned from corrections (issue #17): a provider's hints hold data of
its invoices (VAT ID, IBAN, letterhead, where fields are printed), so `purge` removes hints
older than `learned_retention_days` and the providers left without one, with their keys."""

from datetime import UTC, datetime, timedelta

import yaml

from bots.storage.learned_hints import LearnedHints
from bots.storage.ledger import Ledger
from bots.storage.retention import learned_due, purge_learned
from tests.conftest import run_bot, write_bot_config

ANCHOR = {"field": "invoice_number", "label": "Rechnung Nr.", "below": False, "page": 1,
          "line": 4, "column": 40, "name": ""}
KEYS = ["vat:DE123456789", "iban:DE02120300000000202051"]


def _learn(ledger: Ledger, keys: list[str], field: str = "invoice_number") -> int:
    return LearnedHints(ledger).learn(keys, "Pflegedienst Sonnenschein",
                                      {field: ANCHOR | {"field": field}},
                                      document_id="d" * 16, actor="clerk")


def test_old_hints_go_and_a_provider_without_hints_goes_with_its_keys(tmp_path):
    ledger = Ledger(tmp_path / "ledger.sqlite3")
    learned = LearnedHints(ledger)
    kept = _learn(ledger, KEYS)
    _learn(ledger, ["vat:DE999999999"], "issue_date")
    assert learned_due(ledger, 365) == 0 and purge_learned(ledger, 365) == (0, 0)
    assert len(learned.providers()) == 2

    later = datetime.now(UTC) + timedelta(days=366)
    assert learned_due(ledger, 365, now=later) == 2
    assert purge_learned(ledger, 365, now=later) == (2, 2)
    assert learned.providers() == [] and learned.hints(kept) == []
    assert learned.provider_for(KEYS) is None  # the IBAN and VAT ID are gone too
    assert ledger.query("SELECT COUNT(*) FROM learned_keys")[0][0] == 0


def test_purge_removes_learned_hints_beyond_the_configured_days(tmp_path):
    config = write_bot_config(tmp_path)
    raw = yaml.safe_load(config.read_text()) | {"learned_retention_days": 0}
    config.write_text(yaml.safe_dump(raw))
    ledger = Ledger(tmp_path / "var" / "ledger.sqlite3")
    _learn(ledger, KEYS)
    dry = run_bot("--config", str(config), "purge", "--dry-run", check=True)
    assert "would purge learned hints older than 0 days: 1" in dry.stdout
    assert len(LearnedHints(ledger).providers()) == 1
    run_bot("--config", str(config), "purge", check=True)
    assert LearnedHints(ledger).providers() == []
