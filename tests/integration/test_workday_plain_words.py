"""Plain words in the direct chat against a real Synapse (the direct chats are encrypted):
each state by words and the board shows it, undo by reply and by ↩️, a question about two
readings answered by a tap, examples for words it does not understand, and a stand-up's
question by direct message that keeps plain words silent."""

from __future__ import annotations

import pytest
from personal_replies import confirmed
from test_delivery_gate import command
from test_standup_support import FAST, configure
from test_workday_mydata import QUIET, TUESDAY_10, BotFactory, PeopleFactory, workday_of
from test_workday_team_rooms import direct_chat

from homeoffice_bot.app import App
from homeoffice_bot.devserver.person import Person
from homeoffice_bot.devserver.team import team_room
from homeoffice_bot.kernel.clock import FixedClock
from homeoffice_bot.kernel.events import Edit, Message, Reaction
from homeoffice_bot.kernel.ids import EventID, RoomID
from homeoffice_bot.workday.arbzg import WorkEventKind
from homeoffice_bot.workday.states import PresenceState

pytestmark = pytest.mark.integration


async def answer(person: Person, dm: RoomID, text: str, bot: App, contains: str) -> Message:
    """Say ``text`` in the direct chat; the bot's reply to it that contains ``contains``."""
    mark = person.mark()
    asked = await person.say(dm, text)
    return await person.wait_for(
        Message,
        lambda m: m.sender == bot.matrix.user_id and m.reply_to == asked and contains in m.body,
        since=mark,
    )


async def bot_reaction(person: Person, bot: App, event_id: EventID, key: str) -> Reaction:
    return await person.wait_for(
        Reaction,
        lambda r: r.sender == bot.matrix.user_id and r.relates_to == event_id and r.key == key,
    )


async def board_shows(person: Person, bot: App, contains: str, since: int) -> None:
    def shown(event: object) -> bool:
        if isinstance(event, Edit):
            return event.sender == bot.matrix.user_id and contains in event.new_body
        return (
            isinstance(event, Message) and event.sender == bot.matrix.user_id
            and "Teamübersicht" in event.body and contains in event.body
        )  # fmt: skip

    await person.wait_for(object, shown, since=since)


async def test_plain_words_set_each_state_and_the_board_shows_it(
    start_bot: BotFactory, people: PeopleFactory
) -> None:
    bot = await start_bot(plugins=QUIET, clock=FixedClock(TUESDAY_10))
    lead = await people("lead")
    ben = await people("ben")
    room = await team_room(lead, bot, [ben], encrypted=False)
    await confirmed(ben, room, "!feierabend", bot, "Feierabend")  # the room's first board
    dm = await direct_chat(ben, bot)

    for text, understood, board in [
        ("moin", "Verstanden: Arbeitsbeginn", "Ben — Im Dienst 🟢"),
        ("Mittagspause bis 13 Uhr", "Verstanden: Pause bis 13:00 Uhr", "Ben — Pause bis 13:00 ☕"),
        ("bin zurück", "Verstanden: du bist wieder da", "Ben — Im Dienst 🟢"),
        ("bin kurz weg bis 14 Uhr (Arzt)", "Verstanden: kurz weg bis 14:00 Uhr", "bis 14:00"),
        ("Feierabend", "Verstanden: Feierabend", None),
    ]:
        mark = ben.mark()
        reply = await answer(ben, dm, text, bot, understood)
        assert "rückgängig" in reply.body
        assert reply.encrypted
        if board is not None:
            await board_shows(ben, bot, board, mark)
    status = await workday_of(bot).workday.store.status(ben.user_id)
    assert status is not None
    assert status.state is PresenceState.OFF

    reply = await answer(
        ben, dm, "Urlaub vom 14. bis 18.03., Vertretung Lead", bot, "Verstanden: Urlaub"
    )
    assert "14.03. bis 18.03." in reply.body
    assert "Vertretung: Lead" in reply.body
    leave = await workday_of(bot).workday.store.leave(ben.user_id)
    assert [(p.first_day.day, p.last_day.day, p.stand_in) for p in leave] == [
        (14, 18, lead.user_id)
    ]


