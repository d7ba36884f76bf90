"""Workday privacy end to end: the own-data export as a file by direct message, deleting
one's data after confirmation, the retention purge."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import nio
import pytest
from nio.crypto import decrypt_attachment
from personal_replies import confirmed

from homeoffice_bot.app import App
from homeoffice_bot.devserver.person import Person
from homeoffice_bot.devserver.team import team_room
from homeoffice_bot.kernel.clock import FixedClock
from homeoffice_bot.kernel.events import Message
from homeoffice_bot.kernel.ids import EventID, RoomID
from homeoffice_bot.kernel.personal_data import json_part
from homeoffice_bot.workday.arbzg import WorkEventKind
from homeoffice_bot.workday.plugin import WorkdayPlugin

pytestmark = pytest.mark.integration

BERLIN = ZoneInfo("Europe/Berlin")
TUESDAY_10 = datetime(2024, 3, 12, 10, 0, tzinfo=BERLIN)
QUIET = {"workday": {"tick_seconds": 3600}}

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


async def download(person: Person, room: RoomID, event_id: EventID) -> bytes:
    """The content of a file message as the person's client sees it (decrypted)."""
    client = person.client._client  # the test reads the raw event through nio
    response = await client.room_get_event(room, event_id)
    event: Any = response.event
    if isinstance(event, nio.MegolmEvent):
        event = client.decrypt_event(event)
    source = event.source["content"]
    downloaded = await client.download(mxc=source.get("file", source).get("url"))
    assert isinstance(downloaded, nio.MemoryDownloadResponse), downloaded
    if "file" not in source:
        return bytes(downloaded.body)
    file = source["file"]
    return bytes(
        decrypt_attachment(downloaded.body, file["key"]["k"], file["hashes"]["sha256"], file["iv"])
    )


async def row_count(bot: App, user: str) -> int:
    tables = {
        "workday_people": "user_id", "workday_status": "user_id", "workday_leave": "user_id",
        "workday_events": "user_id", "workday_reminders_sent": "user_id",
        "workday_held": "user_id", "workday_mentions": "recipient", "workday_off_notes": "sender",
        "workday_wrapups": "user_id",
    }  # fmt: skip
    total = 0
    for table, column in tables.items():
        total += await bot.db.fetchval(f"SELECT COUNT(*) FROM {table} WHERE {column} = ?", (user,))
    return total


async def test_my_data_is_a_file_by_direct_message_with_only_my_rows(
    start_bot: BotFactory, people: PeopleFactory
) -> None:
    bot = await start_bot(plugins=QUIET, clock=FixedClock(TUESDAY_10))
    lead = await people("lead")
    anna = await people("anna")
    ben = await people("ben")
    room = await team_room(lead, bot, [anna, ben], encrypted=True)
    started = await confirmed(anna, room, "!moin", bot, "Guten Morgen")
    mark = anna.mark()  # a private reason belongs in the direct chat: typed there, it is kept
    typed = await anna.say(started.room_id, "!weg bis 11:00 Zahnarzt")
    await anna.wait_for(Message, lambda m: m.reply_to == typed and "Bis später" in m.body,
                        since=mark)  # fmt: skip
    await confirmed(ben, room, "!pause 15m", bot, "Gute Pause")
    await confirmed(ben, room, "!arbeitszeit mo-fr 07:00-15:00", bot, "07:00")

    mark = anna.mark()
    reply = await command(anna, room, "!meine-daten", bot, "Direktnachricht")
    assert "Zahnarzt" not in reply.body
    file = await anna.wait_for(
        Message, lambda m: m.sender == bot.matrix.user_id and m.msgtype == "m.file", since=mark
    )
    assert file.room_id != room
    assert file.body.startswith("meine-daten-anna")
    markdown = (await download(anna, file.room_id, file.event_id)).decode("utf-8")
    assert file.body.endswith(".md")
    assert markdown.startswith("# Deine Daten beim Homeoffice-Bot")
    assert "Zahnarzt" in markdown.split("```json")[0]  # readable before the JSON part
    export = json_part(markdown)
    assert export["user"] == anna.user_id
    data = export["data"]["workday"]
    assert data["status"][0]["state"] == "away"
    assert data["status"][0]["note"] == "Zahnarzt"
    assert [e["kind"] for e in data["work_events"]] == ["start", "away"]
    text = json.dumps(export)
    assert ben.user_id not in text
    assert "07:00" not in text


async def test_delete_my_data_after_confirmation_removes_my_rows_only(
    start_bot: BotFactory, people: PeopleFactory
) -> None:
    bot = await start_bot(plugins=QUIET, clock=FixedClock(TUESDAY_10))
    lead = await people("lead")
    anna = await people("anna")
    ben = await people("ben")
    room = await team_room(lead, bot, [anna, ben], encrypted=False)
    await confirmed(anna, room, "!moin", bot, "Guten Morgen")
    await confirmed(anna, room, f"!urlaub 20.03.–22.03. vertretung {ben.user_id}", bot, "Urlaub")
    await confirmed(ben, room, "!urlaub 25.03.–26.03.", bot, "Urlaub")
    await confirmed(anna, room, "!feierabend", bot, "Feierabend")
    await anna.say_mentioning(room, f"{ben.user_id} Notiz", ben.user_id, "Ben")
    assert await row_count(bot, anna.user_id) >= 5

    reply = await command(anna, room, "!daten-löschen bestätigen", bot, "abgelaufen")
    assert await row_count(bot, anna.user_id) >= 5
    reply = await command(anna, room, "!daten-löschen", bot, "bestätigen")
    assert "10 Minuten" in reply.body
    reply = await command(anna, room, "!daten-löschen bestätigen", bot, "gelöscht")
    assert await row_count(bot, anna.user_id) == 0
    export = await workday_of(bot).workday.privacy.export(anna.user_id)
    assert all(rows == [] for rows in export.values())
    assert "Was bleibt" in reply.body
    assert await row_count(bot, ben.user_id) >= 2  # Ben's own rows stay

    reply = await command(anna, room, "!daten-löschen", bot, "bestätigen")
    reply = await command(anna, room, "!daten-löschen bestätigen", bot, "keine Daten")
    assert reply.body


async def test_purge_removes_rows_older_than_the_retention(
    start_bot: BotFactory, people: PeopleFactory
) -> None:
    clock = FixedClock(TUESDAY_10)
    bot = await start_bot(
        plugins={"workday": {"tick_seconds": 3600, "retention_days": 7}}, clock=clock
    )
    lead = await people("lead")
    room = await team_room(lead, bot, [], encrypted=False)
    store = workday_of(bot).workday.store
    await confirmed(lead, room, "!moin", bot, "Guten Morgen")
    now = clock.now()
    await store.add_event(lead.user_id, now - timedelta(days=8), WorkEventKind.START)
    await store.add_event(lead.user_id, now - timedelta(days=6), WorkEventKind.START)

    counts = await workday_of(bot).purge()
    assert counts["work_events"] == 1
    left = await store.events(lead.user_id, now - timedelta(days=30))
    assert [e.at for e in left] == [now - timedelta(days=6), now]
