"""Who sees a pending #DigitalNah offering, against a real Synapse: the room it was posted in
decides, never the room a command is typed in. A moderator of another room and the creator
of a fresh room get exactly the answer a number nobody used gets; the submitter, a
moderator of the source room and a bot admin see it with its submitter and history."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import pytest

from homeoffice_bot.app import App
from homeoffice_bot.devserver.person import Person
from homeoffice_bot.devserver.team import team_room
from homeoffice_bot.kernel.events import Message
from homeoffice_bot.kernel.ids import RoomID

pytestmark = pytest.mark.integration

BotFactory = Callable[..., Awaitable[App]]
PeopleFactory = Callable[..., Awaitable[Person]]

TITLE = "Mängelmelder"


async def ask(person: Person, bot: App, room: RoomID, text: str, expect: str) -> Message:
    mark = person.mark()
    await person.say(room, text)
    return await person.wait_message(room, expect, sender=bot.matrix.user_id, since=mark)


async def in_direct_chat(person: Person, bot: App, contains: str, since: int) -> Message:
    """The bot's next message to ``person`` in a room of the two of them."""
    return await person.wait_for(
        Message,
        lambda m: m.sender == bot.matrix.user_id and m.is_direct and contains in m.body,
        since=since,
    )


def reveals_nothing(body: str) -> None:
    assert TITLE not in body
    assert "anna" not in body.lower()
    assert "Warten auf Freigabe" not in body


async def test_a_pending_offering_is_seen_only_by_its_submitter_moderators_and_admins(
    start_bot: BotFactory, people: PeopleFactory
) -> None:
    lead = await people("lead", "Petra")
    anna = await people("anna", "Anna")
    ben = await people("ben", "Ben")
    cleo = await people("cleo", "Cleo")
    admin = await people("admin", "Ada")
    bot = await start_bot(
        bot={"admins": [admin.user_id]},
        plugins={"enabled": ["digitalnah"], "digitalnah": {"debounce_seconds": 0.2}},
    )
    room_a = await team_room(lead, bot, [anna, ben], encrypted=True, name="Amt A")
    room_b = await team_room(ben, bot, [admin], encrypted=False, name="Amt B")
    me = bot.matrix.user_id

    mark = anna.mark()
    tip = await anna.say(
        room_a,
        f"Neu: {TITLE} für Straßenschäden https://maengel.example.org #Umwelt #DigitalNah",
    )
    await anna.wait_for(
        Message,
        lambda m: m.sender == me and m.thread_root == tip and "Angebot #1" in m.body,
        since=mark,
    )

    # Ben moderates room B (he created it) and is a plain member of room A.
    nobody = await ask(ben, bot, room_b, "!angebot 99", "gibt es nicht")
    hidden = await ask(ben, bot, room_b, "!angebot 1", "gibt es nicht")
    assert hidden.body == nobody.body.replace("#99", "#1")
    reveals_nothing(hidden.body)
    listing = await ask(ben, bot, room_b, "!angebote", "Angebot")
    reveals_nothing(listing.body)
    refused = await ask(ben, bot, room_b, "!angebot freigeben 1", "gibt es nicht")
    assert refused.body == hidden.body
    edit = await ask(ben, bot, room_b, "!angebot bearbeiten 1\nTitel: Weg damit", "gibt es nicht")
    assert edit.body == hidden.body
    in_a = await ask(ben, bot, room_a, "!angebot 1", "gibt es nicht")
    assert in_a.body == hidden.body

    # Cleo creates a fresh room of her own: its power makes her a moderator there only.
    room_c = await team_room(cleo, bot, [], encrypted=False, name="Neu C")
    assert not bot.matrix.is_direct(room_c)
    for _ in range(100):  # the room's power levels reach the bot with its next sync
        if bot.matrix.power_level(room_c, cleo.user_id) >= 50:
            break
        await asyncio.sleep(0.1)
    assert bot.matrix.power_level(room_c, cleo.user_id) >= 50
    mine = await ask(cleo, bot, room_c, "!angebot 1", "gibt es nicht")
    assert mine.body == hidden.body
    reveals_nothing((await ask(cleo, bot, room_c, "!angebote", "Angebot")).body)

    # The submitter, a moderator of the source room and a bot admin see it all: by direct
    # message, since others in the rooms they ask in may not.
    for person, room in ((anna, room_a), (lead, room_a), (admin, room_b)):
        mark = person.mark()
        here = await ask(person, bot, room, "!angebot 1", "Direktnachricht")
        reveals_nothing(here.body)
        shown = await in_direct_chat(person, bot, TITLE, mark)
        assert "Eingereicht von" in shown.body, person.user_id
        assert anna.user_id in shown.body
        assert "Verlauf:" in shown.body
        mark = person.mark()
        listing = await ask(person, bot, room, "!angebote", "Direktnachricht")
        reveals_nothing(listing.body)
        waiting = await in_direct_chat(person, bot, "Warten auf Freigabe (1)", mark)
        assert TITLE in waiting.body

    # Once published, everyone sees the offering, but not who submitted it.
    await ask(lead, bot, room_a, "!angebot freigeben 1", "freigegeben")
    public = await ask(cleo, bot, room_c, "!angebot 1", TITLE)
    assert "Eingereicht" not in public.body
    assert "Verlauf" not in public.body
    assert "anna" not in public.body.lower()
    mark = admin.mark()
    both = await ask(admin, bot, room_b, "!angebot 1", TITLE)
    assert "Eingereicht von" not in both.body
    assert "Direktnachricht" in both.body
    history = await in_direct_chat(admin, bot, "Verlauf:", mark)
    assert "freigegeben" in history.body
