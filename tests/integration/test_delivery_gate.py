"""One gate for attention, against a real Synapse: a colleague who called it a day gets no
mention and no direct message from any feature — a #DigitalNah notice names him without a
pill, a stand-up's question by direct message waits — and gets each once at his next
``!moin``. What is meant to reach someone (the stand-up reminder, a working-time note)
raises that person's notification count on the homeserver; boards, reports and
confirmations raise nobody's."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from personal_replies import confirmed
from test_standup_support import set_up_standup

from homeoffice_bot.app import App
from homeoffice_bot.devserver.person import Person
from homeoffice_bot.devserver.team import team_room
from homeoffice_bot.kernel.clock import FixedClock
from homeoffice_bot.kernel.events import Edit, Message
from homeoffice_bot.kernel.ids import RoomID
from homeoffice_bot.workday.plugin import WorkdayPlugin

pytestmark = pytest.mark.integration

BotFactory = Callable[..., Awaitable[App]]
People = Callable[..., Awaitable[Person]]


async def command(person: Person, room: RoomID, text: str, bot: App, contains: str) -> Message:
    mark = person.mark()
    await person.say(room, text)
    return await person.wait_message(room, contains, sender=bot.matrix.user_id, since=mark)


async def answered(person: Person, room: RoomID, bot: App) -> None:
    """A sentinel: say a later command in ``room`` and wait for the bot's reply to it. The
    bot handles and sends a room's messages in order, so whatever it was going to send
    there before has arrived by then."""
    asked = await person.say(room, "!hilfe")
    await person.wait_for(Message, lambda m: m.sender == bot.matrix.user_id and m.reply_to == asked)


async def held(bot: App, count: int, timeout: float = 20) -> None:
    """Wait until the outbox holds ``count`` messages back."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while (now := await bot.outbox.held_count()) != count:
        assert loop.time() < deadline, f"the outbox holds {now} messages, not {count}"
        await asyncio.sleep(0.05)


def from_bot(person: Person, bot: App, since: int) -> list[Message]:
    return [
        e for e in person.events[since:]
        if isinstance(e, Message) and e.sender == bot.matrix.user_id
    ]  # fmt: skip


@pytest.mark.parametrize("encrypted", [False, True], ids=["plain", "encrypted"])
async def test_a_colleague_who_is_off_is_not_pinged_and_gets_everything_once_at_moin(
    start_bot: BotFactory, people: People, encrypted: bool
) -> None:
    bot = await start_bot(
        plugins={"enabled": ["digitalnah"], "digitalnah": {"debounce_seconds": 0.2},
                 "standup": {"min_window_seconds": 5}},
    )  # fmt: skip
    lead = await people("lead", "Petra")
    ben = await people("ben", "Ben")
    room = await team_room(lead, bot, [ben], encrypted=encrypted)
    await confirmed(ben, room, "!moin", bot, "Guten Morgen")
    mark = ben.mark()
    tip = await ben.say(
        room, "Neu: Mängelmelder für Straßenschäden https://maengel.example.org #Umwelt #DigitalNah"
    )
    await ben.wait_for(Message, lambda m: m.thread_root == tip and "Vollständig" in m.body,
                       since=mark)  # fmt: skip
    await confirmed(ben, room, "!feierabend", bot, "Schönen Feierabend")
    off = ben.mark()

    # #DigitalNah: the lead asks for changes; the thread names Ben, without a pill
    mark = lead.mark()
    await lead.say(room, "!angebot nachbessern 1 Bitte Kontakt angeben")
    asked = await lead.wait_for(
        Message, lambda m: m.thread_root == tip and "um Änderungen" in m.body, since=mark
    )
    assert "Ben" in asked.body
    assert ben.user_id not in asked.mentions
    assert ben.user_id not in (asked.formatted_body or "")

    # A stand-up right now, questions by direct message: Ben's question waits
    await set_up_standup(lead, room, bot, "30s", "!standup antworten direkt")
    await command(lead, room, "!standup jetzt", bot, "Stand-up")
    await answered(lead, room, bot)  # the stand-up has opened and asked whom it asks
    await held(bot, 1)  # Ben's question, held back: it is not on its way to him
    assert [m.body for m in from_bot(ben, bot, off) if m.is_direct] == []
    assert [m.body for m in from_bot(ben, bot, off) if ben.user_id in m.mentions] == []

    # Next start: the question and the digest with the #DigitalNah notice, once each
    back = ben.mark()
    await confirmed(ben, room, "!moin", bot, "Guten Morgen")
    await ben.wait_for(Message, lambda m: m.is_direct and "Frage 1/" in m.body, since=back)
    digest = await ben.wait_for(
        Message, lambda m: m.is_direct and "Während du weg warst" in m.body, since=back
    )
    assert "um Änderungen" in digest.body
    await answered(ben, digest.room_id, bot)  # a doubled one would have come before
    direct = [m.body for m in from_bot(ben, bot, back) if m.is_direct]
    assert sum("Frage 1/" in body for body in direct) == 1, direct
    assert sum("Während du weg warst" in body for body in direct) == 1, direct
    assert await bot.outbox.held_count() == 0


