"""#DigitalNah moderation against a real Synapse: a configured CDO without room power
asks for changes, the submitter fixes it in the thread, the lead rejects with a reason,
deleting a tip withdraws it, and the counts show on /metrics."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import aiohttp
import pytest

from homeoffice_bot.app import App
from homeoffice_bot.devserver.person import Person
from homeoffice_bot.devserver.team import team_room
from homeoffice_bot.kernel.events import Message
from homeoffice_bot.kernel.ids import EventID, RoomID

pytestmark = pytest.mark.integration

BotFactory = Callable[..., Awaitable[App]]
PeopleFactory = Callable[..., Awaitable[Person]]


async def in_thread(person: Person, bot: App, root: EventID, contains: str, since: int) -> Message:
    return await person.wait_for(
        Message,
        lambda m: m.sender == bot.matrix.user_id and m.thread_root == root and contains in m.body,
        since=since,
    )


async def ask(person: Person, bot: App, room: str, text: str, expect: str) -> Message:
    """Say ``text`` and wait for the bot's message containing ``expect`` (other people's
    answers may still be on their way to this person)."""
    mark = person.mark()
    await person.say(RoomID(room), text)
    return await person.wait_message(RoomID(room), expect, sender=bot.matrix.user_id, since=mark)


async def test_cdo_asks_for_changes_lead_rejects_and_a_deleted_tip_is_withdrawn(
    start_bot: BotFactory, people: PeopleFactory
) -> None:
    lead = await people("lead", "Petra")
    anna = await people("anna", "Anna")
    cdo = await people("cdo", "Carla")
    bot = await start_bot(
        plugins={
            "enabled": ["digitalnah"],
            "digitalnah": {"moderators": [cdo.user_id], "debounce_seconds": 0.2},
        }
    )
    room = await team_room(lead, bot, [anna, cdo], encrypted=False)
    me = bot.matrix.user_id

    mark = anna.mark()
    tip = await anna.say(
        room, "Neu: Mängelmelder für Straßenschäden https://maengel.example.org #Umwelt #DigitalNah"
    )
    await in_thread(anna, bot, tip, "Vollständig", mark)

    reply = await anna.ask(room, "!angebot freigeben 1", me)
    assert "nur die Moderation" in reply.body

    mark = anna.mark()
    reply = await ask(
        cdo, bot, room, "!angebot nachbessern 1 Bitte Kontakt angeben", "bittet bei Angebot"
    )
    assert reply.thread_root is None  # the confirmation where she asked
    assert "Carla bittet bei Angebot #1" in reply.body
    asked = await in_thread(anna, bot, tip, "um Änderungen", mark)
    assert anna.user_id in asked.mentions
    assert "Bitte Kontakt angeben" in asked.body

    mark = anna.mark()
    await anna.say(room, "Kontakt: umweltamt@example.org", thread_root=tip)
    updated = await in_thread(anna, bot, tip, "wartet auf die Freigabe", mark)
    assert "umweltamt@example.org" in updated.body

    await ask(lead, bot, room, "!angebot ablehnen 1", "Bitte einen Grund angeben")
    mark = anna.mark()
    await ask(lead, bot, room, "!angebot ablehnen #1 Gibt es schon im Serviceportal", "Grund")
    rejected = await in_thread(anna, bot, tip, "abgelehnt", mark)
    assert "Grund: Gibt es schon im Serviceportal" in rejected.body

    detail = await ask(anna, bot, room, "!angebot 1", "Verlauf")
    assert "Status: abgelehnt" in detail.body
    trail = detail.body.split("Verlauf:")[1]
    assert f"Änderungen erbeten von Carla ({cdo.user_id}) – Bitte Kontakt angeben" in trail
    assert f"abgelehnt von Petra ({lead.user_id}) – Gibt es schon im Serviceportal" in trail

    mark = anna.mark()
    second = await anna.say(
        room, "Neu: Bibliothek online verlängern https://bib.example.org #DigitalNah"
    )
    await in_thread(anna, bot, second, "Es fehlt noch", mark)
    mark = anna.mark()
    await anna.client.redact(room, second)
    await in_thread(anna, bot, second, "zurückgezogen", mark)

    await ask(lead, bot, room, "!angebote", "Zurzeit sind keine #DigitalNah-Angebote")
    async with (
        aiohttp.ClientSession() as http,
        http.get(bot.web.address() + "/metrics") as response,
    ):
        metrics = await response.text()
    assert 'homeoffice_digitalnah_offerings{state="rejected"} 1.0' in metrics
    assert 'homeoffice_digitalnah_offerings{state="withdrawn"} 1.0' in metrics
