"""What the workday feature offers other components (stand-ups, plugins).

Get it with ``ctx.services.get(AVAILABILITY)``; it is None when workday is not loaded,
and callers then treat everyone as available and send directly.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from homeoffice_bot.kernel.ids import RoomID, UserID
from homeoffice_bot.kernel.services import ServiceKey


class Availability(Protocol):
    async def is_available(self, user_id: UserID, at: datetime) -> bool:
        """True when ``user_id`` is working at ``at``: within working hours (or checked in
        with ``!moin``), not on leave, not off, absent, on a break or away, and not on a
        weekend or public holiday. People who never used the workday count as available."""
        ...

    async def next_available(self, user_id: UserID, after: datetime) -> datetime | None:
        """When the person is available next: ``after`` itself if they are available then,
        else the end of their break or the start of their next working time (``None``:
        no working time ahead)."""
        ...

    async def wants_standup_reminder(self, user_id: UserID) -> bool:
        """False when the person turned the stand-up reminder off (``!erinnerungen
        standup aus``); True otherwise, also for people who never used the workday."""
        ...

    async def deliver(
        self, user_id: UserID, markdown: str, *, room_id: RoomID | None = None
    ) -> None:
        """Send now when the person is available, else hold it and send it at the start
        of their next working time. Without ``room_id`` it goes by direct message."""
        ...


AVAILABILITY: ServiceKey[Availability] = ServiceKey("workday.availability")
