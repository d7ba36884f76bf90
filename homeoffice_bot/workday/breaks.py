"""Planned breaks: ``!pause plan täglich 12:00-12:30`` or ``mo-fr 10:00-10:15, 12:00-12:30``.

A plan is a set of weekdays with local windows. The bot reminds the person privately
when a planned break starts and sets their status to break until its end; occurrences
outside working time (weekend, holiday, leave) are skipped when a schedule is given.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from homeoffice_bot.kernel.localtime import as_utc, local_date
from homeoffice_bot.kernel.schedule_rules import local_instant
from homeoffice_bot.workday.dayspec import (
    ALL_DAYS,
    TimeWindow,
    format_day_windows,
    parse_day_groups,
)
from homeoffice_bot.workday.hours import WorkSchedule, is_working_time
from homeoffice_bot.workday.texts import Translate

Occurrence = tuple[datetime, datetime]
"""A concrete break as UTC instants (start, end)."""


@dataclass(frozen=True)
class BreakPlan:
    days: frozenset[int]
    window: TimeWindow


def parse_break_plans(text: str) -> tuple[BreakPlan, ...]:
    """``täglich 12:00-12:30``, ``mo-fr 10:00-10:15, 12:00-12:30``; a window without days
    means every day. Raises ``ParseError``."""
    return tuple(
        BreakPlan(group.days, window)
        for group in parse_day_groups(text, ALL_DAYS)
        for window in group.windows
    )


def format_break_plans(plans: Iterable[BreakPlan], tr: Translate) -> str:
    """``Mo–Fr 10:00–10:15, 12:00–12:30`` in the language of ``tr``; parses back."""
    per_day: dict[int, list[TimeWindow]] = {}
    for plan in plans:
        for day in plan.days:
            per_day.setdefault(day, []).append(plan.window)
    if not per_day:
        return tr("breaks.none")
    return format_day_windows(per_day, tr)


def occurrences_on(plans: Iterable[BreakPlan], day: date, tz: str) -> list[Occurrence]:
    return sorted(
        (local_instant(day, p.window.start, tz), local_instant(day, p.window.end, tz))
        for p in plans
        if day.isoweekday() in p.days
    )


def planned_break_at(
    plans: Sequence[BreakPlan], tz: str, now: datetime, schedule: WorkSchedule | None = None
) -> Occurrence | None:
    """The planned break going on at ``now``, if any (and on a working day, given a schedule)."""
    now = as_utc(now)
    today = local_date(now, tz)
    for start, end in occurrences_on(plans, today, tz):
        if start <= now < end and (schedule is None or is_working_time(schedule, start)):
            return start, end
    return None


def next_planned_break(
    plans: Sequence[BreakPlan],
    tz: str,
    now: datetime,
    schedule: WorkSchedule | None = None,
    horizon_days: int = 400,
) -> Occurrence | None:
    """The next planned break that starts after ``now``.

    With a schedule, only breaks that start inside working time count (no reminder on a
    weekend, holiday or leave day).
    """
    now = as_utc(now)
    if not plans:
        return None
    today = local_date(now, tz)
    for offset in range(horizon_days + 1):
        for start, end in occurrences_on(plans, today + timedelta(days=offset), tz):
            if start > now and (schedule is None or is_working_time(schedule, start)):
                return start, end
    return None
