"""The Matrix account (through matrix-nio), made of one part per job:

    rooms.py     room state (members, names, power levels, direct chats); what features see
    crypto.py    encryption upkeep: keys, device lists, missing room keys
    sending.py   events with a chosen transaction id, redactions, pins, uploads (the outbox's)
    sync.py      the sync loop: batches handed on, the token saved after, gaps fetched
    session.py   login once, then restore the device from ``credentials.json``
    profile.py   other accounts' profile fields (``m.tz``), cached

``MatrixClient`` puts them together; test clients also create rooms and invite with it.
nio's error responses become our exceptions and never leak further.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

import aiohttp
import nio

from homeoffice_bot.kernel.errors import MatrixError
from homeoffice_bot.kernel.events import Event
from homeoffice_bot.kernel.ids import RoomID, UserID
from homeoffice_bot.kernel.matrix.profile import ProfileMixin
from homeoffice_bot.kernel.matrix.sending import SendingMixin
from homeoffice_bot.kernel.matrix.session import Credentials, SessionMixin
from homeoffice_bot.kernel.matrix.sync import SyncBatch, SyncMixin

__all__ = ["Credentials", "Event", "MatrixClient", "SyncBatch"]


class MatrixClient(SessionMixin, SyncMixin, SendingMixin, ProfileMixin):
    """A logged-in Matrix account: sync, send, and read room state."""

    def __init__(
        self,
        *,
        homeserver: str,
        user_id: str,
        data_dir: Path,
        store_dir: Path,
        device_name: str = "homeoffice-bot",
        password: str | None = None,
        access_token: str | None = None,
        pickle_key: str = "",
        encryption: bool = True,
        trust_unverified_devices: bool = True,
        sync_timeout_ms: int = 30_000,
        include_own_events: bool = False,
        on_sent: Callable[[RoomID, str], None] | None = None,
    ) -> None:
        store_dir.mkdir(parents=True, exist_ok=True)
        config = nio.AsyncClientConfig(
            store_sync_tokens=False,
            encryption_enabled=encryption,
            pickle_key=pickle_key,
            max_limit_exceeded=10,
            max_timeouts=2,
            request_timeout=60,
        )
        client = nio.AsyncClient(homeserver, user_id, store_path=str(store_dir), config=config)
        super().__init__(client, data_dir=data_dir)
        self._device_name = device_name
        self._password = password
        self._access_token = access_token
        self._trust_unverified = trust_unverified_devices
        self._sync_timeout_ms = sync_timeout_ms
        self._include_own = include_own_events
        self._on_sent = on_sent
        self._stopping = asyncio.Event()
        self._key_requests = set()
        self._keys_lock = asyncio.Lock()

    # ---------------------------------------------------------------- used by test clients

    async def create_room(
        self, *, name: str, invite: Sequence[UserID] = (), encrypted: bool = False,
        power_levels: dict[str, int] | None = None,
    ) -> RoomID:  # fmt: skip
        initial_state = []
        if encrypted:
            initial_state.append(nio.EnableEncryptionBuilder().as_dict())
        response = await self._client.room_create(
            name=name, invite=list(invite), initial_state=initial_state,
            power_level_override={"users": power_levels} if power_levels else None,
        )  # fmt: skip
        if not isinstance(response, nio.RoomCreateResponse):
            raise MatrixError(f"could not create room: {response}")
        return RoomID(response.room_id)

    async def _client_api(
        self, method: str, path: str, *, params: dict[str, str] | None = None,
        body: dict[str, Any] | None = None,
    ) -> dict[str, Any]:  # fmt: skip
        """One raw client-server API request with this account's token."""
        url = f"{self._client.homeserver}/_matrix/client/v3{path}"
        headers = {"Authorization": f"Bearer {self._client.access_token}"}
        async with (
            aiohttp.ClientSession() as http,
            http.request(method, url, params=params, json=body, headers=headers) as response,
        ):
            response.raise_for_status()
            answer: dict[str, Any] = await response.json()
            return answer

    async def notification_counts(self) -> dict[RoomID, tuple[int, int]]:
        """(notifications, highlights) per joined room, as the homeserver counts them for
        this account from its push rules (a fresh sync; Synapse counts only for rooms
        with a timeline in it, hence one event)."""
        params = {"timeout": "0", "filter": json.dumps({"room": {"timeline": {"limit": 1}}})}
        body = await self._client_api("GET", "/sync", params=params)
        counts: dict[RoomID, tuple[int, int]] = {}
        for room_id, room in body.get("rooms", {}).get("join", {}).items():
            unread = room.get("unread_notifications", {})
            counts[RoomID(room_id)] = (
                int(unread.get("notification_count", 0)),
                int(unread.get("highlight_count", 0)),
            )
        return counts

    async def history(self, room_id: RoomID, limit: int = 50) -> list[dict[str, Any]]:
        """The room's latest events as the homeserver has them, oldest first (raw JSON)."""
        params = {"dir": "b", "limit": str(limit)}
        body = await self._client_api("GET", f"/rooms/{quote(room_id)}/messages", params=params)
        return list(reversed(body.get("chunk", [])))

    async def mark_read(self, room_id: RoomID, event_id: str) -> None:
        """Send an (unthreaded) read receipt: notification counts start again from there."""
        path = f"/rooms/{quote(room_id)}/receipt/m.read/{quote(event_id)}"
        await self._client_api("POST", path, body={})

    async def invite(self, room_id: RoomID, user_id: UserID) -> None:
        response = await self._client.room_invite(room_id, user_id)
        if not isinstance(response, nio.RoomInviteResponse):
            raise MatrixError(f"could not invite {user_id}: {response}")

    async def set_power_level(self, room_id: RoomID, user_id: UserID, level: int) -> None:
        current = await self._client.room_get_state_event(room_id, "m.room.power_levels")
        content = dict(getattr(current, "content", {}))
        users = dict(content.get("users", {}))
        users[user_id] = level
        content["users"] = users
        response = await self._client.room_put_state(room_id, "m.room.power_levels", content)
        if not isinstance(response, nio.RoomPutStateResponse):
            raise MatrixError(f"could not set power level: {response}")
