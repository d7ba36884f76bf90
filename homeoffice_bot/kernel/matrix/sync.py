"""The sync loop: hand each batch of events to a handler and only then persist the sync
token, so that what arrived while the bot was down is processed after a restart. Back off
exponentially on faults (429 honoured by nio); fetch the gap of a limited timeline; the
very first sync of a new bot is history, not news.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import aiohttp
import nio

from homeoffice_bot.kernel.errors import LoginError
from homeoffice_bot.kernel.events import Event, Invite, Membership, Presence
from homeoffice_bot.kernel.ids import EventID, RoomID, UserID
from homeoffice_bot.kernel.matrix.convert import convert_timeline_event
from homeoffice_bot.kernel.matrix.crypto import CryptoMixin

log = logging.getLogger(__name__)

TIMELINE_LIMIT = 200
"""Events per room and sync (without a filter Synapse sends only the last 10). When a room had
more since the last sync, the gap is fetched page by page, up to BACKFILL_LIMIT events."""
BACKFILL_LIMIT = 5_000


@dataclass
class SyncBatch:
    """The events of one sync response, in order, without the bot's own."""

    events: list[Event] = field(default_factory=list)
    undecryptable: list[tuple[RoomID, EventID, UserID, str]] = field(default_factory=list)
    """(room, event, sender, session id) of events the bot could not decrypt."""
    initial: bool = False
    """True for the very first sync of a new bot: its timeline is history, not news."""


TokenLoader = Callable[[], Awaitable[str | None]]
TokenSaver = Callable[[str], Awaitable[None]]
BatchHandler = Callable[[SyncBatch], Awaitable[None]]


class SyncMixin(CryptoMixin):
    _stopping: asyncio.Event
    _sync_timeout_ms: int
    _include_own: bool

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

    def _convert(self, response: nio.SyncResponse, initial: bool) -> SyncBatch:
        batch = SyncBatch(initial=initial)
        me = self.user_id
        for room_id, info in response.rooms.invite.items():
            inviter = _inviter(info.invite_state, me)
            if inviter is not None:
                batch.events.append(Invite(RoomID(room_id), inviter))
        for room_id in response.rooms.leave:
            # left, kicked or banned: no room of the account's any more (nio keeps it), so
            # that joined_rooms() is true and a new invitation to it is answered
            self._client.rooms.pop(room_id, None)
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
                own = getattr(event, "sender", None) == me and not self._include_own
                if own and not _own_membership(event, me):  # its own join still goes on
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


def _inviter(state: Sequence[Any], me: str) -> UserID | None:
    for event in state:
        if isinstance(event, nio.InviteMemberEvent) and event.state_key == me:
            return UserID(event.sender)
    return None


def _own_membership(event: Any, me: str) -> bool:
    """The account's own membership (it joined a room): features may greet the room."""
    return isinstance(event, nio.RoomMemberEvent) and event.state_key == me
