"""Stand-up variants against a real Synapse: questions by direct message with a late
answer that edits the report, the live call with minutes, absences and redactions.

Where no answer has to be late by its server time, the bot runs on the test's clock and the
window ends when the test moves the clock, not after waiting for it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

import pytest
from personal_replies import confirmed
from test_standup_support import (
    BUILTINS,
    FAST,
    ask,
    configure,
    kickoff_soon,
    wait_ack,
    wait_kickoff,
    wait_report,
)

from homeoffice_bot.app import App
from homeoffice_bot.devserver.person import Person
from homeoffice_bot.devserver.team import team_room
from homeoffice_bot.kernel.clock import FixedClock
from homeoffice_bot.kernel.events import Edit, Message
from homeoffice_bot.kernel.ids import RoomID

pytestmark = pytest.mark.integration

StartBot = Callable[..., Awaitable[App]]
People = Callable[..., Awaitable[Person]]


async def _team(
    start_bot: StartBot, people: People, *commands: str, clock: FixedClock | None = None
) -> tuple[App, RoomID, Person, Person, Person]:
    bot = await start_bot(plugins=FAST, builtins=BUILTINS, clock=clock)
    lead, anna, ben = [await people(n) for n in ("lead", "anna", "ben")]
    room = await team_room(lead, bot, [anna, ben], encrypted=True)
    await configure(
        lead, room, bot,
        "!standup einrichten 03:00 täglich",
        f"!standup teilnehmer entfernen {lead.user_id}",
        "!standup offene namen",  # these rooms have a works agreement: names and lateness
        "!standup verspätung an",
        *commands,
    )  # fmt: skip
    return bot, room, lead, anna, ben


def caught_up(clock: FixedClock) -> None:
    """Bring the test's clock up to real time (it stood still while the team was set up),
    so that an ad-hoc stand-up opens after the server times of what was typed before."""
    clock.set(max(clock.now(), datetime.now(UTC)))


async def _bot_dm(person: Person, bot: App, team: RoomID, contains: str, since: int) -> Message:
    return await person.wait_for(
        Message,
        lambda m: m.room_id != team and m.sender == bot.matrix.user_id and contains in m.body,
        timeout=30,
        since=since,
    )


async def test_questions_by_direct_message_and_a_late_answer_edits_the_report(
    start_bot: StartBot, people: People
) -> None:
    bot, room, lead, anna, ben = await _team(
        start_bot, people, "!standup antworten direkt", "!standup dauer 12s"
    )
    mark_anna, mark_ben = anna.mark(), ben.mark()
    await lead.say(room, "!standup jetzt")
    first = await _bot_dm(anna, bot, room, "Frage 1/3", mark_anna)
    assert "Was hast du seit" in first.body
    for answer, follow_up in (("Vorlage geschrieben", "Frage 2/3"), ("Workshop", "Frage 3/3"),
                              ("Server-Umzug hängt", "Danke")):  # fmt: skip
        mark = anna.mark()
        await anna.say(first.room_id, answer)
        await _bot_dm(anna, bot, room, follow_up, mark)
    ben_dm = await _bot_dm(ben, bot, room, "Frage 1/3", mark_ben)

    report = await wait_report(lead, room, bot, 0)
    assert "Vorlage geschrieben" in report.body
    assert "Server-Umzug hängt" in report.body
    assert "1 Blocker" in report.body
    assert "Keine Antwort: Ben" in report.body

    mark = lead.mark()
    await ben.say(ben_dm.room_id, "1. Akten\n2. Termine\n3. nichts")
    edited = await lead.wait_for(
        Edit, lambda e: e.original_event_id == report.event_id, timeout=20, since=mark
    )
    assert "Ben" in edited.new_body
    assert "verspätet" in edited.new_body
    assert "Keine Antwort" not in edited.new_body


async def test_answers_in_a_plain_room_of_just_the_person_and_the_bot_are_taken(
    start_bot: StartBot, people: People
) -> None:
    """A room someone made for the bot ("New room", named, not flagged as a direct chat)
    is where they answer: the answer counts and the next question comes there."""
    bot, room, lead, anna, _ben = await _team(
        start_bot, people, "!standup antworten direkt", "!standup dauer 30s"
    )
    own = await team_room(anna, bot, [], encrypted=False, name="Homeoffice-Bot")
    assert not bot.matrix.is_direct(own)
    mark_anna = anna.mark()
    await lead.say(room, "!standup jetzt")
    await _bot_dm(anna, bot, room, "Frage 1/3", mark_anna)
    mark = anna.mark()
    await anna.say(own, "Vorlage geschrieben")
    second = await anna.wait_message(
        own, "Frage 2/3", sender=bot.matrix.user_id, timeout=20, since=mark
    )
    assert "Was steht heute" in second.body


async def test_live_call_with_agenda_speaking_order_and_minutes(
    start_bot: StartBot, people: People
) -> None:
    clock = FixedClock(datetime.now(UTC))
    bot, room, lead, anna, ben = await _team(
        start_bot, people, "!standup modus live", "!standup link https://meet.jit.si/team-digital",
        "!standup dauer 8s", clock=clock,
    )  # fmt: skip
    mark = anna.mark()
    caught_up(clock)
    await lead.say(room, "!standup jetzt")
    kickoff = await wait_kickoff(anna, room, bot, mark)
    assert "live" in kickoff.body
    assert 'href="https://meet.jit.si/team-digital"' in (kickoff.formatted_body or "")
    assert any(line.startswith("Reihenfolge") for line in kickoff.body.splitlines())
    assert set(kickoff.mentions) == {anna.user_id, ben.user_id}
    await anna.say(room, "Beschluss: Release am Freitag", thread_root=kickoff.event_id)
    await ask(lead, room, bot, "!standup status")  # a sentinel: the decision is taken in
    clock.advance(timedelta(seconds=9))  # the call's time is up

    closing = await anna.wait_message(room, "Die Zeit ist um", sender=bot.matrix.user_id,
                                      since=mark, timeout=30)  # fmt: skip
    assert closing.thread_root == kickoff.event_id
    report = await wait_report(anna, room, bot, mark)
    assert "Entscheidungen" in report.body
    assert "Release am Freitag" in report.body
    assert "Keine Antwort" not in report.body


async def test_absent_people_are_not_asked_and_a_redacted_answer_is_gone(
    start_bot: StartBot, people: People
) -> None:
    clock = FixedClock(datetime.now(UTC))
    bot, room, lead, anna, ben = await _team(start_bot, people, "!standup dauer 10s", clock=clock)
    refused = await ask(anna, room, bot, f"!standup abwesend {ben.user_id}")
    assert "nur die Moderation" in refused.body
    marked = await ask(lead, room, bot, f"!standup abwesend {ben.user_id} heute")
    assert "Ben ist am" in marked.body

    mark = anna.mark()
    caught_up(clock)
    await lead.say(room, "!standup jetzt")
    kickoff = await wait_kickoff(anna, room, bot, mark)
    answer = await anna.say(room, "Heute: aus Versehen geschickt", thread_root=kickoff.event_id)
    await wait_ack(anna, answer, bot, mark)
    await anna.client.redact(room, answer)
    await ask(lead, room, bot, "!standup status")  # a sentinel: the redaction is taken in
    clock.advance(timedelta(seconds=11))  # the window ends

    report = await wait_report(anna, room, bot, mark)
    assert "aus Versehen" not in report.body
    assert "Keine Antwort: Anna" in report.body
    assert "Abwesend: Ben" in report.body
    assert "0 von 1 haben geantwortet" in report.body


async def test_scheduled_standup_leaves_out_whom_workday_knows_to_be_off(
    start_bot: StartBot, people: People
) -> None:
    clock = FixedClock(datetime.now(UTC))
    bot = await start_bot(plugins=FAST, clock=clock)  # with the workday feature
    lead, anna, ben = [await people(n) for n in ("lead", "anna", "ben")]
    room = await team_room(lead, bot, [anna, ben], encrypted=False)
    off = await confirmed(ben, room, "!feierabend", bot, "Feierabend")
    assert "Schönen Feierabend" in off.body
    await configure(
        lead, room, bot,
        "!standup einrichten 03:00 täglich",
        "!standup region aus",
        "!standup dauer 5s",
        f"!standup teilnehmer entfernen {lead.user_id}",
        "!standup offene namen",
    )  # fmt: skip
    mark = anna.mark()
    kickoff_at = await kickoff_soon(lead, room, bot, clock)
    clock.set(kickoff_at)
    await wait_kickoff(anna, room, bot, mark)
    clock.advance(timedelta(seconds=6))  # the window ends
    report = await wait_report(anna, room, bot, mark)
    absent = next(line for line in report.body.splitlines() if line.startswith("Abwesend:"))
    assert "Ben" in absent
    assert "Ben" not in "".join(
        line for line in report.body.splitlines() if line.startswith("Keine Antwort")
    )
