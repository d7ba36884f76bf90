"""The welcome and the guided set-up end to end against a real Synapse: a new team room is
greeted once (also after a restart and a new invitation, never a direct chat);
``!einrichten`` leads the team lead through the questions in the direct chat, by taps and
typed answers, across a restart of the bot, to a stand-up whose kickoff fires and a board
in the room; cancelling changes nothing; members and direct chats get a clear refusal."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from homeoffice_bot.app import App
from homeoffice_bot.devserver.person import Person
from homeoffice_bot.devserver.team import team_room
from homeoffice_bot.kernel.clock import FixedClock
from homeoffice_bot.kernel.commands import CONFIRMED
from homeoffice_bot.kernel.conversations import CONVERSATIONS
from homeoffice_bot.kernel.events import Message, Reaction
from homeoffice_bot.kernel.ids import EventID, RoomID
from homeoffice_bot.standup.plugin import StandupPlugin
from homeoffice_bot.workday.plugin import WorkdayPlugin

pytestmark = pytest.mark.integration

StartBot = Callable[..., Awaitable[App]]
People = Callable[..., Awaitable[Person]]
BERLIN = ZoneInfo("Europe/Berlin")
TUESDAY_8 = datetime(2024, 3, 12, 8, 0, tzinfo=BERLIN)
"""A Tuesday that is no public holiday anywhere in Germany."""
FAST = {"standup": {"min_window_seconds": 5}}


def welcomes(person: Person, room: RoomID, bot: App) -> list[Message]:
    return [
        e for e in person.events
        if isinstance(e, Message) and e.room_id == room and e.sender == bot.matrix.user_id
        and "!einrichten" in e.body and "Teamleitung" in e.body
    ]  # fmt: skip


async def reply_to(person: Person, room: RoomID, text: str, bot: App) -> Message:
    """Say something and wait for the bot's reply to exactly that message."""
    mark = person.mark()
    asked = await person.say(room, text)
    return await person.wait_for(
        Message, lambda m: m.sender == bot.matrix.user_id and m.reply_to == asked, since=mark
    )


async def tap(person: Person, room: RoomID, event_id: EventID, key: str) -> None:
    content = {"m.relates_to": {"rel_type": "m.annotation", "event_id": event_id, "key": key}}
    await person.client.send_content(room, "m.reaction", content)


async def question(person: Person, bot: App, number: int, since: int) -> Message:
    """The set-up's question ``number`` in the person's direct chat, once its choices (the
    bot's reactions) are on it."""
    me = bot.matrix.user_id
    asked = await person.wait_for(
        Message, lambda m: m.sender == me and f"Frage {number} von 6" in m.body, since=since
    )
    await person.wait_for(
        Reaction,
        lambda r: r.sender == me and r.relates_to == asked.event_id and r.key == "2️⃣",
        since=since,
    )
    return asked


async def test_a_new_team_room_is_welcomed_once_also_after_a_restart_and_a_new_invitation(
    start_bot: StartBot, people: People
) -> None:
    bot = await start_bot()
    lead = await people("lead")
    room = await team_room(lead, bot, [], encrypted=True)  # waits for the welcome
    [welcome] = welcomes(lead, room, bot)
    assert welcome.msgtype == "m.notice"  # it does not ping
    assert welcome.mentions == ()
    assert welcome.body.startswith("Hallo")
    assert "Notices" in welcome.body
    assert "!hilfe" in welcome.body

    dm = await lead.client.direct_room(bot.matrix.user_id)
    assert await lead.wait_joined(dm, bot.matrix.user_id, timeout=20)
    help_in_dm = await reply_to(lead, dm, "!hilfe", bot)
    assert "!moin" in help_in_dm.body
    assert "!einrichten" not in help_in_dm.body  # for team rooms, not for a direct chat
    help_in_room = await reply_to(lead, room, "!hilfe", bot)
    assert "!einrichten" in help_in_room.body  # the room's moderation sees it
    assert "nur für die Moderation" in help_in_room.body
    assert welcomes(lead, dm, bot) == []  # a direct chat is not greeted

    await bot.stop()
    bot = await start_bot()
    await reply_to(lead, room, "!hilfe", bot)
    await bot.matrix.leave(room)
    await lead.client.invite(room, bot.matrix.user_id)
    assert await lead.wait_joined(room, bot.matrix.user_id, timeout=20)
    await reply_to(lead, room, "!hilfe", bot)  # answered after the join was handled
    assert len(welcomes(lead, room, bot)) == 1


