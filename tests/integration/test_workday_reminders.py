"""A working day with the bot against a real Synapse: a planned break, an ArbZG note,
the end-of-day reminder with its wrap-up question, switching off when inactive, and
what was held back arriving at the next start."""

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
from homeoffice_bot.kernel.events import Edit, Message
from homeoffice_bot.kernel.ids import RoomID
from homeoffice_bot.kernel.storage import Database
from homeoffice_bot.workday.api import AVAILABILITY
from homeoffice_bot.workday.plugin import WorkdayPlugin

pytestmark = pytest.mark.integration

BERLIN = ZoneInfo("Europe/Berlin")
QUIET = {"workday": {"tick_seconds": 3600}}

BotFactory = Callable[..., Awaitable[App]]
PeopleFactory = Callable[..., Awaitable[Person]]


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2024, 3, day, hour, minute, tzinfo=BERLIN)


async def command(person: Person, room: RoomID, text: str, bot: App, contains: str) -> Message:
    """Say a command and wait for the bot's answer to it that contains ``contains``."""
    mark = person.mark()
    asked = await person.say(room, text)
    return await person.wait_for(
        Message,
        lambda m: m.sender == bot.matrix.user_id and m.reply_to == asked and contains in m.body,
        since=mark,
    )


async def direct(person: Person, bot: App, contains: str, since: int) -> Message:
    """The bot's next direct message to ``person`` that contains ``contains``."""
    return await person.wait_for(
        Message,
        lambda m: m.sender == bot.matrix.user_id and m.is_direct and contains in m.body,
        since=since,
    )


def bot_messages(person: Person, bot: App, since: int) -> list[Message]:
    return [
        e
        for e in person.events[since:]
        if isinstance(e, Message) and e.sender == bot.matrix.user_id
    ]


async def test_a_working_day_with_reminders_and_a_quiet_evening(
    start_bot: BotFactory, people: PeopleFactory
) -> None:
    clock = FixedClock(at(12, 8))
    bot = await start_bot(plugins=QUIET, clock=clock)
    plugin = bot.plugins["workday"]
    assert isinstance(plugin, WorkdayPlugin)
    lead = await people("lead")
    anna = await people("anna")
    ben = await people("ben")
    room = await team_room(lead, bot, [anna, ben], encrypted=True)

    plan = await confirmed(ben, room, "!pause plan täglich 12:00-12:30", bot, "Geplante Pausen")
    assert "täglich 12:00–12:30" in plan.body
    await confirmed(ben, room, "!moin", bot, "Guten Morgen")
    await confirmed(anna, room, "!moin", bot, "Guten Morgen")

    # 12:01 the planned break begins: a private reminder, and the board says so
    mark_ben, mark_lead = ben.mark(), lead.mark()
    clock.set(at(12, 12, 1))
    await plugin.tick()
    await direct(ben, bot, "geplante Pause bis 12:30", mark_ben)
    await lead.wait_for(Edit, lambda e: "Ben — Pause bis 12:30 ☕" in e.new_body, since=mark_lead)

    # 13:46 Anna has worked almost six hours without a break: a friendly note, once
    mark_anna = anna.mark()
    clock.set(at(12, 13, 46))
    await plugin.tick()
    note = await direct(anna, bot, "30 Minuten Pause", mark_anna)
    assert "5 Std. 46 Min." in note.body
    assert "Abschalten mit `!arbzg aus`" in note.body or "!arbzg aus" in note.body
    clock.set(at(12, 13, 50))
    await plugin.tick()

    # 16:16: the end-of-day reminder with the wrap-up question; Ben answers by DM
    mark_ben = ben.mark()
    clock.set(at(12, 16, 16))
    await plugin.tick()
    reminder = await direct(ben, bot, "endet um 16:30", mark_ben)
    assert "Was willst du dir für den nächsten Arbeitstag merken?" in reminder.body
    mark_ben = ben.mark()
    await ben.say(reminder.room_id, "Bericht an Petra schicken")
    await ben.wait_message(reminder.room_id, "Notiert", sender=bot.matrix.user_id, since=mark_ben)

    # 17:31, nobody active since the end of the day: both are set to off, quietly
    mark_ben, mark_lead = ben.mark(), lead.mark()
    clock.set(at(12, 17, 31))
    await plugin.tick()
    await lead.wait_for(
        Edit,
        lambda e: "Anna — Feierabend 🌙" in e.new_body and "Ben — Feierabend 🌙" in e.new_body,
        since=mark_lead,
    )
    availability = bot.services.get(AVAILABILITY)
    assert availability is not None
    assert not await availability.is_available(ben.user_id, clock.now())
    assert await availability.next_available(ben.user_id, clock.now()) == at(13, 8)
    await availability.deliver(ben.user_id, "Stand-up morgen um 9:15")
    await plugin.tick()
    assert [m.body for m in bot_messages(ben, bot, mark_ben) if m.is_direct] == []

    # Next morning Ben starts: yesterday's answer, the note about 17:31 and the held message
    mark_ben = ben.mark()
    clock.set(at(13, 7, 50))
    await confirmed(ben, room, "!moin", bot, "Guten Morgen")
    handback = await direct(ben, bot, "Das wolltest du dir merken", mark_ben)
    assert "Bericht an Petra schicken" in handback.body
    await direct(ben, bot, "auf Feierabend gesetzt", mark_ben)
    await direct(ben, bot, "Stand-up morgen um 9:15", mark_ben)

    # Anna starts at 03:00: less than 11 hours after 16:30 — a gentle note
    mark_anna = anna.mark()
    clock.set(at(13, 3, 0))
    await confirmed(anna, room, "!moin", bot, "Guten Morgen")
    rest = await direct(anna, bot, "11 Stunden Ruhezeit", mark_anna)
    assert "03:30" in rest.body


