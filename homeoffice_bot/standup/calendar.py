"""Which days have a stand-up, and at which instant it opens.

Weekdays are ISO numbers (Monday = 1 … Sunday = 7), like ``kernel.schedule_rules.Daily``.
A holiday region is a ``holidays`` code: a country ("DE") or country and subdivision
("DE-NW", "DE-BY"). Closures are extra days off for the team (Heiligabend, bridge days);
skipped days are one-off skips ("skip today", "skip 24.12.").

Instants are returned in UTC; the local rule is (local time, IANA zone name).
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from datetime import date, datetime, time, timedelta

import holidays

from homeoffice_bot.kernel.holiday_regions import UnknownRegion, holiday_calendar, normalise_region
from homeoffice_bot.kernel.localtime import local_date
from homeoffice_bot.kernel.schedule_rules import local_instant
from homeoffice_bot.standup.errors import StandupSettingError

SEARCH_DAYS = 400
"""How far ``next_kickoff`` and ``previous_kickoff`` look for a stand-up day."""

_HOLIDAY_LANGUAGES = {"de": "de", "en": "en_US"}


class SkipReason(enum.StrEnum):
    WEEKDAY = "weekday"
    """The day is not one of the configured weekdays."""
    HOLIDAY = "holiday"
    """A public holiday of the configured region."""
    CLOSURE = "closure"
    """A closure day of the team."""
    SKIPPED = "skipped"
    """Skipped once by a moderator."""


def validate_region(code: str) -> str:
    """Normalise a holiday region ("de-nw" -> "DE-NW"); raise ``StandupSettingError``
    (a ``ValueError``) for a country or subdivision the ``holidays`` library does not know."""
    try:
        return normalise_region(code)
    except UnknownRegion as exc:
        if not exc.known:
            raise StandupSettingError(
                "standup.error.region_country", str(exc), region=exc.code
            ) from None
        raise StandupSettingError(
            "standup.error.region_subdivision", str(exc), region=exc.code,
            known=", ".join(exc.known),
        ) from None  # fmt: skip


def _holiday_table(region: str, lang: str = "de") -> holidays.HolidayBase:
    return holiday_calendar(validate_region(region), _HOLIDAY_LANGUAGES.get(lang, lang))


def holiday_name(day: date, region: str | None, lang: str = "de") -> str | None:
    """The name of the public holiday on ``day`` in ``region`` ("Fronleichnam"), or None."""
    if region is None:
        return None
    name = _holiday_table(region, lang).get(day)
    return None if name is None else str(name)


def _reason_function(
    weekdays: frozenset[int],
    region: str | None,
    closures: frozenset[date],
    skipped: frozenset[date],
) -> Callable[[date], SkipReason | None]:
    table = _holiday_table(region) if region is not None else None

    def reason(day: date) -> SkipReason | None:
        if day.isoweekday() not in weekdays:
            return SkipReason.WEEKDAY
        if table is not None and day in table:
            return SkipReason.HOLIDAY
        if day in closures:
            return SkipReason.CLOSURE
        if day in skipped:
            return SkipReason.SKIPPED
        return None

    return reason


def skip_reason(
    day: date,
    weekdays: frozenset[int],
    region: str | None,
    closures: frozenset[date],
    skipped: frozenset[date] = frozenset(),
) -> SkipReason | None:
    """Why ``day`` has no stand-up, or None when it has one."""
    return _reason_function(weekdays, region, closures, skipped)(day)


def is_standup_day(
    day: date,
    weekdays: frozenset[int],
    region: str | None,
    closures: frozenset[date],
    skipped: frozenset[date] = frozenset(),
) -> bool:
    return skip_reason(day, weekdays, region, closures, skipped) is None


def next_kickoff(
    now_utc: datetime,
    at: time,
    tz: str,
    weekdays: frozenset[int],
    region: str | None,
    closures: frozenset[date],
    skipped: frozenset[date] = frozenset(),
) -> datetime | None:
    """The first kickoff strictly after ``now_utc`` (None if none within ~400 days)."""
    reason = _reason_function(weekdays, region, closures, skipped)
    today = local_date(now_utc, tz)
    for ahead in range(SEARCH_DAYS + 1):
        day = today + timedelta(days=ahead)
        if reason(day) is None:
            instant = local_instant(day, at, tz)
            if instant > now_utc:
                return instant
    return None


def previous_kickoff(
    now_utc: datetime,
    at: time,
    tz: str,
    weekdays: frozenset[int],
    region: str | None,
    closures: frozenset[date],
    skipped: frozenset[date] = frozenset(),
) -> datetime | None:
    """The latest kickoff at or before ``now_utc`` (None if none within ~400 days).

    For catch-up after downtime: if it is within the grace time and its occurrence was
    not recorded yet, open it now.
    """
    reason = _reason_function(weekdays, region, closures, skipped)
    today = local_date(now_utc, tz)
    for back in range(SEARCH_DAYS + 1):
        day = today - timedelta(days=back)
        if reason(day) is None:
            instant = local_instant(day, at, tz)
            if instant <= now_utc:
                return instant
    return None


def previous_standup_day(
    day: date,
    weekdays: frozenset[int],
    region: str | None,
    closures: frozenset[date],
    skipped: frozenset[date] = frozenset(),
) -> date | None:
    """The last stand-up day before ``day`` by the rules (None if none within ~400 days)."""
    reason = _reason_function(weekdays, region, closures, skipped)
    for back in range(1, SEARCH_DAYS + 1):
        candidate = day - timedelta(days=back)
        if reason(candidate) is None:
            return candidate
    return None
