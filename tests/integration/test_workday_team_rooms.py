"""Who sees whose state, against a real Synapse: ``!status @person`` only among people who
share a team room, a board only in rooms with the workday on, and a board that shows the
present: a fresh message each day (yesterday's redacted and unpinned), in alphabetical
order, without Matrix presence."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from personal_replies import confirmed

from homeoffice_bot.app import BUILTIN_PLUGINS, App
from homeoffice_bot.devserver.person import Person
from homeoffice_bot.devserver.team import team_room
from homeoffice_bot.kernel.clock import FixedClock
from homeoffice_bot.kernel.events import Edit, Message, Redaction
from homeoffice_bot.kernel.ids import EventID, RoomID

pytestmark = pytest.mark.integration

BERLIN = ZoneInfo("Europe/Berlin")
TUESDAY_10 = datetime(2024, 3, 12, 10, 0, tzinfo=BERLIN)
WEDNESDAY_9 = datetime(2024, 3, 13, 9, 0, tzinfo=BERLIN)
WORKDAY = "homeoffice_bot.workday.plugin:WorkdayPlugin"
BUILTINS = BUILTIN_PLUGINS if WORKDAY in BUILTIN_PLUGINS else (*BUILTIN_PLUGINS, WORKDAY)
QUIET = {"workday": {"tick_seconds": 3600}}
BOARD = "Teamübersicht · Stand"

BotFactory = Callable[..., Awaitable[App]]
PeopleFactory = Callable[..., Awaitable[Person]]


async def command(person: Person, room: RoomID, text: str, bot: App, contains: str) -> Message:
    """Say a command and wait for the bot's answer to it that contains ``contains``."""
    mark = person.mark()
    asked = await person.say(room, text)
    return await person.wait_for(
        Message,
        lambda m: m.sender == bot.matrix.user_id and m.reply_to == asked and contains in m.body,
        since=mark,
    )


async def known_as_moderator(bot: App, room: RoomID, person: Person) -> None:
    """Wait until the room's power levels have reached the bot."""
    for _ in range(100):
        if bot.matrix.power_level(room, person.user_id) >= 50:
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"{person.user_id} is no moderator of {room} for the bot")


async def direct_chat(person: Person, bot: App) -> RoomID:
    """A direct chat the person opens with the bot (the bot joins on invitation)."""
    room = await person.client.direct_room(bot.matrix.user_id)
    assert await person.wait_joined(room, bot.matrix.user_id, timeout=20)
    return room


async def redacted(person: Person, bot: App, event_id: EventID, since: int) -> Redaction:
    return await person.wait_for(
        Redaction, lambda r: r.sender == bot.matrix.user_id and r.redacts == event_id, since=since
    )


def boards_since(person: Person, bot: App, room: RoomID, since: int) -> list[str]:
    return [
        e.body
        for e in person.events[since:]
        if isinstance(e, Message) and e.sender == bot.matrix.user_id and e.room_id == room
        and BOARD in e.body
    ]  # fmt: skip


async def pinned_events(person: Person, room: RoomID, expected: list[str]) -> list[str]:
    pinned: list[str] = []
    for _ in range(50):  # the bot pins right after posting
        state = await person.client._client.room_get_state_event(room, "m.room.pinned_events")
        pinned = list(getattr(state, "content", {}).get("pinned", []))
        if pinned == expected:
            break
        await asyncio.sleep(0.1)
    return pinned


async def test_status_of_a_person_only_for_those_who_share_a_team_room_with_her(
    start_bot: BotFactory, people: PeopleFactory
) -> None:
    bot = await start_bot(plugins=QUIET, clock=FixedClock(TUESDAY_10), builtins=BUILTINS)
    lead = await people("lead", "Petra")
    anna = await people("anna", "Anna")
    ben = await people("ben", "Ben")
    dora = await people("dora", "Dora")
    room = await team_room(lead, bot, [anna, ben], encrypted=True)
    own = await team_room(dora, bot, [], encrypted=False, name="Doras Raum")
    await known_as_moderator(bot, room, lead)
    await confirmed(anna, room, "!pause 15m", bot, "Pause")

    seen = await command(ben, room, f"!status {anna.user_id}", bot, "Anna:")
    assert "Pause bis 10:15" in seen.body

    # Dora shares no room with Anna: she learns nothing, not even that Anna uses the bot.
    stranger = await command(dora, own, f"!status {anna.user_id}", bot, "Angaben")
    nobody_id = anna.user_id.replace("@anna:", "@nobody:")
    nobody = await command(dora, own, f"!status {nobody_id}", bot, "Angaben")
    assert stranger.body == nobody.body.replace("nobody", "anna")
    assert "Pause" not in stranger.body
    assert "Anna" not in stranger.body

    # In the direct chat: the same for each of them.
    ben_dm = await direct_chat(ben, bot)
    seen = await command(ben, ben_dm, f"!status {anna.user_id}", bot, "Anna:")
    assert "Pause bis 10:15" in seen.body
    dora_dm = await direct_chat(dora, bot)
    asked = await command(dora, dora_dm, f"!status {anna.user_id}", bot, "Angaben")
    assert asked.body == stranger.body

    # With the workday off in the team room, its members do not see each other there either.
    await command(lead, room, "!übersicht aus", bot, "aus")
    hidden = await command(ben, room, f"!status {anna.user_id}", bot, "Angaben")
    assert "Pause" not in hidden.body
    off = await command(ben, room, "!status", bot, "Teamübersicht")
    assert "!übersicht an" in off.body
    refused = await command(anna, room, "!übersicht an", bot, "Moderation")
    assert "nur die Moderation" in refused.body
    await command(lead, room, "!übersicht an", bot, "ist in diesem Raum an")
    again = await command(ben, room, f"!status {anna.user_id}", bot, "Anna:")
    assert "Pause bis 10:15" in again.body


