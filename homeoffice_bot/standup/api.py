"""What the stand-up feature offers other components: setting up a room's stand-up in one
step (the guided set-up ``!einrichten`` uses it).

Get it with ``ctx.services.get(STANDUP_SETUP)``; it is None when the stand-up feature is
not loaded.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from typing import Protocol

from homeoffice_bot.kernel.ids import RoomID, UserID
from homeoffice_bot.kernel.services import ServiceKey


@dataclass(frozen=True)
class StandupPlan:
    """A room's daily stand-up as a lead chose it."""

    room_id: RoomID
    at: time
    """Local kickoff time in the room's time zone."""
    weekdays: frozenset[int]
    """ISO weekdays, Monday = 1."""
    region: str | None
    """Holiday region such as ``DE-NW`` (no stand-up on its public holidays); None: none."""
    lead: UserID
    """Who set it up (recorded as its creator)."""
    include_lead: bool
    """Whether the lead is asked too (else the lead only gets the report)."""
    answers_by_dm: bool
    """Answers by direct message instead of in the kickoff's thread."""
    at_ts: datetime
    """When it was decided (the schedule counts from here)."""


@dataclass(frozen=True)
class PlannedStandup:
    name: str
    created: bool
    """True: a new stand-up; False: the room's existing one was changed."""
    next_kickoff: datetime | None
    """The next kickoff (UTC), or None when none is ahead."""
    tz: str


class StandupSetup(Protocol):
    async def set_up(self, plan: StandupPlan) -> PlannedStandup:
        """Create the room's stand-up ("team"), or change it when the room has one, and
        schedule it. Raises ``ValueError`` for a plan it cannot take (an unknown region)."""
        ...


STANDUP_SETUP: ServiceKey[StandupSetup] = ServiceKey("standup:setup")
"""Named with a colon: "standup." strings are the catalogue's keys (a test reads them)."""
