"""Workday end to end against a real Synapse: a break on the board that expires, the
evening boundary with one kind note per sender, and the digest at the next start."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from personal_replies import confirmation, confirmed

from homeoffice_bot.app import BUILTIN_PLUGINS, App
from homeoffice_bot.devserver.person import Person
from homeoffice_bot.devserver.team import team_room
from homeoffice_bot.kernel.clock import FixedClock
from homeoffice_bot.kernel.events import Edit, Message
from homeoffice_bot.kernel.ids import RoomID
from homeoffice_bot.kernel.links import event_link
from homeoffice_bot.workday.plugin import WorkdayPlugin

pytestmark = pytest.mark.integration

BERLIN = ZoneInfo("Europe/Berlin")
TUESDAY_10 = datetime(2024, 3, 12, 10, 0, tzinfo=BERLIN)
WORKDAY = "homeoffice_bot.workday.plugin:WorkdayPlugin"
BUILTINS = BUILTIN_PLUGINS if WORKDAY in BUILTIN_PLUGINS else (*BUILTIN_PLUGINS, WORKDAY)
QUIET = {"workday": {"tick_seconds": 3600}}
"""The periodic tick stays out of the way; tests call ``plugin.tick()`` after moving the clock."""

BotFactory = Callable[..., Awaitable[App]]
PeopleFactory = Callable[..., Awaitable[Person]]


def workday_of(bot: App) -> WorkdayPlugin:
    plugin = bot.plugins["workday"]
    assert isinstance(plugin, WorkdayPlugin)
    return plugin


async def command(person: Person, room: RoomID, text: str, bot: App, contains: str) -> Message:
    """Say a command and wait for the bot's answer to it that contains ``contains``."""
    mark = person.mark()
    asked = await person.say(room, text)
    return await person.wait_for(
        Message,
        lambda m: m.sender == bot.matrix.user_id and m.reply_to == asked and contains in m.body,
        since=mark,
    )


async def board_edit(person: Person, bot: App, contains: str, since: int) -> Edit:
    return await person.wait_for(
        Edit, lambda e: e.sender == bot.matrix.user_id and contains in e.new_body, since=since
    )


async def test_break_shows_on_the_board_and_expires(
    start_bot: BotFactory, people: PeopleFactory
) -> None:
    clock = FixedClock(TUESDAY_10)
    bot = await start_bot(plugins=QUIET, clock=clock, builtins=BUILTINS)
    me = bot.matrix.user_id
    lead = await people("lead")
    ben = await people("ben")
    room = await team_room(lead, bot, [ben], encrypted=False)

    mark = ben.mark()
    reply = await confirmed(ben, room, "!pause 15m", bot, "Gute Pause")
    assert "bis 10:15" in reply.body
    board = await ben.wait_message(room, "Teamübersicht · Stand", sender=me, since=mark)
    assert "Ben — Pause bis 10:15 ☕" in board.body

    mark = ben.mark()
    clock.advance(timedelta(minutes=16))
    await workday_of(bot).tick()
    edit = await board_edit(ben, bot, "Ben — Im Dienst 🟢", mark)
    assert edit.original_event_id == board.event_id
    assert "Ben — Pause" not in edit.new_body


async def test_evening_mention_gets_one_note_and_a_digest_next_morning(
    start_bot: BotFactory, people: PeopleFactory
) -> None:
    clock = FixedClock(TUESDAY_10)
    bot = await start_bot(plugins=QUIET, clock=clock, builtins=BUILTINS)
    me = bot.matrix.user_id
    lead = await people("lead")
    anna = await people("anna")
    ben = await people("ben")
    room = await team_room(lead, bot, [anna, ben], encrypted=False)

    await confirmed(ben, room, "!moin", bot, "Guten Morgen")
    clock.set(datetime(2024, 3, 12, 16, 40, tzinfo=BERLIN))
    reply = await confirmed(ben, room, "!feierabend", bot, "Feierabend")
    assert "morgen um 08:00 Uhr" in reply.body

    mark = anna.mark()
    first = await anna.say_mentioning(room, f"{ben.user_id} hast du kurz Zeit?", ben.user_id, "Ben")
    note = await anna.wait_message(room, "außer Dienst", sender=me, since=mark)
    assert note.thread_root == first
    assert "morgen um 08:00 Uhr" in note.body
    await anna.say_mentioning(room, f"{ben.user_id} noch eine Frage", ben.user_id, "Ben")
    status = await command(anna, room, f"!status {ben.user_id}", bot, "Ben:")
    assert "Feierabend" in status.body
    notes = [e for e in anna.events[mark:] if isinstance(e, Message) and "außer Dienst" in e.body]
    assert len(notes) == 1

    clock.set(datetime(2024, 3, 13, 7, 55, tzinfo=BERLIN))
    mark = ben.mark()
    await confirmed(ben, room, "!moin", bot, "Guten Morgen")
    digest = await ben.wait_for(
        Message, lambda m: m.sender == me and "Während du weg warst" in m.body, since=mark
    )
    assert digest.room_id != room
    assert event_link(room, first, ["localhost"]) in (digest.formatted_body or "")
    assert "2 Erwähnungen" in digest.body
    assert "Nachricht von Anna öffnen" in digest.body


