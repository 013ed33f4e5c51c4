"""The whole path on the shipped samples: real files, real Tesseract, the real command line."""

from __future__ import annotations

import json
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import (
    REPO,
    SAMPLES,
    expected_samples,
    filed_files,
    run_bot,
    wait_until,
    write_bot_config,
)


def _assert_outcomes(root: Path, config: Path) -> None:
    """Every sample ended where samples/expected.json says, and nothing was filed twice."""
    status = run_bot("--config", str(config), "exceptions", "list", "--json", check=True)
    exceptions = {e["file"]: e["reason"] for e in json.loads(status.stdout)}
    filed = filed_files(root / "var" / "efile")
    assert all(len(queues) == 1 for queues in filed.values()), filed
    sidecars = {json.loads(p.read_text())["original_name"]: p.parent.name
                for p in (root / "var" / "efile").glob("*/*.json")}
    for sample in expected_samples():
        name = sample["file"]
        if sample["outcome"] == "filed":
            assert sidecars.get(name) == sample["caseworker"], name
        else:
            assert exceptions.get(name) == sample["reason"], name
    assert len(sidecars) == sum(s["outcome"] == "filed" for s in expected_samples())


def _drop_slowly(source: Path, target: Path, chunks: int = 5, pause: float = 0.3) -> None:
    data = source.read_bytes()
    step = len(data) // chunks + 1
    with target.open("wb") as handle:
        for start in range(0, len(data), step):
            handle.write(data[start:start + step])
            handle.flush()
            time.sleep(pause)


def _all_terminal(config: Path) -> bool:
    status = json.loads(run_bot("--config", str(config), "status", "--json", check=True).stdout)
    states = status["documents_by_state"]
    done = sum(states.get(s, 0) for s in ("filed", "exception"))
    return done >= len(expected_samples()) and done == sum(states.values())


def _watch(config: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, str(REPO / "run_bot.py"), "--config", str(config),
                             "watch"], cwd=REPO, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def test_watch_files_every_sample_where_expected_and_stops_on_sigterm(tmp_path):
    config = write_bot_config(tmp_path, settle_seconds=1)
    inbox = tmp_path / "inbox"
    bot = _watch(config)
    try:
        samples = sorted(SAMPLES.iterdir())
        _drop_slowly(samples[0], inbox / samples[0].name)
        for sample in samples[1:]:
            shutil.copy(sample, inbox / sample.name)
        (inbox / "~$notiz.docx").write_bytes(b"lock file of an office program")
        assert wait_until(lambda: _all_terminal(config), timeout=400), "not all processed"
        bot.send_signal(signal.SIGTERM)
        assert bot.wait(timeout=60) == 0
    finally:
        bot.kill()
    _assert_outcomes(tmp_path, config)
    assert sorted(p.name for p in inbox.iterdir()) == ["~$notiz.docx"]


def test_kill_during_work_then_restart_files_everything_exactly_once(tmp_path):
    config = write_bot_config(tmp_path, settle_seconds=0.2)
    for sample in SAMPLES.iterdir():
        shutil.copy(sample, tmp_path / "inbox" / sample.name)
    bot = _watch(config)
    efile = tmp_path / "var" / "efile"
    wait_until(lambda: len(list(efile.glob("*/*.json"))) >= 2, timeout=300)
    bot.send_signal(signal.SIGKILL)
    bot.wait(timeout=30)
    filed_before_restart = len(list(efile.glob("*/*.json")))
    assert filed_before_restart < sum(s["outcome"] == "filed" for s in expected_samples())
    result = run_bot("--config", str(config), "run", "--once", "--json", timeout=600)
    assert result.returncode == 0, result.stderr
    _assert_outcomes(tmp_path, config)
    assert not list((tmp_path / "var").rglob(".tmp-*"))


def test_run_once_json_and_a_dropped_duplicate(tmp_path):
    config = write_bot_config(tmp_path, settle_seconds=0.2)
    xml_sample = next(s for s in expected_samples() if s.get("kind", "").startswith("xrechnung"))
    shutil.copy(SAMPLES / xml_sample["file"], tmp_path / "inbox" / "a.xml")
    first = run_bot("--config", str(config), "run", "--once", "--json", check=True)
    [outcome] = json.loads(first.stdout)
    assert outcome["outcome"] == "filed" and outcome["caseworker"] == xml_sample["caseworker"]
    shutil.copy(SAMPLES / xml_sample["file"], tmp_path / "inbox" / "b.xml")
    second = run_bot("--config", str(config), "run", "--once", "--json", check=True)
    [dup] = json.loads(second.stdout)
    assert (dup["outcome"], dup["document_id"]) == ("duplicate", outcome["document_id"])
    assert len(filed_files(tmp_path / "var" / "efile")) == 1


def test_logs_carry_no_personal_data(tmp_path):
    config = write_bot_config(tmp_path, settle_seconds=0.2)
    for sample in expected_samples():
        if sample.get("kind") != "scan":
            shutil.copy(SAMPLES / sample["file"], tmp_path / "inbox" / sample["file"])
    run_bot("--config", str(config), "-v", "run", "--once", check=True)
    log = (tmp_path / "var" / "log" / "bot.jsonl").read_text()
    assert '"event": "filed"' in log
    secrets = {v for s in expected_samples() for k, v in s.get("fields", {}).items()
               if k in ("iban", "seller_name", "seller_vat_id", "total_gross") and v}
    leaked = [s for s in secrets if s in log or re.sub(r"\.", ",", s) in log]
    assert leaked == []


@pytest.mark.parametrize("broken", ["rules: [", "rules:\n  - id: x\n    route_to: nobody\n"])
def test_invalid_rules_stop_the_bot_with_exit_2_and_file_line(tmp_path, broken):
    rules = tmp_path / "rules.yaml"
    rules.write_text(broken)
    config = write_bot_config(tmp_path, extra={"rules": str(rules)})
    result = run_bot("--config", str(config), "run", "--once")
    assert result.returncode == 2
    assert "rules.yaml:" in result.stderr


def test_unwritable_store_is_exit_2(tmp_path):
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where the store folder should be")
    config = write_bot_config(tmp_path, extra={"store": str(blocker / "store")})
    result = run_bot("--config", str(config), "run", "--once")
    assert result.returncode == 2 and "error:" in result.stderr
