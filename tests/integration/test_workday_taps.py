"""Taps on the board against a real Synapse: the bot's own reactions under the board are
buttons. A tap changes the person's own state (the words in the direct chat), removing it
undoes it, a break asks "Bis wann?" with one-tap answers, a tap by someone who is not a
member any more does nothing, and a restart does not put the buttons there twice."""

from __future__ import annotations

from datetime import timedelta

import pytest
from personal_replies import confirmed
from test_workday_mydata import QUIET, TUESDAY_10, BotFactory, PeopleFactory, workday_of

from homeoffice_bot.app import App
from homeoffice_bot.devserver.person import Person
from homeoffice_bot.devserver.team import team_room
from homeoffice_bot.kernel.clock import FixedClock
from homeoffice_bot.kernel.events import Edit, Message, Reaction
from homeoffice_bot.kernel.ids import EventID, RoomID
from homeoffice_bot.workday.buttons import BOARD_BUTTONS
from homeoffice_bot.workday.states import PresenceState

pytestmark = pytest.mark.integration

KEYS = [key for key, _ in BOARD_BUTTONS]


async def board_with_buttons(person: Person, room: RoomID, bot: App) -> EventID:
    """The room's board once the bot's four reactions are under it (as ``person`` sees it)."""
    board = (await workday_of(bot).workday.board.store.board(room)).event_id
    assert board is not None
    for key in KEYS:
        await person.wait_for(
            Reaction,
            lambda r, k=key: r.relates_to == board and r.sender == bot.matrix.user_id
            and r.key == k,
        )  # fmt: skip
    return board


def buttons_seen(person: Person, board: EventID, bot: App) -> list[str]:
    return sorted(
        e.key for e in person.events
        if isinstance(e, Reaction) and e.relates_to == board and e.sender == bot.matrix.user_id
    )  # fmt: skip


@pytest.mark.parametrize("encrypted", [False, True], ids=["plain", "encrypted"])
async def test_taps_set_the_state_ask_until_when_and_undo(
    start_bot: BotFactory, people: PeopleFactory, encrypted: bool
) -> None:
    bot = await start_bot(plugins=QUIET, clock=FixedClock(TUESDAY_10))
    lead = await people("lead")
    ben = await people("ben")
    room = await team_room(lead, bot, [ben], encrypted=encrypted)
    await confirmed(lead, room, "!moin", bot, "Guten Morgen")
    board = await board_with_buttons(ben, room, bot)
    store = workday_of(bot).workday.store
    me = bot.matrix.user_id

    mark = ben.mark()
    await ben.react(room, board, "🟢")
    morning = await ben.wait_for(
        Message, lambda m: m.sender == me and m.room_id != room and "Guten Morgen" in m.body,
        since=mark,
    )  # fmt: skip
    assert morning.is_direct
    edit = await ben.wait_for(
        Edit, lambda e: e.original_event_id == board and "Ben — Im Dienst" in e.new_body, since=mark
    )
    assert "Tippe auf eine Reaktion: Dienstbeginn 🟢, Pause ☕" in edit.new_body
    assert edit.encrypted is encrypted  # the tap in an encrypted room was read
    status = await store.status(ben.user_id)
    assert status is not None
    assert status.state is PresenceState.WORKING

    mark = ben.mark()
    tapped = await ben.react(room, board, "☕")
    question = await ben.wait_for(
        Message, lambda m: m.sender == me and "Bis wann?" in m.body, since=mark
    )
    assert question.room_id != room
    assert "Gute Pause" in question.body  # the confirmation and the question in one message
    await ben.wait_for(
        Reaction,
        lambda r: r.relates_to == question.event_id and r.sender == me and r.key == "1️⃣",
        since=mark,
    )
    status = await store.status(ben.user_id)
    assert status is not None
    assert status.state is PresenceState.BREAK
    assert status.until is None

    mark = ben.mark()
    await ben.react(question.room_id, question.event_id, "1️⃣")
    await ben.wait_for(Message, lambda m: m.sender == me and "als Pause ein" in m.body, since=mark)
    status = await store.status(ben.user_id)
    assert status is not None
    assert status.until == TUESDAY_10 + timedelta(minutes=15)
    await ben.wait_for(
        Edit,
        lambda e: e.original_event_id == board and "Ben — Pause bis" in e.new_body,
        since=mark,
    )

    mark = ben.mark()
    await ben.unreact(room, tapped)
    undone = await ben.wait_for(
        Message, lambda m: m.sender == me and "Zurückgenommen" in m.body, since=mark
    )
    assert "Im Dienst" in undone.body
    status = await store.status(ben.user_id)
    assert status is not None
    assert status.state is PresenceState.WORKING
    await ben.wait_for(
        Edit, lambda e: e.original_event_id == board and "Ben — Im Dienst" in e.new_body, since=mark
    )


