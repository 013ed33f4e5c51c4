"""Configuration that fails closed (issue #14, item 10): a share marked as a mount that is
not mounted, a missing vendors file and a Tesseract language that is not installed refuse
the start, naming file, line and the fix, and `check` fails on them; nothing is created in
an empty mount point; relative paths count from bot.yaml's own folder."""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path

import yaml

from bots.config import load_config
from bots.fail_closed import debian_package, language_problem
from tests.conftest import REPO, run_bot, write_bot_config


def _line(config: Path, key: str) -> int:
    lines = config.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if line.startswith(f"{key}:"))


def test_an_unmounted_share_refuses_the_start_and_gets_nothing(tmp_path):
    share = tmp_path / "eakte"  # an empty mount point: the share is not mounted
    share.mkdir()
    config = write_bot_config(tmp_path, extra={"mounts": [str(share)],
                                               "efile_root": str(share / "rechnungen")})
    run = run_bot("--config", str(config), "run", "--once", timeout=120)
    assert run.returncode == 2
    assert f"{config}:{_line(config, 'efile_root')}: " in run.stderr
    assert "not mounted" in run.stderr and "mount it" in run.stderr
    check = run_bot("--config", str(config), "check", timeout=120)
    assert check.returncode == 1 and "FAIL  mounts" in check.stdout
    assert list(share.iterdir()) == []  # nothing created inside the mount point


def test_a_mounted_share_is_used(tmp_path):
    efile = Path("/dev/shm") / f"rbot-test-{uuid.uuid4().hex}"  # /dev/shm: a real mount
    try:
        config = write_bot_config(tmp_path, extra={"mounts": ["/dev/shm"],
                                                   "efile_root": str(efile)})
        run = run_bot("--config", str(config), "run", "--once", timeout=120)
        assert run.returncode == 0, run.stderr
    finally:
        shutil.rmtree(efile, ignore_errors=True)


def test_a_missing_vendors_file_refuses_the_start(tmp_path):
    config = write_bot_config(tmp_path, extra={"vendors": str(tmp_path / "fehlt.yaml")})
    run = run_bot("--config", str(config), "run", "--once", timeout=120)
    assert run.returncode == 2
    assert f"{config}:{_line(config, 'vendors')}: vendors file" in run.stderr
    assert "vendors: []" in run.stderr
    check = run_bot("--config", str(config), "check", timeout=120)
    assert check.returncode == 1 and "FAIL  vendors" in check.stdout


def test_a_language_that_is_not_installed_refuses_the_start(tmp_path):
    config = write_bot_config(tmp_path, extra={"ocr": {"lang": "de+eng"}})
    run = run_bot("--config", str(config), "run", "--once", timeout=120)
    assert run.returncode == 2
    assert f"{config}:{_line(config, 'ocr')}: " in run.stderr
    assert "write 'deu'" in run.stderr
    check = run_bot("--config", str(config), "check", timeout=120)
    assert "FAIL  tesseract" in check.stdout and "tesseract-ocr-de " not in check.stdout


def test_language_hints_name_real_debian_packages():
    assert debian_package("chi_sim") == "tesseract-ocr-chi-sim"
    assert "apt-get install tesseract-ocr-fra" in language_problem("deu+fra", {"deu", "eng"})
    assert "write 'deu'" in language_problem("de", {"deu", "eng"})
    assert language_problem("deu+eng", {"deu", "eng", "osd"}) is None


def test_relative_paths_count_from_the_folder_of_bot_yaml(tmp_path):
    etc = tmp_path / "etc" / "rechnungsbot"
    etc.mkdir(parents=True)
    for name in ("rules.yaml", "caseworkers.yaml", "vendors.yaml"):
        shutil.copy(REPO / "config" / name, etc / name)
    (etc / "bot.yaml").write_text(yaml.safe_dump({
        "rules": "rules.yaml", "caseworkers": "caseworkers.yaml", "vendors": "vendors.yaml",
        "ledger": "daten/ledger.sqlite3"}), encoding="utf-8")
    config = load_config(etc / "bot.yaml")
    assert (config.rules, config.vendors) == (etc / "rules.yaml", etc / "vendors.yaml")
    assert config.ledger == etc / "daten" / "ledger.sqlite3"