async def test_leave_with_a_stand_in_is_named_in_the_note(
    start_bot: BotFactory, people: PeopleFactory
) -> None:
    bot = await start_bot(plugins=QUIET, clock=FixedClock(TUESDAY_10), builtins=BUILTINS)
    me = bot.matrix.user_id
    lead = await people("lead")
    anna = await people("anna", displayname="Anna")
    ben = await people("ben", displayname="Ben")
    room = await team_room(lead, bot, [anna, ben], encrypted=False)

    refused = await command(anna, room, "!urlaub 12.03.–15.03. vertretung @room", bot, "„@room“")
    assert "eine Vertretung ist eine Person" in refused.body
    reply = await confirmed(anna, room, "!urlaub 12.03.–15.03. vertretung Ben", bot, "Urlaub")
    assert "12.03. bis 15.03." in reply.body
    assert "Vertretung: Ben" in reply.body
    board = await lead.wait_message(room, "Teamübersicht · Stand", sender=me)
    assert "Anna — Urlaub bis 15.03. 🏖️ — Vertretung: Ben" in board.body

    mark = lead.mark()
    asked = await lead.say_mentioning(
        room, f"{anna.user_id} wo liegt die Akte?", anna.user_id, "Anna"
    )
    note = await lead.wait_message(room, "im Urlaub", sender=me, since=mark)
    assert note.thread_root == asked
    assert "Vertretung: Ben" in note.body
    assert "Mo um 08:00 Uhr" in note.body  # back on Monday 18.03. at the start of her hours


async def test_only_moderators_set_team_hours(start_bot: BotFactory, people: PeopleFactory) -> None:
    bot = await start_bot(plugins=QUIET, clock=FixedClock(TUESDAY_10), builtins=BUILTINS)
    lead = await people("lead")
    ben = await people("ben")
    room = await team_room(lead, bot, [ben], encrypted=False)

    refused = await command(ben, room, "!arbeitszeit team mo-fr 09:00-17:00", bot, "Moderation")
    assert "nur die Moderation" in refused.body
    saved = await command(lead, room, "!arbeitszeit team mo-fr 09:00-17:00", bot, "Team")
    assert "Mo–Fr 09:00–17:00" in saved.body
    own = await confirmed(ben, room, "!arbeitszeit", bot, "Deine Arbeitszeit")
    assert "Mo–Fr 09:00–17:00" in own.body
    assert "Standard deines Teams" in own.body
    wrong = await command(ben, room, "!arbeitszeit mo-fr 9-", bot, "Verwendung")
    assert "!arbeitszeit" in wrong.body


async def test_encrypted_room_break_board_and_off_note(
    start_bot: BotFactory, people: PeopleFactory
) -> None:
    clock = FixedClock(TUESDAY_10)
    bot = await start_bot(plugins=QUIET, clock=clock, builtins=BUILTINS)
    me = bot.matrix.user_id
    lead = await people("lead")
    anna = await people("anna")
    room = await team_room(lead, bot, [anna], encrypted=True)

    mark = anna.mark()
    reply = await confirmed(anna, room, "!pause bis 10:30", bot, "Gute Pause")
    assert reply.encrypted
    board = await anna.wait_message(room, "Anna — Pause bis 10:30 ☕", sender=me, since=mark)
    assert board.encrypted

    mark = anna.mark()
    clock.set(datetime(2024, 3, 12, 17, 31, tzinfo=BERLIN))
    await workday_of(bot).tick()  # the break is long over; an hour after 16:30 she is off
    await board_edit(anna, bot, "Anna — Feierabend 🌙", mark)

    mark = lead.mark()
    await lead.say_mentioning(room, f"{anna.user_id} kurze Frage", anna.user_id, "Anna")
    note = await lead.wait_message(room, "morgen um 08:00 Uhr", sender=me, since=mark)
    assert note.encrypted


