"""The occurrence lifecycle with a real store and recording fakes for Matrix and the
scheduler: which jobs an open occurrence gets, and what the reminder and the time-box
notice post."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any, cast

import pytest

from homeoffice_bot.kernel.clock import FixedClock
from homeoffice_bot.kernel.i18n import Catalogue
from homeoffice_bot.kernel.plugins import PluginContext, Services
from homeoffice_bot.kernel.schedule_rules import Daily, Once
from homeoffice_bot.kernel.storage import Database
from homeoffice_bot.kernel.tasks import TaskTracker
from homeoffice_bot.standup.config import StandupConfig, StandupMode
from homeoffice_bot.standup.runner import Runner
from homeoffice_bot.standup.schema import MIGRATIONS
from homeoffice_bot.standup.settings import StandupSettings
from homeoffice_bot.standup.store import AnswerRecord, StandupStore

LOCALES = Path(__file__).resolve().parents[3] / "homeoffice_bot" / "standup" / "locales"
KERNEL_LOCALES = LOCALES.parents[1] / "kernel" / "locales"
ROOM = "!team:example.org"
BOT, ANNA, BEN, CARL = (f"@{n}:example.org" for n in ("bot", "anna", "ben", "carl"))
NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)  # Monday 09:00 in Berlin


@dataclass
class FakeMatrix:
    """Room state and outbox in one: what the runner reads and what it sends."""

    user_id: str = BOT
    sent: list[tuple[str, str, str | None]] = field(default_factory=list)
    room_mentions: list[bool] = field(default_factory=list)
    alerts: list[bool] = field(default_factory=list)
    reactions: list[tuple[str, str]] = field(default_factory=list)
    synced: asyncio.Event = field(default_factory=asyncio.Event)

    def members(self, room: str) -> list[str]:
        return [BOT, ANNA, BEN, CARL]

    def names_for(self, room: str, users: list[str]) -> dict[str, str]:
        return {u: u[1:].split(":")[0].capitalize() for u in users}

    async def send(
        self,
        room: str,
        text: str,
        *,
        thread_root: str | None = None,
        mention_room: bool = False,
        alert: bool = False,
    ) -> str:
        self.sent.append((room, text, thread_root))
        self.room_mentions.append(mention_room)
        self.alerts.append(alert)
        return f"$event{len(self.sent)}"

    async def react(self, room: str, event_id: str, key: str) -> str:
        self.reactions.append((event_id, key))
        return f"$reaction{len(self.reactions)}"


@dataclass
class FakeScheduler:
    jobs: dict[str, tuple[Any, timedelta]] = field(default_factory=dict)

    async def schedule(self, job_id: str, trigger: Any, func: Any, *, grace: timedelta) -> None:
        self.jobs[job_id] = (trigger, grace)

    def cancel(self, job_id: str) -> None:
        self.jobs.pop(job_id, None)

    def cancel_prefix(self, prefix: str) -> None:
        for job_id in [j for j in self.jobs if j.startswith(prefix)]:
            del self.jobs[job_id]


class FakeRooms:
    async def language(self, room: str) -> str:
        return "de"

    async def formal(self, room: str) -> bool:
        return False

    async def wording(self, room: str) -> str:
        return "stand-up"


CATALOGUE = Catalogue.from_folder(LOCALES, fallback=Catalogue.from_folder(KERNEL_LOCALES))


@pytest.fixture
async def parts(tmp_path: Path) -> AsyncIterator[tuple[Runner, FakeMatrix, FakeScheduler]]:
    db = Database(tmp_path / "db.sqlite3")
    await db.open()
    await db.migrate("standup", MIGRATIONS)
    matrix, scheduler = FakeMatrix(), FakeScheduler()
    matrix.synced.set()
    ctx = PluginContext(
        name="standup", settings=StandupSettings(), bot=None, db=db,
        scheduler=cast(Any, scheduler), matrix=cast(Any, matrix), outbox=cast(Any, matrix),
        clock=FixedClock(NOW),
        tasks=TaskTracker(), rooms=cast(Any, FakeRooms()), catalogue=CATALOGUE,
        services=Services(), data_dir=tmp_path, logger=logging.getLogger("test"),
    )  # fmt: skip
    store = StandupStore(db)
    yield Runner(ctx, store, StandupSettings()), matrix, scheduler
    await db.close()


async def test_written_kickoff_schedules_reminder_and_close(
    parts: tuple[Runner, FakeMatrix, FakeScheduler],
) -> None:
    runner, matrix, scheduler = parts
    record = await runner.store.create_standup(
        StandupConfig("team", ROOM, time(9, 0)), ANNA, NOW - timedelta(days=1)
    )
    assert record is not None
    await runner.schedule_standup(record)
    trigger, grace = scheduler.jobs[f"standup:{record.id}:kickoff"]
    assert trigger == Daily(time(9, 0), frozenset({1, 2, 3, 4, 5}), "Europe/Berlin")
    assert grace == timedelta(minutes=30)

    await runner.scheduled_kickoff(record.id, NOW)
    occurrence = await runner.store.latest_occurrence(record.id)
    assert occurrence is not None
    assert occurrence.participants == (ANNA, BEN, CARL)
    assert occurrence.questions[0] == "Was hast du seit Freitag erledigt?"
    assert matrix.sent[0][1].startswith("**Stand-up „team“** ☀️")
    prefix = f"standup:{record.id}:occ:{occurrence.id}:"
    assert scheduler.jobs[prefix + "close"][0] == Once(NOW + timedelta(minutes=10))
    assert scheduler.jobs[prefix + "remind"][0] == Once(NOW + timedelta(minutes=8))
    assert not any("timebox" in job for job in scheduler.jobs)

    await runner.scheduled_kickoff(record.id, NOW)  # the same firing again: no second one
    assert len(matrix.sent) == 1


async def test_reminder_mentions_only_those_without_answer_and_only_once(
    parts: tuple[Runner, FakeMatrix, FakeScheduler],
) -> None:
    runner, matrix, _ = parts
    record = await runner.store.create_standup(StandupConfig("team", ROOM, time(9, 0)), ANNA, NOW)
    assert record is not None
    occurrence = await runner.open_now(record)
    await runner.store.add_answer(
        AnswerRecord("$a", occurrence.id, ANNA, ROOM, "Heute: Akten", None, NOW, False)
    )
    await runner.remind(occurrence.id)
    await runner.remind(occurrence.id)
    reminders = [m for m in matrix.sent if "Erinnerung" in m[1]]
    assert len(reminders) == 1
    _, text, thread_root = reminders[0]
    assert thread_root == "$event1"
    assert f"{{{BEN}}}" in text
    assert f"{{{CARL}}}" in text
    assert ANNA not in text
    assert matrix.room_mentions[matrix.sent.index(reminders[0])] is False
    assert matrix.alerts[matrix.sent.index(reminders[0])] is True, "a reminder alerts"
    assert matrix.alerts[0] is False, "the kickoff stays a quiet notice"


async def test_reminder_with_mass_mention_notifies_the_room(
    parts: tuple[Runner, FakeMatrix, FakeScheduler],
) -> None:
    runner, matrix, _ = parts
    config = StandupConfig("team", ROOM, time(9, 0), mass_mention=True)
    record = await runner.store.create_standup(config, ANNA, NOW)
    assert record is not None
    occurrence = await runner.open_now(record)
    await runner.remind(occurrence.id)
    (index,) = [i for i, m in enumerate(matrix.sent) if "Erinnerung" in m[1]]
    assert "@room" in matrix.sent[index][1]
    assert matrix.room_mentions[index] is True


async def test_live_window_gets_a_two_minute_notice_and_a_closing_notice(
    parts: tuple[Runner, FakeMatrix, FakeScheduler],
) -> None:
    runner, matrix, scheduler = parts
    config = StandupConfig("team", ROOM, time(9, 0), mode=StandupMode.LIVE)
    record = await runner.store.create_standup(config, ANNA, NOW)
    assert record is not None
    occurrence = await runner.open_now(record)
    prefix = f"standup:{record.id}:occ:{occurrence.id}:"
    assert scheduler.jobs[prefix + "timebox2"][0] == Once(NOW + timedelta(minutes=8))
    assert prefix + "remind" not in scheduler.jobs
    assert "**Reihenfolge:**" in matrix.sent[0][1]

    await runner.timebox_notice(occurrence.id, 2)
    assert matrix.sent[-1] == (ROOM, "Noch 2 Minuten. ⏳", "$event1")
    await runner.close(occurrence.id)
    assert matrix.sent[-2] == (ROOM, "Die Zeit ist um – danke! Das Protokoll folgt. 🔔", "$event1")
    assert matrix.sent[-1][1].startswith("### Stand-up „team“")
    assert not any(job.startswith(prefix) for job in scheduler.jobs)
    closed = await runner.store.occurrence(occurrence.id)
    assert closed is not None
    assert closed.state == "closed"


async def test_live_turns_hand_on_early_share_the_time_left_and_take_latecomers(
    parts: tuple[Runner, FakeMatrix, FakeScheduler],
) -> None:
    runner, matrix, scheduler = parts
    clock = cast(FixedClock, runner.ctx.clock)
    config = StandupConfig("team", ROOM, time(9, 0), mode=StandupMode.LIVE,
                           participants_remove=frozenset({CARL}))  # fmt: skip
    record = await runner.store.create_standup(config, ANNA, NOW)
    assert record is not None
    occurrence = await runner.open_now(record)
    assert occurrence.speaking_order == (ANNA, BEN)
    assert matrix.alerts[0] is True  # the kickoff alerts the speakers
    prompt = matrix.sent[-1][1]
    assert prompt.startswith(f"{{{ANNA}}}, du bist dran: 4 Minuten 30 Sekunden, bis 09:04 Uhr.")
    assert "Danach: Ben." in prompt
    assert matrix.alerts[-1] is True
    assert matrix.reactions[-1] == ("$event2", "⏭️")
    prefix = f"standup:{record.id}:occ:{occurrence.id}:"
    assert scheduler.jobs[prefix + "turn0"][0] == Once(NOW + timedelta(seconds=270))

    assert not await runner.show.hand_on(occurrence, BEN)  # not Ben's turn yet
    await runner.show.due(occurrence.id)  # the time is not up: nothing happens
    assert len(matrix.sent) == 2
    clock.advance(timedelta(minutes=1))
    assert await runner.show.hand_on(occurrence, ANNA)
    assert prefix + "turn0" not in scheduler.jobs
    assert matrix.sent[-1][1].startswith(f"{{{BEN}}}, du bist dran: 8 Minuten, bis 09:09 Uhr.")
    assert "Danach ist die Runde durch." in matrix.sent[-1][1]

    await runner.show.add_late(occurrence, CARL)  # Carl joins: he speaks after Ben
    clock.advance(timedelta(minutes=8))
    await runner.show.due(occurrence.id)
    assert matrix.sent[-1][1].startswith(f"{{{CARL}}}, du bist dran:")
    assert await runner.show.skip(occurrence)  # the moderation hands on
    assert matrix.sent[-1][1] == "Alle waren dran. Bis 09:10 Uhr bleibt Zeit für Offenes."
    assert not await runner.show.skip(occurrence)
    assert await runner.show.opener_and_closer(occurrence.id) == (ANNA, CARL)
