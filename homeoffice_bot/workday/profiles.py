"""A person's working profile: time zone, working hours, holidays, leave, break plans,
the reminders they want.

``Directory.profile(user)`` combines the person's own settings with the defaults of
their team room (the group room they last used the workday in) and the bot's settings.
The time zone is the one the person set with ``!zeitzone``, else the ``m.tz`` field of
their Matrix profile (a valid IANA name; the kernel caches it), else the default.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Literal

from homeoffice_bot.kernel.errors import ParseError
from homeoffice_bot.kernel.ids import RoomID, UserID
from homeoffice_bot.kernel.localtime import local_date
from homeoffice_bot.workday.breaks import BreakPlan, parse_break_plans
from homeoffice_bot.workday.hours import (
    WorkingHours,
    WorkSchedule,
    leave_on,
    parse_working_hours,
    validate_timezone,
)
from homeoffice_bot.workday.settings import WorkdaySettings
from homeoffice_bot.workday.states import PersonStatus, Presence, PresenceState, resolve_presence
from homeoffice_bot.workday.store import PersonRow, RoomRow, WorkdayStore

log = logging.getLogger(__name__)

HoursSource = Literal["own", "team", "default"]
TzSource = Literal["own", "matrix", "default"]
PROFILE_TZ = "m.tz"
"""The Matrix profile field of a person's time zone (spec v1.16)."""
ProfileTz = Callable[[UserID], Awaitable[str | None]]
"""The ``m.tz`` field of a person's Matrix profile (None: not set or not readable)."""


@dataclass(frozen=True)
class Reminders:
    """Which reminders the person wants (``!erinnerungen``)."""

    dayend: bool = True
    """The end-of-day reminder with the wrap-up question."""
    standup: bool = True
    """The stand-up's reminder for those who have not answered."""
    digest: bool = True
    """The digest of mentions collected while off."""


@dataclass(frozen=True)
class Profile:
    user: UserID
    known: bool
    """The person uses the workday (has a row); others get the defaults."""
    tz: str
    schedule: WorkSchedule
    hours_source: HoursSource
    arbzg: bool
    plans: tuple[BreakPlan, ...]
    home_room: RoomID | None
    last_active: datetime | None
    tz_source: TzSource = "default"
    reminders: Reminders = field(default_factory=Reminders)


def _hours(text: str | None) -> WorkingHours | None:
    if not text:
        return None
    try:
        return parse_working_hours(text)
    except ParseError:
        log.warning("stored working hours do not parse; using defaults")
        return None


def _plans(text: str | None) -> tuple[BreakPlan, ...]:
    if not text:
        return ()
    try:
        return parse_break_plans(text)
    except ParseError:
        log.warning("a stored break plan does not parse; ignoring it")
        return ()


class Directory:
    def __init__(
        self,
        store: WorkdayStore,
        settings: WorkdaySettings,
        default_tz: str,
        default_region: str,
        *,
        profile_tz: ProfileTz | None = None,
    ) -> None:
        self.store = store
        self.settings = settings
        self.default_tz = default_tz
        self.default_region = default_region
        self.profile_tz = profile_tz
        self._invalid_zones: set[str] = set()

    def build(
        self,
        person: PersonRow | None,
        room: RoomRow | None,
        user: UserID,
        matrix_tz: str | None = None,
    ) -> Profile:
        """A profile from rows and the (validated) ``m.tz`` of the person's Matrix
        profile (pure; leave is added by ``profile``)."""
        row = person or PersonRow(user)
        own, team = _hours(row.hours), _hours(room.team_hours if room else None)
        source: HoursSource = "own" if own else "team" if team else "default"
        hours = own or team or self.settings.hours
        tz_source: TzSource = "own" if row.tz else "matrix" if matrix_tz else "default"
        tz = row.tz or matrix_tz or self.default_tz
        region = row.region or (room.region if room else None) or self.default_region
        schedule = WorkSchedule(
            hours=hours, tz=tz, region=region, core=_hours(room.core_hours if room else None)
        )
        return Profile(
            user=user,
            known=person is not None,
            tz=tz,
            schedule=schedule,
            hours_source=source,
            arbzg=row.arbzg,
            plans=_plans(row.break_plan),
            home_room=row.home_room,
            last_active=row.last_active,
            tz_source=tz_source,
            reminders=Reminders(row.remind_dayend, row.remind_standup, row.remind_digest),
        )

    async def profile(self, user: UserID, looking_from: RoomID | None = None) -> Profile:
        """The person's profile. ``looking_from``: the team room of a command that only
        looks, for someone not enrolled (their team's defaults apply, nothing is stored)."""
        person = await self.store.person(user)
        home = person.home_room if person else looking_from
        room = await self.store.room(home) if home else None
        asks = person is not None or looking_from is not None  # others get the defaults
        own_tz = person is not None and person.tz
        matrix_tz = await self.matrix_tz(user) if asks and not own_tz else None
        profile = self.build(person, room, user, matrix_tz)
        leave = tuple(await self.store.leave(user)) if person else ()
        if not leave:
            return profile
        return replace(profile, schedule=replace(profile.schedule, leave=leave))

    async def matrix_tz(self, user: UserID) -> str | None:
        """The ``m.tz`` of the person's Matrix profile when it names an IANA zone; an
        invalid value is ignored (logged once per value)."""
        if self.profile_tz is None:
            return None
        try:
            value = await self.profile_tz(user)
        except Exception:
            log.exception("the time zone of a Matrix profile could not be read")
            return None
        if not value:
            return None
        try:
            return validate_timezone(value.strip())
        except ParseError:
            if value not in self._invalid_zones:
                self._invalid_zones.add(value)
                log.warning("ignoring m.tz %r of %s: not an IANA time zone", value[:64], user)
            return None

    async def state(
        self, user: UserID, now: datetime, profile: Profile | None = None
    ) -> tuple[Profile, PersonStatus | None, Presence]:
        """The person's profile (``profile`` when read already), the explicit status to go
        by, and the presence in effect at ``now``."""
        profile = profile or await self.profile(user)
        status = await self.store.status(user) if profile.known else None
        status = effective_status(status, now, profile.schedule)
        return profile, status, resolve_presence(status, now, profile.schedule)


def effective_status(
    status: PersonStatus | None, now: datetime, schedule: WorkSchedule
) -> PersonStatus | None:
    """The explicit status to go by: "off" gives way to a leave day (so the board, notes
    and boundary say "on leave" and name the stand-in, not just "off")."""
    if (
        status is not None
        and status.state is PresenceState.OFF
        and leave_on(schedule, local_date(now, schedule.tz)) is not None
    ):
        return None
    return status
