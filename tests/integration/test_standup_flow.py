"""Stand-ups end to end against a real Synapse: configure by chat, answer in the thread
and by direct message, edits, the report with who is missing, status, export."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

import pytest
from test_standup_support import (
    BERLIN,
    BUILTINS,
    FAST,
    ask,
    configure,
    direct_chat,
    wait_ack,
    wait_kickoff,
    wait_report,
)

from homeoffice_bot.app import App
from homeoffice_bot.devserver.person import Person
from homeoffice_bot.devserver.team import team_room
from homeoffice_bot.kernel.clock import FixedClock
from homeoffice_bot.kernel.events import Edit, Message

pytestmark = pytest.mark.integration

StartBot = Callable[..., Awaitable[App]]
People = Callable[..., Awaitable[Person]]


@pytest.mark.parametrize("encrypted", [False, True], ids=["plain", "encrypted"])
async def test_scheduled_standup_with_thread_answer_edit_dm_answer_and_missing_person(
    start_bot: StartBot, people: People, encrypted: bool
) -> None:
    clock = FixedClock(datetime.now(UTC))  # kickoff, reminder and end when the test moves it
    bot = await start_bot(plugins=FAST, builtins=BUILTINS, clock=clock)
    lead, anna, ben, carl = [await people(n) for n in ("lead", "anna", "ben", "carl")]
    room = await team_room(lead, bot, [anna, ben, carl], encrypted=encrypted)
    bot_id = bot.matrix.user_id

    refused = await ask(anna, room, bot, "!standup einrichten 09:00 mo-fr")
    assert "nur die Moderation" in refused.body

    await configure(
        lead, room, bot,
        "!standup einrichten 03:00 täglich",
        "!standup region aus",
        "!standup dauer 15s",  # Anna's and Ben's answers come within it by server time
        f"!standup teilnehmer entfernen {lead.user_id}",
    )  # fmt: skip
    mark = anna.mark()
    kickoff_at = (datetime.now(UTC) + timedelta(seconds=3)).replace(microsecond=0)
    await configure(lead, room, bot, f"!standup zeit {kickoff_at.astimezone(BERLIN):%H:%M:%S}")
    clock.set(kickoff_at)
    kickoff = await wait_kickoff(anna, room, bot, mark)
    assert "Was hast du seit gestern erledigt?" in kickoff.body
    assert kickoff.mentions == ()

    mark = anna.mark()
    answer = await anna.say(
        room, "1. Entwurf geschrieben\n2. Workshop\n3. nichts", thread_root=kickoff.event_id
    )
    await wait_ack(anna, answer, bot, mark)
    await anna.edit(room, answer, "1. Entwurf geschrieben und abgegeben\n2. Workshop\n3. nichts")
    await anna.wait_for(Edit, lambda e: e.original_event_id == answer, since=mark)

    dm = await direct_chat(ben, bot)
    mark_ben = ben.mark()
    await ben.say(dm, "Gestern: Akten sortiert\nHeute: Termine\nBlocker: Drucker kaputt")
    thanks = await ben.wait_message(dm, "Danke", sender=bot_id, since=mark_ben)
    assert "„team“" in thanks.body

    clock.set(kickoff_at + timedelta(seconds=12))  # the reminder, at 80 % of the window
    await anna.wait_for(
        Message, lambda m: m.sender == bot_id and "Erinnerung" in m.body, since=mark
    )
    closes_at = kickoff_at + timedelta(seconds=15)
    clock.set(closes_at)
    report = await wait_report(anna, room, bot, mark)
    assert report.thread_root == kickoff.event_id
    assert "Entwurf geschrieben und abgegeben" in report.body
    assert "Drucker kaputt" in report.body
    assert "1 noch offen" in report.body  # by default a count, no names, no times
    assert "Carl" not in report.body
    assert not re.search(r"\d\d:\d\d", report.body.split("\n", 1)[1])
    assert "Lead" not in report.body
    assert "2 von 3 haben geantwortet, 1 Blocker." in report.body
    assert report.mentions == ()
    assert report.encrypted is encrypted
    reminders = [
        e for e in anna.events[mark:]
        if isinstance(e, Message) and e.sender == bot_id and "Erinnerung" in e.body
    ]  # fmt: skip
    assert len(reminders) == 1
    assert reminders[0].mentions == (carl.user_id,)
    assert reminders[0].thread_root == kickoff.event_id

    # Carl's answer is late by its server time too: it is typed after the window's end
    await asyncio.sleep(max(0.0, (closes_at - datetime.now(UTC)).total_seconds()) + 1)
    mark = anna.mark()
    await anna.say(room, "Danke!", thread_root=kickoff.event_id)  # conversation, no answer
    await carl.say(room, "Heute: Urlaubsplanung", thread_root=kickoff.event_id)
    edited = await anna.wait_for(
        Edit,
        lambda e: e.original_event_id == report.event_id and "Carl" in e.new_body,
        timeout=20,
        since=mark,
    )
    assert "verspätet" not in edited.new_body  # lateness is off by default
    assert "noch offen" not in edited.new_body
    edits = [e for e in anna.events[mark:] if isinstance(e, Edit)]
    assert all("Danke" not in e.new_body for e in edits)


async def test_several_named_standups_in_one_room(start_bot: StartBot, people: People) -> None:
    bot = await start_bot(plugins=FAST, builtins=BUILTINS)
    lead = await people("lead")
    room = await team_room(lead, bot, [], encrypted=False)
    await configure(lead, room, bot, "!standup einrichten 09:00 mo-fr")
    again = await ask(lead, room, bot, "!standup einrichten 06:30 mo-fr")
    assert "gibt es in diesem Raum schon" in again.body
    await configure(lead, room, bot, "!standup einrichten 06:30 mo-fr name=früh")
    which = await ask(lead, room, bot, "!standup dauer 5 min")
    assert "mehrere Stand-ups (name=früh, name=team)" in which.body
    changed = await ask(lead, room, bot, "!standup dauer 5 min name=früh")
    assert "„früh“ geändert" in changed.body
    await configure(lead, room, bot, "!standup fragen hinzufügen name=früh Übergabe erledigt?")
    status = await ask(lead, room, bot, "!standup status")
    assert "Stand-up „früh“" in status.body
    assert "Stand-up „team“" in status.body
    assert "Dauer: 5 Minuten" in status.body
    assert "4. Übergabe erledigt?" in status.body


async def test_status_in_german_date_format_and_export_uploads_two_files(
    start_bot: StartBot, people: People
) -> None:
    clock = FixedClock(datetime.now(UTC))  # the window ends when the test moves it
    bot = await start_bot(plugins=FAST, builtins=BUILTINS, clock=clock)
    lead, anna = await people("lead"), await people("anna")
    room = await team_room(lead, bot, [anna], encrypted=False)
    bot_id = bot.matrix.user_id
    await configure(lead, room, bot, "!standup einrichten 09:00 mo-fr", "!standup dauer 5s")
    clock.set(datetime.now(UTC))  # caught up: the stand-up opens after what was typed

    status = await ask(anna, room, bot, "!standup status")
    assert "Zeit: 09:00 Uhr (Europe/Berlin), Mo–Fr" in status.body
    assert re.search(r"Nächster Termin: (Mo|Di|Mi|Do|Fr), \d\d\.\d\d\.20\d\d, 09:00", status.body)

    mark = anna.mark()
    await lead.say(room, "!standup jetzt")
    kickoff = await wait_kickoff(anna, room, bot, mark)
    answer = await anna.say(room, "Heute: Export testen", thread_root=kickoff.event_id)
    await wait_ack(anna, answer, bot, mark)
    clock.advance(timedelta(seconds=6))  # the window ends
    await wait_report(anna, room, bot, mark)

    mark = lead.mark()
    done = await ask(lead, room, bot, "!standup export heute")
    assert "1 Bericht von" in done.body
    files = [
        e for e in lead.events[mark:]
        if isinstance(e, Message) and e.msgtype == "m.file" and e.sender == bot_id
    ]  # fmt: skip
    names = sorted(f.body for f in files)
    assert len(names) == 2
    assert names[0].endswith(".csv")
    assert names[1].endswith(".md")
    assert names[0].startswith("standup-team-")
