"""Many stand-ups at one minute: the scheduler fires them a few at a time, and every room
gets exactly one kickoff. The clock is the test's: the minute comes when it is moved."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

import pytest
from test_standup_support import BERLIN, BUILTINS, FAST, configure, is_kickoff

from homeoffice_bot.app import App
from homeoffice_bot.devserver.person import Person
from homeoffice_bot.devserver.team import team_room
from homeoffice_bot.kernel.clock import FixedClock
from homeoffice_bot.kernel.events import Message
from homeoffice_bot.kernel.ids import RoomID
from homeoffice_bot.standup.plugin import PURGE_JOB

pytestmark = pytest.mark.integration

StartBot = Callable[..., Awaitable[App]]
People = Callable[..., Awaitable[Person]]

ROOMS = 24
"""Three times the scheduler's default number of firings at once."""


async def test_many_standups_at_one_minute_get_one_kickoff_each_a_few_at_a_time(
    start_bot: StartBot, people: People
) -> None:
    clock = FixedClock(datetime.now(UTC))
    bot = await start_bot(plugins=FAST, builtins=BUILTINS, clock=clock)
    assert bot.scheduler.slots.limit < ROOMS
    lead = await people("lead")
    rooms: list[RoomID] = list(
        await asyncio.gather(
            *(team_room(lead, bot, [], encrypted=False, name=f"Team {i}") for i in range(ROOMS))
        )
    )
    # A minute well after the set-up (whose server time is when the schedule counts from)
    minute = (datetime.now(BERLIN) + timedelta(minutes=10)).replace(second=0, microsecond=0)
    setup = f"!standup einrichten {minute:%H:%M} täglich"
    await asyncio.gather(*(configure(lead, room, bot, setup) for room in rooms))
    kickoffs = [j for j in bot.scheduler.job_ids("standup:") if j != PURGE_JOB]
    for job_id in kickoffs:
        assert bot.scheduler.next_run(job_id) == minute.astimezone(UTC)

    mark = lead.mark()
    clock.set(minute)  # the scheduler wakes at once and fires all of them
    for room in rooms:

        def kickoff_in(message: Message, room: RoomID = room) -> bool:
            return message.room_id == room and is_kickoff(message, bot)

        await lead.wait_for(Message, kickoff_in, timeout=60, since=mark)
    assert await bot.scheduler.run_due() == 0  # nothing left to fire at this minute

    assert bot.scheduler.slots.peak == bot.scheduler.slots.limit  # bounded, and used
    assert bot.scheduler.slots.busy == 0
    assert bot.scheduler.slots.waiting == 0
    kickoffs = [e for e in lead.events[mark:] if isinstance(e, Message) and is_kickoff(e, bot)]
    per_room = {room: sum(1 for k in kickoffs if k.room_id == room) for room in rooms}
    assert per_room == dict.fromkeys(rooms, 1)
    opened = await bot.db.fetchval("SELECT COUNT(*) FROM standup_occurrences")
    assert opened == ROOMS