async def test_a_message_held_during_a_break_comes_with_zurueck(
    start_bot: BotFactory, people: PeopleFactory
) -> None:
    clock = FixedClock(at(12, 10))
    bot = await start_bot(plugins=QUIET, clock=clock)
    plugin = bot.plugins["workday"]
    assert isinstance(plugin, WorkdayPlugin)
    lead = await people("lead")
    room = await team_room(lead, bot, [], encrypted=False)
    await confirmed(lead, room, "!pause 30m", bot, "Gute Pause")
    availability = bot.services.get(AVAILABILITY)
    assert availability is not None
    assert await availability.next_available(lead.user_id, clock.now()) == at(12, 10, 30)
    await availability.deliver(lead.user_id, "Rückruf von Herrn Meier")
    await wait_until(lambda: bot.outbox.held_count(), 1)

    mark = lead.mark()
    clock.set(at(12, 10, 5))
    await confirmed(lead, room, "!zurück", bot, "Willkommen zurück")
    await direct(lead, bot, "Rückruf von Herrn Meier", mark)
    assert await bot.outbox.held_count() == 0


async def wait_until(count: Callable[[], Awaitable[int]], expected: int) -> None:
    for _ in range(100):
        if await count() == expected:
            return
        await asyncio.sleep(0.05)
    assert await count() == expected


async def test_messages_held_by_an_earlier_version_are_delivered_after_the_update(
    start_bot: BotFactory, people: PeopleFactory
) -> None:
    bot = await start_bot(plugins=QUIET)
    lead = await people("lead")
    await team_room(lead, bot, [], encrypted=False)
    await bot.stop()
    db = Database(bot.db.target)  # what the workday's own table still held
    await db.open()
    await db.execute(
        "INSERT INTO workday_held(user_id, room_id, markdown, held_at, deliver_at)"
        " VALUES (?, NULL, ?, ?, NULL)",
        (lead.user_id, "Rückruf von Herrn Meier", "2026-11-30T17:00:00+00:00"),
    )
    await db.close()

    mark = lead.mark()
    bot = await start_bot(plugins=QUIET)
    await direct(lead, bot, "Rückruf von Herrn Meier", mark)  # never used the workday: now
    plugin = bot.plugins["workday"]
    assert isinstance(plugin, WorkdayPlugin)
    assert await plugin.workday.inbox.held() == []
