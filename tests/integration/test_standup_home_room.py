"""A stand-up is changed only by the moderators of its own room, against a real Synapse:
a moderator of another room (who is a plain member of the stand-up's room) cannot change
it, neither there nor from his own room."""

from __future__ import annotations

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


async def command(person: Person, room: RoomID, text: str, bot: App) -> Message:
    mark = person.mark()
    asked = await person.say(room, text)
    return await person.wait_for(
        Message, lambda m: m.sender == bot.matrix.user_id and m.reply_to == asked, since=mark
    )


async def test_only_the_moderators_of_the_stand_ups_room_change_it(
    start_bot: BotFactory, people: PeopleFactory
) -> None:
    bot = await start_bot()
    lead = await people("lead", "Petra")
    ben = await people("ben", "Ben")
    room_a = await team_room(lead, bot, [ben], encrypted=False, name="Team A")
    room_b = await team_room(ben, bot, [], encrypted=False, name="Bens Raum")

    done = await command(lead, room_a, "!standup einrichten 09:00 mo-fr", bot)
    assert "eingerichtet" in done.body
    refused = await command(ben, room_a, "!standup zeit 10:00", bot)
    assert "nur die Moderation" in refused.body
    elsewhere = await command(ben, room_b, "!standup zeit 10:00", bot)
    assert "noch kein Stand-up" in elsewhere.body
    changed = await command(lead, room_a, "!standup zeit 10:00", bot)
    assert "geändert" in changed.body
