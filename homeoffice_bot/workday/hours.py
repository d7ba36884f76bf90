"""Working hours, leave and public holidays: when is a person at work?

``WorkingHours`` holds local windows per ISO weekday; ``WorkSchedule`` binds them to a
time zone, a holiday region (``DE-NW``) and leave periods. Every question
("working now?", "back when?", "day ends when?") is a pure function of a schedule and an
instant. Windows are computed per local date, so 08:00 stays 08:00 across DST.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any

from homeoffice_bot.kernel.errors import ParseError
from homeoffice_bot.kernel.holiday_regions import UnknownRegion, holiday_calendar, normalise_region
from homeoffice_bot.kernel.ids import UserID
from homeoffice_bot.kernel.localtime import as_utc, local_date
from homeoffice_bot.kernel.schedule_rules import local_instant
from homeoffice_bot.workday.dayspec import (
    WORKDAYS,
    TimeWindow,
    format_day_windows,
    parse_day_groups,
)
from homeoffice_bot.workday.texts import Translate

DEFAULT_HOURS_SPEC = "mo-fr 08:00-16:30"
SEARCH_HORIZON_DAYS = 400
"""How far ahead ``next_*`` functions look before giving up (covers long leave)."""

Window = tuple[datetime, datetime]
"""A concrete working window as UTC instants (start, end)."""


@dataclass(frozen=True)
class WorkingHours:
    """Local working windows per ISO weekday (``days[0]`` is Monday)."""

    days: tuple[tuple[TimeWindow, ...], ...] = ((),) * 7

    def __post_init__(self) -> None:
        if len(self.days) != 7:
            raise ValueError("WorkingHours needs exactly seven days")

    @classmethod
    def from_mapping(cls, per_day: Mapping[int, Iterable[TimeWindow]]) -> WorkingHours:
        return cls(tuple(tuple(sorted(per_day.get(day, ()))) for day in range(1, 8)))

    def on(self, iso_weekday: int) -> tuple[TimeWindow, ...]:
        return self.days[iso_weekday - 1]

    def as_mapping(self) -> dict[int, tuple[TimeWindow, ...]]:
        return {day: self.on(day) for day in range(1, 8) if self.on(day)}

    @property
    def is_empty(self) -> bool:
        return not any(self.days)

    def weekly_minutes(self) -> int:
        return sum(
            (w.end.hour * 60 + w.end.minute) - (w.start.hour * 60 + w.start.minute)
            for windows in self.days
            for w in windows
        )


@dataclass(frozen=True)
class LeavePeriod:
    """Leave on local dates ``first_day``..``last_day`` (inclusive)."""

    first_day: date
    last_day: date
    stand_in: UserID | None = None

    def __post_init__(self) -> None:
        if self.last_day < self.first_day:
            raise ValueError("leave must not end before it starts")

    def covers(self, day: date) -> bool:
        return self.first_day <= day <= self.last_day


@dataclass(frozen=True)
class WorkSchedule:
    """Everything needed to decide whether a person is at work at an instant."""

    hours: WorkingHours
    tz: str
    region: str | None = None
    """Public-holiday region such as ``DE-NW`` or ``DE``; ``None``: no holidays."""
    leave: tuple[LeavePeriod, ...] = field(default=())
    core: WorkingHours | None = None
    """Team core hours (optional)."""


def parse_working_hours(text: str) -> WorkingHours:
    """Parse ``mo-do 07:30-16:00, fr 07:30-13:00`` (also ``Mo–Fr 8-16:30``, ``täglich 9-17``).

    A range without days means Monday to Friday. A later group that overlaps what an
    earlier one set for a day replaces that day (``mo-fr 8-16, fr 8-13``); one that
    does not overlap adds to it (``mo-fr 8-12, mo-fr 13-17``). Raises ``ParseError``.
    """
    per_day: dict[int, list[TimeWindow]] = {}
    for group in parse_day_groups(text, WORKDAYS):
        for day in group.days:
            existing = per_day.get(day, [])
            if any(old.overlaps(new) for old in existing for new in group.windows):
                existing = []
            per_day[day] = [*existing, *group.windows]
    return WorkingHours.from_mapping(per_day)


def format_working_hours(hours: WorkingHours, tr: Translate) -> str:
    """``Mo–Do 07:30–16:00; Fr 07:30–13:00`` in the language of ``tr``; parses back."""
    if hours.is_empty:
        return tr("hours.none")
    return format_day_windows(hours.as_mapping(), tr)


_CANONICAL_DAYS = ("Mo", "Di", "Mi", "Do", "Fr", "Sa", "So")
_CANONICAL_NAMES = {f"weekday.{i}": name for i, name in enumerate(_CANONICAL_DAYS, 1)}


def canonical_spec(hours: WorkingHours) -> str:
    """A language-independent text form for storage; ``parse_working_hours`` reads it back."""

    def tr(key: str, **_: Any) -> str:
        return _CANONICAL_NAMES.get(key, "täglich")

    return format_day_windows(hours.as_mapping(), tr)


# --- holidays -------------------------------------------------------------------------


def validate_region(text: str) -> str:
    """Normalise a holiday region (``de-nw`` → ``DE-NW``); ``ParseError`` if unknown."""
    try:
        return normalise_region(text)
    except UnknownRegion as exc:
        raise ParseError("workday.error.region", text=text) from exc


def validate_timezone(text: str) -> str:
    """An IANA zone name as the system spells it (``europe/berlin`` → ``Europe/Berlin``)."""
    wanted = text.strip()
    if "/" in wanted or wanted.upper() == "UTC":
        if wanted in _zone_names():
            return wanted
        folded = {name.casefold(): name for name in _zone_names()}
        if wanted.casefold() in folded:
            return folded[wanted.casefold()]
    raise ParseError("workday.error.timezone", text=text)


@lru_cache(maxsize=1)
def _zone_names() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def is_holiday(region: str | None, day: date) -> bool:
    return region is not None and day in holiday_calendar(region)


def holiday_name(region: str | None, day: date) -> str | None:
    """The holiday's name (as the ``holidays`` library spells it), or ``None``."""
    if region is None:
        return None
    name = holiday_calendar(region).get(day)
    return str(name) if name is not None else None


