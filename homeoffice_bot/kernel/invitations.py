"""Which invitations the bot accepts, and answering them.

Bot admins and the listed inviters always may invite; so may anyone on a listed server.
With neither list set, people on the bot's own homeserver may.
"""

from __future__ import annotations

import logging
from collections.abc import Collection
from typing import Protocol

from homeoffice_bot.kernel.events import Invite
from homeoffice_bot.kernel.ids import RoomID, UserID

log = logging.getLogger(__name__)


class Joining(Protocol):
    def joined_rooms(self) -> Collection[RoomID]: ...

    async def join(self, room_id: RoomID) -> None: ...

    async def leave(self, room_id: RoomID) -> None: ...


def server_of(user_id: str) -> str:
    return user_id.split(":", 1)[-1]


class Invitations:
    def __init__(
        self,
        matrix: Joining,
        *,
        own_server: str,
        admins: Collection[str],
        allowed_inviters: Collection[str],
        allowed_servers: Collection[str],
    ) -> None:
        self.matrix = matrix
        self.own_server = own_server
        self.admins = admins
        self.allowed_inviters = allowed_inviters
        self.allowed_servers = allowed_servers

    def allowed(self, inviter: UserID) -> bool:
        if inviter in self.admins or inviter in self.allowed_inviters:
            return True
        server = server_of(inviter)
        if server in self.allowed_servers:
            return True
        if not self.allowed_inviters and not self.allowed_servers:
            return server == self.own_server
        return False

    async def answer(self, invite: Invite) -> None:
        if self.allowed(invite.inviter):
            if invite.room_id in self.matrix.joined_rooms():
                return  # a replayed invitation
            log.info("joining %s on invitation by %s", invite.room_id, invite.inviter)
            await self.matrix.join(invite.room_id)
        else:
            log.info("declining invitation to %s by %s", invite.room_id, invite.inviter)
            await self.matrix.leave(invite.room_id)
