"""docs/privacy.md is the record of processing activities: every table and column that a
fresh database gets from the migrations of every component has its line there."""

from __future__ import annotations

import importlib.metadata
import re
from pathlib import Path

from homeoffice_bot.app import BUILTIN_PLUGINS
from homeoffice_bot.kernel.kernel_schema import MIGRATIONS as KERNEL_MIGRATIONS
from homeoffice_bot.kernel.plugins import ENTRY_POINT_GROUP, Plugin, load_builtin
from homeoffice_bot.kernel.storage import Database

DOC = Path(__file__).resolve().parents[2] / "docs" / "privacy.md"
TABLE_HEADING = re.compile(r"^#### `(\w+)`", re.MULTILINE)
COLUMN_ROW = re.compile(r"^\| `(\w+)` \|", re.MULTILINE)


def components() -> dict[str, type[Plugin]]:
    found = {cls.name: cls for cls in map(load_builtin, BUILTIN_PLUGINS)}
    for entry in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
        loaded = entry.load()
        found[loaded.name] = loaded
    return found


async def schema(tmp_path: Path) -> dict[str, list[str]]:
    """Every table of a fresh database with all migrations, and its columns."""
    db = Database(tmp_path / "fresh.sqlite3")
    await db.open()
    try:
        await db.migrate("kernel", KERNEL_MIGRATIONS)
        for name, cls in components().items():
            await db.migrate(name, cls.migrations)
        return {table: await db.columns(table) for table in await db.tables()}
    finally:
        await db.close()


def documented() -> dict[str, set[str]]:
    """``#### `table``` headings, each followed by a table of ``| `column` | … |`` rows."""
    text = DOC.read_text(encoding="utf-8")
    headings = list(TABLE_HEADING.finditer(text))
    out: dict[str, set[str]] = {}
    for index, heading in enumerate(headings):
        end = headings[index + 1].start() if index + 1 < len(headings) else len(text)
        section = text[heading.end() : end].split("\n## ", 1)[0]
        out[heading[1]] = set(COLUMN_ROW.findall(section))
    return out


async def test_every_stored_column_has_a_line_in_the_privacy_doc(tmp_path: Path) -> None:
    tables = await schema(tmp_path)
    assert {"outbox", "workday_people", "standup_answers", "digitalnah_audit"} <= set(tables)
    doc = documented()
    missing_tables = sorted(set(tables) - set(doc))
    assert not missing_tables, f"docs/privacy.md has no section for {missing_tables}"
    missing = {t: sorted(set(cols) - doc[t]) for t, cols in tables.items() if set(cols) - doc[t]}
    assert not missing, f"docs/privacy.md lacks these columns: {missing}"
    stale = sorted(set(doc) - set(tables))
    assert not stale, f"docs/privacy.md describes tables that no longer exist: {stale}"
