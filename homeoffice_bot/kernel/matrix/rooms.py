"""Room state: the base of the Matrix layer. What the bot knows of its rooms from the sync
(members, names, power levels, encryption, direct chats), and joining and leaving.

``RoomState`` is the part of the account that features see (``ctx.matrix``): they read room
state here and send through the outbox, never through the client.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

import nio

from homeoffice_bot.kernel.errors import MatrixError
from homeoffice_bot.kernel.ids import EventID, RoomID, UserID
from homeoffice_bot.kernel.links import event_link, via_servers

CREATOR_POWER_LEVEL = 1_000_000
"""Room creators in room version 12 and later have power above any level."""
_LEGACY_ROOM_VERSIONS = frozenset(str(v) for v in range(1, 12))


def only_other_member(members: Iterable[str], me: str) -> UserID | None:
    """The other member of a room of exactly the bot and one person (joined or invited),
    whether or not the room was created as a direct chat and whatever it is called; None
    for every other room."""
    everyone = set(members)
    others = everyone - {me}
    if me not in everyone or len(others) != 1:
        return None
    return UserID(others.pop())


class RoomState(Protocol):
    """What features may ask of the Matrix account (``ctx.matrix``)."""

    @property
    def user_id(self) -> UserID: ...
    @property
    def device_id(self) -> str: ...
    @property
    def encryption_enabled(self) -> bool: ...

    synced: asyncio.Event

    def joined_rooms(self) -> list[RoomID]: ...
    def room_name(self, room_id: RoomID) -> str: ...
    def is_direct(self, room_id: RoomID) -> bool: ...
    def direct_partner(self, room_id: RoomID) -> UserID | None: ...
    def is_encrypted(self, room_id: RoomID) -> bool: ...
    def power_level(self, room_id: RoomID, user_id: UserID) -> int: ...
    def can_send_state(self, room_id: RoomID, event_type: str) -> bool: ...
    def can_redact_others(self, room_id: RoomID) -> bool: ...
    def members(self, room_id: RoomID) -> list[UserID]: ...
    def invited(self, room_id: RoomID) -> list[UserID]: ...
    def display_name(self, room_id: RoomID | None, user_id: UserID) -> str: ...
    def names_for(self, room_id: RoomID | None, user_ids: Sequence[UserID]) -> dict[str, str]: ...
    def presence(self, user_id: UserID) -> str | None: ...
    def has_joined(self, room_id: RoomID, user_id: UserID) -> bool: ...
    async def wait_member_joined(self, room_id: RoomID, user_id: UserID, timeout: float) -> bool:
        """Wait until ``user_id`` has joined ``room_id`` (e.g. a direct chat just opened);
        False after ``timeout`` seconds."""
        ...

    def event_link(self, room_id: RoomID, event_id: EventID) -> str: ...
    async def leave(self, room_id: RoomID) -> None: ...
    async def profile_field(
        self, user_id: UserID, field: str, *, fresh: bool = False
    ) -> str | None:
        """A person's profile field as text (``m.tz``), cached; None when not set or
        not readable (``kernel/matrix/profile.py``)."""
        ...


class AccountBase:
    """The state every part of the account shares: the nio client and what the sync taught."""

    def __init__(self, client: nio.AsyncClient, *, data_dir: Path) -> None:
        self._client = client
        self._credentials_path = data_dir / "credentials.json"
        self.synced = asyncio.Event()
        """Set once the first batch of events has been handled."""
        self.rooms_known = asyncio.Event()
        """Set once the first sync response has brought the rooms (before its events are
        handled): from then on the bot can send."""
        self.last_sync: datetime | None = None
        self.backoff_seconds = 0.0
        self.failing_since: datetime | None = None
        """When syncing started to fail (the homeserver unreachable or erring); None when fine."""
        self._dm_rooms: dict[UserID, RoomID] = {}
        self._creators: dict[RoomID, frozenset[str]] = {}

    @property
    def user_id(self) -> UserID:
        return UserID(self._client.user_id)

    @property
    def device_id(self) -> str:
        return str(self._client.device_id or "")

    @property
    def logged_in(self) -> bool:
        return bool(self._client.logged_in)

    @property
    def encryption_enabled(self) -> bool:
        return bool(self._client.config.encryption_enabled)


class RoomsMixin(AccountBase):
    async def join(self, room_id: RoomID) -> None:
        response = await self._client.join(room_id)
        if not isinstance(response, nio.JoinResponse):
            raise MatrixError(f"could not join {room_id}: {response}")

    async def leave(self, room_id: RoomID) -> None:
        response = await self._client.room_leave(room_id)
        if not isinstance(response, nio.RoomLeaveResponse):
            raise MatrixError(f"could not leave {room_id}: {response}")

    def joined_rooms(self) -> list[RoomID]:
        return [RoomID(r) for r in self._client.rooms]

    def room_name(self, room_id: RoomID) -> str:
        room = self._client.rooms.get(room_id)
        return str(room.display_name) if room else room_id

    def _forget_direct_room(self, room_id: RoomID, user_id: UserID) -> None:
        if self._dm_rooms.get(user_id) == room_id:
            del self._dm_rooms[user_id]

    def is_direct(self, room_id: RoomID) -> bool:
        """A direct chat: one the bot opened or found as such, or an unnamed room of two."""
        if room_id in self._dm_rooms.values():
            return True
        room = self._client.rooms.get(room_id)
        return room is not None and room.member_count <= 2 and not room.name

    def direct_partner(self, room_id: RoomID) -> UserID | None:
        """The one person the bot shares ``room_id`` with (see ``only_other_member``), or None.
        Such a room may be a direct chat or a team room whose others have not come yet."""
        room = self._client.rooms.get(room_id)
        if room is None:
            return None
        return only_other_member([*room.users, *room.invited_users], self.user_id)

    def is_encrypted(self, room_id: RoomID) -> bool:
        room = self._client.rooms.get(room_id)
        return bool(room and room.encrypted)

    def power_level(self, room_id: RoomID, user_id: UserID) -> int:
        if user_id in self._creators.get(room_id, ()):
            return CREATOR_POWER_LEVEL
        room = self._client.rooms.get(room_id)
        if room is None:
            return 0
        return int(room.power_levels.get_user_level(user_id))

    def can_send_state(self, room_id: RoomID, event_type: str) -> bool:
        room = self._client.rooms.get(room_id)
        if room is None:
            return False
        needed = room.power_levels.events.get(event_type, room.power_levels.defaults.state_default)
        return self.power_level(room_id, self.user_id) >= int(needed)

    def can_redact_others(self, room_id: RoomID) -> bool:
        """Whether the bot may redact other people's messages in the room."""
        room = self._client.rooms.get(room_id)
        if room is None:
            return False
        levels = room.power_levels
        needed = max(
            int(levels.defaults.redact),
            int(levels.events.get("m.room.redaction", levels.defaults.events_default)),
        )
        return self.power_level(room_id, self.user_id) >= needed

    def members(self, room_id: RoomID) -> list[UserID]:
        room = self._client.rooms.get(room_id)
        return [UserID(u) for u in room.users] if room else []

    def invited(self, room_id: RoomID) -> list[UserID]:
        """Who is invited to the room and has not joined yet."""
        room = self._client.rooms.get(room_id)
        return [UserID(u) for u in room.invited_users] if room else []

    def display_name(self, room_id: RoomID | None, user_id: UserID) -> str:
        rooms = [self._client.rooms.get(room_id)] if room_id else list(self._client.rooms.values())
        for room in rooms:
            if room is not None and user_id in room.users:
                name = room.user_name(user_id)
                if name:
                    return str(name)
        return user_id.split(":")[0].lstrip("@")

    def names_for(self, room_id: RoomID | None, user_ids: Sequence[UserID]) -> dict[str, str]:
        return {u: self.display_name(room_id, u) for u in user_ids}

    def presence(self, user_id: UserID) -> str | None:
        for room in self._client.rooms.values():
            user = room.users.get(user_id)
            if user is not None and user.presence:
                return str(user.presence)
        return None

    async def wait_member_joined(self, room_id: RoomID, user_id: UserID, timeout: float) -> bool:
        """Wait (syncing in the background) until ``user_id`` has joined ``room_id``."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while loop.time() < deadline:
            if self.has_joined(room_id, user_id):
                return True
            await asyncio.sleep(0.1)
        return False

    def has_joined(self, room_id: RoomID, user_id: UserID) -> bool:
        room = self._client.rooms.get(room_id)
        return room is not None and user_id in room.users and user_id not in room.invited_users

    def event_link(self, room_id: RoomID, event_id: EventID) -> str:
        """A matrix.to link to an event, with the servers to reach the room through (see
        kernel/links.py), chosen from the room's joined members as they are now."""
        room = self._client.rooms.get(room_id)
        joined = [u for u in room.users if u not in room.invited_users] if room else []
        levels = {UserID(u): self.power_level(room_id, UserID(u)) for u in joined}
        return event_link(room_id, event_id, via_servers(room_id, levels))

    def _note_creators(self, room_id: str, event: Any) -> None:
        source = getattr(event, "source", None) or {}
        if source.get("type") != "m.room.create":
            return
        content = source.get("content") or {}
        version = str(content.get("room_version", "1"))
        creators = {str(source.get("sender"))}
        extra = content.get("additional_creators")
        if isinstance(extra, list):
            creators.update(str(u) for u in extra)
        if version not in _LEGACY_ROOM_VERSIONS:  # v12+: creators outrank every power level
            self._creators[RoomID(room_id)] = frozenset(creators)

    def _remember_created_room(self, room_id: RoomID, invited: Sequence[UserID]) -> None:
        """Make a room the bot has just created known before a sync shows it, so that it
        can send there at once — also from inside an event handler, while the sync loop
        waits for that handler. Invitees count as members, so that they get the room key
        of an encrypted room; the next sync brings the full state."""
        if room_id in self._client.rooms:
            return
        room = nio.MatrixRoom(room_id, self.user_id, self.encryption_enabled)
        room.add_member(self.user_id, None, None)
        for user_id in invited:
            room.add_member(user_id, None, None, invited=True)
        self._client.rooms[room_id] = room
        if self.encryption_enabled:
            self._client.encrypted_rooms.add(room_id)
