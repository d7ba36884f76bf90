"""German Working Hours Act (ArbZG) as friendly reminders, from a person's own events.

Only the person's own start/break/end events are used; nothing here judges anyone.

* more than 6 hours of work need 30 minutes of breaks in total, more than 9 hours 45
  minutes (§ 4); only breaks of at least 15 minutes count;
* only a break (``!pause``, a planned break, the gap after an end of work on the same
  day) is a rest break. Time away (``!weg``: an appointment, childcare) is neither a
  break nor working time: it adds to neither sum and ends a break that runs into it;
* a working day should stay at or below 10 hours (§ 3);
* 11 hours of rest between the end of one working day and the start of the next (§ 5).

``assess`` tells, at an instant, which reminders are due (each at most once per working
day: the caller records the ids in ``Assessment.settled``) and when to look again.
All arithmetic is on UTC instants, so a day across a DST switch counts real time.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from homeoffice_bot.kernel.localtime import as_utc, local_date
from homeoffice_bot.workday.states import PersonStatus, PresenceState
from homeoffice_bot.workday.texts import Translate, format_minutes, format_time

MIN_COUNTED_BREAK = timedelta(minutes=15)
MIN_REST = timedelta(hours=11)
DEFAULT_LEAD = timedelta(minutes=15)


class WorkEventKind(enum.StrEnum):
    START = "start"
    """Begin or resume work (``!moin``, ``!zurück``, the end of a break)."""
    BREAK = "break"
    """A rest break (``!pause``, a planned break)."""
    AWAY = "away"
    """Not reachable for a while (``!weg``): not working, and no rest break either."""
    END = "end"
    """Stop for the day (``!feierabend``, leave, absent)."""


@dataclass(frozen=True, order=True)
class WorkEvent:
    at: datetime
    kind: WorkEventKind

    def __post_init__(self) -> None:
        object.__setattr__(self, "at", as_utc(self.at))


class ReminderId(enum.StrEnum):
    BREAK6 = "break6"
    BREAK9 = "break9"
    MAX10 = "max10"
    REST11 = "rest11"


@dataclass(frozen=True)
class _Limit:
    id: ReminderId
    work: timedelta
    required_break: timedelta | None


LIMITS: tuple[_Limit, ...] = (
    _Limit(ReminderId.BREAK6, timedelta(hours=6), timedelta(minutes=30)),
    _Limit(ReminderId.BREAK9, timedelta(hours=9), timedelta(minutes=45)),
    _Limit(ReminderId.MAX10, timedelta(hours=10), None),
)


@dataclass(frozen=True)
class Tally:
    """What one working day adds up to at an instant."""

    worked: timedelta
    counted_break: timedelta
    """Sum of rest stretches of at least 15 minutes (breaks, a gap after an end); time
    away is not among them."""
    first_start: datetime | None
    stopped_at: datetime | None
    """When work last stopped (break, away or end), if not working at the instant."""
    working: bool
    """Working at the instant (not on a break, not ended)."""


@dataclass(frozen=True)
class Reminder:
    id: ReminderId
    at: datetime
    """break6/break9/max10: when the limit is reached if work goes on;
    rest11: when 11 hours of rest are complete."""
    worked: timedelta
    counted_break: timedelta


@dataclass(frozen=True)
class Assessment:
    tally: Tally
    due: tuple[Reminder, ...]
    """Send these now (at most one limit reminder, plus possibly ``rest11``)."""
    settled: frozenset[ReminderId]
    """Record these as sent: ``due`` plus lower limits that a later one made moot."""
    next_check: datetime | None
    """When a reminder may become due if nothing changes (``None``: on the next event)."""
    day_key: str | None = None
    """The current working day (local date of its first start, ISO): scope for
    ``already_sent`` — record ``(person, day_key, reminder id)``."""


def events_from_statuses(statuses: Iterable[PersonStatus], now: datetime) -> list[WorkEvent]:
    """Turn a person's status history into work events.

    A break or away with an end that passed before the next status implies a return to
    work at that end ("states expire by themselves").
    """
    now = as_utc(now)
    ordered = sorted(statuses, key=lambda s: s.since)
    events: list[WorkEvent] = []
    for index, status in enumerate(ordered):
        following = ordered[index + 1].since if index + 1 < len(ordered) else None
        if status.state is PresenceState.WORKING:
            events.append(WorkEvent(status.since, WorkEventKind.START))
        elif status.state in (PresenceState.BREAK, PresenceState.AWAY):
            kind = WorkEventKind.AWAY if status.state is PresenceState.AWAY else WorkEventKind.BREAK
            events.append(WorkEvent(status.since, kind))
            end = status.until
            if end is not None and end <= now and (following is None or end < following):
                events.append(WorkEvent(end, WorkEventKind.START))
        else:
            events.append(WorkEvent(status.since, WorkEventKind.END))
    return events


def split_workdays(events: Iterable[WorkEvent], tz: str) -> list[list[WorkEvent]]:
    """Group events into working days.

    A new working day begins with a start after a stop (end or break) on an earlier
    local date; a start after a stop on the same date continues the day (the gap counts
    as a break). Events before the first start are dropped.
    """
    days: list[list[WorkEvent]] = []
    stopped_on = None
    for event in sorted(events):
        starts_day = event.kind is WorkEventKind.START and (
            not days or (stopped_on is not None and local_date(event.at, tz) != stopped_on)
        )
        if starts_day:
            days.append([])
        if not days:
            continue
        days[-1].append(event)
        if event.kind is WorkEventKind.START:
            stopped_on = None
        elif stopped_on is None:
            stopped_on = local_date(event.at, tz)
    return days


def tally(events: Sequence[WorkEvent], now: datetime) -> Tally:
    """Worked time and counted breaks of one working day's events up to ``now``.

    A rest stretch runs from a break or an end until work resumes or the person steps
    away; it counts when it lasts at least 15 minutes. Time away counts for nothing."""
    now = as_utc(now)
    worked = counted = timedelta()
    first_start: datetime | None = None
    working_since: datetime | None = None
    stopped_at: datetime | None = None
    resting_since: datetime | None = None

    def close_rest(at: datetime) -> timedelta:
        if resting_since is None:
            return timedelta()
        stretch = at - resting_since
        return stretch if stretch >= MIN_COUNTED_BREAK else timedelta()

    for event in sorted(e for e in events if e.at <= now):
        if event.kind is WorkEventKind.START:
            if working_since is not None:
                continue
            counted += close_rest(event.at)
            first_start = first_start or event.at
            working_since, stopped_at, resting_since = event.at, None, None
            continue
        if working_since is not None:
            worked += event.at - working_since
            working_since, stopped_at = None, event.at
        if event.kind is WorkEventKind.AWAY:
            counted += close_rest(event.at)
            resting_since = None
        elif resting_since is None:
            resting_since = event.at
    if working_since is not None:
        worked += now - working_since
    return Tally(worked, counted, first_start, stopped_at, working_since is not None)


def _limit_status(
    limit: _Limit, day: Tally, now: datetime, lead: timedelta, planned_end: datetime | None
) -> tuple[bool, datetime | None]:
    """(due now, when to look again) for one limit while working."""
    if limit.required_break is not None and day.counted_break >= limit.required_break:
        return False, None
    if (
        planned_end is not None
        and now < planned_end
        and day.worked + (planned_end - now) <= limit.work
    ):
        return False, planned_end  # the day is planned to end in time
    threshold = limit.work - lead
    if day.worked >= threshold:
        return True, None
    return False, now + (threshold - day.worked)


def assess(
    events: Iterable[WorkEvent],
    now: datetime,
    tz: str,
    *,
    already_sent: Iterable[str] = (),
    lead: timedelta = DEFAULT_LEAD,
    planned_end: datetime | None = None,
) -> Assessment:
    """Which ArbZG reminders are due at ``now`` for the current working day.

    ``events`` should cover today and the previous working day (for the rest rule).
    ``already_sent``: reminder ids already recorded for the current working day.
    ``lead``: how long before a limit the reminder comes. ``planned_end``: the end of
    today's working hours; a day planned to end before a limit gets no reminder for it
    (until the person works past the planned end).
    """
    now = as_utc(now)
    sent_ids = set(already_sent)
    sent = {reminder for reminder in ReminderId if reminder.value in sent_ids}
    days = split_workdays((e for e in events if e.at <= now), tz)
    empty = Tally(timedelta(), timedelta(), None, None, working=False)
    if not days:
        return Assessment(empty, (), frozenset(), None)
    current = tally(days[-1], now)
    due: list[Reminder] = []
    settled: set[ReminderId] = set()

    if len(days) >= 2 and ReminderId.REST11 not in sent and current.first_start is not None:
        previous_end = tally(days[-2], now).stopped_at
        if previous_end is not None:
            rested_at = previous_end + MIN_REST
            if current.first_start < rested_at and now < rested_at:
                due.append(Reminder(ReminderId.REST11, rested_at, current.worked, timedelta()))
                settled.add(ReminderId.REST11)

    checks: list[datetime] = []
    if current.working:
        due_limits: list[_Limit] = []
        for limit in LIMITS:
            if limit.id in sent:
                continue
            is_due, look_again = _limit_status(limit, current, now, lead, planned_end)
            if is_due:
                due_limits.append(limit)
            elif look_again is not None:
                checks.append(look_again)
        if due_limits:
            top = due_limits[-1]
            reached = now + max(top.work - current.worked, timedelta())
            due.append(Reminder(top.id, reached, current.worked, current.counted_break))
            settled.update(limit.id for limit in due_limits)
    day_key = local_date(days[-1][0].at, tz).isoformat()
    return Assessment(current, tuple(due), frozenset(settled), min(checks, default=None), day_key)


def render_reminder(reminder: Reminder, tz: str, tr: Translate, with_footer: bool = True) -> str:
    """The private note for a due reminder, worded as help (Markdown)."""
    text = tr(
        f"arbzg.{reminder.id.value}",
        worked=format_minutes(reminder.worked, tr),
        breaks=format_minutes(reminder.counted_break, tr),
        time=format_time(reminder.at, tz),
    )
    return f"{text}\n\n{tr('arbzg.footer')}" if with_footer else text
