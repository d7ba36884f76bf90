"""Who may see or change what: one rule, decided by the resource's home room.

Every resource has a home room: an offering its source room, a stand-up the room it runs in,
a room's own settings that room. What a person may do with a resource is decided there, by
the home room's own state, and never by the room a command happens to be typed in:

- **Bot admins** (``bot.admins``) may everything, everywhere. Everyone in the admin room
  (``bot.admin_room``) is a bot admin for what lives in that room, and only there.
- **Moderators** of a resource are the people with at least ``bot.moderator_power_level``
  in its home room, read from that room's power levels (a room's creator counts there).
  Creating a room therefore makes someone a moderator of that room only, not of anything
  that lives elsewhere.
- **Power in a direct chat counts only for that chat**: whoever opened it holds full power
  there. The one person in a direct chat may change the chat's own things (its language,
  a stand-up that lives only there), but a resource that is seen **beyond its room** (an
  offering published for everyone, ``beyond_room=True``) whose home is a direct chat, or
  which has no home, has no moderators but the bot admins (and those a feature configures
  itself, e.g. #DigitalNah's CDOs).
- Everyone else is a **member**.

Features ask with one call: ``ctx.access.permission(user, home)``, or
``ctx.access.moderates(user, home)``. People are visible to each other (their state, a board
line) only when they share a team room: ``shares_team_room``.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from typing import Protocol

from homeoffice_bot.kernel.command_model import Permission
from homeoffice_bot.kernel.ids import RoomID, UserID


class PowerLevels(Protocol):
    """The part of ``RoomState`` the rule reads."""

    def power_level(self, room_id: RoomID, user_id: UserID) -> int: ...
    def is_direct(self, room_id: RoomID) -> bool: ...
    def joined_rooms(self) -> list[RoomID]: ...
    def members(self, room_id: RoomID) -> list[UserID]: ...


class Access:
    def __init__(
        self,
        matrix: PowerLevels,
        *,
        admins: Collection[str],
        moderator_level: int,
        admin_room: str | None = None,
    ) -> None:
        self._matrix = matrix
        self.admins = frozenset(admins)
        self.moderator_level = moderator_level
        self.admin_room = admin_room

    def is_bot_admin(self, user_id: str) -> bool:
        """A configured bot admin (everywhere); the admin room's members are bot admins only
        for what lives in that room (see ``permission``)."""
        return user_id in self.admins

    def permission(
        self, user_id: UserID, home: RoomID | None, *, beyond_room: bool = False
    ) -> Permission:
        """The permission ``user_id`` holds over a resource whose home room is ``home``;
        ``beyond_room`` for one that others than the room's members see."""
        if self.is_bot_admin(user_id) or self._in_admin_room(user_id, home):
            return Permission.BOT_ADMIN
        if home is None or (beyond_room and self._matrix.is_direct(home)):
            return Permission.MEMBER
        if self._matrix.power_level(home, user_id) >= self.moderator_level:
            return Permission.MODERATOR
        return Permission.MEMBER

    def acting_in(self, user_id: UserID, room_id: RoomID) -> Permission:
        """The permission of someone acting in ``room_id`` itself (a command typed there),
        over that room's own things: ``permission``, known to be a member of it."""
        if room_id == self.admin_room:
            return Permission.BOT_ADMIN
        return self.permission(user_id, room_id)

    def _in_admin_room(self, user_id: UserID, home: RoomID | None) -> bool:
        return (
            home is not None and home == self.admin_room and user_id in self._matrix.members(home)
        )

    def moderates(self, user_id: UserID, home: RoomID | None, *, beyond_room: bool = False) -> bool:
        """Bot admin, or moderator of ``home`` (see ``permission``)."""
        return self.permission(user_id, home, beyond_room=beyond_room) >= Permission.MODERATOR

    def team_rooms(
        self, user_id: UserID, *, enabled: Callable[[RoomID], bool] | None = None
    ) -> list[RoomID]:
        """The group rooms (not direct chats) the bot shares with ``user_id``; with
        ``enabled``, only those it accepts (e.g. rooms with the workday on)."""
        matrix = self._matrix
        return [
            room for room in sorted(matrix.joined_rooms())
            if not matrix.is_direct(room) and user_id in matrix.members(room)
            and (enabled is None or enabled(room))
        ]  # fmt: skip

    def shares_team_room(
        self, viewer: UserID, subject: UserID, rooms: Iterable[RoomID] | None = None
    ) -> bool:
        """Whether ``viewer`` and ``subject`` are both members of one of ``rooms`` (default:
        every group room of the bot). Someone always shares a room with themselves."""
        if viewer == subject:
            return True
        matrix = self._matrix
        candidates = rooms if rooms is not None else matrix.joined_rooms()
        for room in candidates:
            if matrix.is_direct(room):
                continue
            members = matrix.members(room)
            if viewer in members and subject in members:
                return True
        return False


class NoRooms:
    """Power levels of an account that knows no room (contexts built without one)."""

    def power_level(self, room_id: RoomID, user_id: UserID) -> int:
        return 0

    def is_direct(self, room_id: RoomID) -> bool:
        return False

    def joined_rooms(self) -> list[RoomID]:
        return []

    def members(self, room_id: RoomID) -> list[UserID]:
        return []


def nobody_but_admins(admins: Collection[str] = ()) -> Access:
    """The rule over no rooms: only ``admins`` may anything (default of a bare context)."""
    return Access(NoRooms(), admins=admins, moderator_level=50)
