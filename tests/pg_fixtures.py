"""pytest fixtures for a real PostgreSQL (see pg_server.py): one cluster per test session,
a fresh database per test. Test modules load them with `pytest_plugins = ["tests.pg_fixtures"]`.

`ledger_location` runs a test once on SQLite and once on PostgreSQL: the one set of ledger
tests for both backends."""

from __future__ import annotations

import os

import pytest

from bots.storage.database import PASSWORD_ENV
from bots.storage.db_postgres import close_pools
from tests.pg_server import PASSWORD, PostgresCluster, pg_bin


@pytest.fixture(scope="session")
def pg_cluster():
    if pg_bin() is None:
        pytest.fail("PostgreSQL (initdb, pg_ctl) is needed: run scripts/setup.sh")
    cluster = PostgresCluster().start()
    previous = os.environ.get(PASSWORD_ENV)
    os.environ[PASSWORD_ENV] = PASSWORD  # as an operator sets it for the bot's service
    try:
        yield cluster
    finally:
        close_pools()
        if previous is None:
            os.environ.pop(PASSWORD_ENV, None)
        else:
            os.environ[PASSWORD_ENV] = previous
        cluster.remove()


@pytest.fixture
def pg_url(pg_cluster):
    url = pg_cluster.new_database()
    try:
        yield url
    finally:
        close_pools()
        pg_cluster.drop_database(url)


@pytest.fixture(params=["sqlite", "postgresql"])
def ledger_location(request, tmp_path):
    if request.param == "sqlite":
        return tmp_path / "l.sqlite3"
    return request.getfixturevalue("pg_url")
