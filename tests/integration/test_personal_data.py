"""One person's data across every component, end to end: ``!meine-daten`` holds the
stand-up answers, the #DigitalNah offerings and audit entries next to the workday rows;
``!daten-löschen`` waits for its confirmation across a restart, deletes everywhere, says
what stays; after another restart a read-only command brings nobody back."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from personal_replies import confirmed
from test_digitalnah_flow import TIP, bot_in_thread, wait_published
from test_standup_support import configure, wait_ack, wait_kickoff, wait_report
from test_workday_mydata import command, download

from homeoffice_bot.app import App
from homeoffice_bot.devserver.person import Person
from homeoffice_bot.devserver.team import team_room
from homeoffice_bot.kernel.events import Message
from homeoffice_bot.kernel.personal_data import json_part

pytestmark = pytest.mark.integration

BotFactory = Callable[..., Awaitable[App]]
PeopleFactory = Callable[..., Awaitable[Person]]
PLUGINS: dict[str, Any] = {
    "enabled": ["digitalnah"],
    "digitalnah": {"debounce_seconds": 0.2, "max_wait_seconds": 1.0},
    "standup": {"min_window_seconds": 5},
    "workday": {"tick_seconds": 3600},
}
DRAFT = "!angebot neu\nTitel: Leihfahrräder am Rathaus"


async def rows(bot: App, sql: str, *params: object) -> list[dict[str, Any]]:
    return [dict(row) for row in await bot.db.fetchall(sql, params)]


async def test_my_data_holds_every_component_and_deletion_survives_restarts(
    start_bot: BotFactory, people: PeopleFactory
) -> None:
    bot = await start_bot(plugins=PLUGINS)
    lead = await people("lead", "Petra")
    anna = await people("anna", "Anna")
    room = await team_room(lead, bot, [anna], encrypted=True)
    await confirmed(lead, room, "!moin", bot, "Guten Morgen")
    await confirmed(anna, room, "!moin", bot, "Guten Morgen")
    await configure(
        lead, room, bot,
        "!standup einrichten 03:00 täglich", "!standup region aus", "!standup dauer 5s",
        f"!standup teilnehmer entfernen {lead.user_id}",
    )  # fmt: skip

    # a stand-up answer
    mark = anna.mark()
    await lead.say(room, "!standup jetzt")
    kickoff = await wait_kickoff(anna, room, bot, mark)
    answer = await anna.say(room, "Heute: Verzeichnis prüfen", thread_root=kickoff.event_id)
    await wait_ack(anna, answer, bot, mark)
    await wait_report(anna, room, bot, mark)

    # a published offering (submitted by Anna, approved by Petra) and a draft
    mark = anna.mark()
    tip = await anna.say(room, TIP)
    await bot_in_thread(anna, bot, tip, "Es fehlt noch", since=mark)
    mark = anna.mark()
    await anna.say(room, "Bürgerservice", thread_root=tip)
    await bot_in_thread(anna, bot, tip, "Vollständig", since=mark)
    await lead.ask(room, "!angebot freigeben 1", bot.matrix.user_id)
    mark = anna.mark()
    draft = await anna.say(room, DRAFT)
    await bot_in_thread(anna, bot, draft, "Es fehlt noch", since=mark)

    # the export: one Markdown file by direct message, readable, with JSON at the end
    mark = anna.mark()
    reply = await command(anna, room, "!meine-daten", bot, "Direktnachricht")
    file = await anna.wait_for(
        Message, lambda m: m.sender == bot.matrix.user_id and m.msgtype == "m.file", since=mark
    )
    note = await anna.wait_for(
        Message,
        lambda m: m.sender == bot.matrix.user_id and "Hier ist deine Datei" in m.body,
        since=mark,
    )
    assert file.room_id == note.room_id != room
    assert "Stand-up (Antworten, Notizen, Abwesenheiten): " in note.body
    assert "#DigitalNah (Einreichungen und Protokoll): " in note.body
    markdown = (await download(anna, file.room_id, file.event_id)).decode("utf-8")
    readable = markdown.split("```json")[0]
    assert "## Stand-up (Antworten, Notizen, Abwesenheiten)" in readable
    assert "### Deine Antworten (1)" in readable
    assert "### Deine Einreichungen (2)" in readable
    assert "Verzeichnis prüfen" in readable
    assert "Leihfahrräder am Rathaus" in readable
    data = json_part(markdown)["data"]
    assert [a["text"] for a in data["standup"]["answers"]] == ["Heute: Verzeichnis prüfen"]
    assert data["standup"]["rounds_you_were_in"][0]["asked"] is True
    offerings = {o["id"]: o for o in data["digitalnah"]["offerings"]}
    assert offerings[1]["title"] == "Online-Terminbuchung fürs Bürgerbüro"
    assert offerings[1]["state"] == "approved"
    assert offerings[2]["title"] == "Leihfahrräder am Rathaus"
    assert {e["offering_id"] for e in data["digitalnah"]["your_actions"]} == {1}  # a draft has none
    approvals = data["digitalnah"]["history_of_your_offerings"]
    assert [(e["offering_id"], e["to_state"]) for e in approvals] == [(1, "approved")]
    assert lead.user_id not in markdown  # Petra's approval is there, her id is not
    assert data["workday"]["status"][0]["state"] == "working"
    assert reply.body

    # the deletion is asked for, the bot restarts, the confirmation still counts
    asked = await command(anna, room, "!daten-löschen", bot, "bestätigen")
    assert "Stand-up" in asked.body
    await bot.stop()
    bot = await start_bot(plugins=PLUGINS)
    done = await command(anna, room, "!daten-löschen bestätigen", bot, "gelöscht")
    assert "Was bleibt:" in done.body
    assert "Matrix-Server" in done.body
    assert "Veröffentlichte Angebote bleiben" in done.body

    user = anna.user_id
    assert await rows(bot, "SELECT * FROM workday_people WHERE user_id = ?", user) == []
    assert await rows(bot, "SELECT * FROM standup_answers WHERE user_id = ?", user) == []
    assert await rows(bot, "SELECT * FROM digitalnah_audit WHERE actor = ?", user) == []
    kept = await rows(bot, "SELECT id, submitter, state FROM digitalnah_offerings")
    assert kept == [{"id": 1, "submitter": "", "state": "approved"}]  # the draft is gone
    occurrence = await rows(bot, "SELECT participants FROM standup_occurrences")
    assert user not in occurrence[0]["participants"]
    page = bot.web.address() + "/digitalnah/"  # the restarted bot's port
    await wait_published(page, "Online-Terminbuchung fürs Bürgerbüro")  # still published

    # after another restart, looking at one's leave stores nothing and the board stays clean
    await bot.stop()
    bot = await start_bot(plugins=PLUGINS)
    await confirmed(anna, room, "!urlaub", bot, "Urlaub")
    await confirmed(anna, room, "!arbeitszeit", bot, "Arbeitszeit")
    board = await command(lead, room, "!status", bot, "Petra")
    assert "Anna" not in board.body
    assert await rows(bot, "SELECT * FROM workday_people WHERE user_id = ?", user) == []
    again = await command(anna, room, "!daten-löschen bestätigen", bot, "abgelaufen")
    assert again.body  # the confirmation was used once
