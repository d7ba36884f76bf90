"""Due times against a real Synapse: what a person types moves their next look, a team's
new hours move everyone in the team, and the bot wakes for the earliest due time."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from personal_replies import confirmed

from homeoffice_bot.app import App
from homeoffice_bot.devserver.person import Person
from homeoffice_bot.devserver.team import team_room
from homeoffice_bot.kernel.clock import FixedClock
from homeoffice_bot.kernel.events import Message
from homeoffice_bot.kernel.ids import RoomID, UserID
from homeoffice_bot.workday.jobs import DUE_JOB
from homeoffice_bot.workday.plugin import WorkdayPlugin

pytestmark = pytest.mark.integration

BERLIN = ZoneInfo("Europe/Berlin")
QUIET = {"workday": {"tick_seconds": 3600}}

BotFactory = Callable[..., Awaitable[App]]
PeopleFactory = Callable[..., Awaitable[Person]]


def at(hour: int, minute: int = 0) -> datetime:
    return datetime(2024, 3, 12, hour, minute, tzinfo=BERLIN)


async def command(person: Person, room: RoomID, text: str, bot: App, contains: str) -> Message:
    mark = person.mark()
    asked = await person.say(room, text)
    return await person.wait_for(
        Message,
        lambda m: m.sender == bot.matrix.user_id and m.reply_to == asked and contains in m.body,
        since=mark,
    )


async def due_becomes(plugin: WorkdayPlugin, user: UserID, expected: datetime) -> None:
    """The person's stored due time becomes ``expected`` (it is written after the reply)."""
    store = plugin.workday.store
    for _ in range(100):
        if await store.due_at(user) == expected:
            return
        await asyncio.sleep(0.05)
    assert await store.due_at(user) == expected


async def test_commands_and_team_hours_move_the_due_time(
    start_bot: BotFactory, people: PeopleFactory
) -> None:
    clock = FixedClock(at(10))
    bot = await start_bot(plugins=QUIET, clock=clock)
    plugin = bot.plugins["workday"]
    assert isinstance(plugin, WorkdayPlugin)
    lead = await people("lead")
    ben = await people("ben")
    room = await team_room(lead, bot, [ben], encrypted=False)

    await confirmed(ben, room, "!pause 15m", bot, "Gute Pause")
    await due_becomes(plugin, ben.user_id, at(10, 15))  # the end of the break
    assert DUE_JOB in bot.scheduler.job_ids("workday.")

    clock.set(at(10, 5))
    await confirmed(ben, room, "!zurück", bot, "Willkommen zurück")
    # worked since 10:05 and the day ends at 16:30: the six-hour note 15 minutes ahead
    await due_becomes(plugin, ben.user_id, at(15, 50))

    # the team's hours now end at 15:00: everyone in the team is due at once, the bot
    # wakes and looks at Ben by itself. His day is planned to end before six hours, so
    # his next look is the end-of-day reminder at 14:45
    await command(lead, room, "!arbeitszeit team mo-fr 07:00-15:00", bot, "07:00")
    await due_becomes(plugin, ben.user_id, at(14, 45))
    await plugin.tick()  # nothing is due: nothing changes
    assert await plugin.workday.store.due_at(ben.user_id) == at(14, 45)
    assert await plugin.workday.store.earliest_due() == at(14, 45)
