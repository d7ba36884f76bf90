"""The stand-up's part of a person's export and deletion, and its retention purge, on a real
SQLite database with the stand-up's migrations."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from homeoffice_bot.kernel.i18n import Catalogue
from homeoffice_bot.kernel.ids import UserID
from homeoffice_bot.kernel.storage import Database
from homeoffice_bot.standup.personal_data import StandupPersonalData, purge
from homeoffice_bot.standup.plugin import StandupPlugin
from homeoffice_bot.standup.schema import MIGRATIONS

ANNA = UserID("@anna:example.org")
BEN = UserID("@ben:example.org")
ROOM = "!team:example.org"
CONFIG = {"name": "team", "participants_add": [ANNA], "observers": [], "participants_remove": []}


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = Database(tmp_path / "db.sqlite3")
    await database.open()
    await database.migrate("standup", MIGRATIONS)
    yield database
    await database.close()


async def add_round(db: Database, id_: int, kickoff: str, state: str = "closed") -> None:
    await db.execute(
        "INSERT INTO standup_occurrences(id, standup_id, day, kickoff_at, opened_at, closes_at,"
        " config, questions, participants, absent, speaking_order, state)"
        " VALUES (?, 1, ?, ?, ?, ?, ?, '[]', ?, ?, ?, ?)",
        (id_, kickoff[:10], kickoff, kickoff, kickoff, json.dumps(CONFIG),
         json.dumps([ANNA, BEN]), json.dumps([]), json.dumps([BEN, ANNA]), state),
    )  # fmt: skip
    for user in (ANNA, BEN):
        await db.execute(
            "INSERT INTO standup_answers(event_id, occurrence_id, user_id, room_id, text,"
            " server_ts) VALUES (?, ?, ?, ?, ?, ?)",
            (f"${id_}{user}", id_, user, ROOM, f"Antwort von {user}", kickoff),
        )


async def fill(db: Database) -> None:
    await db.execute(
        "INSERT INTO standups(id, room_id, name, config, active_since, created_by, created_at)"
        " VALUES (1, ?, 'team', ?, '2026-01-01', ?, '2026-01-01')",
        (ROOM, json.dumps(CONFIG), ANNA),
    )
    await add_round(db, 1, "2026-10-01T07:00:00+00:00")
    await add_round(db, 2, "2026-11-20T07:00:00+00:00")
    await add_round(db, 3, "2026-10-02T07:00:00+00:00", state="open")
    await db.execute(
        "INSERT INTO standup_absences(room_id, user_id, first_day, last_day, set_by)"
        " VALUES (?, ?, '2026-10-05', '2026-10-09', ?), (?, ?, '2026-11-30', '2026-12-04', ?)",
        (ROOM, BEN, ANNA, ROOM, ANNA, ANNA),
    )


def source(db: Database) -> StandupPersonalData:
    assert StandupPlugin.locales is not None
    return StandupPersonalData(db, Catalogue.from_folder(StandupPlugin.locales))


async def test_export_holds_the_persons_answers_rounds_absences_and_settings(
    db: Database,
) -> None:
    await fill(db)
    export = await source(db).export_person(ANNA)
    assert [a["text"] for a in export["answers"]] == [f"Antwort von {ANNA}"] * 3
    assert {a["user_id"] for a in export["answers"]} == {ANNA}
    assert [r["day"] for r in export["rounds_you_were_in"]] == [
        "2026-10-01", "2026-10-02", "2026-11-20",
    ]  # fmt: skip
    assert export["absences"][0]["first_day"] == "2026-11-30"
    assert export["absences_you_reported"][0]["absent_person"] == BEN
    assert export["standups_you_set_up"][0]["name"] == "team"
    assert export["settings_naming_you"][0]["as"] == ["participants_add"]


async def test_forgetting_takes_the_person_out_of_everything_and_leaves_others(
    db: Database,
) -> None:
    await fill(db)
    changed = await source(db).forget_person(ANNA)
    assert changed > 0
    assert await db.fetchval("SELECT COUNT(*) FROM standup_answers WHERE user_id = ?", (ANNA,)) == 0
    assert await db.fetchval("SELECT COUNT(*) FROM standup_answers WHERE user_id = ?", (BEN,)) == 3
    for row in await db.fetchall(
        "SELECT participants, speaking_order, config FROM standup_occurrences"
    ):
        assert json.loads(row["participants"]) == [BEN]
        assert json.loads(row["speaking_order"]) == [BEN]
        assert ANNA not in row["config"]
    standup = await db.fetchone("SELECT created_by, config FROM standups")
    assert standup is not None
    assert standup["created_by"] == ""
    assert ANNA not in standup["config"]
    absences = await db.fetchall("SELECT user_id, set_by FROM standup_absences")
    assert [(r["user_id"], r["set_by"]) for r in absences] == [(BEN, "")]
    export = await source(db).export_person(ANNA)
    assert all(rows == [] for rows in export.values())
    assert "Matrix-Server" in source(db).what_stays("de")[0]
    assert "Matrix server" in source(db).what_stays("en")[0]


async def test_purge_deletes_closed_rounds_and_absences_older_than_the_retention(
    db: Database,
) -> None:
    await fill(db)
    counts = await purge(db, datetime(2026, 10, 31, 3, 45, tzinfo=UTC))
    assert counts == {"answers": 2, "rounds": 1, "absences": 1}
    left = await db.fetchall("SELECT id FROM standup_occurrences ORDER BY id")
    assert [row["id"] for row in left] == [2, 3]  # the open round stays until it closes
    answers = await db.fetchall("SELECT DISTINCT occurrence_id FROM standup_answers")
    assert sorted(row[0] for row in answers) == [2, 3]
