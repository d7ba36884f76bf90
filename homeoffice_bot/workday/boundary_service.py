"""The after-hours boundary as a service: ``Availability`` for other components and
``Attention`` for the kernel's delivery gate.

Nothing the bot sends (reminders, digests, other components' pings) reaches a person who
is off, on leave, absent, on a break or away, on a weekend or public holiday, or outside
their working hours: the kernel's outbox asks ``may_alert`` for every mention and direct
message, drops the pill of a room message (the message lands in the person's digest, see
``missed``) and holds a direct message until ``next_alert``, or until the person's
``!moin`` releases it.

People who have never used a workday command are always available: the workday knows
neither their hours nor their leave, so it does not second-guess a caller's own schedule
(a stand-up at 07:30 still asks them).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from homeoffice_bot.kernel.delivery import acting_for
from homeoffice_bot.kernel.ids import EventID, RoomID, UserID
from homeoffice_bot.kernel.localtime import as_utc
from homeoffice_bot.workday.boundary import deliver_at, is_available

if TYPE_CHECKING:
    from homeoffice_bot.workday.service import Workday


class AvailabilityService:
    """Implements ``homeoffice_bot.workday.api.Availability`` and the kernel's
    ``homeoffice_bot.kernel.delivery.Attention``."""

    def __init__(self, wd: Workday) -> None:
        self.wd = wd

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

    async def wants_standup_reminder(self, user_id: UserID) -> bool:
        person = await self.wd.store.person(user_id)
        return person is None or person.remind_standup

    # ------------------------------------------------------------ Attention

    async def may_alert(self, user_id: UserID, at: datetime) -> bool:
        return await self.is_available(user_id, at)

    async def next_alert(self, user_id: UserID, after: datetime) -> datetime | None:
        return await self.next_available(user_id, after)

    async def missed(
        self, user_id: UserID, room_id: RoomID, event_id: EventID, excerpt: str
    ) -> None:
        """A bot message named the person while they were off: it goes into their digest."""
        bot = self.wd.ctx.matrix.user_id
        await self.wd.inbox.collect(user_id, bot, room_id, event_id, excerpt, self.wd.now())
        await self.wd.jobs.reschedule(user_id)

    # ------------------------------------------------------------ sending

    async def deliver(
        self, user_id: UserID, markdown: str, *, room_id: RoomID | None = None
    ) -> None:
        """A message meant to reach the person (it alerts), through the delivery gate:
        held while they are off. Without ``room_id`` it goes by direct message."""
        outbox = self.wd.ctx.outbox
        if room_id is None:
            await outbox.dm(user_id, markdown, alert=True)
        else:
            self.wd.ctx.tasks.spawn(
                outbox.send(room_id, markdown, alert=True), "workday room message"
            )

    async def release(self, user_id: UserID) -> int:
        """Send everything held for the person now (at their start of work); the number."""
        return await self.wd.ctx.outbox.release(user_id)

    async def hand_over_held(self) -> None:
        """Messages an earlier version held in the workday's own table go to the outbox,
        which holds them until the person may be alerted."""
        for held in await self.wd.inbox.held():
            with acting_for(f"workday-held:{held.id}"):
                await self.deliver(held.user_id, held.markdown, room_id=held.room_id)
            await self.wd.inbox.release(held.id)
