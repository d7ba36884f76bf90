"""What the workday feature offers other components (stand-ups, plugins).

Get it with ``ctx.services.get(Availability)``; it is None when workday is not loaded,
and callers then treat everyone as available and send directly.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from homeoffice_bot.kernel.ids import RoomID, UserID


class Availability(Protocol):
    async def is_available(self, user_id: UserID, at: datetime) -> bool:
        """True when ``user_id`` is working at ``at``: within working hours, not on leave,
        not off, absent or away, and not on a weekend or public holiday."""
        ...

    async def next_available(self, user_id: UserID, after: datetime) -> datetime | None:
        """The start of the person's next working time after ``after``."""
        ...

    async def deliver(
        self, user_id: UserID, markdown: str, *, room_id: RoomID | None = None
    ) -> None:
        """Send now when the person is available, else hold it and send it at the start
        of their next working time. Without ``room_id`` it goes by direct message."""
        ...
