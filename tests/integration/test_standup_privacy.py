"""Stand-up reports without surveillance by default, end to end: no answer times, no
lateness marks, open answers as a count, a CSV export without time and lateness columns;
a room that has a works agreement turns each on, and the help says that it needs one."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Awaitable, Callable

import pytest
from test_standup_support import (
    BUILTINS,
    FAST,
    ask,
    configure,
    set_up_standup,
    wait_ack,
    wait_kickoff,
    wait_report,
)
from test_workday_mydata import download

from homeoffice_bot.app import App
from homeoffice_bot.devserver.person import Person
from homeoffice_bot.devserver.team import team_room
from homeoffice_bot.kernel.events import Edit, Message
from homeoffice_bot.kernel.ids import RoomID

pytestmark = pytest.mark.integration

StartBot = Callable[..., Awaitable[App]]
People = Callable[..., Awaitable[Person]]
TIME = re.compile(r"\b\d\d:\d\d\b")


async def one_round(bot: App, room: RoomID, lead: Person, anna: Person) -> Message:
    """A round in which Anna answers and Ben does not; the report."""
    mark = anna.mark()
    await lead.say(room, "!standup jetzt")
    kickoff = await wait_kickoff(anna, room, bot, mark)
    answer = await anna.say(room, "Heute: Akten digitalisieren", thread_root=kickoff.event_id)
    await wait_ack(anna, answer, bot, mark)
    return await wait_report(anna, room, bot, mark)


async def late_answer(bot: App, room: RoomID, ben: Person, report: Message) -> tuple[str, str]:
    """Ben answers after the report; the key of the bot's reaction and the edited report."""
    mark = ben.mark()
    assert report.thread_root is not None
    answer = await ben.say(room, "Heute: nachgereicht", thread_root=report.thread_root)
    ack = await wait_ack(ben, answer, bot, mark)
    edit = await ben.wait_for(
        Edit, lambda e: e.original_event_id == report.event_id, timeout=20, since=mark
    )
    return ack.key, edit.new_body


async def csv_export(bot: App, room: RoomID, lead: Person) -> list[dict[str, str]]:
    mark = lead.mark()
    await ask(lead, room, bot, "!standup export heute")
    file = await lead.wait_for(
        Message,
        lambda m: m.sender == bot.matrix.user_id and m.msgtype == "m.file" and ".csv" in m.body,
        since=mark,
    )
    text = (await download(lead, room, file.event_id)).decode("utf-8")
    return list(csv.DictReader(io.StringIO(text)))


async def test_reports_and_csv_name_no_one_open_and_carry_no_times_unless_turned_on(
    start_bot: StartBot, people: People
) -> None:
    bot = await start_bot(plugins=FAST, builtins=BUILTINS)
    lead, anna, ben = [await people(n) for n in ("lead", "anna", "ben")]
    room = await team_room(lead, bot, [anna, ben], encrypted=False)
    await set_up_standup(lead, room, bot, "5s")

    report = await one_round(bot, room, lead, anna)
    body = report.body.split("\n", 1)[1]  # after the heading with its date
    assert "1 von 2 hat geantwortet" in body
    assert "1 noch offen" in body
    assert "Ben" not in body
    assert not TIME.search(body)
    ack, edited = await late_answer(bot, room, ben, report)
    assert ack == "✅"  # no 🕒 under a late answer for the room to see
    assert "nachgereicht" in edited
    assert "verspätet" not in edited
    rows = await csv_export(bot, room, lead)
    assert "time_utc" not in rows[0]
    assert "late" not in rows[0]
    texts = [r["text"] for r in rows if r["status"] == "answered"]
    assert texts == ["Akten digitalisieren", "nachgereicht"]  # by name, not by time
    assert [r for r in rows if r["status"] == "missing"] == []  # Ben answered late

    status = await ask(anna, room, bot, "!standup status")
    assert "Bericht: ohne Antwortzeiten, ohne „verspätet“, Offene als Anzahl" in status.body
    helped = await ask(anna, room, bot, "!hilfe standup zeiten")
    assert "Dienstvereinbarung" in helped.body
    refused = await ask(anna, room, bot, "!standup offene namen")
    assert "nur die Moderation" in refused.body

    await configure(
        lead, room, bot, "!standup zeiten an", "!standup verspätung an", "!standup offene namen"
    )
    status = await ask(anna, room, bot, "!standup status")
    assert "Bericht: mit Antwortzeiten, mit „verspätet“, Offene mit Namen" in status.body
    report = await one_round(bot, room, lead, anna)
    body = report.body.split("\n", 1)[1]
    assert "Keine Antwort: Ben" in body
    assert re.search(r"Anna \(\d\d:\d\d\)", body)
    ack, edited = await late_answer(bot, room, ben, report)
    assert ack == "🕒"
    assert re.search(r"Ben \(\d\d:\d\d, verspätet\)", edited)
    rows = await csv_export(bot, room, lead)
    assert {"time_utc", "late"} <= set(rows[0])
    answered = {(r["user_id"], r["late"]) for r in rows if r["status"] == "answered"}
    assert answered == {(anna.user_id, "no"), (ben.user_id, "yes")}  # both rounds
    assert all(r["time_utc"] for r in rows if r["status"] == "answered")
