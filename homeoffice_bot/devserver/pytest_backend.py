"""The database backend of the whole test run: a pytest plugin (pyproject.toml loads it
with ``-p``, for tests/ and the plugins' tests alike).

``HOMEOFFICE_TEST_DATABASE=postgresql`` runs every test against PostgreSQL: a server from
the machine's packages is started for the session (homeoffice_bot/devserver/postgres.py),
every bot made by the dev fixtures gets a database there, and a test that opens an SQLite
file with ``Database(path)`` gets a PostgreSQL database named after that path instead.
Unset (or ``sqlite``), everything runs on SQLite files as in production's default.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from homeoffice_bot.devserver.postgres import (
    SERVER_ENV,
    PostgresServer,
    database_name_for,
    harness_database,
    postgres_selected,
)
from homeoffice_bot.kernel.storage import database as storage


def pytest_report_header() -> str:
    return f"database backend: {'postgresql' if postgres_selected() else 'sqlite'}"


_servers: list[PostgresServer] = []


def _server() -> PostgresServer:
    if not _servers:
        server = PostgresServer()
        server.start()
        _servers.append(server)
    return _servers[0]


@pytest.fixture(scope="session", autouse=True)
def _postgres_server() -> Iterator[None]:
    """With PostgreSQL selected, its server runs for the whole session."""
    if postgres_selected():
        os.environ[SERVER_ENV] = _server().url
    try:
        yield
    finally:
        os.environ.pop(SERVER_ENV, None)
        for server in _servers:
            server.stop()


@pytest.fixture
def postgres_database(tmp_path: Path) -> str:
    """A fresh PostgreSQL database's URL, whichever backend the run selected (tests of
    copies between the two dialects); the server starts on first use."""
    return _server().create_database(database_name_for(str(tmp_path / "postgres")))


@pytest.fixture(autouse=True)
def _database_backend(monkeypatch: pytest.MonkeyPatch) -> None:
    if not postgres_selected():
        return
    original = storage.Database.__init__

    def redirected(self: storage.Database, target: str | Path, **kwargs: Any) -> None:
        if not storage.is_postgres_url(target):
            target = harness_database(Path(target))
        original(self, target, **kwargs)

    monkeypatch.setattr(storage.Database, "__init__", redirected)
