"""Reloading the rules during `watch`: a valid change is taken, an invalid one is refused with
one log line per problem while the last good rules keep routing; with the real `watch`."""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
from pathlib import Path

from structlog.testing import capture_logs

from bots.rule_admin.reload import RulesReloader
from bots.wiring import open_config, open_context
from tests.conftest import REPO, SAMPLES, expected_samples, wait_until, write_bot_config

RULES = REPO / "config" / "rules.yaml"
CASEWORKERS = REPO / "config" / "caseworkers.yaml"
BROKEN = "\n  - id: kaputt\n    name: Kaputt\n    route_to: niemand\n" \
         "    when: {field: seller_vat, equals: DE1}\n"


def _own_config(tmp_path: Path) -> tuple[Path, Path, Path]:
    """A bot.yaml using copies of the shipped rules and directory, which tests may change."""
    rules, caseworkers = tmp_path / "rules.yaml", tmp_path / "caseworkers.yaml"
    shutil.copy(RULES, rules)
    shutil.copy(CASEWORKERS, caseworkers)
    config = write_bot_config(tmp_path, settle_seconds=0.3,
                              extra={"rules": str(rules), "caseworkers": str(caseworkers)})
    return config, rules, caseworkers


def _rule_ids(ctx) -> set[str]:
    return {r.id for r in ctx.ruleset.rules}


def test_a_valid_change_is_taken_once_it_has_settled(tmp_path: Path) -> None:
    config, rules, caseworkers = _own_config(tmp_path)
    ctx = open_context(open_config(config))
    reloader = RulesReloader(rules, caseworkers)
    assert reloader.check(ctx) is False  # nothing changed
    original = ctx.ruleset
    rules.write_text(rules.read_text(encoding="utf-8").replace(
        "id: haus-abendrot", "id: haus-abendrot-neu"), encoding="utf-8")
    with capture_logs() as logs:
        assert reloader.check(ctx) is False  # just changed: an editor may still be writing
        assert ctx.ruleset is original
        assert reloader.check(ctx) is True
    assert "haus-abendrot-neu" in _rule_ids(ctx)
    assert [e["event"] for e in logs] == ["rules_reloaded"]
    assert logs[0]["rules"] == 8 and logs[0]["log_level"] == "info"
    assert reloader.check(ctx) is False


def test_an_invalid_change_is_refused_logged_per_problem_once_and_old_rules_kept(tmp_path):
    config, rules, caseworkers = _own_config(tmp_path)
    ctx = open_context(open_config(config))
    reloader = RulesReloader(rules, caseworkers)
    good = rules.read_text(encoding="utf-8")
    original = ctx.ruleset
    rules.write_text(good + BROKEN, encoding="utf-8")
    broken_line = (good + BROKEN).splitlines().index("  - id: kaputt") + 1
    with capture_logs() as logs:
        for _ in range(4):
            assert reloader.check(ctx) is False
    assert ctx.ruleset is original
    refused = [e for e in logs if e["event"] == "rules_refused"]
    assert {(e["file"], e["line"]) for e in refused} == {(str(rules), broken_line + 2),
                                                         (str(rules), broken_line + 3)}
    assert any("niemand" in e["problem"] for e in refused)
    assert any("seller_vat" in e["problem"] for e in refused)
    assert [e["event"] for e in logs].count("rules_kept") == 1  # reported once, not per tick
    # a fix is taken; the directory is watched as well
    rules.write_text(good.replace("route_to: wagner", "route_to: schneider"), encoding="utf-8")
    reloader.check(ctx)
    assert reloader.check(ctx) is True
    assert ctx.ruleset.rules[3].route_to == "schneider"
    caseworkers.write_text(caseworkers.read_text(encoding="utf-8").replace(
        "name: Jan Wagner", "name: Jan Wagner-Berg"), encoding="utf-8")
    reloader.check(ctx)
    assert reloader.check(ctx) is True
    assert ctx.ruleset.caseworkers["wagner"].name == "Jan Wagner-Berg"


def test_a_deleted_rules_file_is_refused_and_the_old_rules_kept(tmp_path: Path) -> None:
    config, rules, caseworkers = _own_config(tmp_path)
    ctx = open_context(open_config(config))
    reloader = RulesReloader(rules, caseworkers)
    original = ctx.ruleset
    rules.unlink()
    with capture_logs() as logs:
        reloader.check(ctx)
        assert reloader.check(ctx) is False
    assert ctx.ruleset is original
    assert [e["event"] for e in logs] == ["rules_refused", "rules_kept"]
    assert "die Datei ist nicht lesbar" in logs[0]["problem"]


# -- the real `watch` ----------------------------------------------------------------------------

def _sample(kind: str) -> dict:
    return next(s for s in expected_samples() if s.get("kind") == kind)


def _events(log_file: Path) -> list[dict]:
    if not log_file.exists():
        return []
    return [json.loads(line) for line in log_file.read_text(encoding="utf-8").splitlines()]


def _filed(efile: Path, name: str) -> dict | None:
    for path in efile.glob("*/*.json"):
        sidecar = json.loads(path.read_text(encoding="utf-8"))
        if sidecar["original_name"] == name:
            return sidecar
    return None


def test_watch_refuses_a_broken_rules_file_and_takes_the_fixed_one(tmp_path: Path) -> None:
    config, rules, _ = _own_config(tmp_path)
    log_file, efile, inbox = tmp_path / "var/log/bot.jsonl", tmp_path / "var/efile", \
        tmp_path / "inbox"
    good = rules.read_text(encoding="utf-8")
    ubl, cii = _sample("xrechnung-ubl"), _sample("xrechnung-cii")
    bot = subprocess.Popen([sys.executable, str(REPO / "run_bot.py"), "--config", str(config),
                            "watch"], cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           text=True)
    try:
        assert wait_until(lambda: any(e["event"] == "watch_started" for e in _events(log_file)), 30.0)
        rules.write_text(good + BROKEN, encoding="utf-8")
        assert wait_until(lambda: any(e["event"] == "rules_kept" for e in _events(log_file)), 30.0)
        shutil.copy(SAMPLES / ubl["file"], inbox / ubl["file"])
        assert wait_until(lambda: _filed(efile, ubl["file"]) is not None, 30.0)
        assert _filed(efile, ubl["file"])["decision"]["queue"] == ubl["caseworker"]  # old rules

        rules.write_text(good.replace(f"route_to: {cii['caseworker']}", "route_to: krause"),
                         encoding="utf-8")
        assert wait_until(lambda: any(e["event"] == "rules_reloaded" for e in _events(log_file)), 30.0)
        shutil.copy(SAMPLES / cii["file"], inbox / cii["file"])
        assert wait_until(lambda: _filed(efile, cii["file"]) is not None, 30.0)
        assert _filed(efile, cii["file"])["decision"]["queue"] == "krause"  # new rules

        bot.send_signal(signal.SIGTERM)
        assert bot.wait(timeout=30) == 0
    finally:
        bot.kill()
        bot.wait(timeout=30)
    events = _events(log_file)
    refused = [e for e in events if e["event"] == "rules_refused"]
    assert len(refused) == 2 and all(e["file"] == str(rules) and e["line"] > 0 for e in refused)
    text = log_file.read_text(encoding="utf-8")
    for sample in (ubl, cii):
        for value in (sample["fields"]["seller_name"], sample["fields"]["iban"]):
            assert value not in text
