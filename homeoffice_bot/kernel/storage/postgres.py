"""The PostgreSQL dialect: an asyncpg pool; the portable SQL translated by ``sql.to_postgres``.

Reads run on the pool in parallel; writes (single statements and transactions) are
serialised in the process like SQLite's, so both dialects behave alike for features.
Values are matched to the parameter types PostgreSQL infers (an ``int`` bound to a
TEXT column is sent as text, a ``bool`` as 0/1), as SQLite's loose typing allows.
``lastrowid`` of an INSERT into a table with an ``id`` column comes from ``RETURNING id``.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any

import asyncpg

from homeoffice_bot.kernel.errors import StorageError
from homeoffice_bot.kernel.storage.database import IntegrityError, Result, StatementError
from homeoffice_bot.kernel.storage.sql import (
    UnportableSQLError,
    has_returning,
    insert_table,
    replace_target,
    returns_rows,
    to_postgres,
)

POOL_SIZE = 8
CLOSE_SECONDS = 5.0
"""How long closing waits for connections still in use before it closes them anyway."""
log = logging.getLogger(__name__)
_TEXT = {"text", "varchar", "bpchar", "name"}
_INTEGER = {"int2", "int4", "int8"}


class _Catalogue:
    """What the backend learns once per statement text and table."""

    def __init__(self) -> None:
        self.statements: dict[str, tuple[str | None, bool, bool]] = {}
        self.param_types: dict[str, list[str]] = {}
        self.id_tables: dict[str, bool] = {}


class _PgConnection:
    def __init__(self, conn: Any, catalogue: _Catalogue) -> None:
        self._conn = conn
        self._cat = catalogue

    async def _prepare(self, sql: str) -> tuple[str | None, bool, bool]:
        known = self._cat.statements.get(sql)
        if known is not None:
            return known
        try:
            table = replace_target(sql)
            keys = await self._primary_key(table) if table else []
            translated = to_postgres(sql, keys).sql
        except UnportableSQLError as exc:
            raise StatementError("postgresql", sql, exc) from exc
        wants_id = False
        if translated is not None and not has_returning(translated):
            table = insert_table(translated)
            if table is not None and await self._has_id(table):
                translated += " RETURNING id"
                wants_id = True
        entry = (translated, wants_id, translated is not None and returns_rows(translated))
        self._cat.statements[sql] = entry
        return entry

    async def _primary_key(self, table: str) -> list[str]:
        rows = await self._conn.fetch(
            "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid"
            " AND a.attnum = ANY(i.indkey) WHERE i.indrelid = $1::regclass AND i.indisprimary",
            table,
        )
        return [str(row[0]) for row in rows]

    async def _has_id(self, table: str) -> bool:
        known = self._cat.id_tables.get(table)
        if known is None:
            known = bool(
                await self._conn.fetchval(
                    "SELECT 1 FROM information_schema.columns WHERE table_schema ="
                    " current_schema() AND table_name = $1 AND column_name = 'id'",
                    table,
                )
            )
            self._cat.id_tables[table] = known
        return known

    async def _coerce(self, sql: str, params: Sequence[Any]) -> list[Any]:
        if not params:
            return []
        types = self._cat.param_types.get(sql)
        if types is None:
            statement = await self._conn.prepare(sql)
            types = [t.name for t in statement.get_parameters()]
            self._cat.param_types[sql] = types
        values: list[Any] = []
        for value, type_name in zip(params, types, strict=False):
            if value is None:
                values.append(None)
            elif type_name in _TEXT and not isinstance(value, str):
                values.append(str(int(value)) if isinstance(value, bool) else str(value))
            elif type_name in _INTEGER and isinstance(value, bool | str):
                values.append(int(value))
            elif type_name in ("float4", "float8", "numeric") and isinstance(value, int):
                values.append(float(value))
            else:
                values.append(value)
        return values

    async def run(self, sql: str, params: Sequence[Any]) -> Result:
        translated: str | None = sql
        try:
            translated, wants_id, rows_back = await self._prepare(sql)
            if translated is None:
                return Result()
            args = await self._coerce(translated, params)
            if rows_back:
                rows = await self._conn.fetch(translated, *args)
                if wants_id:
                    last = int(rows[-1][0]) if rows else None
                    return Result([], len(rows), last)
                return Result(list(rows), len(rows))
            status = await self._conn.execute(translated, *args)
        except asyncpg.IntegrityConstraintViolationError as exc:
            raise IntegrityError("postgresql", translated or sql, exc) from exc
        except (asyncpg.PostgresError, asyncpg.InterfaceError, ValueError, TypeError) as exc:
            raise StatementError("postgresql", translated or sql, exc) from exc
        count = status.rsplit(" ", 1)[-1]
        return Result([], int(count) if count.isdigit() else -1)

    async def run_many(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        translated: str | None = sql
        try:
            translated, _, _ = await self._prepare(sql)
            if translated is None or not rows:
                return
            translated = translated.removesuffix(" RETURNING id")  # no ids wanted here
            args = [await self._coerce(translated, row) for row in rows]
            await self._conn.executemany(translated, args)
        except asyncpg.IntegrityConstraintViolationError as exc:
            raise IntegrityError("postgresql", translated or sql, exc) from exc
        except (asyncpg.PostgresError, asyncpg.InterfaceError, ValueError, TypeError) as exc:
            raise StatementError("postgresql", translated or sql, exc) from exc


class PostgresBackend:
    dialect = "postgresql"

    def __init__(self, url: str, *, password: str | None = None) -> None:
        self.url = url
        self.password = password
        self._pool: Any = None
        self._write = asyncio.Lock()
        self._cat = _Catalogue()

    async def open(self) -> None:
        try:
            self._pool = await asyncpg.create_pool(
                self.url, password=self.password, min_size=1, max_size=POOL_SIZE
            )
        except (OSError, asyncpg.PostgresError) as exc:
            raise StorageError(f"cannot connect to PostgreSQL: {exc}") from exc

    async def connect(self) -> Any:
        """A connection of its own, outside the pool (the active lock holds one)."""
        return await asyncpg.connect(self.url, password=self.password)

    async def close(self) -> None:
        """Close the pool. asyncpg waits for every connection to be released first; one
        held by work that never finishes would make that wait endless, so after
        ``CLOSE_SECONDS`` the rest are closed anyway."""
        if self._pool is not None:
            pool, self._pool = self._pool, None
            try:
                await asyncio.wait_for(pool.close(), CLOSE_SECONDS)
            except TimeoutError:
                log.warning("connections still in use after %s s: closing them", CLOSE_SECONDS)
                pool.terminate()

    @property
    def pool(self) -> Any:
        if self._pool is None:
            raise StorageError("database is not open")
        return self._pool

    async def run(self, sql: str, params: Sequence[Any], *, write: bool) -> Result:
        if write:
            async with self._write, self.pool.acquire() as conn:
                return await _PgConnection(conn, self._cat).run(sql, params)
        async with self.pool.acquire() as conn:
            return await _PgConnection(conn, self._cat).run(sql, params)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[_PgConnection]:
        async with self._write, self.pool.acquire() as conn, conn.transaction():
            yield _PgConnection(conn, self._cat)

    async def size_bytes(self) -> int:
        return int(await self.pool.fetchval("SELECT pg_database_size(current_database())"))

    async def tables(self) -> list[str]:
        rows = await self.pool.fetch(
            "SELECT table_name FROM information_schema.tables WHERE table_schema ="
            " current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name"
        )
        return [str(row[0]) for row in rows]

    async def columns(self, table: str) -> list[str]:
        rows = await self.pool.fetch(
            "SELECT column_name FROM information_schema.columns WHERE table_schema ="
            " current_schema() AND table_name = $1 ORDER BY ordinal_position",
            table,
        )
        return [str(row[0]) for row in rows]

    async def references(self, table: str) -> set[str]:
        rows = await self.pool.fetch(
            "SELECT DISTINCT confrelid::regclass::text FROM pg_constraint"
            " WHERE contype = 'f' AND conrelid = $1::regclass",
            table,
        )
        return {str(row[0]) for row in rows}

    async def after_copy(self, table: str) -> None:
        """Move an identity column's sequence past the copied ids."""
        if "id" not in await self.columns(table):
            return
        async with self.pool.acquire() as conn:
            sequence = await conn.fetchval("SELECT pg_get_serial_sequence($1, 'id')", table)
            if sequence is not None:
                await conn.execute(
                    f"SELECT setval($1, COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)",
                    sequence,
                )
