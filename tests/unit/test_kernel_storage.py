from __future__ import annotations

from pathlib import Path

import aiosqlite
import pytest

from homeoffice_bot.kernel.errors import DatabaseTooNewError
from homeoffice_bot.kernel.storage import Database

STEPS = [
    "CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL)",
    "ALTER TABLE notes ADD COLUMN author TEXT; CREATE INDEX notes_author ON notes(author)",
]


@pytest.fixture
async def db(tmp_path: Path) -> Database:
    database = Database(tmp_path / "test.sqlite3")
    await database.open()
    yield database  # type: ignore[misc]
    await database.close()


async def test_migrations_run_in_order_and_record_the_version(db: Database) -> None:
    assert await db.migrate("notes", STEPS) == 2
    assert await db.schema_version("notes") == 2
    await db.execute("INSERT INTO notes(text, author) VALUES (?, ?)", ("hallo", "@a:x"))
    assert await db.fetchval("SELECT author FROM notes") == "@a:x"
    assert await db.migrate("notes", STEPS) == 2  # idempotent
    assert await db.schema_version("other") == 0


async def test_each_component_has_its_own_version(db: Database) -> None:
    await db.migrate("notes", STEPS[:1])
    await db.migrate("other", ["CREATE TABLE other (x INTEGER)"])
    assert await db.schema_version("notes") == 1
    assert await db.schema_version("other") == 1
    await db.migrate("notes", STEPS)
    assert await db.schema_version("notes") == 2


async def test_a_database_newer_than_the_code_is_refused(db: Database) -> None:
    await db.migrate("notes", STEPS)
    with pytest.raises(DatabaseTooNewError, match="schema version 2"):
        await db.migrate("notes", STEPS[:1])


async def test_a_failing_step_leaves_the_previous_version_intact(db: Database) -> None:
    await db.migrate("notes", STEPS[:1])
    await db.execute("INSERT INTO notes(text) VALUES ('bleibt')")
    broken = [STEPS[0], "ALTER TABLE notes ADD COLUMN x TEXT; THIS IS NOT SQL"]
    with pytest.raises(aiosqlite.OperationalError):
        await db.migrate("notes", broken)
    assert await db.schema_version("notes") == 1
    columns = [row[1] for row in await db.fetchall("PRAGMA table_info(notes)")]
    assert columns == ["id", "text"]
    assert await db.fetchval("SELECT text FROM notes") == "bleibt"


async def test_callable_steps_run_inside_the_transaction(db: Database) -> None:
    async def seed(conn: aiosqlite.Connection) -> None:
        await conn.execute("CREATE TABLE seeded (v TEXT)")
        await conn.execute("INSERT INTO seeded VALUES ('x')")

    await db.migrate("seed", [seed])
    assert await db.fetchval("SELECT v FROM seeded") == "x"


async def test_transaction_rolls_back_on_error(db: Database) -> None:
    await db.migrate("notes", STEPS)

    async def insert_then_fail() -> None:
        async with db.transaction() as tx:
            await tx.execute("INSERT INTO notes(text) VALUES ('weg')")
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        await insert_then_fail()
    assert await db.fetchval("SELECT COUNT(*) FROM notes") == 0


async def test_online_backup_is_a_readable_copy(db: Database, tmp_path: Path) -> None:
    await db.migrate("notes", STEPS)
    await db.execute("INSERT INTO notes(text) VALUES ('gesichert')")
    target = tmp_path / "backups" / "copy.sqlite3"
    await db.backup(target)
    async with aiosqlite.connect(target) as copy:
        cursor = await copy.execute("SELECT text FROM notes")
        assert await cursor.fetchall() == [("gesichert",)]
