"""Short versions of the chaos runs (bench/chaos.py runs the long ones): the bot killed with
SIGKILL at random moments, and two bots on one folder — every document filed exactly once or
an exception, ledger and folders agree, no temporary files left."""

from bench.chaos import run
from bench.mixed_documents import mixed_documents

pytest_plugins = ["tests.pg_fixtures"]


def _assert_clean(result: dict) -> None:
    assert result["problems"] == []
    assert result["temporary_files"] == []
    assert result["left_in_inbox"] == []
    assert result["exit_codes"] == [0] * result["watchers"]


def test_sigkill_at_random_moments_loses_nothing_and_files_nothing_twice(tmp_path):
    documents = mixed_documents(30, seed=3, scans=1)
    result = run(tmp_path, documents, kills=4, seed=3)
    _assert_clean(result)
    assert result["filed"] > 20 and result["exceptions"] >= 2


def test_two_watch_processes_on_one_folder_never_file_twice(tmp_path):
    documents = mixed_documents(40, seed=5, scans=0)
    result = run(tmp_path, documents, kills=0, seed=5, watchers=2)
    _assert_clean(result)
    assert result["filed"] + result["exceptions"] == result["distinct"]


def test_three_hosts_on_postgresql_through_kills_and_a_server_restart(tmp_path, pg_cluster):
    documents = mixed_documents(36, seed=7, scans=1)
    result = run(tmp_path, documents, kills=4, seed=7, watchers=3, postgres=pg_cluster)
    _assert_clean(result)
    assert result["ledger"] == "postgresql"
    assert result["filed"] > 20 and result["exceptions"] >= 2


def test_killed_at_random_moments_the_dms_receives_each_document_once(tmp_path):
    documents = mixed_documents(30, seed=11, scans=0)
    result = run(tmp_path, documents, kills=5, seed=11, target="dms_hotfolder")
    _assert_clean(result)
    assert result["filed"] > 20
