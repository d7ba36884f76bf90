"""Copy every component's rows from one database into another (``migrate-storage``, and
the SQLite backup of a PostgreSQL database).

The target gets the same schema by running each component's migrations, must hold no
rows yet, and ends with the same row count in every table (checked; a difference raises).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence

from homeoffice_bot.kernel.errors import StorageError
from homeoffice_bot.kernel.storage.database import Database, MigrationStep, Transaction

log = logging.getLogger(__name__)

BATCH = 500


async def _count(db: Database, table: str) -> int:
    return int(await db.fetchval(f"SELECT COUNT(*) FROM {table}") or 0)


async def copy_database(
    source: Database, target: Database, migrations: Mapping[str, Sequence[MigrationStep]]
) -> dict[str, int]:
    """Copy all rows; return the row count per table. Raises StorageError when a component
    of the source is unknown or at another schema version, when the target has rows, or
    when a count differs after the copy."""
    versions = {
        str(row[0]): int(row[1])
        for row in await source.fetchall("SELECT component, version FROM schema_versions")
    }
    for component, version in sorted(versions.items()):
        if component not in migrations:
            raise StorageError(
                f"the source has data of {component!r}, which is not installed or enabled here"
            )
        if version != len(migrations[component]):
            raise StorageError(
                f"the source has {component} schema version {version}, this homeoffice-bot "
                f"has {len(migrations[component])}: start the bot once on the source first"
            )
    for table in await target.tables():
        if table != "schema_versions" and await _count(target, table):
            raise StorageError(f"the target is not empty: {table} has rows")
    for component in sorted(versions):
        await target.migrate(component, migrations[component])
    counts: dict[str, int] = {}
    wanted = set(await target.tables()) - {"schema_versions"}
    tables = sorted(set(await source.tables()) - {"schema_versions"})
    for table in tables:
        if table not in wanted:
            raise StorageError(f"table {table} of the source is made by no known migration")
    order = await _parents_first(source, tables)
    columns = {table: await source.columns(table) for table in order}
    # one transaction over all reads: a consistent snapshot while the bot keeps running
    # (its writes wait until the copy is done)
    async with source.transaction() as reader:
        for table in order:
            counts[table] = await _copy_table(reader, target, table, columns[table])
    for table, expected in counts.items():
        found = await _count(target, table)
        if found != expected:
            raise StorageError(f"{table}: {expected} rows in the source, {found} in the target")
        await target.backend.after_copy(table)
    return counts


async def _parents_first(db: Database, tables: list[str]) -> list[str]:
    """The tables ordered so that a table comes after those its foreign keys reference."""
    parents = {table: await db.backend.references(table) for table in tables}
    ordered: list[str] = []
    while len(ordered) < len(tables):
        ready = [t for t in tables if t not in ordered and parents[t] <= {*ordered, t}] or [
            next(t for t in tables if t not in ordered)
        ]  # a cycle: copy as it comes
        ordered.extend(ready)
    return ordered


async def _copy_table(source: Transaction, target: Database, table: str, columns: list[str]) -> int:
    names = ", ".join(columns)
    marks = ", ".join("?" for _ in columns)
    rows = await source.fetchall(f"SELECT {names} FROM {table}")
    insert = f"INSERT INTO {table} ({names}) VALUES ({marks})"
    for start in range(0, len(rows), BATCH):
        await target.executemany(insert, [tuple(row) for row in rows[start : start + BATCH]])
    log.info("copied %d rows of %s", len(rows), table)
    return len(rows)
