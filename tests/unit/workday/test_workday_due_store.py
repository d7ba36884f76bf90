"""Due times in the database: the earliest first, a team room's people at once, and
everyone looked at once after the update that brings due times."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from workday_testing import berlin

from homeoffice_bot.kernel.ids import RoomID, UserID
from homeoffice_bot.kernel.storage import Database
from homeoffice_bot.workday.schema import MIGRATIONS
from homeoffice_bot.workday.store import WorkdayStore

ANNA = UserID("@anna:example.org")
BEN = UserID("@ben:example.org")
CARL = UserID("@carl:example.org")
TEAM = RoomID("!team:example.org")
NOW = berlin(2024, 3, 12, 10)


async def test_people_come_due_earliest_first_and_a_team_at_once(tmp_path: Path) -> None:
    db = Database(tmp_path / "bot.sqlite3")
    await db.open()
    await db.migrate("workday", MIGRATIONS)
    store = WorkdayStore(db)
    for user in (ANNA, BEN, CARL):
        await store.ensure_person(user, NOW, TEAM if user != CARL else None)
    assert await store.due(NOW, 10) != []  # new people are due for a first look
    await store.set_due(ANNA, NOW + timedelta(hours=2))
    await store.set_due(BEN, NOW + timedelta(hours=1))
    await store.set_due(CARL, None)
    assert await store.earliest_due() == NOW + timedelta(hours=1)
    assert await store.due(NOW + timedelta(hours=1), 10) == [BEN]
    assert await store.due(NOW + timedelta(hours=3), 1) == [BEN]
    assert await store.due(NOW + timedelta(hours=3), 10) == [BEN, ANNA]

    await store.mark_room_due(TEAM, NOW)
    assert set(await store.due(NOW, 10)) == {ANNA, BEN}
    assert await store.due_at(CARL) is None
    await db.close()


async def test_after_the_update_everyone_is_due_at_once(tmp_path: Path) -> None:
    db = Database(tmp_path / "bot.sqlite3")
    await db.open()
    await db.migrate("workday", MIGRATIONS[:1])
    await db.execute(
        "INSERT INTO workday_people(user_id, created_at) VALUES (?, ?)", (ANNA, "2024-01-01")
    )
    await db.migrate("workday", MIGRATIONS)
    store = WorkdayStore(db)
    assert await store.due(NOW, 10) == [ANNA]
    await db.close()