async def test_a_typed_time_answers_until_when(
    start_bot: BotFactory, people: PeopleFactory
) -> None:
    bot = await start_bot(plugins=QUIET, clock=FixedClock(TUESDAY_10))
    lead = await people("lead")
    room = await team_room(lead, bot, [], encrypted=False)
    await confirmed(lead, room, "!moin", bot, "Guten Morgen")
    board = await board_with_buttons(lead, room, bot)
    me = bot.matrix.user_id

    mark = lead.mark()
    await lead.react(room, board, "🚶")
    question = await lead.wait_for(
        Message, lambda m: m.sender == me and "Bis wann?" in m.body, since=mark
    )
    mark = lead.mark()
    await lead.say(question.room_id, "*Kaffee* holen")
    unclear = await lead.wait_message(question.room_id, "nicht als Zeit", sender=me, since=mark)
    assert "„*Kaffee* holen“" in unclear.body  # as typed, not as Markdown
    mark = lead.mark()
    await lead.say(question.room_id, "bis 11 Uhr")
    await lead.wait_message(question.room_id, "als kurz weg ein", sender=me, since=mark)
    status = await workday_of(bot).workday.store.status(lead.user_id)
    assert status is not None
    assert status.state is PresenceState.AWAY
    assert status.until == TUESDAY_10 + timedelta(hours=1)


async def test_a_tap_by_someone_who_left_does_nothing_and_a_restart_adds_no_buttons(
    start_bot: BotFactory, people: PeopleFactory
) -> None:
    clock = FixedClock(TUESDAY_10)
    bot = await start_bot(plugins=QUIET, clock=clock)
    lead = await people("lead")
    carl = await people("carl")
    room = await team_room(lead, bot, [carl], encrypted=False)
    await confirmed(lead, room, "!moin", bot, "Guten Morgen")
    board = await board_with_buttons(lead, room, bot)
    assert buttons_seen(lead, board, bot) == sorted(KEYS)

    await bot.stop()
    await carl.react(room, board, "🟢")  # the bot is down: it sees the tap after the leave
    await carl.client.leave(room)
    bot = await start_bot(plugins=QUIET, clock=clock)

    mark = lead.mark()
    await lead.react(room, board, "🌙")  # a later tap in the same room: the sentinel
    await lead.wait_for(
        Message,
        lambda m: m.sender == bot.matrix.user_id and "Schönen Feierabend" in m.body,
        since=mark,
    )
    assert await workday_of(bot).workday.store.status(carl.user_id) is None
    await lead.wait_for(
        Edit,
        lambda e: e.original_event_id == board and "Lead — Feierabend" in e.new_body,
        since=mark,
    )
    status = await lead.ask(room, "!status", bot.matrix.user_id)  # after the board's refresh
    assert "Carl" not in status.body
    assert buttons_seen(lead, board, bot) == sorted(KEYS)  # not twice after the restart
    assert (await workday_of(bot).workday.board.store.board(room)).buttons == board
    assert bot.outbox.stats.refused == 0  # no second reaction was even tried and refused


async def test_a_tap_on_yesterdays_board_does_nothing(
    start_bot: BotFactory, people: PeopleFactory
) -> None:
    clock = FixedClock(TUESDAY_10)
    bot = await start_bot(plugins=QUIET, clock=clock)
    lead = await people("lead")
    room = await team_room(lead, bot, [], encrypted=False)
    await confirmed(lead, room, "!moin", bot, "Guten Morgen")
    board = await board_with_buttons(lead, room, bot)
    store = workday_of(bot).workday.store

    clock.advance(timedelta(days=1))
    await lead.react(room, board, "🌙")
    await lead.ask(room, "!status", bot.matrix.user_id)  # handled after the tap: the sentinel
    events = await store.events(lead.user_id, TUESDAY_10 - timedelta(days=1))
    assert [e.kind.value for e in events] == ["start"]  # no end of the day from the tap
    status = await store.status(lead.user_id)
    assert status is None or status.state is not PresenceState.OFF
