"""Sending, for the outbox and for test clients: events with a chosen transaction id,
redactions, pins, uploads, and opening direct chats. nio's refusals become our exceptions
(``TemporarySendError`` when worth retrying, see content.py). Features never call this:
they hand the outbox what to send.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import aiohttp
import nio

from homeoffice_bot.kernel.errors import SendError, TemporarySendError
from homeoffice_bot.kernel.formatting import Rendered, mention_ids, render
from homeoffice_bot.kernel.ids import EventID, RoomID, UserID
from homeoffice_bot.kernel.matrix.content import (
    message_content,
    reaction_content,
    relates_to,
    send_failure,
)
from homeoffice_bot.kernel.matrix.crypto import CryptoMixin

NETWORK_ERRORS = (TimeoutError, OSError, aiohttp.ClientError)


class SendingMixin(CryptoMixin):
    _trust_unverified: bool
    _on_sent: Callable[[RoomID, str], None] | None
    """Told (room, event type) after every event the bot sent, e.g. to count them."""

    async def send_content(
        self,
        room_id: RoomID,
        event_type: str,
        content: dict[str, Any],
        *,
        txn_id: str | None = None,
    ) -> EventID:
        """Send one event. With the same ``txn_id`` the homeserver answers a repeated send
        with the first event's id instead of sending it again (per device)."""
        try:
            await self._know_member_devices(room_id)
            response = await self._client.room_send(
                room_id, event_type, content, tx_id=txn_id,
                ignore_unverified_devices=self._trust_unverified,
            )  # fmt: skip
        except NETWORK_ERRORS as exc:
            raise TemporarySendError(f"could not reach the homeserver: {exc!r}") from exc
        except (nio.exceptions.OlmUnverifiedDeviceError, nio.exceptions.LocalProtocolError) as exc:
            raise SendError(f"could not send to {room_id}: {exc}") from exc
        if not isinstance(response, nio.RoomSendResponse):
            raise send_failure(f"could not send to {room_id}", response)
        if self._on_sent is not None:
            self._on_sent(room_id, event_type)
        return EventID(response.event_id)

    def _message_content(
        self, room_id: RoomID, markdown: str, msgtype: str, names: dict[str, str] | None
    ) -> tuple[dict[str, Any], Rendered]:
        rendered = render(
            markdown, names if names is not None else self._names_in(room_id, markdown)
        )
        return message_content(rendered, msgtype), rendered

    def _names_in(self, room_id: RoomID, markdown: str) -> dict[str, str]:
        return self.names_for(room_id, mention_ids(markdown))

    async def send(
        self,
        room_id: RoomID,
        markdown: str,
        *,
        notice: bool = True,
        reply_to: EventID | None = None,
        thread_root: EventID | None = None,
        names: dict[str, str] | None = None,
        mention_room: bool = False,
    ) -> EventID:
        """Send a Markdown message right away (test clients; the bot sends through its
        outbox). ``mention_room`` notifies the whole room (``@room``)."""
        content, _ = self._message_content(
            room_id, markdown, "m.notice" if notice else "m.text", names
        )
        if mention_room:
            content["m.mentions"]["room"] = True
        relation = relates_to(thread_root=thread_root, reply_to=reply_to)
        if relation is not None:
            content["m.relates_to"] = relation
        return await self.send_content(room_id, "m.room.message", content)

    async def react(self, room_id: RoomID, event_id: EventID, key: str) -> EventID:
        """React right away (test clients; the bot reacts through its outbox)."""
        return await self.send_content(room_id, "m.reaction", reaction_content(event_id, key))

    async def redact(
        self,
        room_id: RoomID,
        event_id: EventID,
        reason: str | None = None,
        *,
        txn_id: str | None = None,
    ) -> None:
        try:
            response = await self._client.room_redact(
                room_id, event_id, reason=reason, tx_id=txn_id
            )
        except NETWORK_ERRORS as exc:
            raise TemporarySendError(f"could not reach the homeserver: {exc!r}") from exc
        if not isinstance(response, nio.RoomRedactResponse):
            raise send_failure(f"could not redact {event_id}", response)

    async def pin(
        self, room_id: RoomID, event_id: EventID, *, replacing: EventID | None = None
    ) -> bool:
        """Pin an event when the bot may (in the place of ``replacing``, which is unpinned);
        False when it may not."""
        if not self.can_send_state(room_id, "m.room.pinned_events"):
            return False
        try:
            current = await self._client.room_get_state_event(room_id, "m.room.pinned_events")
            pinned = list(getattr(current, "content", {}).get("pinned", []))
            if event_id in pinned and replacing not in pinned:
                return True
            kept = [e for e in pinned if e not in (event_id, replacing)]
            response = await self._client.room_put_state(
                room_id, "m.room.pinned_events", {"pinned": [*kept, event_id]}
            )
        except NETWORK_ERRORS as exc:
            raise TemporarySendError(f"could not reach the homeserver: {exc!r}") from exc
        if not isinstance(response, nio.RoomPutStateResponse):
            failure = send_failure(f"could not pin {event_id}", response)
            if isinstance(failure, TemporarySendError):
                raise failure
            return False
        return True

    async def unpin(self, room_id: RoomID, event_id: EventID) -> bool:
        """Unpin an event when the bot may; False when it may not."""
        if not self.can_send_state(room_id, "m.room.pinned_events"):
            return False
        try:
            current = await self._client.room_get_state_event(room_id, "m.room.pinned_events")
            pinned = list(getattr(current, "content", {}).get("pinned", []))
            if event_id not in pinned:
                return True
            response = await self._client.room_put_state(
                room_id, "m.room.pinned_events", {"pinned": [e for e in pinned if e != event_id]}
            )
        except NETWORK_ERRORS as exc:
            raise TemporarySendError(f"could not reach the homeserver: {exc!r}") from exc
        if not isinstance(response, nio.RoomPutStateResponse):
            failure = send_failure(f"could not unpin {event_id}", response)
            if isinstance(failure, TemporarySendError):
                raise failure
            return False
        return True

    async def upload_content(
        self, room_id: RoomID, filename: str, data: bytes, mimetype: str
    ) -> dict[str, Any]:
        """Upload a file (encrypted in encrypted rooms); the content of its m.file message."""
        encrypt = self.is_encrypted(room_id)
        try:
            response, keys = await self._client.upload(
                io.BytesIO(data), content_type=mimetype, filename=filename,
                encrypt=encrypt, filesize=len(data),
            )  # fmt: skip
        except NETWORK_ERRORS as exc:
            raise TemporarySendError(f"could not reach the homeserver: {exc!r}") from exc
        if not isinstance(response, nio.UploadResponse):
            raise send_failure("upload failed", response)
        content: dict[str, Any] = {"msgtype": "m.file", "body": filename,
                                   "info": {"mimetype": mimetype, "size": len(data)}}  # fmt: skip
        if encrypt and keys is not None:
            content["file"] = {**keys, "url": response.content_uri}
        else:
            content["url"] = response.content_uri
        return content

    async def direct_room(self, user_id: UserID) -> RoomID:
        """Find the direct chat with ``user_id`` (an unnamed room of just the two of us) or
        create one. A room just created is remembered at once, and the caller can send to
        it right away."""
        cached = self._dm_rooms.get(user_id)
        if cached is not None:
            return cached
        for room in self._client.rooms.values():
            members = set(room.users) | set(room.invited_users)
            if members == {self.user_id, user_id} and not room.name:
                self._dm_rooms[user_id] = RoomID(room.room_id)
                return RoomID(room.room_id)
        initial_state = []
        if self.encryption_enabled:
            initial_state.append(nio.EnableEncryptionBuilder().as_dict())
        try:
            response = await self._client.room_create(
                is_direct=True, invite=[user_id], initial_state=initial_state,
                preset=nio.RoomPreset.trusted_private_chat,
            )  # fmt: skip
        except NETWORK_ERRORS as exc:
            raise TemporarySendError(f"could not reach the homeserver: {exc!r}") from exc
        if not isinstance(response, nio.RoomCreateResponse):
            raise send_failure(f"could not open a direct chat with {user_id}", response)
        room_id = RoomID(response.room_id)
        self._dm_rooms[user_id] = room_id
        self._remember_created_room(room_id, invited=[user_id])
        return room_id
