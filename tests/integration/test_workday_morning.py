"""Less noise and the person's own time zone, against a real Synapse: one morning message
after ``!moin`` (the day's hours, yesterday's answer handed back, the collected mentions);
reminders a person turned off are not sent; the ``m.tz`` of the Matrix profile is the
default time zone and ``!zeitzone`` overrides it."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from personal_replies import confirmed
from test_standup_support import (
    FAST,
    kickoff_soon,
    real_time_by_day,
    set_up_standup,
    wait_kickoff,
    wait_report,
)
from test_workday_mydata import BERLIN, QUIET, BotFactory, PeopleFactory, command, workday_of

from homeoffice_bot.app import App
from homeoffice_bot.devserver.person import Person
from homeoffice_bot.devserver.team import team_room
from homeoffice_bot.kernel.clock import FixedClock
from homeoffice_bot.kernel.events import Message
from homeoffice_bot.kernel.ids import RoomID
from homeoffice_bot.workday.plugin import WorkdayPlugin

pytestmark = pytest.mark.integration


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2024, 3, day, hour, minute, tzinfo=BERLIN)


def bot_direct_messages(person: Person, bot: App, since: int) -> list[Message]:
    return [
        e for e in person.events[since:]
        if isinstance(e, Message) and e.sender == bot.matrix.user_id and e.is_direct
    ]  # fmt: skip


async def direct(person: Person, bot: App, contains: str, since: int) -> Message:
    return await person.wait_for(
        Message,
        lambda m: m.sender == bot.matrix.user_id and m.is_direct and contains in m.body,
        since=since,
    )


async def collected(plugin: WorkdayPlugin, person: Person, expected: int) -> None:
    """Wait until ``expected`` mentions of ``person`` are collected."""
    for _ in range(200):
        if len(await plugin.workday.inbox.mentions(person.user_id)) == expected:
            return
        await asyncio.sleep(0.05)
    assert len(await plugin.workday.inbox.mentions(person.user_id)) == expected


async def an_evening(
    start_bot: BotFactory, people: PeopleFactory
) -> tuple[App, FixedClock, Person, RoomID]:
    """Ben's Tuesday: he answers the wrap-up question, ends his day at 16:40, and Anna
    mentions him twice in the evening (collected for the morning). Returns the bot, its
    clock, Ben and the (encrypted) team room."""
    clock = FixedClock(at(12, 8))
    bot = await start_bot(plugins=QUIET, clock=clock)
    plugin = workday_of(bot)
    lead = await people("lead")
    anna = await people("anna")
    ben = await people("ben")
    room = await team_room(lead, bot, [anna, ben], encrypted=True)
    await confirmed(ben, room, "!moin", bot, "Guten Morgen")

    mark = ben.mark()
    clock.set(at(12, 16, 16))
    await plugin.tick()
    question = await direct(ben, bot, "endet um 16:30", mark)
    mark = ben.mark()
    await ben.say(question.room_id, "Bericht an Petra schicken")
    await ben.wait_message(question.room_id, "Notiert", sender=bot.matrix.user_id, since=mark)
    clock.set(at(12, 16, 40))
    await confirmed(ben, room, "!feierabend", bot, "Feierabend")

    mark_anna = anna.mark()
    await anna.say_mentioning(room, f"{ben.user_id} hast du kurz Zeit?", ben.user_id, "Ben")
    await anna.wait_message(room, "außer Dienst", sender=bot.matrix.user_id, since=mark_anna)
    await anna.say_mentioning(room, f"{ben.user_id} noch eine Frage", ben.user_id, "Ben")
    await command(anna, room, f"!status {ben.user_id}", bot, "Feierabend")
    await collected(plugin, ben, 2)  # each message's handler is a task of its own
    return bot, clock, ben, room


async def test_after_moin_one_morning_message_carries_the_hand_back_and_the_digest(
    start_bot: BotFactory, people: PeopleFactory
) -> None:
    bot, clock, ben, room = await an_evening(start_bot, people)

    # the next morning: one message with the hours, the hand-back and the digest
    clock.set(at(13, 7, 55))
    mark = ben.mark()
    morning = await confirmed(ben, room, "!moin", bot, "Guten Morgen")
    await confirmed(ben, room, "!erinnerungen", bot, "Deine Erinnerungen")  # the sentinel
    assert morning.encrypted
    assert "Heute bis 16:30 Uhr" in morning.body
    assert "Bericht an Petra schicken" in morning.body
    assert "2 Erwähnungen" in morning.body
    assert morning.body.index("Bericht an Petra") < morning.body.index("2 Erwähnungen")
    direct_messages = bot_direct_messages(ben, bot, mark)
    assert next(m.event_id for m in direct_messages) == morning.event_id
    assert len(direct_messages) == 2, [m.body for m in direct_messages]
    assert await workday_of(bot).workday.inbox.mentions(ben.user_id) == []


async def test_at_the_start_of_hours_without_moin_the_digest_brings_the_hand_back(
    start_bot: BotFactory, people: PeopleFactory
) -> None:
    bot, clock, ben, room = await an_evening(start_bot, people)

    # 08:01, Ben has not said !moin: his hours bring the digest, with yesterday's answer
    mark = ben.mark()
    clock.set(at(13, 8, 1))
    await workday_of(bot).tick()
    morning = await direct(ben, bot, "2 Erwähnungen", mark)
    assert "Bericht an Petra schicken" in morning.body
    assert morning.body.index("Bericht an Petra") < morning.body.index("2 Erwähnungen")

    # his !moin a little later only greets: nothing is said twice
    clock.set(at(13, 8, 5))
    greeting = await confirmed(ben, room, "!moin", bot, "Guten Morgen")
    await confirmed(ben, room, "!erinnerungen", bot, "Deine Erinnerungen")  # the sentinel
    assert "Heute bis 16:30 Uhr" in greeting.body
    assert "Bericht an Petra" not in greeting.body
    assert "Erwähnung" not in greeting.body
    bodies = [m.body for m in bot_direct_messages(ben, bot, mark)]
    assert len(bodies) == 3, bodies
    assert sum("Bericht an Petra" in body for body in bodies) == 1


async def test_reminders_a_person_turned_off_are_not_sent(
    start_bot: BotFactory, people: PeopleFactory
) -> None:
    clock = FixedClock(at(12, 8))
    bot = await start_bot(plugins=QUIET, clock=clock)
    plugin = workday_of(bot)
    lead = await people("lead")
    anna = await people("anna")
    ben = await people("ben")
    room = await team_room(lead, bot, [anna, ben], encrypted=False)
    await confirmed(ben, room, "!moin", bot, "Guten Morgen")
    await confirmed(anna, room, "!moin", bot, "Guten Morgen")

    off = await confirmed(anna, room, "!erinnerungen feierabend aus", bot, "Deine Erinnerungen")
    assert "- Feierabend (Erinnerung vor Ende der Arbeitszeit, mit der Frage für morgen): aus" in (
        off.body
    )
    assert "- Stand-up (Erinnerung, wenn deine Antwort noch fehlt): an" in off.body
    english = await confirmed(anna, room, "!reminders digest off", bot, "Deine Erinnerungen")
    assert "- Sammlung" in english.body
    assert english.body.count(": aus") == 2

    mark = anna.mark()
    asked = await anna.say(room, "!erinnerungen feierabend vielleicht")
    refused = await anna.wait_for(
        Message,
        lambda m: m.sender == bot.matrix.user_id and m.reply_to == asked,
        since=mark,
    )
    assert "„vielleicht“" in refused.body
    assert "Beispiele: !erinnerungen feierabend aus" in refused.body

    # 16:16: Ben gets the reminder with the wrap-up question, Anna does not
    mark_anna, mark_ben = anna.mark(), ben.mark()
    clock.set(at(12, 16, 16))
    await plugin.tick()
    await direct(ben, bot, "für den nächsten Arbeitstag merken", mark_ben)
    await confirmed(anna, room, "!erinnerungen", bot, "Deine Erinnerungen")  # the sentinel
    bodies = [m.body for m in bot_direct_messages(anna, bot, mark_anna)]
    assert not any("endet um" in body or "mit in morgen" in body for body in bodies), bodies
    assert await plugin.workday.inbox.wrapup_asked_at(anna.user_id) is None
    assert await plugin.workday.inbox.wrapup_asked_at(ben.user_id) is not None
    due = await plugin.workday.store.due_at(anna.user_id)
    assert due is not None
    assert due > clock.now()

    # back on: the next day's reminder reaches her
    await confirmed(anna, room, "!erinnerungen alle an", bot, "Deine Erinnerungen")
    clock.set(at(13, 8))
    await confirmed(anna, room, "!moin", bot, "Guten Morgen")
    mark_anna = anna.mark()
    clock.set(at(13, 16, 16))
    await plugin.tick()
    await direct(anna, bot, "für den nächsten Arbeitstag merken", mark_anna)


async def test_the_stand_up_reminds_only_those_who_did_not_turn_it_off(
    start_bot: BotFactory, people: PeopleFactory
) -> None:
    clock = FixedClock(real_time_by_day())  # the test moves it
    bot = await start_bot(plugins=FAST, clock=clock)  # stand-up and workday
    lead, anna, ben = [await people(n) for n in ("lead", "anna", "ben")]
    room = await team_room(lead, bot, [anna, ben], encrypted=False)
    await confirmed(ben, room, "!moin", bot, "Guten Morgen")  # at work, whatever the hour
    off = await confirmed(ben, room, "!erinnerungen standup aus", bot, "Deine Erinnerungen")
    assert "- Stand-up (Erinnerung, wenn deine Antwort noch fehlt): aus" in off.body
    await set_up_standup(lead, room, bot, "10s", "!standup offene namen")

    mark = anna.mark()
    kickoff_at = await kickoff_soon(lead, room, bot, clock)
    clock.set(kickoff_at)
    await wait_kickoff(anna, room, bot, mark)
    clock.advance(timedelta(seconds=9))  # the reminder's time (80 % of the window)
    await anna.wait_for(
        Message, lambda m: "Erinnerung" in m.body and m.sender == bot.matrix.user_id, since=mark
    )
    clock.advance(timedelta(seconds=2))  # the window ends
    report = await wait_report(anna, room, bot, mark)  # after the reminder: the sentinel
    assert "Keine Antwort: Anna und Ben" in report.body  # Ben was asked, not reminded
    reminders = [
        e for e in anna.events[mark:]
        if isinstance(e, Message) and e.sender == bot.matrix.user_id and "Erinnerung" in e.body
    ]  # fmt: skip
    assert [r.mentions for r in reminders] == [(anna.user_id,)]


async def test_the_time_zone_of_the_matrix_profile_until_zeitzone_overrides_it(
    start_bot: BotFactory, people: PeopleFactory
) -> None:
    clock = FixedClock(datetime(2024, 3, 12, 14, 0, tzinfo=UTC))  # New York 10:00 (EDT)
    bot = await start_bot(plugins=QUIET, clock=clock)
    lead = await people("lead")
    ben = await people("ben")
    clara = await people("clara")
    await ben.client.set_profile_field("m.tz", "America/New_York")
    await clara.client.set_profile_field("m.tz", "Mars/Olympus_Mons")
    room = await team_room(lead, bot, [ben, clara], encrypted=False)

    started = await confirmed(ben, room, "!moin", bot, "Guten Morgen")
    assert "Heute bis 16:30 Uhr" in started.body  # his working hours, in his zone
    shown = await confirmed(ben, room, "!zeitzone", bot, "Deine Zeitzone")
    assert "America/New\\_York" in shown.body or "America/New_York" in shown.body
    assert "aus deinem Matrix-Profil" in shown.body
    paused = await confirmed(ben, room, "!pause 30m", bot, "Gute Pause")
    assert "bis 10:30" in paused.body

    saved = await confirmed(ben, room, "!zeitzone Europe/Berlin", bot, "Deine Zeitzone")
    assert "Europe/Berlin" in saved.body
    shown = await confirmed(ben, room, "!zeitzone", bot, "Deine Zeitzone")
    assert "Europe/Berlin" in shown.body
    assert "von dir gesetzt" in shown.body
    paused = await confirmed(ben, room, "!pause 30m", bot, "Gute Pause")
    assert "bis 15:30" in paused.body

    back = await confirmed(ben, room, "!zeitzone standard", bot, "Deine Zeitzone")
    assert "aus deinem Matrix-Profil" in back.body

    # an invalid m.tz is ignored: the room's default applies
    shown = await confirmed(clara, room, "!zeitzone", bot, "Deine Zeitzone")
    assert "Europe/Berlin" in shown.body
    assert "Standard des Raums" in shown.body
    paused = await confirmed(clara, room, "!pause 30m", bot, "Gute Pause")
    assert "bis 15:30" in paused.body
