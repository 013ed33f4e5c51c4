"""A real PostgreSQL cluster on 127.0.0.1 for the ledger tests and benchmarks.

Debian's `postgresql` package (scripts/setup.sh) provides initdb and pg_ctl; the cluster lives
in a throwaway folder on a free port, with a password for TCP logins (scram-sha-256) that the
bot reads from RBOT_LEDGER_PASSWORD, never from a URL. As root, the server runs as the
`postgres` system user (PostgreSQL refuses to run as root). `restart()` stops and starts it
on the same port with the same data, as an outage would.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import psycopg

from tests.imap_server import free_port

SUPERUSER, PASSWORD = "rbot", "geheim-im-pg-test"


def pg_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(
        Path(p).parts[4]))
    return Path(found[-1]).parent if found else None


class PostgresCluster:
    def __init__(self):
        self.bin = pg_bin()
        if self.bin is None:
            raise RuntimeError("PostgreSQL is not installed: run scripts/setup.sh")
        self.root = Path(tempfile.mkdtemp(prefix="rbot-pg-"))
        self.data, self.port = self.root / "data", free_port()
        self._as_user = ["runuser", "-u", "postgres", "--"] if os.getuid() == 0 else []
        if self._as_user:
            shutil.chown(self.root, "postgres", "postgres")
        self._databases = 0

    def _run(self, *args: str) -> None:
        subprocess.run([*self._as_user, *args], check=True, capture_output=True, cwd=self.root)

    def start(self) -> PostgresCluster:
        if not self.data.exists():
            pwfile = self.root / "pw"
            pwfile.write_text(PASSWORD)
            if self._as_user:
                shutil.chown(pwfile, "postgres")
            self._run(str(self.bin / "initdb"), "-D", str(self.data), "-U", SUPERUSER,
                      "--pwfile", str(pwfile), "--auth-local=trust",
                      "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8")
            pwfile.unlink()
        options = (f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1"
                   " -c fsync=off -c full_page_writes=off -c max_connections=200")
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-l",
                  str(self.root / "server.log"), "-o", options, "-w", "-t", "60", "start")
        return self

    def stop(self) -> None:
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")

    def restart(self) -> None:
        self.stop()
        self.start()

    def remove(self) -> None:
        try:
            self.stop()
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def url(self, database: str = "postgres") -> str:
        """The bot's URL: no password in it (RBOT_LEDGER_PASSWORD carries it)."""
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def admin(self) -> psycopg.Connection:
        return psycopg.connect(self.url(), password=PASSWORD, autocommit=True)

    def new_database(self) -> str:
        """A fresh empty database; its URL."""
        self._databases += 1
        name = f"ledger_{os.getpid()}_{self._databases}"
        with self.admin() as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def drop_database(self, url: str) -> None:
        with self.admin() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)')
