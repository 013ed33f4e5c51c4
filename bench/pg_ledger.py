"""A throwaway PostgreSQL ledger for a benchmark run: `--ledger postgresql` starts a cluster
of its own (tests/pg_server.py, Debian's postgresql package), `--ledger postgresql://…`
creates a new database on that server (the role needs CREATEDB; the password comes from
RBOT_LEDGER_PASSWORD) and drops it afterwards; `sqlite` (default) needs nothing."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from urllib.parse import urlsplit

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


def server_cpu_seconds(url: str | None) -> float | None:
    """CPU seconds the PostgreSQL server of `url` has used so far (the postmaster, its live
    processes and those it reaped), when it runs on this machine; None otherwise."""
    if url is None or urlsplit(url).hostname not in ("127.0.0.1", "localhost", "::1"):
        return None
    try:
        with psycopg.connect(url, **connect_kwargs()) as conn:  # the backend lives while open
            backend = conn.execute("SELECT pg_backend_pid()").fetchone()[0]
            postmaster = _parent(backend)
        ticks = _ticks(postmaster)
        for status in Path("/proc").glob("[0-9]*/stat"):
            with suppress(OSError, ValueError):
                if _parent(int(status.parent.name)) == postmaster:
                    ticks += _ticks(int(status.parent.name))
    except OSError:
        return None  # the port is another machine's (a tunnel), or not ours to read
    return ticks / os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> list[str]:
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def _parent(pid: int) -> int:
    return int(_stat(pid)[1])  # field 4: ppid


def _ticks(pid: int) -> int:
    """Its own CPU time and that of its children it reaped (fields 14-17)."""
    return sum(int(value) for value in _stat(pid)[11:15])
