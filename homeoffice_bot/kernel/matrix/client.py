"""The Matrix account: login, sync loop, sending, room state (through matrix-nio).

It logs in once with a password and then restores the access token and device id from
``credentials.json`` in the data dir, so the bot keeps one device and its encryption
store across restarts. The sync loop hands each batch of events to a handler and only
then persists the sync token: what arrived while the bot was down is processed after a
restart, and nothing is processed twice. nio's error responses become our exceptions.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
import logging
import os
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiohttp
import nio

from homeoffice_bot.kernel.errors import LoginError, MatrixError, SendError, TemporarySendError
from homeoffice_bot.kernel.events import (
    Edit,
    Invite,
    Membership,
    Message,
    Presence,
    Reaction,
    Redaction,
)
from homeoffice_bot.kernel.formatting import Rendered, mention_ids, render
from homeoffice_bot.kernel.ids import EventID, RoomID, UserID
from homeoffice_bot.kernel.matrix.content import (
    message_content,
    reaction_content,
    relates_to,
    send_failure,
)
from homeoffice_bot.kernel.matrix.convert import convert_timeline_event

log = logging.getLogger(__name__)

CREATOR_POWER_LEVEL = 1_000_000
"""Room creators in room version 12 and later have power above any level."""
_LEGACY_ROOM_VERSIONS = frozenset(str(v) for v in range(1, 12))

TIMELINE_LIMIT = 200
"""Events per room and sync (without a filter Synapse sends only the last 10). When a room had
more since the last sync, the gap is fetched page by page, up to BACKFILL_LIMIT events."""
BACKFILL_LIMIT = 5_000

Event = Message | Edit | Reaction | Redaction | Invite | Membership | Presence


@dataclass
class SyncBatch:
    """The events of one sync response, in order, without the bot's own."""

    events: list[Event] = field(default_factory=list)
    undecryptable: list[tuple[RoomID, EventID, UserID, str]] = field(default_factory=list)
    """(room, event, sender, session id) of events the bot could not decrypt."""
    initial: bool = False
    """True for the very first sync of a new bot: its timeline is history, not news."""


@dataclass(frozen=True)
class Credentials:
    homeserver: str
    user_id: str
    device_id: str
    access_token: str

    @classmethod
    def load(cls, path: Path) -> Credentials | None:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return cls(**{k: str(data[k]) for k in cls.__dataclass_fields__})
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(self.__dict__, fh)
        os.replace(tmp, path)
        path.chmod(0o600)


TokenLoader = Callable[[], Awaitable[str | None]]
TokenSaver = Callable[[str], Awaitable[None]]
BatchHandler = Callable[[SyncBatch], Awaitable[None]]


