"""Local wall-clock time ↔ UTC instants, safe across daylight-saving switches.

Instants are aware datetimes in UTC; local rules are (local date/time, IANA zone name).
Arithmetic on instants is always done in UTC so that elapsed time is real time.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from homeoffice_bot.kernel.schedule_rules import local_instant


@lru_cache(maxsize=64)
def zone(tz: str) -> ZoneInfo:
    """The ZoneInfo for an IANA name (raises ``ZoneInfoNotFoundError`` for unknown names)."""
    return ZoneInfo(tz)


def as_utc(instant: datetime) -> datetime:
    """``instant`` converted to UTC; naive datetimes are refused."""
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError("expected an aware datetime")
    return instant.astimezone(UTC)


def local_date(instant: datetime, tz: str) -> date:
    return as_utc(instant).astimezone(zone(tz)).date()


def local_time(instant: datetime, tz: str) -> time:
    return as_utc(instant).astimezone(zone(tz)).time()


def start_of_day(day: date, tz: str) -> datetime:
    """The UTC instant at which local ``day`` begins."""
    return local_instant(day, time(0, 0), tz)


def end_of_day(day: date, tz: str) -> datetime:
    """The UTC instant at which local ``day`` ends (the next local midnight)."""
    return start_of_day(day + timedelta(days=1), tz)


def hhmm(instant: datetime, tz: str) -> str:
    """Local wall-clock time as ``HH:MM``."""
    return as_utc(instant).astimezone(zone(tz)).strftime("%H:%M")
