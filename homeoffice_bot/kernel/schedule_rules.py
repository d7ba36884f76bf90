"""Pure trigger rules: when a job fires, and when it last should have fired."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class Daily:
    """At a local time on some ISO weekdays (Monday=1) in an IANA zone."""

    at: time
    weekdays: frozenset[int]
    tz: str


@dataclass(frozen=True)
class Once:
    at: datetime
    """An aware instant."""


@dataclass(frozen=True)
class Every:
    interval: timedelta


Trigger = Daily | Once | Every


def local_instant(day: date, at: time, tz: str) -> datetime:
    """The UTC instant of local ``at`` on ``day``. A time inside a DST gap moves forward
    by the gap (02:30 on the spring-forward day is 03:30 CEST); a repeated autumn time is
    taken at its first occurrence (fold=0 semantics of zoneinfo)."""
    local = datetime.combine(day, at.replace(tzinfo=None, fold=0), tzinfo=ZoneInfo(tz))
    return local.astimezone(UTC)


def last_fire(trigger: Daily, now: datetime) -> datetime | None:
    """The latest firing at or before ``now`` (within the last eight days)."""
    today = now.astimezone(ZoneInfo(trigger.tz)).date()
    for back in range(8):
        day = today - timedelta(days=back)
        if day.isoweekday() in trigger.weekdays:
            instant = local_instant(day, trigger.at, trigger.tz)
            if instant <= now:
                return instant
    return None


def next_fire(trigger: Daily, now: datetime) -> datetime | None:
    """The first firing strictly after ``now``."""
    today = now.astimezone(ZoneInfo(trigger.tz)).date()
    for ahead in range(9):
        day = today + timedelta(days=ahead)
        if day.isoweekday() in trigger.weekdays:
            instant = local_instant(day, trigger.at, trigger.tz)
            if instant > now:
                return instant
    return None


class FireTimes:
    """``last_fire`` and ``next_fire`` shared by every job with an equal Daily trigger.

    Ten thousand stand-ups use a few dozen distinct (time, weekdays, zone) rules: each rule
    is computed once per firing instead of once per job. The answer computed at ``t0`` holds
    for every ``now`` from ``t0`` up to (not including) the next firing."""

    def __init__(self) -> None:
        self._known: dict[Daily, tuple[datetime, datetime | None, datetime]] = {}
        """trigger -> (computed at, last firing at or before then, next firing after)"""
        self._instances: dict[Daily, Daily] = {}

    def shared(self, trigger: Daily) -> Daily:
        """The one instance of an equal trigger, so that jobs hold one object per rule."""
        return self._instances.setdefault(trigger, trigger)

    def _entry(self, trigger: Daily, now: datetime) -> tuple[datetime | None, datetime | None]:
        known = self._known.get(trigger)
        if known is not None and known[0] <= now < known[2]:
            return known[1], known[2]
        last, upcoming = last_fire(trigger, now), next_fire(trigger, now)
        if upcoming is not None:
            self._known[trigger] = (now, last, upcoming)
        return last, upcoming

    def last(self, trigger: Daily, now: datetime) -> datetime | None:
        return self._entry(trigger, now)[0]

    def next(self, trigger: Daily, now: datetime) -> datetime | None:
        return self._entry(trigger, now)[1]

    def __len__(self) -> int:
        return len(self._known)
