"""Setting up a team room with the bot and some people (tests, demo, benchmarks)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from homeoffice_bot.devserver.person import Person
from homeoffice_bot.kernel.events import Message
from homeoffice_bot.kernel.ids import RoomID, UserID

if TYPE_CHECKING:
    from homeoffice_bot.app import App


async def team_room(
    owner: Person, bot: App, members: list[Person], *, encrypted: bool, name: str = "Team"
) -> RoomID:
    """A room created by ``owner`` (power 100) with the bot and ``members`` joined.

    When the bot greets new rooms (the onboarding feature), the room is ready once its
    welcome is there: the owner waits for it and then says hello, and every member waits
    for that hello, so that nobody takes the welcome for the answer to a later message."""
    invitees = [bot.matrix.user_id, *(m.user_id for m in members)]
    mark = owner.mark()
    room = await owner.client.create_room(name=name, invite=invitees, encrypted=encrypted)
    for user in invitees:
        assert await owner.wait_joined(room, UserID(user), timeout=20), user
    for member in members:
        assert await member.wait_joined(room, bot.matrix.user_id, timeout=20)
    assert await bot.matrix.wait_member_joined(room, owner.user_id, timeout=20)
    if "onboarding" in bot.plugins:
        await owner.wait_message(room, sender=bot.matrix.user_id, since=mark, timeout=30)
        hello = await owner.say(room, "Hallo zusammen")
        for member in members:
            await member.wait_for(Message, lambda m: m.event_id == hello, timeout=30)
    return room
