"""The storage interface every component uses, whichever database is behind it.

``Database(target)`` takes an SQLite file path (the embedded default) or a
``postgresql://`` URL. Components use ``execute``/``fetch*`` for single statements and
``transaction()`` for several that belong together; the transaction object offers the
same calls (and ``execute`` returns a cursor-like ``Result`` with ``rowcount`` and
``lastrowid``). SQL is written once, portable (see ``sql.py``); the dialects translate.

Every component (kernel, workday, standup, each plugin) owns an ordered list of
migrations and its own schema version in the ``schema_versions`` table. Each step runs
in one transaction together with the version bump. A database whose version for a
component is newer than the code knows is refused with DatabaseTooNewError.

Writes are serialised inside the process on both dialects (one writer, like SQLite's
``BEGIN IMMEDIATE``); only one process per account is active (see kernel/active.py).
A failing statement raises ``StatementError`` naming the dialect and the statement;
a refused constraint raises its subclass ``IntegrityError`` on both dialects.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Iterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from homeoffice_bot.kernel.errors import DatabaseTooNewError, StorageError
from homeoffice_bot.kernel.storage.sql import split_script

log = logging.getLogger(__name__)


class Row(Protocol):
    """A result row: by column name or position (sqlite3.Row, asyncpg.Record)."""

    def __getitem__(self, key: int | str, /) -> Any: ...
    def keys(self) -> Any: ...
    def __iter__(self) -> Iterator[Any]: ...
    def __len__(self) -> int: ...


class StatementError(StorageError):
    """A statement failed; the message names the dialect and the statement."""

    def __init__(self, dialect: str, sql: str, cause: BaseException) -> None:
        text = " ".join(sql.split())
        super().__init__(f"[{dialect}] {type(cause).__name__}: {cause} -- in: {text}")
        self.dialect = dialect
        self.sql = sql


class IntegrityError(StatementError):
    """A constraint refused the statement (unique key, foreign key, check, not null)."""


@dataclass
class Result:
    """What ``Transaction.execute`` returns (shaped like a DB-API cursor)."""

    rows: list[Row] = field(default_factory=list)
    rowcount: int = -1
    lastrowid: int | None = None

    async def fetchone(self) -> Row | None:
        return self.rows[0] if self.rows else None

    async def fetchall(self) -> list[Row]:
        return list(self.rows)

    async def close(self) -> None:
        return None


class Connection(Protocol):
    """One dialect's connection, inside or outside a transaction."""

    async def run(self, sql: str, params: Sequence[Any]) -> Result: ...
    async def run_many(self, sql: str, rows: Sequence[Sequence[Any]]) -> None: ...


