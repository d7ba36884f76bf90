"""Messages the bot cannot decrypt: ask the other devices for the keys, and say so in the
room once per session, so that people know why the bot did not answer."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from homeoffice_bot.kernel.clock import Clock
from homeoffice_bot.kernel.delivery import Outbox
from homeoffice_bot.kernel.i18n import Catalogue
from homeoffice_bot.kernel.ids import EventID, RoomID, UserID
from homeoffice_bot.kernel.rooms import RoomSettings
from homeoffice_bot.kernel.storage import Database


class KeyRequests(Protocol):
    async def request_keys(self, room_id: RoomID, event_id: EventID) -> bool: ...

    def names_for(self, room_id: RoomID | None, user_ids: Sequence[UserID]) -> dict[str, str]: ...


class DecryptionNotes:
    def __init__(
        self,
        db: Database,
        matrix: KeyRequests,
        outbox: Outbox,
        rooms: RoomSettings,
        catalogue: Catalogue,
        clock: Clock,
    ) -> None:
        self.db = db
        self.matrix = matrix
        self.outbox = outbox
        self.rooms = rooms
        self.catalogue = catalogue
        self.clock = clock

    async def undecryptable(
        self, room_id: RoomID, event_id: str, sender: UserID, session_id: str
    ) -> None:
        await self.matrix.request_keys(room_id, EventID(event_id))
        first = await self.db.fetchval(
            "INSERT INTO decryption_notes(session_id, room_id, noted_at) VALUES (?, ?, ?)"
            " ON CONFLICT(session_id) DO NOTHING RETURNING session_id",
            (session_id, room_id, self.clock.now().isoformat()),
        )
        if first is not None:
            lang = await self.rooms.language(room_id)
            tr = self.catalogue.translator(
                lang, await self.rooms.formal(room_id), await self.rooms.wording(room_id)
            )
            names = self.matrix.names_for(room_id, [sender])
            await self.outbox.send(room_id, tr("decrypt.note", sender=names[sender]))
