"""Stand-ups survive restarts: an open window carries on, answers typed while the bot was
down count by their server time, a kickoff is never posted twice, a missed one once.

The bot runs on the test's clock: a kickoff, a window's end or the time spent down comes
when the test moves the clock, not after waiting for it. Server times of what people type
stay real, so the clock is moved ahead of real time, never behind it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

import pytest
from test_standup_support import (
    BUILTINS,
    FAST,
    ask,
    is_kickoff,
    kickoff_soon,
    set_up_standup,
    wait_ack,
    wait_kickoff,
    wait_report,
)

from homeoffice_bot.app import App
from homeoffice_bot.devserver.person import Person
from homeoffice_bot.devserver.team import team_room
from homeoffice_bot.kernel.clock import FixedClock
from homeoffice_bot.kernel.events import Message
from homeoffice_bot.kernel.ids import RoomID

pytestmark = pytest.mark.integration

StartBot = Callable[..., Awaitable[App]]
People = Callable[..., Awaitable[Person]]


def kickoffs(person: Person, room: RoomID, bot: App, since: int) -> list[Message]:
    return [
        e for e in person.events[since:]
        if isinstance(e, Message) and e.room_id == room and is_kickoff(e, bot)
    ]  # fmt: skip


Team = tuple[App, RoomID, Person, Person, Person]


async def _team(start_bot: StartBot, people: People, clock: FixedClock, window: str) -> Team:
    bot = await start_bot(plugins=FAST, builtins=BUILTINS, clock=clock)
    lead, anna, ben = [await people(n) for n in ("lead", "anna", "ben")]
    room = await team_room(lead, bot, [anna, ben], encrypted=True)
    # names and lateness on: these tests are about which answers count as late
    await set_up_standup(lead, room, bot, window, "!standup offene namen", "!standup verspätung an")
    return bot, room, lead, anna, ben


async def test_open_window_carries_on_after_a_restart_with_the_answer_typed_meanwhile(
    start_bot: StartBot, people: People
) -> None:
    clock = FixedClock(datetime.now(UTC))
    bot, room, lead, anna, ben = await _team(start_bot, people, clock, "30s")
    mark = anna.mark()
    kickoff_at = await kickoff_soon(lead, room, bot, clock)
    clock.set(kickoff_at)
    kickoff = await wait_kickoff(anna, room, bot, mark)
    answer = await anna.say(room, "Heute: Haushalt", thread_root=kickoff.event_id)
    await wait_ack(anna, answer, bot, mark)

    await bot.stop()
    offline = await ben.say(
        room, "Heute: offline geschrieben\nBlocker: keine", thread_root=kickoff.event_id
    )
    bot = await start_bot(plugins=FAST, builtins=BUILTINS, clock=clock)
    await wait_ack(anna, offline, bot, mark)  # taken in from the backlog
    clock.advance(timedelta(seconds=31))  # the window ends

    report = await wait_report(anna, room, bot, mark)
    assert "offline geschrieben" in report.body
    assert "Haushalt" in report.body
    assert "Keine Antwort" not in report.body
    assert "verspätet" not in report.body
    assert len(kickoffs(anna, room, bot, mark)) == 1


async def test_answers_typed_while_down_count_by_server_time_when_the_window_closed_meanwhile(
    start_bot: StartBot, people: People
) -> None:
    clock = FixedClock(datetime.now(UTC))
    bot, room, lead, anna, ben = await _team(start_bot, people, clock, "8s")
    mark = anna.mark()
    kickoff_at = await kickoff_soon(lead, room, bot, clock)
    clock.set(kickoff_at)
    kickoff = await wait_kickoff(anna, room, bot, mark)

    await bot.stop()
    await ben.say(room, "1. Akten\n2. Termine\n3. nichts", thread_root=kickoff.event_id)
    clock.advance(timedelta(seconds=9))  # the window closes while the bot is down
    bot = await start_bot(plugins=FAST, builtins=BUILTINS, clock=clock)

    report = await wait_report(anna, room, bot, mark)
    assert "Akten" in report.body
    assert "verspätet" not in report.body
    assert "Keine Antwort: Anna" in report.body
    assert len(kickoffs(anna, room, bot, mark)) == 1


async def test_kickoff_missed_while_down_is_posted_once_after_the_restart(
    start_bot: StartBot, people: People
) -> None:
    clock = FixedClock(datetime.now(UTC))
    bot, room, lead, anna, _ = await _team(start_bot, people, clock, "10s")
    mark = anna.mark()
    kickoff_at = await kickoff_soon(lead, room, bot, clock)
    await bot.stop()
    clock.set(kickoff_at + timedelta(seconds=5))  # the kickoff time passes while the bot is down
    bot = await start_bot(plugins=FAST, builtins=BUILTINS, clock=clock)

    await wait_kickoff(anna, room, bot, mark)
    clock.advance(timedelta(seconds=10))  # the window ends
    await wait_report(anna, room, bot, mark)
    await bot.stop()
    bot = await start_bot(plugins=FAST, builtins=BUILTINS, clock=clock)  # within the grace time
    await ask(lead, room, bot, "!standup status")  # a sentinel: the bot has started and synced
    assert len(kickoffs(anna, room, bot, mark)) == 1
    opened = await bot.db.fetchval("SELECT COUNT(*) FROM standup_occurrences")
    assert opened == 1


async def test_kickoff_due_in_the_first_minute_after_a_restart_is_posted(
    start_bot: StartBot, people: People
) -> None:
    clock = FixedClock(datetime.now(UTC))
    bot, room, lead, anna, _ = await _team(start_bot, people, clock, "10s")
    kickoff_at = await kickoff_soon(lead, room, bot, clock)
    await bot.stop()
    bot = await start_bot(plugins=FAST, builtins=BUILTINS, clock=clock)  # before the kickoff
    await ask(lead, room, bot, "!standup status")  # a sentinel: started and synced
    mark = anna.mark()
    standup_id = await bot.db.fetchval("SELECT id FROM standups")
    assert bot.scheduler.next_run(f"standup:{standup_id}:kickoff") == kickoff_at
    clock.set(kickoff_at + timedelta(seconds=1))
    await wait_kickoff(anna, room, bot, mark)
    assert len(kickoffs(anna, room, bot, mark)) == 1
