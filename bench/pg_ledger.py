"""A throwaway PostgreSQL ledger for a benchmark run: `--ledger postgresql` starts a cluster
of its own (tests/pg_server.py, Debian's postgresql package), `--ledger postgresql://…`
creates a new database on that server (the role needs CREATEDB; the password comes from
RBOT_LEDGER_PASSWORD) and drops it afterwards; `sqlite` (default) needs nothing."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager, suppress

import psycopg

from bots.storage.db_postgres import close_pools, connect_kwargs


@contextmanager
def server(spec: str) -> Iterator[str | None]:
    """The server URL for `spec` (None for SQLite), running for the duration."""
    if spec == "sqlite":
        yield None
    elif spec == "postgresql":
        from tests.pg_server import PASSWORD, PostgresCluster
        os.environ["RBOT_LEDGER_PASSWORD"] = PASSWORD
        cluster = PostgresCluster().start()
        try:
            yield cluster.url()
        finally:
            close_pools()
            cluster.remove()
    else:
        yield spec


@contextmanager
def fresh_database(server_url: str | None, name: str) -> Iterator[str | None]:
    """A new empty database on the server (its URL), dropped afterwards."""
    if server_url is None:
        yield None
        return
    with psycopg.connect(server_url, autocommit=True, **connect_kwargs()) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{server_url.rsplit('/', 1)[0]}/{name}"
    finally:
        close_pools()  # before the next fork, and so the database can go
        with psycopg.connect(server_url, autocommit=True, **connect_kwargs()) as admin, \
                suppress(psycopg.Error):
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
