"""Setting up a team room with the bot and some people (tests, demo, benchmarks)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from homeoffice_bot.devserver.person import Person
from homeoffice_bot.kernel.ids import RoomID, UserID

if TYPE_CHECKING:
    from homeoffice_bot.app import App


async def team_room(
    owner: Person, bot: App, members: list[Person], *, encrypted: bool, name: str = "Team"
) -> RoomID:
    """A room created by ``owner`` (power 100) with the bot and ``members`` joined."""
    invitees = [bot.matrix.user_id, *(m.user_id for m in members)]
    room = await owner.client.create_room(name=name, invite=invitees, encrypted=encrypted)
    for user in invitees:
        assert await owner.client.wait_member_joined(room, UserID(user), timeout=20), user
    for member in members:
        assert await member.client.wait_member_joined(room, bot.matrix.user_id, timeout=20)
    assert await bot.matrix.wait_member_joined(room, owner.user_id, timeout=20)
    return room
