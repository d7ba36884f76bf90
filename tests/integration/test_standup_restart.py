"""Stand-ups survive restarts: an open window carries on, answers typed while the bot was
down count by their server time, a kickoff is never posted twice, a missed one once."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import pytest
from test_standup_support import (
    BUILTINS,
    FAST,
    configure,
    in_seconds,
    is_kickoff,
    set_up_standup,
    wait_ack,
    wait_kickoff,
    wait_report,
)

from homeoffice_bot.app import App
from homeoffice_bot.devserver.person import Person
from homeoffice_bot.devserver.team import team_room
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


async def _team(start_bot: StartBot, people: People, window: str) -> Team:
    bot = await start_bot(plugins=FAST, builtins=BUILTINS)
    lead, anna, ben = [await people(n) for n in ("lead", "anna", "ben")]
    room = await team_room(lead, bot, [anna, ben], encrypted=True)
    # names and lateness on: these tests are about which answers count as late
    await set_up_standup(lead, room, bot, window, "!standup offene namen", "!standup verspätung an")
    return bot, room, lead, anna, ben


async def test_open_window_carries_on_after_a_restart_with_the_answer_typed_meanwhile(
    start_bot: StartBot, people: People
) -> None:
    bot, room, lead, anna, ben = await _team(start_bot, people, "30s")
    mark = anna.mark()
    await configure(lead, room, bot, f"!standup zeit {in_seconds(3)}")
    kickoff = await wait_kickoff(anna, room, bot, mark)
    answer = await anna.say(room, "Heute: Haushalt", thread_root=kickoff.event_id)
    await wait_ack(anna, answer, bot, mark)

    await bot.stop()
    await ben.say(room, "Heute: offline geschrieben\nBlocker: keine", thread_root=kickoff.event_id)
    bot = await start_bot(plugins=FAST, builtins=BUILTINS)

    report = await wait_report(anna, room, bot, mark)
    assert "offline geschrieben" in report.body
    assert "Haushalt" in report.body
    assert "Keine Antwort" not in report.body
    assert "verspätet" not in report.body
    assert len(kickoffs(anna, room, bot, mark)) == 1


async def test_answers_typed_while_down_count_by_server_time_when_the_window_closed_meanwhile(
    start_bot: StartBot, people: People
) -> None:
    bot, room, lead, anna, ben = await _team(start_bot, people, "8s")
    mark = anna.mark()
    await configure(lead, room, bot, f"!standup zeit {in_seconds(3)}")
    kickoff = await wait_kickoff(anna, room, bot, mark)

    await bot.stop()
    await ben.say(room, "1. Akten\n2. Termine\n3. nichts", thread_root=kickoff.event_id)
    await asyncio.sleep(9)  # the window closes while the bot is down
    bot = await start_bot(plugins=FAST, builtins=BUILTINS)

    report = await wait_report(anna, room, bot, mark)
    assert "Akten" in report.body
    assert "verspätet" not in report.body
    assert "Keine Antwort: Anna" in report.body
    assert len(kickoffs(anna, room, bot, mark)) == 1


async def test_kickoff_missed_while_down_is_posted_once_after_the_restart(
    start_bot: StartBot, people: People
) -> None:
    bot, room, lead, anna, _ = await _team(start_bot, people, "10s")
    mark = anna.mark()
    await configure(lead, room, bot, f"!standup zeit {in_seconds(4)}")
    await bot.stop()
    await asyncio.sleep(5)  # the kickoff time passes while the bot is down
    bot = await start_bot(plugins=FAST, builtins=BUILTINS)

    await wait_kickoff(anna, room, bot, mark)
    await wait_report(anna, room, bot, mark)
    await bot.stop()
    bot = await start_bot(plugins=FAST, builtins=BUILTINS)  # within the grace time again
    await asyncio.sleep(2)
    assert len(kickoffs(anna, room, bot, mark)) == 1
