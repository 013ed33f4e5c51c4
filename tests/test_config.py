"""bot.yaml is checked at load: a value of the wrong kind is refused with file, line and an
example of what to write, never a traceback."""

from __future__ import annotations

import pytest

from bots.config import ConfigError, load_config
from tests.conftest import run_bot


@pytest.mark.parametrize(("text", "line", "expected"), [
    ("rescan_seconds: soon\n", 1, "'rescan_seconds' must be a number above 0"),
    ("retention_days: 2.5\n", 1, "'retention_days' must be a whole number"),
    ("ocr:\n  lang: deu\n  dpi: many\n", 3, "'dpi' must be a whole number of at least 72"),
    ("folders:\n  - path: in\n    settle_seconds: -1\n", 3,
     "'settle_seconds' must be a number of at least 0"),
    ("limits:\n  max_file_mb: 5\n  max_pages: lots\n", 3, "'max_pages' must be a whole number"),
    ("limits:\n  max_file_mb: 0\n", 2, "'max_file_mb' must be a number above 0"),
    ("rescan_seconds: true\n", 1, "'rescan_seconds' must be a number"),
])
def test_numbers_are_checked_with_file_and_line(tmp_path, text, line, expected):
    path = tmp_path / "config" / "bot.yaml"
    path.parent.mkdir()
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as refused:
        load_config(path)
    assert str(refused.value).startswith(f"{path}:{line}: {expected}")
    assert "e.g." in str(refused.value)


def test_numbers_that_fit_are_taken(tmp_path):
    path = tmp_path / "config" / "bot.yaml"
    path.parent.mkdir()
    path.write_text("rescan_seconds: 30\nlimits:\n  max_file_mb: 5\n  max_pages: 10\n")
    config = load_config(path)
    assert config.rescan_seconds == 30.0
    assert (config.limits.max_file_mb, config.limits.max_pages) == (5.0, 10)


def test_the_command_line_says_what_to_fix_and_exits_2(tmp_path):
    path = tmp_path / "config" / "bot.yaml"
    path.parent.mkdir()
    path.write_text("rescan_seconds: soon\n", encoding="utf-8")
    result = run_bot("--config", str(path), "run", "--once", timeout=120)
    assert result.returncode == 2
    assert f"{path}:1: 'rescan_seconds' must be a number" in result.stderr
    assert "Traceback" not in result.stderr
