"""Small text helpers shared by the workday's messages: excerpts, dates, times.

Every function that produces user-facing text takes ``tr(key, **params)`` bound to
the room's (or person's) language and returns Markdown in which user-provided text
(names, notes, excerpts) is escaped with ``homeoffice_bot.kernel.escaping.escape_line``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime, timedelta

from homeoffice_bot.kernel.localtime import as_utc, local_date, zone

Translate = Callable[..., str]

_WHITESPACE = re.compile(r"\s+")


def excerpt(text: str, limit: int = 160) -> str:
    """The first ``limit`` characters of ``text`` on one line (``…`` when cut), unescaped."""
    one_line = _WHITESPACE.sub(" ", text).strip()
    if len(one_line) <= limit:
        return one_line
    return one_line[: limit - 1].rstrip() + "…"


def format_date(day: date, tr: Translate) -> str:
    """``23.08.`` (de) / ``23 Aug`` (en)."""
    return tr("format.date", d=day)


def format_time(instant: datetime, tz: str) -> str:
    return as_utc(instant).astimezone(zone(tz)).strftime("%H:%M")


def format_when(instant: datetime, now: datetime, tz: str, tr: Translate) -> str:
    """A moment relative to ``now``: ``heute, 13:00``, ``morgen, 08:00``, ``gestern, 17:42``,
    ``Mo, 08:00`` (within six days ahead), else ``Mo, 26.08., 08:00``."""
    day, today = local_date(instant, tz), local_date(now, tz)
    time_text = format_time(instant, tz)
    weekday = tr(f"weekday.{day.isoweekday()}")
    if day == today:
        return tr("when.today", time=time_text)
    if day == today + timedelta(days=1):
        return tr("when.tomorrow", time=time_text)
    if day == today - timedelta(days=1):
        return tr("when.yesterday", time=time_text)
    if today < day <= today + timedelta(days=6):
        return tr("when.weekday", weekday=weekday, time=time_text)
    return tr("when.date", weekday=weekday, date=format_date(day, tr), time=time_text)


def format_until(instant: datetime, now: datetime, tz: str, tr: Translate) -> str:
    """Short end time: ``12:30`` today, else ``Di, 09:00``."""
    if local_date(instant, tz) == local_date(now, tz):
        return format_time(instant, tz)
    weekday = tr(f"weekday.{local_date(instant, tz).isoweekday()}")
    return tr("format.weekday_time", weekday=weekday, time=format_time(instant, tz))


def format_minutes(span: timedelta, tr: Translate) -> str:
    """``5 Std. 45 Min.`` / ``45 Min.`` (rounded down to whole minutes)."""
    minutes = max(int(span.total_seconds() // 60), 0)
    hours, rest = divmod(minutes, 60)
    if hours and rest:
        return tr("format.hours_minutes", hours=hours, minutes=rest)
    if hours:
        return tr("format.hours", hours=hours)
    return tr("format.minutes", minutes=rest)