async def test_undo_by_reply_and_by_reaction(start_bot: BotFactory, people: PeopleFactory) -> None:
    bot = await start_bot(plugins=QUIET, clock=FixedClock(TUESDAY_10))
    ben = await people("ben")
    dm = await direct_chat(ben, bot)
    store = workday_of(bot).workday.store

    await answer(ben, dm, "moin", bot, "Verstanden: Arbeitsbeginn")
    before = await store.status(ben.user_id)
    assert before is not None
    assert before.state is PresenceState.WORKING

    reply = await answer(ben, dm, "Pause 30 min", bot, "Verstanden:")
    await bot_reaction(ben, bot, reply.event_id, "↩️")
    mark = ben.mark()
    await ben.client.react(dm, reply.event_id, "↩️")
    await ben.wait_message(dm, "Rückgängig gemacht", sender=bot.matrix.user_id, since=mark)
    assert await store.status(ben.user_id) == before

    await answer(ben, dm, "Feierabend", bot, "Verstanden: Feierabend")
    await answer(ben, dm, "rückgängig", bot, "Rückgängig gemacht")
    assert await store.status(ben.user_id) == before
    last = await store.last_event(ben.user_id)  # the end of the day is forgotten too
    assert last is not None
    assert last.kind is WorkEventKind.START
    nothing = await answer(ben, dm, "undo", bot, "nichts rückgängig")
    assert "Verstanden" not in nothing.body


async def test_two_readings_are_asked_and_a_tap_answers(
    start_bot: BotFactory, people: PeopleFactory
) -> None:
    bot = await start_bot(plugins=QUIET, clock=FixedClock(TUESDAY_10))
    lead = await people("lead")
    ben = await people("ben")
    room = await team_room(lead, bot, [ben], encrypted=False)
    dm = await direct_chat(ben, bot)
    store = workday_of(bot).workday.store

    asked = await answer(ben, dm, "Pause 13", bot, "Meinst du")
    assert "13 Minuten Pause" in asked.body
    assert "Pause bis 13:00 Uhr" in asked.body
    await bot_reaction(ben, bot, asked.event_id, "1️⃣")
    await bot_reaction(ben, bot, asked.event_id, "2️⃣")
    mark = ben.mark()
    await ben.client.react(dm, asked.event_id, "2️⃣")
    done = await ben.wait_message(dm, "Verstanden: Pause bis 13:00", since=mark)
    assert done.sender == bot.matrix.user_id
    status = await store.status(ben.user_id)
    assert status is not None
    assert status.state is PresenceState.BREAK

    # The command asks too instead of taking 13 minutes; a typed "1" answers in the chat.
    asked = await answer(ben, dm, "!pause 13", bot, "Meinst du")
    await answer(ben, dm, "1", bot, "Verstanden: Pause bis 10:13")

    # In the team room the question waits for a tap under it.
    mark = ben.mark()
    command = await ben.say(room, "!pause 13")
    question = await ben.wait_for(
        Message,
        lambda m: m.sender == bot.matrix.user_id and m.reply_to == command,
        since=mark,
    )
    assert "Meinst du" in question.body
    await bot_reaction(ben, bot, question.event_id, "2️⃣")
    await ben.client.react(room, question.event_id, "2️⃣")
    await ben.wait_for(
        Message,
        lambda m: m.sender == bot.matrix.user_id and m.room_id != room and "13:00" in m.body,
        since=mark,
    )


async def test_words_it_does_not_understand_get_examples(
    start_bot: BotFactory, people: PeopleFactory
) -> None:
    bot = await start_bot(plugins=QUIET, clock=FixedClock(TUESDAY_10))
    ben = await people("ben")
    dm = await direct_chat(ben, bot)
    reply = await answer(ben, dm, "Wie wird das Wetter morgen früh?", bot, "nicht als Status")
    assert reply.body.count("\n- ") >= 2
    assert await workday_of(bot).workday.store.status(ben.user_id) is None


async def test_a_stand_up_answer_by_direct_message_is_not_taken_as_plain_words(
    start_bot: BotFactory, people: PeopleFactory
) -> None:
    bot = await start_bot(plugins=FAST | QUIET, clock=FixedClock(TUESDAY_10))
    lead, anna = await people("lead"), await people("anna")
    room = await team_room(lead, bot, [anna], encrypted=True)
    await configure(
        lead, room, bot,
        "!standup einrichten 03:00 täglich",
        f"!standup teilnehmer entfernen {lead.user_id}",
        "!standup antworten direkt",
        "!standup dauer 60s",
    )  # fmt: skip
    mark = anna.mark()
    await lead.say(room, "!standup jetzt")
    first = await anna.wait_for(
        Message,
        lambda m: m.room_id != room and m.sender == bot.matrix.user_id and "Frage 1/3" in m.body,
        timeout=30,
        since=mark,
    )
    mark = anna.mark()
    await anna.say(first.room_id, "Feierabend")  # the answer to question 1, not a state
    await anna.wait_message(first.room_id, "Frage 2/3", sender=bot.matrix.user_id, since=mark)
    sentinel = await anna.say(first.room_id, "!status")  # answered after the words above
    await anna.wait_for(
        Message, lambda m: m.sender == bot.matrix.user_id and m.reply_to == sentinel, since=mark
    )
    said = [
        e.body for e in anna.events[mark:]
        if isinstance(e, Message) and e.sender == bot.matrix.user_id
    ]  # fmt: skip
    assert not any("Verstanden" in body or "nicht als Status" in body for body in said)
    assert await workday_of(bot).workday.store.status(anna.user_id) is None


