from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest

from homeoffice_bot.kernel.storage import Database
from homeoffice_bot.standup.config import StandupConfig
from homeoffice_bot.standup.records import config_to_json, kickoff_rule
from homeoffice_bot.standup.schema import MIGRATIONS
from homeoffice_bot.standup.store import (
    AnswerRecord,
    KickoffRule,
    NewOccurrence,
    NoteRecord,
    StandupStore,
)

ROOM = "!team:example.org"
ANNA, BEN = "@anna:example.org", "@ben:example.org"
NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
DAY = date(2026, 11, 23)


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[StandupStore]:
    db = Database(tmp_path / "test.sqlite3")
    await db.open()
    await db.migrate("standup", MIGRATIONS)
    yield StandupStore(db)
    await db.close()


def config(name: str = "team") -> StandupConfig:
    return StandupConfig(name, ROOM, time(9, 0))


def new_occurrence(standup_id: int, *, adhoc: bool = False, day: date = DAY) -> NewOccurrence:
    return NewOccurrence(
        standup_id=standup_id, day=day, kickoff_at=NOW, opened_at=NOW,
        closes_at=NOW + timedelta(minutes=10), adhoc=adhoc, late_start=False, config=config(),
        questions=["Erledigt?", "Geplant?"], participants=[ANNA, BEN], absent=[BEN],
    )  # fmt: skip


async def test_one_standup_per_name_and_room(store: StandupStore) -> None:
    first = await store.create_standup(config(), ANNA, NOW)
    assert first is not None
    assert await store.create_standup(config(), ANNA, NOW) is None
    assert await store.create_standup(config("früh"), ANNA, NOW) is not None
    assert [r.name for r in await store.standups_in_room(ROOM)] == ["früh", "team"]
    loaded = await store.standup(first.id)
    assert loaded is not None
    assert loaded.config == config()
    assert loaded.active_since == NOW


async def test_config_changes_and_active_since(store: StandupStore) -> None:
    record = await store.create_standup(config(), ANNA, NOW)
    assert record is not None
    later = NOW + timedelta(hours=1)
    await store.save_config(record.id, StandupConfig("team", ROOM, time(10, 0)), later)
    loaded = await store.standup(record.id)
    assert loaded is not None
    assert loaded.config.at == time(10, 0)
    assert loaded.active_since == later


async def test_one_scheduled_occurrence_per_day_but_ad_hoc_ones_besides(
    store: StandupStore,
) -> None:
    record = await store.create_standup(config(), ANNA, NOW)
    assert record is not None
    occurrence = await store.create_occurrence(new_occurrence(record.id))
    assert occurrence is not None
    assert occurrence.questions == ("Erledigt?", "Geplant?")
    assert occurrence.expected() == (ANNA,)
    assert await store.create_occurrence(new_occurrence(record.id)) is None
    assert await store.create_occurrence(new_occurrence(record.id, adhoc=True)) is not None
    assert await store.has_occurrence_on(record.id, DAY)
    assert not await store.has_occurrence_on(record.id, DAY + timedelta(days=1))
    assert len(await store.open_occurrences()) == 2


async def test_reminder_is_claimed_once_and_closing_records_the_report(
    store: StandupStore,
) -> None:
    record = await store.create_standup(config(), ANNA, NOW)
    assert record is not None
    occurrence = await store.create_occurrence(new_occurrence(record.id))
    assert occurrence is not None
    await store.set_kickoff_event(occurrence.id, "$kickoff")
    assert await store.claim_reminder(occurrence.id)
    assert not await store.claim_reminder(occurrence.id)
    early = NOW + timedelta(minutes=5)
    await store.mark_closed(occurrence.id, ROOM, "$report", early, early)
    closed = await store.occurrence_by_kickoff("$kickoff")
    assert closed is not None
    assert closed.state == "closed"
    assert closed.report_event_id == "$report"
    assert closed.closes_at == early
    assert await store.open_occurrence_of(record.id) is None


async def test_answers_edits_and_redactions(store: StandupStore) -> None:
    record = await store.create_standup(config(), ANNA, NOW)
    assert record is not None
    occurrence = await store.create_occurrence(new_occurrence(record.id))
    assert occurrence is not None
    answer = AnswerRecord("$a", occurrence.id, ANNA, ROOM, "Entwurf", None, NOW, False)
    assert await store.add_answer(answer)
    assert not await store.add_answer(answer)  # replayed after a restart
    assert await store.edit_message("$a", BEN, "fremd") is None  # only the author edits
    assert await store.edit_message("$a", ANNA, "Entwurf abgegeben") == occurrence.id
    assert [a.text for a in await store.answers(occurrence.id)] == ["Entwurf abgegeben"]
    assert await store.remove_message("$a") == occurrence.id
    assert await store.answers(occurrence.id) == []
    note = NoteRecord("$n", occurrence.id, BEN, "Beschluss", NOW)
    assert await store.add_note(note)
    assert await store.edit_message("$n", BEN, "Beschluss: Freitag") == occurrence.id
    assert [n.text for n in await store.notes(occurrence.id)] == ["Beschluss: Freitag"]
    assert await store.remove_message("$unknown") is None