class Transaction:
    """Statements that commit together; handed out by ``Database.transaction()``."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    async def execute(self, sql: str, params: Sequence[Any] = ()) -> Result:
        return await self._conn.run(sql, params)

    async def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        await self._conn.run_many(sql, list(rows))

    async def fetchone(self, sql: str, params: Sequence[Any] = ()) -> Row | None:
        rows = (await self._conn.run(sql, params)).rows
        return rows[0] if rows else None

    async def fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        return (await self._conn.run(sql, params)).rows

    async def fetchval(self, sql: str, params: Sequence[Any] = ()) -> Any:
        rows = (await self._conn.run(sql, params)).rows
        return rows[0][0] if rows else None


MigrationStep = str | Callable[[Transaction], Awaitable[None]]
"""A migration step is an SQL script, or an async function that gets the transaction
of the step (``await tx.execute(...)``)."""


class Backend(Protocol):
    dialect: str

    async def open(self) -> None: ...
    async def close(self) -> None: ...
    async def run(self, sql: str, params: Sequence[Any], *, write: bool) -> Result: ...
    def transaction(self) -> Any: ...  # an async context manager yielding a Connection
    async def tables(self) -> list[str]: ...
    async def size_bytes(self) -> int: ...
    async def columns(self, table: str) -> list[str]: ...
    async def references(self, table: str) -> set[str]: ...
    async def after_copy(self, table: str) -> None: ...


def is_postgres_url(target: str | Path) -> bool:
    return isinstance(target, str) and target.startswith(("postgresql://", "postgres://"))


def describe(target: str | Path) -> str:
    """The target without its password, for logs and error messages."""
    if not is_postgres_url(target):
        return str(target)
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(str(target))
    if parts.password is None:
        return str(target)
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urlunsplit(parts._replace(netloc=netloc))


class Database:
    """The bot's database: an SQLite file or a PostgreSQL database."""

    def __init__(self, target: str | Path, *, password: str | None = None) -> None:
        backend: Backend
        if is_postgres_url(target):
            from homeoffice_bot.kernel.storage.postgres import PostgresBackend

            backend = PostgresBackend(str(target), password=password)
        else:
            from homeoffice_bot.kernel.storage.sqlite import SqliteBackend

            backend = SqliteBackend(Path(target))
        self._setup(target, backend)

    def _setup(self, target: str | Path, backend: Backend) -> None:
        self.target = target
        self.migrations: dict[str, Sequence[MigrationStep]] = {}
        """The steps each component migrated with, for copies and backups."""
        self._backend = backend

    @classmethod
    def sqlite_file(cls, path: Path) -> Database:
        """An SQLite file, whatever ``storage.database`` says (backups, exports)."""
        from homeoffice_bot.kernel.storage.sqlite import SqliteBackend

        db = cls.__new__(cls)
        db._setup(path, SqliteBackend(path))
        return db

    @property
    def dialect(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return self._backend.dialect

    @property
    def path(self) -> Path:
        """The SQLite file (for an SQLite database only)."""
        if is_postgres_url(self.target):
            raise StorageError("a PostgreSQL database has no file path")
        return Path(self.target)

    @property
    def backend(self) -> Backend:
        return self._backend

    async def open(self) -> None:
        await self._backend.open()
        await self.execute(
            "CREATE TABLE IF NOT EXISTS schema_versions ("
            " component TEXT PRIMARY KEY, version INTEGER NOT NULL)"
        )

    async def close(self) -> None:
        await self._backend.close()

    async def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Run one statement on its own (auto-commit); return the new row's id for an
        INSERT into a table with an ``id`` key (0 otherwise)."""
        result = await self._backend.run(sql, params, write=True)
        return result.lastrowid or 0

    async def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        async with self.transaction() as tx:
            await tx.executemany(sql, rows)

    async def fetchone(self, sql: str, params: Sequence[Any] = ()) -> Row | None:
        rows = (await self._backend.run(sql, params, write=False)).rows
        return rows[0] if rows else None

    async def fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        return (await self._backend.run(sql, params, write=False)).rows

    async def fetchval(self, sql: str, params: Sequence[Any] = ()) -> Any:
        row = await self.fetchone(sql, params)
        return None if row is None else row[0]

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Transaction]:
        """Everything inside commits together or not at all."""
        async with self._backend.transaction() as conn:
            yield Transaction(conn)

    async def schema_version(self, component: str) -> int:
        value = await self.fetchval(
            "SELECT version FROM schema_versions WHERE component = ?", (component,)
        )
        return int(value or 0)

    async def migrate(self, component: str, steps: Sequence[MigrationStep]) -> int:
        """Bring ``component`` up to ``len(steps)``; return the new version."""
        self.migrations[component] = steps
        current = await self.schema_version(component)
        target = len(steps)
        if current > target:
            raise DatabaseTooNewError(
                f"the database has {component} schema version {current}, but this version "
                f"of homeoffice-bot only knows up to {target}. Update homeoffice-bot or "
                f"restore a backup."
            )
        for version in range(current + 1, target + 1):
            step = steps[version - 1]
            log.info("migrating %s to schema version %d (%s)", component, version, self.dialect)
            try:
                async with self.transaction() as tx:
                    if isinstance(step, str):
                        for statement in split_script(step):
                            await tx.execute(statement)
                    else:
                        await step(tx)
                    await _set_version(tx, component, version)
            except StorageError as exc:
                raise StorageError(f"{component} migration step {version} failed: {exc}") from exc
        if current < target:  # a step may have copied rows with their ids (a table rebuilt)
            for table in await self.tables():
                await self._backend.after_copy(table)
        return target

    async def size_bytes(self) -> int:
        """How big the database is on disk."""
        return await self._backend.size_bytes()

    async def tables(self) -> list[str]:
        """The tables in the database, sorted (``schema_versions`` included)."""
        return await self._backend.tables()

    async def columns(self, table: str) -> list[str]:
        return await self._backend.columns(table)

    async def backup(self, target: Path) -> None:
        """A consistent copy into the SQLite file ``target`` while the bot keeps running
        (for PostgreSQL: every component's tables copied into a new SQLite file)."""
        from homeoffice_bot.kernel.storage.sqlite import SqliteBackend

        if isinstance(self._backend, SqliteBackend):
            await self._backend.backup(target)
            return
        from homeoffice_bot.kernel.storage.copy import copy_database

        target.parent.mkdir(parents=True, exist_ok=True)
        copy = Database.sqlite_file(target)
        await copy.open()
        try:
            await copy_database(self, copy, self.migrations)
        finally:
            await copy.close()


async def _set_version(tx: Transaction, component: str, version: int) -> None:
    await tx.execute(
        "INSERT INTO schema_versions(component, version) VALUES (?, ?)"
        " ON CONFLICT(component) DO UPDATE SET version = excluded.version",
        (component, version),
    )
