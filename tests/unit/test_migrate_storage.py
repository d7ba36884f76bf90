"""`homeoffice-bot migrate-storage`: an SQLite database filled through the components' own
stores moves into an empty PostgreSQL database with equal counts, and reads back the same."""

from __future__ import annotations

import asyncio
import re
from datetime import UTC, datetime, time
from pathlib import Path

import pytest

from digitalnah.model import Offering, OfferingState
from digitalnah.store import OfferingStore
from homeoffice_bot.cli import main
from homeoffice_bot.kernel.active import ActiveLock
from homeoffice_bot.kernel.ids import RoomID, UserID
from homeoffice_bot.kernel.storage import Database
from homeoffice_bot.migrate_storage import known_migrations
from homeoffice_bot.standup.config import StandupConfig
from homeoffice_bot.standup.store import StandupStore
from homeoffice_bot.workday.store import WorkdayStore

pytestmark = pytest.mark.postgres

NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
ROOM = RoomID("!team:example.org")
PEOPLE = [UserID(f"@person{n}:example.org") for n in range(30)]


async def fill(path: Path) -> None:
    db = Database.sqlite_file(path)
    await db.open()
    for component, steps in known_migrations(["digitalnah"]).items():
        await db.migrate(component, steps)
    standups, workday, offerings = StandupStore(db), WorkdayStore(db), OfferingStore(db)
    for name in ("früh", "team"):
        assert await standups.create_standup(StandupConfig(name, ROOM, time(9)), PEOPLE[0], NOW)
    for person in PEOPLE:
        await workday.ensure_person(person, NOW, ROOM)
    for n, state in enumerate([OfferingState.APPROVED, OfferingState.PENDING] * 3):
        await offerings.commit(
            Offering(
                submitter=PEOPLE[n], created_at=NOW, updated_at=NOW, title=f"Angebot {n}",
                link="https://example.org", category="Umwelt", state=state,
            )
        )  # fmt: skip
    await db.close()


async def read_back(target: str | Path) -> tuple[list[str], int, list[str]]:
    db = Database(target)
    await db.open()
    try:
        standups = sorted(s.name for s in await StandupStore(db).standups_in_room(ROOM))
        people = len(await WorkdayStore(db).people())
        offering_store = OfferingStore(db)
        titles = sorted(o.title for o in await offering_store.all())
        # new rows continue after the copied ids
        added = await offering_store.commit(
            Offering(submitter=PEOPLE[0], created_at=NOW, updated_at=NOW, title="neu",
                     state=OfferingState.PENDING)
        )  # fmt: skip
        assert added.id == 7
    finally:
        await db.close()
    return standups, people, titles


def test_migrate_storage_copies_everything_and_refuses_a_non_empty_target(
    tmp_path: Path, postgres_database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "data" / "homeoffice.sqlite3"
    asyncio.run(fill(source))

    assert main(["migrate-storage", "--from", str(source), "--to", postgres_database]) == 0
    out = capsys.readouterr().out
    assert re.search(r"^workday_people +30$", out, re.MULTILINE), out
    assert re.search(r"^digitalnah_offerings +6$", out, re.MULTILINE), out
    assert "counts match" in out
    standups, people, titles = asyncio.run(read_back(postgres_database))
    assert standups == ["früh", "team"]
    assert people == len(PEOPLE)
    assert titles == [f"Angebot {n}" for n in range(6)]

    assert main(["migrate-storage", "--from", str(source), "--to", postgres_database]) == 1
    assert "the target is not empty" in capsys.readouterr().err


def test_migrate_storage_refuses_while_the_bot_runs_on_the_source(
    tmp_path: Path, postgres_database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "data" / "homeoffice.sqlite3"
    asyncio.run(fill(source))

    async def copy_while_locked() -> None:
        lock = ActiveLock(Database.sqlite_file(source), source.parent, "@bot:example.org")
        assert await lock.acquire(standby=False, stop=asyncio.Event())
        try:
            code = await asyncio.to_thread(
                main, ["migrate-storage", "--from", str(source), "--to", postgres_database]
            )
        finally:
            await lock.release()
        assert code == 1

    asyncio.run(copy_while_locked())
    assert "already active on the data folder" in capsys.readouterr().err
