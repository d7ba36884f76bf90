"""The storage interface, on the backend the run selected (``HOMEOFFICE_TEST_DATABASE``)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from homeoffice_bot.kernel.errors import DatabaseTooNewError, StorageError
from homeoffice_bot.kernel.storage import Database, StatementError, Transaction

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
    with pytest.raises(StorageError, match=rf"notes migration step 2 .*\[{db.dialect}\].*THIS"):
        await db.migrate("notes", broken)
    assert await db.schema_version("notes") == 1
    assert await db.columns("notes") == ["id", "text"]
    assert await db.fetchval("SELECT text FROM notes") == "bleibt"


async def test_callable_steps_run_inside_the_transaction(db: Database) -> None:
    async def seed(tx: Transaction) -> None:
        await tx.execute("CREATE TABLE seeded (v TEXT)")
        await tx.execute("INSERT INTO seeded VALUES ('x')")

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


async def test_new_ids_rowcounts_and_returning_on_both_dialects(db: Database) -> None:
    await db.migrate("notes", STEPS)
    first = await db.execute("INSERT INTO notes(text) VALUES (?)", ("eins",))
    second = await db.execute("INSERT INTO notes(text) VALUES (?)", ("zwei",))
    assert (first, second) == (1, 2)
    async with db.transaction() as tx:
        cursor = await tx.execute("INSERT INTO notes(text) VALUES (?)", ("drei",))
        assert cursor.lastrowid == 3
        changed = await tx.execute("UPDATE notes SET author = ? WHERE id < ?", ("@a:x", 3))
        assert changed.rowcount == 2
        assert await tx.fetchval("SELECT COUNT(*) FROM notes WHERE author = ?", ("@a:x",)) == 2
    returned = await db.fetchval("INSERT INTO notes(text) VALUES (?) RETURNING id", ("vier",))
    assert returned == 4


async def test_portable_upserts_and_insert_or_ignore(db: Database) -> None:
    await db.migrate("kv", ["CREATE TABLE kv (k TEXT PRIMARY KEY, v TEXT NOT NULL, n INTEGER)"])
    upsert = (
        "INSERT INTO kv(k, v, n) VALUES (?, ?, ?)"
        " ON CONFLICT(k) DO UPDATE SET v = excluded.v, n = kv.n + 1"
    )
    await db.execute(upsert, ("a", "1", 0))
    await db.execute(upsert, ("a", "2", 0))
    await db.execute("INSERT OR IGNORE INTO kv(k, v, n) VALUES (?, ?, ?)", ("a", "3", 9))
    row = await db.fetchone("SELECT v, n FROM kv WHERE k = ?", ("a",))
    assert row is not None
    assert (row["v"], row[1]) == ("2", 1)


async def test_question_marks_in_literals_are_not_placeholders(db: Database) -> None:
    await db.migrate("kv", ["CREATE TABLE kv (k TEXT PRIMARY KEY, v TEXT NOT NULL)"])
    await db.execute("INSERT INTO kv(k, v) VALUES (?, 'wer? wann?')", ("q",))
    assert await db.fetchval("SELECT v FROM kv WHERE k = ? AND v <> '?'", ("q",)) == "wer? wann?"


async def test_values_follow_the_column_types_like_sqlite(db: Database) -> None:
    await db.migrate("kv", ["CREATE TABLE kv (k TEXT PRIMARY KEY, flag INTEGER NOT NULL)"])
    await db.execute("INSERT INTO kv(k, flag) VALUES (?, ?)", (2026, True))
    assert await db.fetchval("SELECT flag FROM kv WHERE k = ?", ("2026",)) == 1
    big = 2**40  # SQLite's INTEGER is 64 bits; so is the PostgreSQL column
    await db.execute("UPDATE kv SET flag = ?", (big,))
    assert await db.fetchval("SELECT flag FROM kv") == big


async def test_a_failing_statement_names_dialect_and_statement(db: Database) -> None:
    with pytest.raises(StatementError, match=rf"\[{db.dialect}\].*SELECT nope FROM nowhere"):
        await db.fetchall("SELECT nope FROM nowhere")


async def test_online_backup_is_a_readable_sqlite_copy(db: Database, tmp_path: Path) -> None:
    await db.migrate("notes", STEPS)
    await db.execute("INSERT INTO notes(text) VALUES ('gesichert')")
    target = tmp_path / "backups" / "copy.sqlite3"
    await db.backup(target)
    with sqlite3.connect(target) as copy:
        assert copy.execute("SELECT text FROM notes").fetchall() == [("gesichert",)]


async def test_the_database_knows_its_size(db: Database) -> None:
    await db.migrate("notes", STEPS)
    await db.execute("INSERT INTO notes(text) VALUES (?)", ("x" * 10_000,))
    assert await db.size_bytes() > 10_000


async def test_many_rows_in_one_call(db: Database) -> None:
    await db.migrate("notes", STEPS)
    await db.executemany("INSERT INTO notes(text, author) VALUES (?, ?)", [("a", 1), ("b", None)])
    rows = await db.fetchall("SELECT text, author FROM notes ORDER BY id")
    assert [tuple(row) for row in rows] == [("a", "1"), ("b", None)]


async def test_a_table_rebuilt_by_a_migration_keeps_numbering_after_its_ids(db: Database) -> None:
    await db.migrate("notes", STEPS[:1])
    await db.execute("INSERT INTO notes(text) VALUES ('eins')")
    await db.execute("INSERT INTO notes(text) VALUES ('zwei')")
    rebuild = (
        "CREATE TABLE notes_new (id INTEGER PRIMARY KEY, text TEXT NOT NULL, extra TEXT);"
        "INSERT INTO notes_new(id, text) SELECT id, text FROM notes;"
        "DROP TABLE notes; ALTER TABLE notes_new RENAME TO notes"
    )
    await db.migrate("notes", [STEPS[0], rebuild])
    assert await db.execute("INSERT INTO notes(text) VALUES ('drei')") == 3
