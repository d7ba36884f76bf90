"""Team rooms: where the workday is on, and who may see whose state.

A person's state (working, on a break, off …) is shown only in rooms that have the workday
on, and only to people who share such a room with them:

- **The board** of a room lists its members who use the workday, only while the room has the
  workday on; a room with it off has no board.
- **``!status @person``** typed in a room answers only when the room has the workday on and
  the person is a member of it (everyone who reads the answer shares the room with them);
  in a direct chat, only when the asker shares a room with the workday on with the person.
  Any other answer is the one for someone the bot knows nothing about.

Whether a room has the workday on is a moderator setting (``!übersicht an|aus|automatisch``).
Until a moderator decides (every room that existed before the setting, and every new one),
it follows the members (``automatic``): on while every member is on the bot's own homeserver
or one of ``bot.allowed_servers``, off as soon as someone from another server is in the room
or invited to it, so that external partners never see a team's states unless a moderator
turns it on.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import TYPE_CHECKING

from homeoffice_bot.kernel.ids import RoomID, UserID
from homeoffice_bot.workday.store_board import BoardStore

if TYPE_CHECKING:
    from homeoffice_bot.workday.service import Workday


def server_of(user_id: str) -> str:
    """ "example.org" of "@anna:example.org"."""
    return user_id.partition(":")[2].lower()


def automatic(members: Iterable[str], own_servers: Collection[str]) -> bool:
    """The default: on while every member is on one of ``own_servers``."""
    return all(server_of(member) in own_servers for member in members)


def workday_on(setting: bool | None, members: Iterable[str], own_servers: Collection[str]) -> bool:
    """A moderator's setting wins; without one, ``automatic``."""
    return automatic(members, own_servers) if setting is None else setting


class TeamRooms:
    def __init__(self, wd: Workday, store: BoardStore) -> None:
        self.wd = wd
        self.store = store

    def own_servers(self) -> frozenset[str]:
        """The bot's homeserver and the servers whose users may invite it."""
        bot = self.wd.ctx.bot
        return frozenset(
            {server_of(self.wd.ctx.matrix.user_id), *(s.lower() for s in bot.allowed_servers)}
        )

    async def setting(self, room_id: RoomID) -> bool | None:
        return (await self.store.board(room_id)).workday

    async def enabled(self, room_id: RoomID) -> bool:
        """Whether ``room_id`` is a team room with the workday on (never a direct chat)."""
        matrix = self.wd.ctx.matrix
        if matrix.is_direct(room_id):
            return False
        setting = await self.setting(room_id)
        everyone = [*matrix.members(room_id), *matrix.invited(room_id)]
        return workday_on(setting, everyone, self.own_servers())

    async def rooms_of(self, user: UserID) -> list[RoomID]:
        """The rooms with the workday on that ``user`` is a member of."""
        return [r for r in self.wd.ctx.access.team_rooms(user) if await self.enabled(r)]

    async def may_see(
        self, viewer: UserID, subject: UserID, room_id: RoomID, *, direct: bool
    ) -> bool:
        """Whether an answer about ``subject``'s state may go to ``room_id`` (where
        ``viewer`` asked; ``direct`` for a direct chat)."""
        if viewer == subject:
            return True
        matrix = self.wd.ctx.matrix
        if not direct:
            return subject in matrix.members(room_id) and await self.enabled(room_id)
        rooms = await self.rooms_of(subject)
        return self.wd.ctx.access.shares_team_room(viewer, subject, rooms)