async def test_after_the_end_of_day_question_a_state_is_a_state_and_other_words_the_answer(
    start_bot: BotFactory, people: PeopleFactory
) -> None:
    clock = FixedClock(TUESDAY_10)
    bot = await start_bot(plugins=QUIET, clock=clock)
    plugin = workday_of(bot)
    lead = await people("lead")
    ben = await people("ben")
    room = await team_room(lead, bot, [ben], encrypted=False)
    await confirmed(ben, room, "!moin", bot, "Guten Morgen")

    mark = ben.mark()
    clock.set(TUESDAY_10.replace(hour=16, minute=16))
    await plugin.tick()
    question = await ben.wait_for(
        Message,
        lambda m: m.sender == bot.matrix.user_id and "für den nächsten Arbeitstag merken" in m.body,
        since=mark,
    )
    dm = question.room_id
    await answer(ben, dm, "Feierabend", bot, "Verstanden: Feierabend")
    await answer(ben, dm, "Bericht an Petra schicken", bot, "Notiert")
    assert await plugin.workday.inbox.take_wrapup(ben.user_id) == "Bericht an Petra schicken"


async def test_leave_by_command_with_a_stand_in_of_two_names_and_dates_in_words(
    start_bot: BotFactory, people: PeopleFactory
) -> None:
    bot = await start_bot(plugins=QUIET, clock=FixedClock(TUESDAY_10))
    lead = await people("lead", "Lea Lang")
    ben = await people("ben")
    room = await team_room(lead, bot, [ben], encrypted=True)
    reply = await confirmed(
        ben, room, "!urlaub 14.03.-18.03. vertretung Lea Lang", bot, "Erholsamen Urlaub"
    )
    assert "Vertretung: Lea Lang" in reply.body
    reply = await confirmed(ben, room, "!urlaub vom 25. bis 27.03.", bot, "Erholsamen Urlaub")
    assert "25.03. bis 27.03." in reply.body
    # an end before the start is refused with an example, not moved into next year
    refused = await command(ben, room, "!urlaub 27.03. bis 25.03.", bot, "vor dem Anfang")
    assert "Beispiel" in refused.body
    assert "12.08.–23.08." in refused.body
    leave = await workday_of(bot).workday.store.leave(ben.user_id)
    assert [(p.first_day.day, p.stand_in) for p in leave] == [(14, lead.user_id), (25, None)]


async def test_plain_words_in_a_team_room_change_nothing_and_leave_can_be_undone(
    start_bot: BotFactory, people: PeopleFactory
) -> None:
    bot = await start_bot(plugins=QUIET, clock=FixedClock(TUESDAY_10))
    lead = await people("lead")
    ben = await people("ben")
    room = await team_room(lead, bot, [ben], encrypted=False)
    store = workday_of(bot).workday.store

    mark = ben.mark()
    await ben.say(room, "Feierabend")  # in a team room only commands are read
    sentinel = await ben.say(room, "!status")
    await ben.wait_for(
        Message, lambda m: m.sender == bot.matrix.user_id and m.reply_to == sentinel, since=mark
    )
    said = [
        e.body for e in ben.events[mark:]
        if isinstance(e, Message) and e.sender == bot.matrix.user_id
    ]  # fmt: skip
    assert not any("Verstanden" in body or "nicht als Status" in body for body in said)
    assert await store.status(ben.user_id) is None

    await confirmed(ben, room, "!urlaub 20.03.-22.03.", bot, "Erholsamen Urlaub")
    dm = await direct_chat(ben, bot)
    await answer(ben, dm, "Urlaub vom 21. bis 29.03.", bot, "Verstanden: Urlaub")
    assert [p.first_day.day for p in await store.leave(ben.user_id)] == [21]  # replaced
    await answer(ben, dm, "rückgängig", bot, "Rückgängig gemacht")
    leave = await store.leave(ben.user_id)
    assert [(p.first_day.day, p.last_day.day) for p in leave] == [(20, 22)]
