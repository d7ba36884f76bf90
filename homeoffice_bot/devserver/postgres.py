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
import time
from pathlib import Path
from types import TracebackType
from typing import Any

from homeoffice_bot.devserver.synapse import free_port

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


class PostgresServer:
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
        self.log_path = self.workdir / "postgres.log"
        self._proc: subprocess.Popen[bytes] | None = None
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

    def _run(self, *args: str) -> None:
        done = subprocess.run(
            args, capture_output=True, text=True, check=False, cwd=self.workdir,
            user=self._owner, group=self._gid, extra_groups=[] if self._owner else None,
        )  # fmt: skip
        if done.returncode != 0:
            raise PostgresError(f"{Path(args[0]).name} failed: {done.stderr or done.stdout}")

    def start(self, timeout: float = 30) -> None:
        self._run(
            str(self.bin / "initdb"), "-D", str(self.data), "-U", self.user,
            "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync",
        )  # fmt: skip
        with self.log_path.open("ab") as log:
            if self._owner is not None:
                os.chown(self.log_path, self._owner, -1)
            self._proc = self._spawn(log)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                raise PostgresError(f"postgres exited:\n{self.log_path.read_text()[-2000:]}")
            ready = subprocess.run(
                [str(self.bin / "pg_isready"), "-h", "127.0.0.1", "-p", str(self.port)],
                capture_output=True,
                check=False,
            )
            if ready.returncode == 0:
                return
            time.sleep(0.1)
        self.stop()
        raise PostgresError(f"postgres did not start in {timeout} s")

    def _spawn(self, log: Any) -> subprocess.Popen[bytes]:
        return subprocess.Popen(
            [
                str(self.bin / "postgres"), "-D", str(self.data),
                "-h", "127.0.0.1", "-p", str(self.port), "-k", str(self.data),
                "-c", "fsync=off", "-c", "synchronous_commit=off",
                "-c", "full_page_writes=off", "-c", "max_connections=300",
            ],
            stdout=log, stderr=log, stdin=subprocess.DEVNULL, cwd=self.workdir,
            user=self._owner, group=self._gid, extra_groups=[] if self._owner else None,
        )  # fmt: skip

    def create_database(self, name: str) -> str:
        """Create ``name`` unless it exists; return its URL."""
        return create_database(self.url, name)

    def stop(self) -> None:
        if self._proc is not None and self._proc.poll() is None:
            self._proc.send_signal(signal.SIGINT)  # "fast" shutdown: clients are cut off
            try:
                self._proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()
        self._proc = None
        shutil.rmtree(self.workdir, ignore_errors=True)

    def __enter__(self) -> PostgresServer:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


_made: set[str] = set()


def create_database(server_url: str, name: str) -> str:
    """Create the database ``name`` on the server unless it exists (psql, no event loop
    needed); return its URL."""
    if f"{server_url}/{name}" in _made:
        return f"{server_url}/{name}"
    binaries = find_binaries()
    psql = str(binaries / "psql") if binaries else "psql"
    url = f"{server_url}/postgres"
    exists = subprocess.run(
        [psql, url, "-tAc", f"SELECT 1 FROM pg_database WHERE datname = '{name}'"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if exists.stdout.strip() != "1":
        made = subprocess.run(
            [psql, url, "-c", f'CREATE DATABASE "{name}"'],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        if made.returncode != 0 and "already exists" not in made.stderr:
            raise PostgresError(f"CREATE DATABASE {name} failed: {made.stderr}")
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
    binaries = find_binaries()
    psql = str(binaries / "psql") if binaries else "psql"
    made = subprocess.run(
        [psql, base, "-qc", f'CREATE SCHEMA IF NOT EXISTS "{name}"'],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if made.returncode != 0 and "already exists" not in made.stderr:
        raise PostgresError(f"CREATE SCHEMA {name} failed: {made.stderr}")
    return f"{base}?search_path={name}"
