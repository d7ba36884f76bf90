"""What the workday feature offers other components (stand-ups, plugins).

Get it with ``ctx.services.get(AVAILABILITY)``; it is None when workday is not loaded,
and callers then treat everyone as available and send directly. ``TEAM_SETUP`` is the
workday's part of the guided set-up: a room's holiday region and its board.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal, Protocol

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


@dataclass(frozen=True)
class RegionDefault:
    """The holiday region a room's workday uses now, and where it comes from."""

    code: str
    """``DE-NW``, ``DE`` …"""
    source: Literal["room", "bot"]
    """``room``: set for this room (``!feiertage team``); ``bot``: the bot's default
    (``bot.default_holiday_region``)."""


class TeamSetup(Protocol):
    """The workday's part of the guided set-up (``!einrichten``)."""

    async def holiday_region(self, room_id: RoomID) -> RegionDefault:
        """The region the room's workday uses now."""
        ...

    async def set_holiday_region(self, room_id: RoomID, region: str) -> str:
        """Set the room's holiday region (as ``!feiertage team DE-BY`` does); returns it
        normalised. Raises ``ValueError`` for an unknown region."""
        ...

    async def post_board(self, room_id: RoomID) -> bool:
        """Post the room's board now (or bring it up to date). False when the room has
        the workday off (e.g. external members: see ``!übersicht``)."""
        ...


TEAM_SETUP: ServiceKey[TeamSetup] = ServiceKey("workday.team_setup")
