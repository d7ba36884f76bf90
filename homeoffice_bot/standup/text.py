"""Small text helpers of the stand-up: dates, weekdays, name lists.

Everything a person typed (answers, display names, custom questions, the stand-up's name)
goes through the kernel's ``escaping.escape_markdown`` before it is put into a Markdown
source (``escaping.escape_for_file`` for exported files); the kernel's ``render`` then
shows raw HTML as text and sanitises the result.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from homeoffice_bot.kernel.escaping import escape_markdown
from homeoffice_bot.kernel.formatting import format_date_ranges, format_day_ranges, people_list
from homeoffice_bot.kernel.i18n import plural

Translate = Callable[..., str]
"""``tr(key, **params) -> str``: the formatted message in the room's language."""


def weekday_name(iso_weekday: int, tr: Translate) -> str:
    """ "Montag" / "Monday"."""
    return tr(f"standup.weekday.{iso_weekday}")


def weekday_short(iso_weekday: int, tr: Translate) -> str:
    """ "Mo" / "Mon"."""
    return tr(f"standup.weekday_short.{iso_weekday}")


def format_date(day: date, tr: Translate) -> str:
    """ "Mo, 23.11.2026" / "Mon, 2026-11-23"."""
    return tr(
        "standup.format.date",
        weekday=weekday_short(day.isoweekday(), tr),
        dd=f"{day.day:02d}",
        mm=f"{day.month:02d}",
        yyyy=f"{day.year:04d}",
    )


def format_day(day: date, tr: Translate) -> str:
    """ "23.11.2026" / "2026-11-23": a date without its weekday."""
    return tr(
        "standup.format.day", dd=f"{day.day:02d}", mm=f"{day.month:02d}", yyyy=f"{day.year:04d}"
    )


def format_dates(days: Iterable[date], tr: Translate) -> str:
    """Days with consecutive ones as ranges: "22.12.2026–02.01.2027, 15.02.2027"."""
    return format_date_ranges(
        days,
        lambda day: format_day(day, tr),
        lambda start, end: tr("standup.format.range", start=start, end=end),
    )


def format_short_date(day: date, tr: Translate) -> str:
    """ "23.11." / "23/11"."""
    return tr("standup.format.short_date", dd=f"{day.day:02d}", mm=f"{day.month:02d}")


def format_time(instant: datetime, tz: str) -> str:
    """ "09:00": the local wall-clock time of ``instant`` in ``tz``."""
    return instant.astimezone(ZoneInfo(tz)).strftime("%H:%M")


def format_clock(at: time) -> str:
    """ "09:00" (or "09:00:30" when the time has seconds): a local time of day."""
    return at.strftime("%H:%M:%S" if at.second else "%H:%M")


def format_length(seconds: int, tr: Translate) -> str:
    """ "10 Minuten", "1 Minute", "20 Sekunden", "1 Minute 30 Sekunden"."""
    minutes, rest = divmod(int(seconds), 60)
    parts: list[str] = []
    if minutes:
        parts.append(plural(tr, "standup.length.minutes", minutes))
    if rest or not minutes:
        parts.append(plural(tr, "standup.length.seconds", rest))
    return " ".join(parts)


def format_datetime(instant: datetime, tz: str, tr: Translate) -> str:
    """ "Mo, 23.11.2026, 09:00": the local date and time of ``instant`` in ``tz``."""
    local = instant.astimezone(ZoneInfo(tz))
    return tr(
        "standup.format.datetime", date=format_date(local.date(), tr), time=format_time(local, tz)
    )


def format_weekdays(weekdays: Iterable[int], tr: Translate) -> str:
    """ISO weekdays as short names with ranges: "Mo–Fr", "Mo, Mi, Fr", "Mo–Mi, Fr"."""
    return format_day_ranges(weekdays, lambda day: weekday_short(day, tr))


def format_names(names: Iterable[str], tr: Translate) -> str:
    """Display names, escaped, as a list ("Anna, Ben und Clara"): named, never pinged."""
    return people_list((escape_markdown(name) for name in names), tr)
