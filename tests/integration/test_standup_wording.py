"""A room's wording against a real Synapse: with `!wortwahl morgenrunde` the team reads
"Morgenrunde" instead of "Stand-up", also together with "Sie"; `!wortwahl stand-up` goes back."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest
from test_standup_support import BUILTINS, FAST, ask, configure, wait_kickoff

from homeoffice_bot.app import App
from homeoffice_bot.devserver.person import Person
from homeoffice_bot.devserver.team import team_room

pytestmark = pytest.mark.integration

StartBot = Callable[..., Awaitable[App]]
People = Callable[..., Awaitable[Person]]


async def test_a_morgenrunde_room_reads_morgenrunde_and_can_go_back(
    start_bot: StartBot, people: People
) -> None:
    bot = await start_bot(plugins=FAST, builtins=BUILTINS)
    lead, anna = await people("lead"), await people("anna")
    room = await team_room(lead, bot, [anna], encrypted=True)

    refused = await ask(anna, room, bot, "!wortwahl morgenrunde")
    assert "nur die Moderation" in refused.body
    unknown = await ask(lead, room, bot, "!wortwahl daily")
    assert "Verwendung: !wortwahl <Wortwahl>" in unknown.body
    assert "morgenrunde" in unknown.body
    (chosen,) = await configure(lead, room, bot, "!wortwahl morgenrunde")
    assert "„Morgenrunde“ statt „Stand-up“" in chosen.body
    set_up, _ = await configure(
        lead, room, bot, "!standup einrichten 03:00 täglich", "!standup dauer 30s"
    )
    assert set_up.body.startswith("Morgenrunde „team“ ist eingerichtet.")

    mark = anna.mark()
    await lead.say(room, "!standup jetzt")
    kickoff = await wait_kickoff(anna, room, bot, mark)
    assert kickoff.body.startswith("Morgenrunde „team“")
    assert "Stand-up" not in kickoff.body
    assert "Antworte bitte bis" in kickoff.body  # "du" stays

    (back,) = await configure(lead, room, bot, "!wortwahl stand-up")
    assert "wieder „Stand-up“" in back.body
    (status,) = await configure(lead, room, bot, "!standup status")
    assert status.body.startswith("Stand-up „team“")


async def test_a_room_with_sie_and_morgenrunde_reads_both(
    start_bot: StartBot, people: People
) -> None:
    bot = await start_bot(plugins=FAST, builtins=BUILTINS)
    lead, anna = await people("lead"), await people("anna")
    room = await team_room(lead, bot, [anna], encrypted=False)
    await configure(
        lead, room, bot,
        "!anrede sie", "!wortwahl morgenrunde",
        "!standup einrichten 03:00 täglich", "!standup dauer 30s",
    )  # fmt: skip

    again = await ask(lead, room, bot, "!standup einrichten 03:00 täglich")
    assert "Eine Morgenrunde „team“ gibt es in diesem Raum schon." in again.body
    assert "Eine weitere richten Sie" in again.body  # the formal wording variant

    mark = anna.mark()
    await lead.say(room, "!standup jetzt")
    kickoff = await wait_kickoff(anna, room, bot, mark)
    assert kickoff.body.startswith("Morgenrunde „team“")  # the wording variant
    assert "Antworten Sie bitte bis" in kickoff.body  # the formal variant
    assert "Stand-up" not in kickoff.body
    assert " du " not in f" {kickoff.body} "
