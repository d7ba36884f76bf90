"""A clerk's whole day through a real client on the real Synapse, with taps and plain words
only: the start by a tap on the board, the stand-up answered by a tap on its kickoff, a
lunch break tapped with its end typed, away with a reason and back in words, the end of
the day by a tap, and a week of leave with a stand-in named by display name. The board
shows each state; the clerk never types a ``!`` command (the team lead sets up the
stand-up, starts it and says good morning with commands). The room is encrypted."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from personal_replies import confirmed
from test_onboarding import FAST, TUESDAY_8
from test_standup_support import wait_ack, wait_report
from test_workday_mydata import BotFactory, PeopleFactory, workday_of
from test_workday_taps import board_with_buttons

from homeoffice_bot.app import App
from homeoffice_bot.devserver.person import Person
from homeoffice_bot.devserver.team import team_room
from homeoffice_bot.kernel.clock import FixedClock
from homeoffice_bot.kernel.events import Edit, Message, Reaction
from homeoffice_bot.kernel.ids import EventID, RoomID
from homeoffice_bot.workday.states import PresenceState

pytestmark = pytest.mark.integration


async def board_says(person: Person, bot: App, board: EventID, line: str, since: int) -> str:
    """The board's next edit that has ``line`` on it (as ``person`` sees it)."""
    edit = await person.wait_for(
        Edit,
        lambda e: e.sender == bot.matrix.user_id and e.original_event_id == board
        and line in e.new_body,
        since=since,
    )  # fmt: skip
    return edit.new_body


async def words(person: Person, dm: RoomID, text: str, bot: App, contains: str) -> Message:
    """``person`` writes ``text`` in the direct chat; the bot's answer with ``contains``."""
    mark = person.mark()
    said = await person.say(dm, text)
    return await person.wait_for(
        Message,
        lambda m: m.sender == bot.matrix.user_id and m.reply_to == said and contains in m.body,
        since=mark,
    )