async def test_dm_prompts_find_the_latest_occurrence(store: StandupStore) -> None:
    record = await store.create_standup(config(), ANNA, NOW)
    assert record is not None
    first = await store.create_occurrence(new_occurrence(record.id))
    second = await store.create_occurrence(new_occurrence(record.id, adhoc=True))
    assert first is not None
    assert second is not None
    await store.add_dm_prompt(first.id, ANNA, "!dm:example.org")
    await store.add_dm_prompt(second.id, ANNA, "!dm:example.org")
    assert await store.dm_prompted_occurrence("!dm:example.org", ANNA) == second.id
    assert await store.dm_prompted_occurrence("!dm:example.org", BEN) is None
    assert await store.dm_prompts(first.id) == {ANNA: "!dm:example.org"}


async def test_absences_overlap_and_removal(store: StandupStore) -> None:
    await store.add_absence(ROOM, ANNA, date(2026, 11, 23), date(2026, 11, 27), BEN)
    await store.add_absence(ROOM, BEN, date(2026, 12, 1), date(2026, 12, 1), BEN)
    assert await store.absent_on(ROOM, date(2026, 11, 25)) == {ANNA}
    assert await store.absent_on(ROOM, date(2026, 11, 28)) == set()
    assert [a.user_id for a in await store.absences_from(ROOM, date(2026, 11, 28))] == [BEN]
    assert await store.remove_absences(ROOM, ANNA, date(2026, 11, 26), date.max) == 1
    assert await store.absent_on(ROOM, date(2026, 11, 25)) == set()


async def test_deleting_a_standup_deletes_its_occurrences(store: StandupStore) -> None:
    record = await store.create_standup(config(), ANNA, NOW)
    assert record is not None
    occurrence = await store.create_occurrence(new_occurrence(record.id))
    assert occurrence is not None
    await store.delete_standup(record.id)
    assert await store.occurrence(occurrence.id) is None
    assert await store.all_standups() == []


CONFIGS = [
    StandupConfig("team", ROOM, time(9, 0)),
    StandupConfig(
        "frühschicht", ROOM, time(6, 45, 30), tz="America/Port-au-Prince",
        weekdays=frozenset({6, 7}), paused=True, questions=("Erledigt?", "Blocker?"),
    ),
    StandupConfig("spaet", ROOM, time(14, 0), tz="Etc/GMT+1", weekdays=frozenset(range(1, 8))),
]  # fmt: skip


async def test_kickoff_rules_come_from_the_kickoff_columns_kept_equal_to_the_settings(
    store: StandupStore,
) -> None:
    records = [await store.create_standup(one, ANNA, NOW) for one in CONFIGS]
    early, late = records[0], records[2]
    assert early is not None
    assert late is not None
    moved = replace(CONFIGS[2], at=time(15, 30), tz="Asia/Tokyo", weekdays=frozenset({2, 4}))
    await store.save_config(late.id, replace(moved, paused=True))
    await store.save_config(early.id, replace(CONFIGS[0], at=time(8)), NOW)
    by_id = {record.id: kickoff_rule(record) for record in await store.all_standups()}
    assert {rule.standup_id: rule for rule in await store.kickoff_rules()} == by_id
    tokyo = KickoffRule(late.id, time(15, 30), frozenset({2, 4}), "Asia/Tokyo", paused=True)
    assert by_id[late.id] == tokyo
    assert by_id[early.id].at == time(8)
    assert not by_id[early.id].paused


async def test_the_migration_fills_the_kickoff_columns_of_existing_standups(
    tmp_path: Path,
) -> None:
    db = Database(tmp_path / "old.sqlite3")
    await db.open()
    try:
        await db.migrate("standup", MIGRATIONS[:-1])
        for one in CONFIGS:
            await db.execute(
                "INSERT INTO standups(room_id, name, config, active_since, created_by,"
                " created_at) VALUES (?, ?, ?, ?, ?, ?)",
                (one.room_id, one.name, config_to_json(one), NOW.isoformat(), ANNA,
                 NOW.isoformat()),
            )  # fmt: skip
        await db.migrate("standup", MIGRATIONS)
        store = StandupStore(db)
        rules = sorted(await store.kickoff_rules(), key=lambda rule: rule.standup_id)
        records = sorted(await store.all_standups(), key=lambda record: record.id)
        assert rules == [kickoff_rule(record) for record in records]
        assert [(rule.at, rule.weekdays, rule.tz, rule.paused) for rule in rules] == [
            (one.at, one.weekdays, one.tz, one.paused) for one in CONFIGS
        ]
    finally:
        await db.close()