# --- questions about a schedule -------------------------------------------------------


def leave_on(schedule: WorkSchedule, day: date) -> LeavePeriod | None:
    return next((period for period in schedule.leave if period.covers(day)), None)


def is_working_day(schedule: WorkSchedule, day: date) -> bool:
    """Has working hours that weekday and is neither a public holiday nor leave."""
    return (
        bool(schedule.hours.on(day.isoweekday()))
        and not is_holiday(schedule.region, day)
        and leave_on(schedule, day) is None
    )


def windows_on(schedule: WorkSchedule, day: date) -> list[Window]:
    """The working windows of local ``day`` as UTC instants (empty on days off)."""
    if not is_working_day(schedule, day):
        return []
    return [
        (local_instant(day, w.start, schedule.tz), local_instant(day, w.end, schedule.tz))
        for w in schedule.hours.on(day.isoweekday())
    ]


def iter_windows(
    schedule: WorkSchedule, since: datetime, horizon_days: int = SEARCH_HORIZON_DAYS
) -> Iterator[Window]:
    """Working windows that end after ``since``, in order, up to ``horizon_days`` ahead."""
    since = as_utc(since)
    first = local_date(since, schedule.tz) - timedelta(days=1)
    for offset in range(horizon_days + 2):
        for start, end in windows_on(schedule, first + timedelta(days=offset)):
            if end > since:
                yield start, end


def current_window(schedule: WorkSchedule, now: datetime) -> Window | None:
    """The working window containing ``now``, if any."""
    now = as_utc(now)
    for start, end in iter_windows(schedule, now, horizon_days=1):
        if start <= now < end:
            return start, end
    return None


def is_working_time(schedule: WorkSchedule, now: datetime) -> bool:
    """Inside working hours on a working day (not weekend-off, holiday or leave)."""
    return current_window(schedule, now) is not None


def next_working_start(schedule: WorkSchedule, now: datetime) -> datetime | None:
    """The start of the next working window that begins after ``now``."""
    now = as_utc(now)
    return next((start for start, _ in iter_windows(schedule, now) if start > now), None)


def available_from(schedule: WorkSchedule, now: datetime) -> datetime | None:
    """``now`` during working time, else the next working start (``None``: never)."""
    return as_utc(now) if is_working_time(schedule, now) else next_working_start(schedule, now)


def next_workday_start(schedule: WorkSchedule, now: datetime) -> datetime | None:
    """When the person's next working day begins (for "off for today").

    Today's first window if it has not begun yet, otherwise the first window of the next
    working day — a later window today (after a split) does not count.
    """
    now = as_utc(now)
    today = local_date(now, schedule.tz)
    for start, _ in iter_windows(schedule, now):
        day = local_date(start, schedule.tz)
        if day > today:
            return start
        if start > now and windows_on(schedule, day)[0][0] == start:
            return start
    return None


def end_of_today(schedule: WorkSchedule, now: datetime) -> datetime | None:
    """The end of the last working window of ``now``'s local date (``None`` on days off)."""
    windows = windows_on(schedule, local_date(now, schedule.tz))
    return windows[-1][1] if windows else None


def next_workday_end(schedule: WorkSchedule, now: datetime) -> datetime | None:
    """The next end of a working day after ``now`` (to schedule end-of-day reminders)."""
    now = as_utc(now)
    day = local_date(now, schedule.tz)
    for offset in range(SEARCH_HORIZON_DAYS + 1):
        windows = windows_on(schedule, day + timedelta(days=offset))
        if windows and windows[-1][1] > now:
            return windows[-1][1]
    return None


def is_core_time(schedule: WorkSchedule, now: datetime) -> bool:
    """Inside the team's core hours on one of the person's working days."""
    if schedule.core is None:
        return False
    now = as_utc(now)
    day = local_date(now, schedule.tz)
    if not is_working_day(schedule, day):
        return False
    return any(
        local_instant(day, w.start, schedule.tz) <= now < local_instant(day, w.end, schedule.tz)
        for w in schedule.core.on(day.isoweekday())
    )
