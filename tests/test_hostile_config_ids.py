"""Ids and e-file folders (issue #14, item 9): `rules check` refuses ids that are device
names on Windows; a caseworker's e-file folder replaced by a symlink is not followed out of
the e-file root."""

from __future__ import annotations

from pathlib import Path

import pytest

from bots.intake.register import Incoming, take
from bots.pipeline.work import process_leased
from bots.wiring import open_config, open_context
from tests.conftest import SAMPLES, expected_samples, run_bot, write_bot_config


@pytest.mark.parametrize("reserved", ["con", "nul", "aux", "prn", "com1", "lpt9"])
def test_rules_check_refuses_windows_device_names_as_ids(tmp_path: Path, reserved):
    config = write_bot_config(tmp_path)
    rules = tmp_path / "rules.yaml"
    rules.write_text(f"rules:\n  - id: {reserved}\n    name: X\n    route_to: schneider\n",
                     encoding="utf-8")
    bad = run_bot("--config", str(config), "rules", "check", "--rules", str(rules), timeout=60)
    assert bad.returncode == 2
    assert f"{rules}:2: " in bad.stderr and "unter Windows ein Gerätename" in bad.stderr


def test_an_efile_folder_replaced_by_a_symlink_is_not_followed(tmp_path: Path):
    efile = tmp_path / "efile"
    config = write_bot_config(tmp_path, extra={"efile_root": str(efile)})
    ctx = open_context(open_config(config))
    sample = next(s for s in expected_samples() if s.get("kind") == "xrechnung-cii")
    outside = tmp_path / "outside"
    outside.mkdir()
    efile.mkdir(exist_ok=True)
    (efile / sample["caseworker"]).symlink_to(outside, target_is_directory=True)
    receipt = take(Incoming((SAMPLES / sample["file"]).read_bytes(), "test", sample["file"],
                            "k1"), ctx.ledger, ctx.store)
    outcome = process_leased(ctx, receipt.document_id)
    assert (outcome.outcome, outcome.reason) == ("pending", "efile_unavailable")
    assert list(outside.iterdir()) == []
    (efile / sample["caseworker"]).unlink()  # the operator puts the folder back
    ctx.ledger.release(receipt.document_id, ctx.owner, retry_at=None)
    assert process_leased(ctx, receipt.document_id).outcome == "filed"
    assert (efile / sample["caseworker"] / f"{receipt.document_id}.pdf").is_file()
