"""The onboarding's rows: a room is welcomed once; a dialogue survives being read back,
is replaced by a new one of the same person, ends once, and is part of the person's
export and deletion."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from homeoffice_bot.kernel.i18n import Catalogue
from homeoffice_bot.kernel.ids import EventID, RoomID, UserID
from homeoffice_bot.kernel.storage import Database
from homeoffice_bot.onboarding.personal_data import OnboardingPersonalData
from homeoffice_bot.onboarding.plugin import OnboardingPlugin
from homeoffice_bot.onboarding.schema import MIGRATIONS
from homeoffice_bot.onboarding.steps import Answers, Step
from homeoffice_bot.onboarding.store import Dialogue, OnboardingStore

LEAD = UserID("@lead:example.org")
ROOM, OTHER, DM = RoomID("!team:example.org"), RoomID("!other:example.org"), RoomID("!dm:x")
NOW = datetime(2024, 3, 12, 7, 0, tzinfo=UTC)


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[OnboardingStore]:
    db = Database(tmp_path / "onboarding.sqlite3")
    await db.open()
    await db.migrate("onboarding", MIGRATIONS)
    yield OnboardingStore(db)
    await db.close()


def _dialogue(room: RoomID = ROOM, step: Step = Step.TIME) -> Dialogue:
    answers = Answers().with_(Step.TIME, "08:45") if step is not Step.TIME else Answers()
    return Dialogue(LEAD, room, DM, "de", step, answers, "DE-NW", EventID("$q"), NOW,
                    NOW + timedelta(hours=2))  # fmt: skip


async def test_a_room_is_welcomed_once(store: OnboardingStore) -> None:
    assert not await store.welcomed(ROOM)
    await store.mark_welcomed(ROOM, NOW)
    await store.mark_welcomed(ROOM, NOW + timedelta(days=1))  # no error, still once
    assert await store.welcomed(ROOM)
    assert not await store.welcomed(OTHER)


async def test_a_dialogue_reads_back_and_is_replaced_and_ends_once(store: OnboardingStore) -> None:
    await store.save(_dialogue())
    assert await store.dialogue(LEAD) == _dialogue()
    moved = _dialogue(OTHER, Step.DAYS)
    await store.save(moved)
    assert await store.dialogues() == [moved]
    assert await store.end(LEAD)
    assert not await store.end(LEAD)
    assert await store.dialogue(LEAD) is None


async def test_export_and_deletion(store: OnboardingStore) -> None:
    assert OnboardingPlugin.locales is not None
    source = OnboardingPersonalData(store, Catalogue.from_folder(OnboardingPlugin.locales))
    assert await source.export_person(LEAD) == {}
    await store.save(_dialogue(step=Step.DAYS))
    exported = await source.export_person(LEAD)
    [row] = exported["dialogues"]
    assert row["user_id"] == LEAD
    assert row["room_id"] == ROOM
    assert "08:45" in row["answers"]
    assert source.titles("de")["dialogues"] == "Deine angefangene Einrichtung eines Raums"
    assert await source.forget_person(LEAD) == 1
    assert await source.export_person(LEAD) == {}
    assert await source.forget_person(LEAD) == 0