async def test_a_clerks_day_by_taps_and_plain_words(
    start_bot: BotFactory, people: PeopleFactory
) -> None:
    clock = FixedClock(TUESDAY_8)
    bot = await start_bot(clock=clock, plugins=FAST)
    me = bot.matrix.user_id
    lead = await people("lead", "Petra Teamleitung")
    anna = await people("anna", "Anna Schmidt")
    ben = await people("ben", "Ben Berger")
    room = await team_room(lead, bot, [anna, ben], encrypted=True)
    for command in ("!standup einrichten 09:00 mo-fr", "!standup dauer 10m", "!standup region aus"):
        await confirmed_or_replied(lead, room, command, bot)
    await confirmed(lead, room, "!moin", bot, "Guten Morgen")  # the day's board
    board = await board_with_buttons(ben, room, bot)
    clerk_start = ben.mark()
    store = workday_of(bot).workday.store

    # 08:02 the start: a tap on 🟢 under the board; the morning message in the direct chat
    clock.set(TUESDAY_8 + timedelta(minutes=2))
    mark = ben.mark()
    await ben.react(room, board, "🟢")
    morning = await ben.wait_for(
        Message, lambda m: m.sender == me and m.is_direct and "Guten Morgen" in m.body, since=mark
    )
    dm = morning.room_id
    await board_says(ben, bot, board, "Ben Berger — Im Dienst", mark)

    # 09:00 the stand-up (the lead starts it): a tap on 👍 under the kickoff answers
    # "Nichts Neues"
    clock.set(TUESDAY_8 + timedelta(hours=1))
    mark = ben.mark()
    await lead.say(room, "!standup jetzt")
    kickoff = await ben.wait_for(
        Message,
        lambda m: m.room_id == room and m.sender == me and m.thread_root is None
        and "👍" in m.body and m.event_id != board,
        timeout=30, since=mark,
    )  # fmt: skip
    await ben.wait_for(
        Reaction,
        lambda r: r.relates_to == kickoff.event_id and r.sender == me and r.key == "👍",
        since=mark,
    )
    await ben.react(room, kickoff.event_id, "👍")
    mark_anna = anna.mark()  # Anna's answer in the thread is handled after Ben's tap
    typed = await anna.say(room, "Heute: Bauanträge prüfen", thread_root=kickoff.event_id)
    await wait_ack(anna, typed, bot, mark_anna)
    clock.set(TUESDAY_8 + timedelta(hours=1, minutes=11))
    report = await wait_report(ben, room, bot, mark)
    assert "Ben Berger" in report.body
    assert "Nichts Neues" in report.body

    # 12:00 lunch: a tap on ☕, and the end typed as the answer to "Bis wann?"
    clock.set(TUESDAY_8 + timedelta(hours=4))
    mark = ben.mark()
    await ben.react(room, board, "☕")
    asked = await ben.wait_for(
        Message, lambda m: m.sender == me and m.room_id == dm and "Bis wann?" in m.body, since=mark
    )
    await board_says(ben, bot, board, "Ben Berger — Pause", mark)
    mark = ben.mark()
    await ben.say(dm, "bis 13 Uhr")
    await ben.wait_for(
        Message, lambda m: m.sender == me and m.room_id == dm and "13:00" in m.body, since=mark
    )
    await board_says(ben, bot, board, "Ben Berger — Pause bis 13:00", mark)
    assert asked.event_id

    # 13:00 back, in words
    clock.set(TUESDAY_8 + timedelta(hours=5))
    mark = ben.mark()
    await words(ben, dm, "bin zurück", bot, "Verstanden")
    await board_says(ben, bot, board, "Ben Berger — Im Dienst", mark)

    # 14:00 briefly away with a private reason, in words; the board does not show it
    clock.set(TUESDAY_8 + timedelta(hours=6))
    mark = ben.mark()
    await words(ben, dm, "bin kurz weg bis 15 Uhr (Arzt)", bot, "Verstanden")
    shown = await board_says(ben, bot, board, "Ben Berger — Kurz weg bis 15:00", mark)
    assert "Arzt" not in shown

    # 15:00 back, in words again
    clock.set(TUESDAY_8 + timedelta(hours=7))
    mark = ben.mark()
    await words(ben, dm, "wieder da", bot, "Verstanden")
    await board_says(ben, bot, board, "Ben Berger — Im Dienst", mark)

    # 16:30 the end of the day: a tap on 🌙
    clock.set(TUESDAY_8 + timedelta(hours=8, minutes=30))
    mark = ben.mark()
    await ben.react(room, board, "🌙")
    await ben.wait_for(
        Message, lambda m: m.sender == me and m.room_id == dm and "Feierabend" in m.body, since=mark
    )
    await board_says(ben, bot, board, "Ben Berger — Feierabend", mark)
    status = await store.status(ben.user_id)
    assert status is not None
    assert status.state is PresenceState.OFF

    # and next week's leave, with Anna standing in, named as the team knows her
    reply = await words(ben, dm, "nächste Woche Urlaub, Vertretung Anna", bot, "Verstanden")
    assert "Anna Schmidt" in reply.body
    leave = await store.leave(ben.user_id)
    assert [(p.first_day, p.last_day, p.stand_in) for p in leave] == [
        (date(2024, 3, 18), date(2024, 3, 22), anna.user_id)
    ]

    typed = [
        e.body for e in ben.events[clerk_start:]
        if isinstance(e, Message) and e.sender == ben.user_id
    ]  # fmt: skip
    assert typed, "the clerk wrote in the direct chat"
    assert not [text for text in typed if text.lstrip().startswith("!")]


async def confirmed_or_replied(person: Person, room: RoomID, text: str, bot: App) -> Message:
    """A moderator's command in the room and the bot's reply to it (without an error)."""
    mark = person.mark()
    asked = await person.say(room, text)
    reply = await person.wait_for(
        Message, lambda m: m.sender == bot.matrix.user_id and m.reply_to == asked, since=mark
    )
    assert "Verwendung" not in reply.body, reply.body
    return reply
