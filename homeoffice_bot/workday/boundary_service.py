"""The after-hours boundary as a service: ``Availability`` for other components, and the
held messages that wait for a person's next working time.

Nothing the bot sends on its own (reminders, digests, other components' pings) reaches a
person who is off, on leave, absent, on a break or away, on a weekend or public holiday, or
outside their working hours: ``deliver`` holds it, and ``Jobs.tick`` (or the person's
``!moin``) releases it at the start of their next working time.

People who have never used a workday command are always available: the workday knows
neither their hours nor their leave, so it does not second-guess a caller's own schedule
(a stand-up at 07:30 still asks them).
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import TYPE_CHECKING

from homeoffice_bot.kernel.errors import MatrixError
from homeoffice_bot.kernel.ids import RoomID, UserID
from homeoffice_bot.workday.boundary import deliver_at, is_available
from homeoffice_bot.workday.localtime import as_utc

if TYPE_CHECKING:
    from homeoffice_bot.workday.service import Workday


DirectAction = Callable[[RoomID], Awaitable[object]]
DIRECT_CHAT_TIMEOUT = 60.0
"""How long a new direct chat may take to show up in the sync before sending anyway."""


class AvailabilityService:
    """Implements ``homeoffice_bot.workday.api.Availability``."""

    def __init__(self, wd: Workday) -> None:
        self.wd = wd
        self._direct_locks: defaultdict[UserID, asyncio.Lock] = defaultdict(asyncio.Lock)

    async def is_available(self, user_id: UserID, at: datetime) -> bool:
        profile, status, _ = await self.wd.directory.state(user_id, as_utc(at))
        if not profile.known:
            return True  # never used the workday: nothing known to hold back for
        return is_available(profile.schedule, as_utc(at), status)

    async def next_available(self, user_id: UserID, after: datetime) -> datetime | None:
        profile, status, _ = await self.wd.directory.state(user_id, as_utc(after))
        if not profile.known:
            return as_utc(after)
        return deliver_at(profile.schedule, as_utc(after), status)

    async def deliver(
        self, user_id: UserID, markdown: str, *, room_id: RoomID | None = None
    ) -> None:
        now = self.wd.now()
        when = await self.next_available(user_id, now)
        if when is not None and when <= now:
            await self.send_now(user_id, markdown, room_id)
            return
        await self.wd.inbox.hold(user_id, room_id, markdown, now, when)
        self.wd.log.debug("held a message until %s", when)

    async def send_now(self, user_id: UserID, markdown: str, room_id: RoomID | None) -> None:
        """Send to the room now; without a room, by direct message (see ``in_direct_chat``)."""
        matrix = self.wd.ctx.matrix
        if room_id is not None:
            await matrix.send(room_id, markdown)
            return

        async def send(room: RoomID) -> None:
            await matrix.send(room, markdown)

        self.in_direct_chat(user_id, send)

    def in_direct_chat(self, user_id: UserID, action: DirectAction) -> None:
        """Run ``action(room)`` in the direct chat with the person, in a background task.

        A direct chat opened just now can be written to only after a sync has brought it,
        and the sync waits for event handlers: so this never blocks the caller. Actions for
        one person run one after another, in the order they were asked for.
        """
        self.wd.ctx.tasks.spawn(self._direct(user_id, action), "workday direct message")

    async def _direct(self, user_id: UserID, action: DirectAction) -> None:
        matrix = self.wd.ctx.matrix
        async with self._direct_locks[user_id]:
            room = await matrix.direct_room(user_id)
            if not await matrix.wait_member_joined(room, user_id, DIRECT_CHAT_TIMEOUT):
                self.wd.log.warning("a direct chat is not ready after %s s", DIRECT_CHAT_TIMEOUT)
            await action(room)

    async def release(self, user_id: UserID) -> int:
        """Send everything held for the person now, oldest first; the number sent."""
        sent = 0
        for held in await self.wd.inbox.held(user_id):
            if not await self.wd.inbox.release(held.id):
                continue
            try:
                await self.send_now(user_id, held.markdown, held.room_id)
            except MatrixError:
                self.wd.log.exception("a held message could not be delivered")
                continue
            sent += 1
        return sent

    async def release_due(self) -> None:
        """Release held messages whose time has come, or move them to the next working
        time when the person is still not available."""
        now = self.wd.now()
        for user in await self.wd.inbox.due_users(now):
            when = await self.next_available(user, now)
            if when is not None and when <= now:
                await self.release(user)
            else:
                await self.wd.inbox.reschedule(user, when)