async def test_a_person_is_on_the_boards_of_her_rooms_with_the_workday_on_only(
    start_bot: BotFactory, people: PeopleFactory
) -> None:
    bot = await start_bot(plugins=QUIET, clock=FixedClock(TUESDAY_10), builtins=BUILTINS)
    me = bot.matrix.user_id
    lead = await people("lead", "Petra")
    anna = await people("anna", "Anna")
    ben = await people("ben", "Ben")
    cleo = await people("cleo", "Cleo")
    room_a = await team_room(lead, bot, [anna, ben], encrypted=False, name="Team A")
    room_b = await team_room(ben, bot, [cleo], encrypted=False, name="Projekt B")
    await known_as_moderator(bot, room_b, ben)

    mark = anna.mark()
    await confirmed(anna, room_a, "!moin", bot, "Guten Morgen")
    board_a = await anna.wait_message(room_a, BOARD, sender=me, since=mark)
    assert "Anna — Im Dienst 🟢" in board_a.body

    auto = await command(ben, room_b, "!übersicht", bot, "richtet sich")
    assert "ist an" in auto.body
    mark = cleo.mark()
    await confirmed(ben, room_b, "!moin", bot, "Guten Morgen")
    board_b = await cleo.wait_message(room_b, BOARD, sender=me, since=mark)
    assert "Ben — Im Dienst 🟢" in board_b.body
    assert "Anna" not in board_b.body  # not a member of room B

    mark = cleo.mark()
    await command(ben, room_b, "!übersicht aus", bot, "ist in diesem Raum aus")
    await redacted(cleo, bot, board_b.event_id, mark)
    mark_a, mark_b = anna.mark(), cleo.mark()
    await confirmed(ben, room_a, "!pause 15m", bot, "Pause")
    await anna.wait_for(
        Edit,
        lambda e: (
            e.original_event_id == board_a.event_id and "Ben — Pause bis 10:15 ☕" in e.new_body
        ),
        since=mark_a,
    )
    await command(cleo, room_b, "!status", bot, "Teamübersicht")  # a sentinel
    assert boards_since(cleo, bot, room_b, mark_b) == []

    mark = cleo.mark()
    await command(ben, room_b, "!übersicht an", bot, "ist in diesem Raum an")
    board = await cleo.wait_message(room_b, BOARD, sender=me, since=mark)
    assert "Ben — Pause bis 10:15 ☕" in board.body

    # Leaving a room takes a person off its board at once.
    mark = lead.mark()
    await anna.client.leave(room_a)
    await lead.wait_for(
        Edit,
        lambda e: (
            e.original_event_id == board_a.event_id
            and "Ben — Pause" in e.new_body
            and "Anna" not in e.new_body
        ),
        since=mark,
    )


@pytest.mark.parametrize("encrypted", [False, True], ids=["plain", "encrypted"])
async def test_each_day_gets_a_fresh_board_in_alphabetical_order(
    start_bot: BotFactory, people: PeopleFactory, encrypted: bool
) -> None:
    clock = FixedClock(TUESDAY_10)
    bot = await start_bot(plugins=QUIET, clock=clock, builtins=BUILTINS)
    me = bot.matrix.user_id
    zoe = await people("zoe", "Zoe")
    anna = await people("anna", "anna")
    ben = await people("ben", "Ben")
    room = await team_room(zoe, bot, [anna, ben], encrypted=encrypted)
    await zoe.client.set_power_level(room, me, 50)
    for _ in range(100):
        if bot.matrix.power_level(room, me) >= 50:
            break
        await asyncio.sleep(0.1)

    mark = ben.mark()
    await confirmed(zoe, room, "!feierabend", bot, "Feierabend")
    first = await ben.wait_message(room, BOARD, sender=me, since=mark)
    assert await pinned_events(ben, room, [first.event_id]) == [first.event_id]
    await confirmed(anna, room, "!pause 15m", bot, "Pause")
    mark = ben.mark()
    await confirmed(ben, room, "!moin", bot, "Guten Morgen")
    edit = await ben.wait_for(
        Edit, lambda e: e.sender == me and "Ben — Im Dienst" in e.new_body, since=mark
    )
    assert edit.original_event_id == first.event_id  # the same day: the same message
    lines = [line for line in edit.new_body.splitlines() if line.startswith("- ")]
    assert [line.split(" — ")[0] for line in lines] == ["- anna", "- Ben", "- Zoe"]
    assert "online" not in edit.new_body

    clock.set(WEDNESDAY_9)
    mark = ben.mark()
    await confirmed(zoe, room, "!moin", bot, "Guten Morgen")
    fresh = await ben.wait_message(room, "Zoe — Im Dienst 🟢", sender=me, since=mark)
    assert fresh.event_id != first.event_id
    assert fresh.encrypted is encrypted
    await redacted(ben, bot, first.event_id, mark)
    assert await pinned_events(ben, room, [fresh.event_id]) == [fresh.event_id]
    lines = [line for line in fresh.body.splitlines() if line.startswith("- ")]
    assert [line.split(" — ")[0] for line in lines] == ["- anna", "- Ben", "- Zoe"]
