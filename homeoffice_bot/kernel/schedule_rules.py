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
