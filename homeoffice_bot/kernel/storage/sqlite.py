"""The SQLite dialect: one aiosqlite connection (WAL, foreign keys), one statement at a time."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiosqlite

from homeoffice_bot.kernel.errors import StorageError
from homeoffice_bot.kernel.storage.database import IntegrityError, Result, StatementError


class _SqliteConnection:
    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._conn = conn

    async def run(self, sql: str, params: Sequence[Any]) -> Result:
        try:
            cursor = await self._conn.execute(sql, params)
            rows = await cursor.fetchall()
        except sqlite3.IntegrityError as exc:
            raise IntegrityError("sqlite", sql, exc) from exc
        except sqlite3.Error as exc:
            raise StatementError("sqlite", sql, exc) from exc
        result = Result(list(rows), cursor.rowcount, cursor.lastrowid)
        await cursor.close()
        return result

    async def run_many(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        try:
            await self._conn.executemany(sql, rows)
        except sqlite3.IntegrityError as exc:
            raise IntegrityError("sqlite", sql, exc) from exc
        except sqlite3.Error as exc:
            raise StatementError("sqlite", sql, exc) from exc


class SqliteBackend:
    dialect = "sqlite"

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

    async def run(self, sql: str, params: Sequence[Any], *, write: bool) -> Result:
        async with self._lock:
            return await _SqliteConnection(self.conn).run(sql, params)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[_SqliteConnection]:
        async with self._lock:
            conn = self.conn
            await conn.execute("BEGIN IMMEDIATE")
            try:
                yield _SqliteConnection(conn)
            except BaseException:
                await conn.execute("ROLLBACK")
                raise
            else:
                await conn.execute("COMMIT")

    async def size_bytes(self) -> int:
        pages = (await self.run("PRAGMA page_count", (), write=False)).rows
        size = (await self.run("PRAGMA page_size", (), write=False)).rows
        return int(pages[0][0]) * int(size[0][0]) if pages and size else 0

    async def tables(self) -> list[str]:
        rows = await self.run(
            "SELECT name FROM sqlite_master WHERE type = 'table'"
            " AND name NOT LIKE 'sqlite_%' ORDER BY name",
            (),
            write=False,
        )
        return [str(row[0]) for row in rows.rows]

    async def columns(self, table: str) -> list[str]:
        rows = await self.run(f"PRAGMA table_info({table})", (), write=False)
        return [str(row[1]) for row in rows.rows]

    async def references(self, table: str) -> set[str]:
        rows = await self.run(f"PRAGMA foreign_key_list({table})", (), write=False)
        return {str(row[2]) for row in rows.rows}

    async def after_copy(self, table: str) -> None:
        return None

    async def backup(self, target: Path) -> None:
        """Online backup into ``target`` (consistent while the bot keeps running)."""
        target.parent.mkdir(parents=True, exist_ok=True)
        async with self._lock:
            dest = await aiosqlite.connect(target)
            try:
                await self.conn.backup(dest)
            finally:
                await dest.close()