class MatrixClient:
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
        self._client = nio.AsyncClient(
            homeserver, user_id, store_path=str(store_dir), config=config
        )
        self._credentials_path = data_dir / "credentials.json"
        self._device_name = device_name
        self._password = password
        self._access_token = access_token
        self._trust_unverified = trust_unverified_devices
        self._sync_timeout_ms = sync_timeout_ms
        self._include_own = include_own_events
        self._on_sent = on_sent
        """Told (room, event type) after every event the bot sent, e.g. to count them."""
        self._stopping = asyncio.Event()
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
        self._key_requests: set[str] = set()
        self._creators: dict[RoomID, frozenset[str]] = {}
        self._keys_lock = asyncio.Lock()

    # ---------------------------------------------------------------- login

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

    async def login(self) -> None:
        """Restore the saved device, or log in once and save it."""
        homeserver = self._client.homeserver
        saved = Credentials.load(self._credentials_path)
        if saved and saved.user_id == self._client.user and saved.homeserver == homeserver:
            self._client.restore_login(saved.user_id, saved.device_id, saved.access_token)
            whoami = await self._client.whoami()
            if isinstance(whoami, nio.WhoamiResponse):
                log.info("restored device %s", saved.device_id)
                return
            if self._password is None:
                raise LoginError(f"saved access token was refused: {whoami.message}")
            log.warning("saved access token was refused; logging in again on the same device")
            await self._password_login(device_id=saved.device_id)
        elif self._access_token is not None:
            self._client.access_token = self._access_token
            whoami = await self._client.whoami()
            if not isinstance(whoami, nio.WhoamiResponse) or not whoami.device_id:
                raise LoginError(f"access token was refused: {getattr(whoami, 'message', '')}")
            self._client.restore_login(whoami.user_id, whoami.device_id, self._access_token)
        else:
            await self._password_login(device_id=None)
        Credentials(
            homeserver, str(self._client.user_id), self.device_id, self._client.access_token
        ).save(self._credentials_path)

    async def _password_login(self, device_id: str | None) -> None:
        if self._password is None:
            raise LoginError("no password configured")
        if device_id:
            self._client.device_id = device_id
        response = await self._client.login(self._password, device_name=self._device_name)
        if not isinstance(response, nio.LoginResponse):
            raise LoginError(f"login failed: {getattr(response, 'message', response)}")
        log.info("logged in as %s with device %s", response.user_id, response.device_id)

    async def close(self) -> None:
        await self._client.close()

    # ---------------------------------------------------------------- sync

    def stop(self) -> None:
        self._stopping.set()

    async def sync_forever(
        self, handle: BatchHandler, load_token: TokenLoader, save_token: TokenSaver
    ) -> None:
        """Sync until ``stop()``; back off exponentially on faults."""
        token = await load_token()
        initial = token is None
        first = True  # the first sync of a process fetches the full room state
        delay = 1.0
        while not self._stopping.is_set():
            response = await self._sync_once(token, initial, full_state=first)
            if self._stopping.is_set():
                return
            if not isinstance(response, nio.SyncResponse):
                if isinstance(response, nio.SyncError) and response.status_code in (
                    "M_UNKNOWN_TOKEN",
                    "M_FORBIDDEN",
                ):
                    raise LoginError(f"the homeserver rejected the bot's token: {response}")
                self.backoff_seconds = delay
                self.failing_since = self.failing_since or datetime.now(UTC)
                log.warning("sync error %s; retrying in %.0f s", response, delay)
                await self._sleep(delay)
                delay = min(delay * 2, 60.0)
                continue
            delay = 1.0
            self.backoff_seconds = 0.0
            self.failing_since = None
            self.rooms_known.set()
            if token is not None and not initial:
                await self._backfill(response, token)
            batch = self._convert(response, initial)
            await handle(batch)
            token = response.next_batch
            await save_token(token)
            await self._after_sync()
            initial = first = False
            self.last_sync = datetime.now(UTC)
            self.synced.set()

    async def _sync_once(self, token: str | None, initial: bool, *, full_state: bool) -> Any:
        """One sync request; given up (returning None) as soon as ``stop()`` is called."""
        request = asyncio.ensure_future(
            self._client.sync(
                timeout=0 if initial or full_state else self._sync_timeout_ms,
                since=token,
                sync_filter={"room": {"timeline": {"limit": TIMELINE_LIMIT}}},
                full_state=full_state or None,
                set_presence="online",
            )
        )
        stopping = asyncio.ensure_future(self._stopping.wait())
        await asyncio.wait({request, stopping}, return_when=asyncio.FIRST_COMPLETED)
        stopping.cancel()
        if not request.done():
            request.cancel()
            return None
        try:
            return request.result()
        except (TimeoutError, OSError, aiohttp.ClientError) as exc:
            log.warning("sync failed: %s", exc)
            return None

    async def _sleep(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopping.wait(), timeout=seconds)

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

    def _convert(self, response: nio.SyncResponse, initial: bool) -> SyncBatch:
        batch = SyncBatch(initial=initial)
        me = self.user_id
        for room_id, info in response.rooms.invite.items():
            inviter = _inviter(info.invite_state, me)
            if inviter is not None:
                batch.events.append(Invite(RoomID(room_id), inviter))
        for room_id, info in response.rooms.join.items():
            for event in [*info.state, *info.timeline.events]:
                self._note_creators(room_id, event)
            is_direct = self.is_direct(RoomID(room_id))
            for event in info.timeline.events:
                if isinstance(event, nio.MegolmEvent):
                    if event.sender != me:
                        batch.undecryptable.append(
                            (RoomID(room_id), EventID(event.event_id), UserID(event.sender),
                             event.session_id)
                        )  # fmt: skip
                    continue
                if getattr(event, "sender", None) == me and not self._include_own:
                    continue
                converted = convert_timeline_event(room_id, event, is_direct=is_direct)
                if isinstance(converted, Membership) and converted.membership == "leave":
                    self._forget_direct_room(converted.room_id, converted.user_id)
                if converted is not None:
                    batch.events.append(converted)
        for event in response.presence_events:
            if isinstance(event, nio.PresenceEvent):
                batch.events.append(
                    Presence(
                        UserID(event.user_id), event.presence, event.last_active_ago,
                        event.status_msg,
                    )
                )  # fmt: skip
        return batch

    async def _backfill(self, response: nio.SyncResponse, since: str) -> None:
        """Put the events a limited timeline left out back in front of it, oldest first."""
        for room_id, info in response.rooms.join.items():
            if not info.timeline.limited or not info.timeline.prev_batch:
                continue
            missed: list[Any] = []
            start = info.timeline.prev_batch
            while len(missed) < BACKFILL_LIMIT:
                page = await self._client.room_messages(
                    room_id, start=start, end=since, direction=nio.MessageDirection.back, limit=100
                )
                if not isinstance(page, nio.RoomMessagesResponse) or not page.chunk:
                    break
                missed.extend(page.chunk)
                if not page.end or page.end == start:
                    break
                start = page.end
            if len(missed) >= BACKFILL_LIMIT:
                log.warning("more than %d missed events in %s; older ones skipped", BACKFILL_LIMIT,
                            room_id)  # fmt: skip
            known = {getattr(e, "event_id", None) for e in info.timeline.events}
            earlier = [e for e in reversed(missed) if getattr(e, "event_id", None) not in known]
            info.timeline.events[:0] = earlier
            log.info("fetched %d events missed in %s", len(earlier), room_id)

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

    # ---------------------------------------------------------------- rooms

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

    def members(self, room_id: RoomID) -> list[UserID]:
        room = self._client.rooms.get(room_id)
        return [UserID(u) for u in room.users] if room else []

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

    # ---------------------------------------------------------------- sending

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
        except (TimeoutError, OSError, aiohttp.ClientError) as exc:
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
        except (TimeoutError, OSError, aiohttp.ClientError) as exc:
            raise TemporarySendError(f"could not reach the homeserver: {exc!r}") from exc
        if not isinstance(response, nio.RoomRedactResponse):
            raise send_failure(f"could not redact {event_id}", response)

    async def pin(self, room_id: RoomID, event_id: EventID) -> bool:
        """Pin an event when the bot may; False when it may not."""
        if not self.can_send_state(room_id, "m.room.pinned_events"):
            return False
        try:
            current = await self._client.room_get_state_event(room_id, "m.room.pinned_events")
            pinned = list(getattr(current, "content", {}).get("pinned", []))
            if event_id in pinned:
                return True
            response = await self._client.room_put_state(
                room_id, "m.room.pinned_events", {"pinned": [*pinned, event_id]}
            )
        except (TimeoutError, OSError, aiohttp.ClientError) as exc:
            raise TemporarySendError(f"could not reach the homeserver: {exc!r}") from exc
        if not isinstance(response, nio.RoomPutStateResponse):
            failure = send_failure(f"could not pin {event_id}", response)
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
        except (TimeoutError, OSError, aiohttp.ClientError) as exc:
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
        except (TimeoutError, OSError, aiohttp.ClientError) as exc:
            raise TemporarySendError(f"could not reach the homeserver: {exc!r}") from exc
        if not isinstance(response, nio.RoomCreateResponse):
            raise send_failure(f"could not open a direct chat with {user_id}", response)
        room_id = RoomID(response.room_id)
        self._dm_rooms[user_id] = room_id
        self._remember_created_room(room_id, invited=[user_id])
        return room_id

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

    async def notification_counts(self) -> dict[RoomID, tuple[int, int]]:
        """(notifications, highlights) per joined room, as the homeserver counts them for
        this account from its push rules (a fresh sync; Synapse counts only for rooms
        with a timeline in it, hence one event)."""
        url = f"{self._client.homeserver}/_matrix/client/v3/sync"
        params = {"timeout": "0", "filter": json.dumps({"room": {"timeline": {"limit": 1}}})}
        headers = {"Authorization": f"Bearer {self._client.access_token}"}
        async with (
            aiohttp.ClientSession() as http,
            http.get(url, params=params, headers=headers) as response,
        ):
            response.raise_for_status()
            body = await response.json()
        counts: dict[RoomID, tuple[int, int]] = {}
        for room_id, room in body.get("rooms", {}).get("join", {}).items():
            unread = room.get("unread_notifications", {})
            counts[RoomID(room_id)] = (
                int(unread.get("notification_count", 0)),
                int(unread.get("highlight_count", 0)),
            )
        return counts

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


def _inviter(state: Sequence[Any], me: str) -> UserID | None:
    for event in state:
        if isinstance(event, nio.InviteMemberEvent) and event.state_key == me:
            return UserID(event.sender)
    return None
