"""Encryption upkeep (matrix-nio with vodozemac): keys uploaded, device lists queried one
query at a time, one-time keys claimed, missing room keys asked for. A sender waits for a
query the sync loop has in flight instead of sharing a room key too early.
"""

from __future__ import annotations

import asyncio
import logging

import nio

from homeoffice_bot.kernel.ids import EventID, RoomID
from homeoffice_bot.kernel.matrix.rooms import RoomsMixin

log = logging.getLogger(__name__)


class CryptoMixin(RoomsMixin):
    _key_requests: set[str]
    """Sessions whose missing key was asked for (once per process)."""
    _keys_lock: asyncio.Lock

    async def _after_sync(self) -> None:
        client = self._client
        if not self.encryption_enabled:
            return
        await client.send_to_device_messages()
        if client.should_upload_keys:
            await client.keys_upload()
        await self._query_keys()
        if client.should_claim_keys:
            await client.keys_claim(client.get_users_for_key_claiming())

    async def request_keys(self, room_id: RoomID, event_id: EventID) -> bool:
        """Ask the sender's devices for a missing room key; True the first time per session."""
        response = await self._client.room_get_event(room_id, event_id)
        event = getattr(response, "event", None)
        if not isinstance(event, nio.MegolmEvent) or event.session_id in self._key_requests:
            return False
        self._key_requests.add(event.session_id)
        try:
            await self._client.request_room_key(event)
        except nio.exceptions.LocalProtocolError:
            log.debug("key request for %s already pending", event.session_id)
        return True

    async def _query_keys(self) -> None:
        """Fetch outdated device lists; one query at a time, so that a sender waits for a
        query the sync loop has in flight instead of sharing a room key too early."""
        async with self._keys_lock:
            if self._client.should_query_keys:
                await self._client.keys_query()

    async def _know_member_devices(self, room_id: RoomID) -> None:
        room = self._client.rooms.get(room_id)
        if room is None or not room.encrypted or self._client.olm is None:
            return
        if not room.members_synced:
            await self._client.joined_members(room_id)
        olm = self._client.olm
        unknown = {u for u in room.users if not list(olm.device_store.active_user_devices(u))}
        if unknown:  # e.g. an invitee of a room just created: its key must reach them too
            olm.users_for_key_query.update(unknown)
        await self._query_keys()
