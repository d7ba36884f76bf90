"""SQLite storage: one aiosqlite connection (WAL, foreign keys) and per-component migrations.

Every component (kernel, workday, standup, each plugin) owns an ordered list of
migrations and its own schema version in the ``schema_versions`` table. Each step runs
in one transaction together with the version bump. A database whose version for a
component is newer than the code knows is refused with DatabaseTooNewError.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiosqlite

from homeoffice_bot.kernel.errors import DatabaseTooNewError, StorageError

log = logging.getLogger(__name__)

Row = aiosqlite.Row
MigrationStep = str | Callable[[aiosqlite.Connection], Awaitable[None]]
"""A migration step is an SQL script, or an async function that gets the connection
inside the step's transaction."""


class Database:
    """The bot's database. Use ``execute``/``fetch*`` for single statements and
    ``transaction()`` for several that belong together."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._conn: aiosqlite.Connection | None = None
        self._lock = asyncio.Lock()

    async def open(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = await aiosqlite.connect(self.path, isolation_level=None)
        conn.row_factory = aiosqlite.Row
        await conn.execute("PRAGMA journal_mode=WAL")
        # WAL with synchronous=NORMAL survives a killed process with every commit; an
        # OS crash may lose the latest commits, in order, which the inbox and the
        # outbox's transaction ids make good by handling and sending them again.
        await conn.execute("PRAGMA synchronous=NORMAL")
        await conn.execute("PRAGMA foreign_keys=ON")
        await conn.execute("PRAGMA busy_timeout=5000")
        await conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_versions ("
            " component TEXT PRIMARY KEY, version INTEGER NOT NULL)"
        )
        self._conn = conn

    async def close(self) -> None:
        if self._conn is not None:
            await self._conn.close()
            self._conn = None

    @property
    def conn(self) -> aiosqlite.Connection:
        if self._conn is None:
            raise StorageError("database is not open")
        return self._conn

    async def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Run one statement on its own (auto-commit); return the last row id."""
        async with self._lock:
            cursor = await self.conn.execute(sql, params)
            rowid = cursor.lastrowid or 0
            await cursor.close()
            return rowid

    async def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        async with self.transaction() as tx:
            await tx.executemany(sql, rows)

    async def fetchone(self, sql: str, params: Sequence[Any] = ()) -> Row | None:
        async with self._lock:
            cursor = await self.conn.execute(sql, params)
            row = await cursor.fetchone()
            await cursor.close()
            return row

    async def fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        async with self._lock:
            cursor = await self.conn.execute(sql, params)
            rows = await cursor.fetchall()
            await cursor.close()
            return list(rows)

    async def fetchval(self, sql: str, params: Sequence[Any] = ()) -> Any:
        row = await self.fetchone(sql, params)
        return None if row is None else row[0]

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """Everything inside commits together or not at all."""
        async with self._lock:
            conn = self.conn
            await conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                await conn.execute("ROLLBACK")
                raise
            else:
                await conn.execute("COMMIT")

    async def schema_version(self, component: str) -> int:
        value = await self.fetchval(
            "SELECT version FROM schema_versions WHERE component = ?", (component,)
        )
        return int(value or 0)

    async def migrate(self, component: str, steps: Sequence[MigrationStep]) -> int:
        """Bring ``component`` up to ``len(steps)``; return the new version."""
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
            log.info("migrating %s to schema version %d", component, version)
            async with self.transaction() as tx:
                if isinstance(step, str):
                    for statement in _split_sql(step):
                        await tx.execute(statement)
                else:
                    await step(tx)
                await _set_version(tx, component, version)
        return target

    async def backup(self, target: Path) -> None:
        """Online backup into ``target`` (consistent while the bot keeps running)."""
        target.parent.mkdir(parents=True, exist_ok=True)
        async with self._lock:
            dest = await aiosqlite.connect(target)
            try:
                await self.conn.backup(dest)
            finally:
                await dest.close()


async def _set_version(tx: aiosqlite.Connection, component: str, version: int) -> None:
    await tx.execute(
        "INSERT INTO schema_versions(component, version) VALUES (?, ?)"
        " ON CONFLICT(component) DO UPDATE SET version = excluded.version",
        (component, version),
    )


def _split_sql(script: str) -> list[str]:
    """Split a migration script into statements (no semicolons inside literals, please)."""
    return [part.strip() for part in script.split(";") if part.strip()]