async def counts(person: Person, room: RoomID) -> tuple[int, int]:
    """(notifications, highlights) the homeserver counts for ``person`` in ``room``, once
    they have settled (the homeserver may count the latest event a moment later)."""
    last = None
    while True:
        now = (await person.client.notification_counts()).get(room, (0, 0))
        if now == last:
            return now
        last = now
        await asyncio.sleep(0.5)


async def test_a_reminder_alerts_the_person_it_names_and_reports_and_confirmations_alert_nobody(
    start_bot: BotFactory, people: People
) -> None:
    bot = await start_bot(plugins={"standup": {"min_window_seconds": 5}}, encryption=False)
    lead = await people("lead", "Petra")
    anna = await people("anna", "Anna")
    room = await team_room(lead, bot, [anna], encrypted=False)
    await set_up_standup(lead, room, bot, "10s")
    history = await anna.client.history(room)
    before = {e["event_id"] for e in history}
    for person in (lead, anna):  # both have read everything so far: counts start at 0
        await person.client.mark_read(room, history[-1]["event_id"])
    assert await counts(lead, room) == await counts(anna, room) == (0, 0)

    mark = anna.mark()
    await command(lead, room, "!standup jetzt", bot, "Stand-up")  # confirmation and kickoff
    await anna.wait_for(Message, lambda m: m.body.split("\n", 1)[0].endswith("☀️"), since=mark)
    assert await counts(lead, room) == (0, 0), "her command and the kickoff are quiet for her"
    reminder = await anna.wait_for(
        Message, lambda m: "Erinnerung" in m.body and anna.user_id in m.mentions, since=mark,
        timeout=30,
    )  # fmt: skip
    assert reminder.msgtype == "m.text"
    await anna.wait_for(
        Message, lambda m: m.body.startswith("Stand-up ") and m.sender == bot.matrix.user_id,
        since=mark, timeout=30,
    )  # fmt: skip
    await asyncio.sleep(1)

    # Only m.text counts: for Anna the lead's command (an ordinary message) and the
    # reminder, which mentions her (a highlight). For the lead the reminder counts as an
    # ordinary message of the room; her own command, the kickoff and the report nothing.
    since = [e for e in await anna.client.history(room) if e["event_id"] not in before]
    sent = [(e["sender"], e["content"].get("msgtype")) for e in since
            if e["type"] == "m.room.message"]  # fmt: skip
    me = bot.matrix.user_id
    assert [who for who, kind in sent if kind == "m.text"] == [lead.user_id, me], sent
    assert await counts(anna, room) == (2, 1), sent
    assert await counts(lead, room) == (1, 0), sent


BERLIN = ZoneInfo("Europe/Berlin")


async def test_a_working_time_note_alerts_by_direct_message_and_board_edits_alert_nobody(
    start_bot: BotFactory, people: People
) -> None:
    clock = FixedClock(datetime(2024, 3, 12, 8, 0, tzinfo=BERLIN))
    bot = await start_bot(plugins={"workday": {"tick_seconds": 3600}}, clock=clock,
                          encryption=False)  # fmt: skip
    plugin = bot.plugins["workday"]
    assert isinstance(plugin, WorkdayPlugin)
    lead = await people("lead", "Petra")
    anna = await people("anna", "Anna")
    room = await team_room(lead, bot, [anna], encrypted=False)
    await confirmed(anna, room, "!moin", bot, "Guten Morgen")
    await confirmed(lead, room, "!moin", bot, "Guten Morgen")
    await lead.client.mark_read(room, (await lead.client.history(room))[-1]["event_id"])

    # Anna has worked almost six hours without a break: a private note that alerts her
    mark, lead_mark = anna.mark(), lead.mark()
    clock.set(datetime(2024, 3, 12, 13, 46, tzinfo=BERLIN))
    await plugin.tick()
    note = await anna.wait_for(
        Message, lambda m: m.is_direct and "30 Minuten Pause" in m.body, since=mark
    )
    assert note.msgtype == "m.text"
    assert (await counts(anna, note.room_id))[0] == 1

    # Anna goes on a break: the board is edited, quietly
    await confirmed(anna, room, "!pause 30m", bot, "Gute Pause")
    await lead.wait_for(Edit, lambda e: "Pause" in e.new_body, since=lead_mark)
    await asyncio.sleep(1)
    assert await counts(lead, room) == (1, 0)  # Anna's command, nothing of the bot's
