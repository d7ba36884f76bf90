"""Private by default, against a real Synapse: personal confirmations go to the person's
direct chat with a ✅ on the command in the team room; a reason typed in the room is not
kept, and what the bot says about who can see it is true; errors answer in the room."""

from __future__ import annotations

import asyncio
from datetime import datetime

import pytest
from personal_replies import answers_in_room, confirmation, confirmed
from test_workday_mydata import (
    BERLIN,
    QUIET,
    TUESDAY_10,
    BotFactory,
    PeopleFactory,
    workday_of,
)

from homeoffice_bot.app import App
from homeoffice_bot.devserver.person import Person
from homeoffice_bot.devserver.team import team_room
from homeoffice_bot.kernel.clock import FixedClock
from homeoffice_bot.kernel.events import Message, Reaction, Redaction
from homeoffice_bot.kernel.ids import RoomID

pytestmark = pytest.mark.integration


async def error_in_room(person: Person, room: RoomID, bot: App) -> Message:
    """A mistyped command: its error answers in the room (and serves as a sentinel)."""
    mark = person.mark()
    asked = await person.say(room, "!pause bis 25:99")
    return await person.wait_for(
        Message,
        lambda m: m.room_id == room and m.sender == bot.matrix.user_id and m.reply_to == asked,
        since=mark,
    )


async def test_confirmations_go_to_the_direct_chat_and_errors_stay_in_the_room(
    start_bot: BotFactory, people: PeopleFactory
) -> None:
    bot = await start_bot(plugins=QUIET, clock=FixedClock(TUESDAY_10))
    lead = await people("lead")
    ben = await people("ben")
    room = await team_room(lead, bot, [ben], encrypted=True)

    mark = ben.mark()
    asked = {}
    for text, contains in [
        ("!moin", "Guten Morgen"),
        ("!pause 15m", "Gute Pause"),
        ("!zurück", "Willkommen zurück"),
        ("!urlaub 18.03.–19.03.", "Erholsamen Urlaub"),
        ("!urlaub", "Dein eingetragener Urlaub"),
        ("!feierabend", "Schönen Feierabend"),
    ]:
        reply = await confirmed(ben, room, text, bot, contains)
        assert reply.encrypted
        asked[text] = reply
    assert "18.03. bis 19.03." in asked["!urlaub 18.03.–19.03."].body

    error = await error_in_room(ben, room, bot)  # sent after all of the above
    assert "Verwendung" in error.body
    commands = [
        e.event_id for e in ben.events[mark:]
        if isinstance(e, Message) and e.room_id == room and e.sender == ben.user_id
        and e.body.startswith("!") and e.body != "!pause bis 25:99"
    ]  # fmt: skip
    assert len(commands) == 6
    for event_id in commands:
        assert answers_in_room(ben, room, event_id, bot) == []
    said_in_room = [
        e.body for e in ben.events[mark:]
        if isinstance(e, Message) and e.room_id == room and e.sender == bot.matrix.user_id
    ]  # fmt: skip
    assert not any("Urlaub" in body and "18.03." in body for body in said_in_room[1:-1])

    # In the direct chat, the answer is a reply there, as before.
    dm = asked["!moin"].room_id
    mark = ben.mark()
    typed = await ben.say(dm, "!moin")
    answer = await ben.wait_for(
        Message, lambda m: m.room_id == dm and m.reply_to == typed and "Guten Morgen" in m.body,
        since=mark,
    )  # fmt: skip
    assert not any(isinstance(e, Reaction) and e.relates_to == typed for e in ben.events)
    assert answer.sender == bot.matrix.user_id