async def test_setup_by_taps_and_typed_answers_across_a_restart_gives_a_standup_and_a_board(
    start_bot: StartBot, people: People
) -> None:
    clock = FixedClock(TUESDAY_8)
    bot = await start_bot(plugins=FAST, clock=clock)
    lead, anna = await people("lead"), await people("anna")
    room = await team_room(lead, bot, [anna], encrypted=True)

    refused = await reply_to(anna, room, "!einrichten", bot)
    assert "!einrichten" in refused.body
    assert "nur" in refused.body

    mark = lead.mark()
    command = await lead.say(room, "!einrichten")
    await lead.wait_for(
        Reaction, lambda r: r.relates_to == command and r.key == CONFIRMED, since=mark
    )
    first = await question(lead, bot, 1, mark)
    dm = first.room_id
    assert dm != room
    assert "09:00 Uhr (Standard)" in first.body
    await tap(lead, dm, first.event_id, "1️⃣")

    second = await question(lead, bot, 2, mark)
    wrong = await reply_to(lead, dm, "irgendwann", bot)
    assert "„irgendwann“" in wrong.body
    assert "zum Beispiel" in wrong.body

    await bot.stop()  # the dialogue waits in the database
    bot = await start_bot(plugins=FAST, clock=clock)
    await tap(lead, dm, second.event_id, "1️⃣")  # Monday to Friday

    third = await question(lead, bot, 3, mark)
    assert "Ich habe Nordrhein-Westfalen (DE-NW) angenommen" in third.body
    assert "Voreinstellung" in third.body
    await lead.say(dm, "Bayern")
    fourth = await question(lead, bot, 4, mark)
    await tap(lead, dm, fourth.event_id, "1️⃣")  # the lead is not asked
    await question(lead, bot, 5, mark)
    await lead.say(dm, "Thread")
    sixth = await question(lead, bot, 6, mark)
    await tap(lead, dm, sixth.event_id, "1️⃣")  # the board now

    summary = await lead.wait_message(dm, "Fertig", sender=bot.matrix.user_id, since=mark)
    assert "Mo–Fr um 09:00 Uhr" in summary.body
    assert "12.03.2024 um 09:00 Uhr" in summary.body
    assert "Bayern (DE-BY)" in summary.body
    assert "Dich frage ich im Stand-up nicht" in summary.body
    assert "Teamübersicht steht jetzt im Raum" in summary.body

    workday = bot.plugins["workday"]
    assert isinstance(workday, WorkdayPlugin)
    board = await workday.workday.board.store.board(room)
    assert board.event_id is not None
    await anna.wait_for(Message, lambda m: m.event_id == board.event_id)
    assert (await workday.workday.store.room(room)).region == "DE-BY"

    standups = bot.plugins["standup"]
    assert isinstance(standups, StandupPlugin)
    [record] = await standups.store.standups_in_room(room)
    assert record.config.at == time(9, 0)
    assert record.config.weekdays == frozenset({1, 2, 3, 4, 5})
    assert record.config.region == "DE-BY"
    assert record.config.participants_remove == frozenset({lead.user_id})
    mark_anna = anna.mark()
    clock.set(TUESDAY_8 + timedelta(hours=1))  # 09:00: the stand-up's first kickoff
    kickoff = await anna.wait_for(
        Message,
        lambda m: m.room_id == room and m.sender == bot.matrix.user_id and m.thread_root is None
        and m.event_id != board.event_id,
        timeout=30, since=mark_anna,
    )  # fmt: skip
    status = await reply_to(lead, room, "!standup status", bot)
    assert "09:00" in status.body
    assert "DE-BY" in status.body
    # read after a later command's answer: the kickoff's id is stored once it was sent
    occurrence = await standups.store.latest_occurrence(record.id)
    assert occurrence is not None
    assert occurrence.kickoff_event_id == kickoff.event_id  # the scheduled kickoff
    assert occurrence.day == TUESDAY_8.date()


async def test_timeout_cancel_and_refusals_change_nothing(
    start_bot: StartBot, people: People
) -> None:
    clock = FixedClock(TUESDAY_8)
    bot = await start_bot(plugins=FAST, clock=clock)
    lead = await people("lead")
    room = await team_room(lead, bot, [], encrypted=False)

    mark = lead.mark()
    await lead.say(room, "!einrichten")
    await question(lead, bot, 1, mark)
    clock.advance(timedelta(hours=2, minutes=1))  # no answer for a while
    expired = await lead.wait_for(
        Message,
        lambda m: m.sender == bot.matrix.user_id and "keine Antwort kam" in m.body,
        since=mark,
    )
    assert "„Team“" in expired.body

    mark = lead.mark()
    await lead.say(room, "!einrichten")
    first = await question(lead, bot, 1, mark)
    dm = first.room_id
    in_dm = await reply_to(lead, dm, "!einrichten", bot)
    assert "Teamraum" in in_dm.body

    conversations = bot.services.get(CONVERSATIONS)
    assert conversations is not None
    assert await conversations.waiting_for(lead.user_id, dm)  # plain words stay silent
    assert not await conversations.waiting_for(lead.user_id, room)
    cancelled = await reply_to(lead, dm, "abbrechen", bot)
    assert "abgebrochen" in cancelled.body
    assert not await conversations.waiting_for(lead.user_id, dm)
    await tap(lead, dm, first.event_id, "1️⃣")  # the old question takes nothing any more
    await reply_to(lead, dm, "!hilfe", bot)  # handled after the tap, in the same chat
    status = await reply_to(lead, room, "!standup status", bot)
    assert "noch kein Stand-up" in status.body
    assert not [
        e for e in lead.events[mark:]
        if isinstance(e, Message) and "Frage 2 von 6" in e.body
    ]  # fmt: skip


async def test_in_english(start_bot: StartBot, people: People) -> None:
    bot = await start_bot(bot={"default_language": "en"})
    lead = await people("lead")
    room = await team_room(lead, bot, [], encrypted=False)
    [welcome] = [
        e for e in lead.events
        if isinstance(e, Message) and e.room_id == room and e.sender == bot.matrix.user_id
    ]  # fmt: skip
    assert "Team lead: type !setup" in welcome.body

    mark = lead.mark()
    await lead.say(room, "!setup")
    first = await lead.wait_for(
        Message,
        lambda m: m.sender == bot.matrix.user_id and "Question 1 of 6" in m.body,
        since=mark,
    )
    assert "09:00 (default)" in first.body
    wrong = await reply_to(lead, first.room_id, "sometime", bot)
    assert "for example" in wrong.body
    cancelled = await reply_to(lead, first.room_id, "cancel", bot)
    assert "cancelled the set-up" in cancelled.body
