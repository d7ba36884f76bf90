"""A real PostgreSQL server in a subprocess, for tests and benchmarks on the PostgreSQL dialect.

    with PostgresServer() as server:
        url = server.create_database("bench")

It uses the machine's PostgreSQL binaries (Debian's ``postgresql`` package puts them in
/usr/lib/postgresql/NN/bin) and runs in a temporary folder on a free loopback port with
``trust`` authentication, durability switched off for speed. initdb and postgres refuse
to run as root: as root the server runs as the ``postgres`` user the package created.
"""

from __future__ import annotations

import glob
import hashlib
import os
import pwd
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from homeoffice_bot.devserver.process import ServerProcess, free_port

__all__ = ["PostgresError", "PostgresServer", "database_name_for", "find_binaries"]

BACKEND_ENV = "HOMEOFFICE_TEST_DATABASE"
"""``postgresql`` runs the tests against PostgreSQL; unset or ``sqlite``: SQLite."""
SERVER_ENV = "HOMEOFFICE_TEST_POSTGRES_URL"
"""Set by the test harness: the running server's base URL (``postgresql://user@host:port``)."""


class PostgresError(RuntimeError):
    """PostgreSQL is not installed, or could not be started."""


def find_binaries() -> Path | None:
    """The folder with initdb and postgres (PATH first, then the newest Debian version)."""
    found = shutil.which("initdb")
    if found:
        return Path(found).resolve().parent
    candidates = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda p: int(Path(p).parent.parent.name) if Path(p).parent.parent.name.isdigit()
        else 0,
    )  # fmt: skip
    return Path(candidates[-1]).parent if candidates else None


def database_name_for(key: str) -> str:
    """A database name derived from ``key`` (a data folder or file): same key, same database."""
    return "ho_" + hashlib.sha1(key.encode(), usedforsecurity=False).hexdigest()[:24]


class PostgresServer(ServerProcess):
    """One PostgreSQL server with its data and log in a temporary folder, removed on stop()."""

    name = "postgres"
    error = PostgresError
    stop_signal = signal.SIGINT  # "fast" shutdown: clients are cut off
    poll_interval = 0.1

    def __init__(self) -> None:
        binaries = find_binaries()
        if binaries is None:
            raise PostgresError(
                "PostgreSQL is not installed: apt-get install postgresql (initdb not found)"
            )
        self.bin = binaries
        self.port = free_port()
        self.user = "postgres"
        self.workdir = Path(tempfile.mkdtemp(prefix="homeoffice-pg-"))
        self.data = self.workdir / "data"
        super().__init__(self.workdir / "postgres.log")
        self._owner: int | None = None
        self._gid: int | None = None
        if os.geteuid() == 0:  # initdb and postgres refuse root
            entry = pwd.getpwnam("postgres")
            self._owner, self._gid = entry.pw_uid, entry.pw_gid
            os.chown(self.workdir, entry.pw_uid, entry.pw_gid)
        else:
            self.user = pwd.getpwuid(os.geteuid()).pw_name

    @property
    def url(self) -> str:
        return f"postgresql://{self.user}@127.0.0.1:{self.port}"

    def _as_owner(self) -> dict[str, Any]:
        """Popen arguments that run a program as the owner of the data folder."""
        return {
            "user": self._owner,
            "group": self._gid,
            "extra_groups": [] if self._owner else None,
        }

    def _run(self, *args: str) -> None:
        done = subprocess.run(
            args, capture_output=True, text=True, check=False, cwd=self.workdir, **self._as_owner()
        )  # fmt: skip
        if done.returncode != 0:
            raise PostgresError(f"{Path(args[0]).name} failed: {done.stderr or done.stdout}")

    def start(self, timeout: float = 30) -> None:
        self._run(
            str(self.bin / "initdb"), "-D", str(self.data), "-U", self.user,
            "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync",
        )  # fmt: skip
        self.log_path.touch()
        if self._owner is not None:
            os.chown(self.log_path, self._owner, -1)
        self._spawn(
            [
                str(self.bin / "postgres"), "-D", str(self.data),
                "-h", "127.0.0.1", "-p", str(self.port), "-k", str(self.data),
                "-c", "fsync=off", "-c", "synchronous_commit=off",
                "-c", "full_page_writes=off", "-c", "max_connections=300",
            ],
            cwd=self.workdir, **self._as_owner(),
        )  # fmt: skip
        self._wait_until_ready(timeout)

    def _answers(self) -> bool:
        ready = subprocess.run(
            [str(self.bin / "pg_isready"), "-h", "127.0.0.1", "-p", str(self.port)],
            capture_output=True,
            check=False,
        )
        return ready.returncode == 0

    def create_database(self, name: str) -> str:
        """Create ``name`` unless it exists; return its URL."""
        return create_database(self.url, name)

    def stop(self) -> None:
        self._stop_process(timeout=20)
        shutil.rmtree(self.workdir, ignore_errors=True)


_made: set[str] = set()


def _psql(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    """psql (the server's own, else the one on PATH) on the database ``url``."""
    binaries = find_binaries()
    psql = str(binaries / "psql") if binaries else "psql"
    return subprocess.run([psql, url, *args], capture_output=True, text=True, check=False)


def _create(url: str, statement: str) -> None:
    """Run ``CREATE ...`` on ``url``; that the object exists already is no error."""
    made = _psql(url, "-qc", statement)
    if made.returncode != 0 and "already exists" not in made.stderr:
        raise PostgresError(f"{statement} failed: {made.stderr}")


def create_database(server_url: str, name: str) -> str:
    """Create the database ``name`` on the server unless it exists (psql, no event loop
    needed); return its URL."""
    if f"{server_url}/{name}" in _made:
        return f"{server_url}/{name}"
    url = f"{server_url}/postgres"
    exists = _psql(url, "-tAc", f"SELECT 1 FROM pg_database WHERE datname = '{name}'")
    if exists.stdout.strip() != "1":
        _create(url, f'CREATE DATABASE "{name}"')
    _made.add(f"{server_url}/{name}")
    return f"{server_url}/{name}"


def postgres_selected() -> bool:
    """True when the tests run against PostgreSQL (``HOMEOFFICE_TEST_DATABASE=postgresql``)."""
    return os.environ.get(BACKEND_ENV, "sqlite").lower() in ("postgresql", "postgres", "pg")


def harness_database(sqlite_path: Path, key: Path | None = None) -> str | Path:
    """Where a test's bot keeps its data: ``sqlite_path``, or with PostgreSQL selected a
    schema of its own (quicker to make than a database) in the harness's test database,
    named after ``key`` (default: the path), so that a restarted bot, or a second process
    on the same folder, finds the same data."""
    server = os.environ.get(SERVER_ENV)
    if not postgres_selected() or not server:
        return sqlite_path
    return create_schema(server, database_name_for(str((key or sqlite_path).resolve())))


def create_schema(server_url: str, name: str) -> str:
    """Create the schema ``name`` in the database ``homeoffice_tests``; return a URL that
    works in it (``search_path``)."""
    base = create_database(server_url, "homeoffice_tests")
    _create(base, f'CREATE SCHEMA IF NOT EXISTS "{name}"')
    return f"{base}?search_path={name}"