async def test_a_reason_typed_in_the_room_is_not_kept_and_the_bot_says_where_it_stands(
    start_bot: BotFactory, people: PeopleFactory
) -> None:
    bot = await start_bot(plugins=QUIET, clock=FixedClock(TUESDAY_10))
    lead = await people("lead")
    anna = await people("anna")
    room = await team_room(lead, bot, [anna], encrypted=False)
    store = workday_of(bot).workday.store
    assert not bot.matrix.can_redact_others(room)

    reply = await confirmed(anna, room, "!weg bis 11:00 Physiotherapie", bot, "Bis später")
    assert "bis 11:00" in reply.body
    assert "nicht gespeichert" in reply.body
    assert "dort können ihn alle lesen" in reply.body
    assert "hier im Direktchat, z. B. !weg bis 14:00 Arzttermin." in reply.body
    assert "sehe nur ich" not in reply.body
    assert "für mich" not in reply.body
    status = await store.status(anna.user_id)
    assert status is not None
    assert status.note is None

    error = await error_in_room(anna, room, bot)
    assert not any(isinstance(e, Redaction) for e in anna.events)  # it stands, as said
    board = await anna.wait_message(room, "Teamübersicht · Stand", sender=bot.matrix.user_id)
    said = [e.body for e in anna.events if isinstance(e, Message) and e.sender != anna.user_id]
    assert not any("Physiotherapie" in body for body in [board.body, error.body, *said])
    for path in bot.settings.data_dir.rglob("*"):  # not in the database, -wal, store, ...
        if path.is_file():
            assert b"Physiotherapie" not in path.read_bytes(), path

    # Typed in the direct chat, the reason is kept, and the bot says so.
    mark = anna.mark()
    typed = await anna.say(reply.room_id, "!weg bis 11:00 Physiotherapie")
    kept = await anna.wait_for(
        Message, lambda m: m.reply_to == typed and "Bis später" in m.body, since=mark
    )
    assert "Den Grund behalte ich für mich" in kept.body
    status = await store.status(anna.user_id)
    assert status is not None
    assert status.note == "Physiotherapie"
    assert not status.note_shared


async def test_where_the_bot_may_it_removes_the_command_with_the_reason_and_says_so(
    start_bot: BotFactory, people: PeopleFactory
) -> None:
    bot = await start_bot(plugins=QUIET, clock=FixedClock(TUESDAY_10))
    me = bot.matrix.user_id
    lead = await people("lead")
    anna = await people("anna")
    room = await team_room(lead, bot, [anna], encrypted=False)
    await lead.client.set_power_level(room, me, 50)
    for _ in range(100):
        if bot.matrix.can_redact_others(room):
            break
        await asyncio.sleep(0.1)

    mark = anna.mark()
    asked = await anna.say(room, "!weg 1h Kita-Eingewöhnung")
    removed = await anna.wait_for(
        Redaction, lambda r: r.sender == me and r.redacts == asked, since=mark
    )
    assert removed.room_id == room
    reply = await anna.wait_for(
        Message, lambda m: m.sender == me and m.room_id != room and "Bis später" in m.body,
        since=mark,
    )  # fmt: skip
    assert "aus dem Teamraum entfernt" in reply.body
    assert "Wer sie vorher gelesen hat, kennt den Grund aber schon" in reply.body
    status = await workday_of(bot).workday.store.status(anna.user_id)
    assert status is not None
    assert status.note is None

    # A shared reason is meant for the board: it is kept and nothing is removed.
    mark = anna.mark()
    asked = await anna.say(room, "!weg 1h sichtbar: Außentermin")
    shared = await confirmation(anna, room, asked, bot, "in der Übersicht", mark)
    assert "weil du ihn teilst" in shared.body
    await error_in_room(anna, room, bot)
    assert not any(isinstance(e, Redaction) and e.redacts == asked for e in anna.events)
    status = await workday_of(bot).workday.store.status(anna.user_id)
    assert status is not None
    assert status.note == "Außentermin"


async def test_time_away_is_not_a_break_for_the_working_time_note(
    start_bot: BotFactory, people: PeopleFactory
) -> None:
    clock = FixedClock(datetime(2024, 3, 12, 8, 0, tzinfo=BERLIN))
    bot = await start_bot(plugins=QUIET, clock=clock)
    lead = await people("lead")
    anna = await people("anna")
    room = await team_room(lead, bot, [anna], encrypted=False)
    await confirmed(anna, room, "!moin", bot, "Guten Morgen")
    clock.set(datetime(2024, 3, 12, 10, 0, tzinfo=BERLIN))
    await confirmed(anna, room, "!weg bis 11:00", bot, "Bis später")
    clock.set(datetime(2024, 3, 12, 11, 0, tzinfo=BERLIN))
    await confirmed(anna, room, "!zurück", bot, "Willkommen zurück")

    # 14:46: 5 h 46 min of work (the hour away is no work) and no break at all (the hour
    # away is no rest either). Counted as work, the note would say 6 h 46 min; counted as
    # a break, there would be no note.
    mark = anna.mark()
    clock.set(datetime(2024, 3, 12, 14, 46, tzinfo=BERLIN))
    await workday_of(bot).tick()
    note = await anna.wait_for(
        Message, lambda m: m.is_direct and "30 Minuten Pause" in m.body, since=mark
    )
    assert "Du arbeitest heute schon 5 Std. 46 Min., bisher mit 0 Min. Pause." in note.body