async def test_a_command_typed_while_the_bot_is_down_edits_the_same_board(
    start_bot: BotFactory, people: PeopleFactory
) -> None:
    clock = FixedClock(TUESDAY_10)
    bot = await start_bot(plugins=QUIET, clock=clock, builtins=BUILTINS)
    lead = await people("lead")
    ben = await people("ben")
    room = await team_room(lead, bot, [ben], encrypted=True)
    mark = ben.mark()
    await confirmed(ben, room, "!moin", bot, "Guten Morgen")
    board = await ben.wait_message(
        room, "Teamübersicht · Stand", sender=bot.matrix.user_id, since=mark
    )
    await bot.stop()

    mark = ben.mark()
    asked = await ben.say(room, "!pause 15m")
    bot = await start_bot(plugins=QUIET, clock=clock, builtins=BUILTINS)
    await confirmation(ben, room, asked, bot, "Gute Pause", mark)
    edit = await board_edit(ben, bot, "Ben — Pause bis 10:15 ☕", mark)
    assert edit.original_event_id == board.event_id

    mark = ben.mark()
    clock.advance(timedelta(minutes=15))
    await workday_of(bot).tick()
    edit = await board_edit(ben, bot, "Ben — Im Dienst 🟢", mark)
    assert edit.original_event_id == board.event_id


async def test_english_room(start_bot: BotFactory, people: PeopleFactory) -> None:
    bot = await start_bot(plugins=QUIET, clock=FixedClock(TUESDAY_10), builtins=BUILTINS)
    lead = await people("lead")
    room = await team_room(lead, bot, [], encrypted=False)
    await command(lead, room, "!language en", bot, "English")
    mark = lead.mark()
    reply = await confirmed(lead, room, "!break until 10:30", bot, "Enjoy your break")
    assert "until 10:30" in reply.body
    board = await lead.wait_message(
        room, "Team overview · as of", sender=bot.matrix.user_id, since=mark
    )
    assert "Lead — On a break until 10:30 ☕" in board.body
    refused = await command(lead, room, "!break until 9:00", bot, "Usage")
    assert "09:00" in refused.body


async def test_board_is_pinned_when_the_bot_may_and_the_urgent_keyword_passes(
    start_bot: BotFactory, people: PeopleFactory
) -> None:
    bot = await start_bot(plugins=QUIET, clock=FixedClock(TUESDAY_10), builtins=BUILTINS)
    me = bot.matrix.user_id
    lead = await people("lead")
    anna = await people("anna")
    ben = await people("ben")
    room = await team_room(lead, bot, [anna, ben], encrypted=False)
    await lead.client.set_power_level(room, me, 50)
    for _ in range(100):
        if bot.matrix.power_level(room, me) >= 50:
            break
        await asyncio.sleep(0.1)

    mark = ben.mark()
    await confirmed(ben, room, "!feierabend", bot, "Feierabend")
    board = await ben.wait_message(room, "Teamübersicht · Stand", sender=me, since=mark)
    pinned: list[str] = []
    for _ in range(50):  # the bot pins right after posting
        state = await lead.client._client.room_get_state_event(room, "m.room.pinned_events")
        pinned = getattr(state, "content", {}).get("pinned", [])
        if pinned:
            break
        await asyncio.sleep(0.1)
    assert pinned == [board.event_id]

    refused = await command(anna, room, "!dringend #dringend", bot, "Moderation")
    assert "nur die Moderation" in refused.body
    await command(lead, room, "!dringend #dringend", bot, "protokolliert")
    mark = anna.mark()
    await anna.say_mentioning(
        room, f"#dringend {ben.user_id} der Server brennt", ben.user_id, "Ben"
    )
    await command(anna, room, f"!status {ben.user_id}", bot, "Ben:")
    said = [e.body for e in anna.events[mark:] if isinstance(e, Message) and e.sender == me]
    assert not any("außer Dienst" in body for body in said)
    assert await workday_of(bot).workday.inbox.mentions(ben.user_id) == []
