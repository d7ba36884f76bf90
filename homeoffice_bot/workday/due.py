"""When a person next needs a look: the earliest moment something about them may change.

The workday does not visit everyone every minute. After anything about a person changes
(a command, a firing, a mention collected while they are off) ``next_due`` says when
the next look is due, from the same rules the look applies (``Jobs.look``):

* their explicit status ends (a break, an absence, "off until tomorrow 08:00");
* while they said they are working (or on a break or away): the end-of-day reminder,
  switching to off a grace time after their hours, the next local midnight (a new day
  brings new reminders); while working also the next planned break and the next
  working-time (ArbZG) note;
* without an explicit status: the next start or end of their working hours and, with
  leave ahead, the next local midnight (the boards show the derived state);
* collected mentions: when they are at work again (the digest).

A moment that is already due is returned as ``now``; the caller looks at once. Only a
status's own end keeps its second; everything else is rounded up to the whole minute,
so that many people share few wake-ups.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence, Set
from dataclasses import dataclass
from datetime import datetime, timedelta

from homeoffice_bot.kernel.localtime import as_utc, end_of_day, local_date
from homeoffice_bot.workday.arbzg import ReminderId, WorkEvent, assess, split_workdays
from homeoffice_bot.workday.boundary import deliver_at
from homeoffice_bot.workday.breaks import occurrences_on, planned_break_at
from homeoffice_bot.workday.hours import end_of_today, is_working_time, iter_windows
from homeoffice_bot.workday.profiles import Profile
from homeoffice_bot.workday.states import (
    DAY_BOUND,
    PersonStatus,
    PresenceState,
    expires_at,
    resolve_presence,
)
from homeoffice_bot.workday.texts import format_time

PLANNED_BREAK_LATE = timedelta(minutes=10)
"""A planned break noticed later than this after its start is skipped."""
ARBZG_HISTORY = timedelta(hours=40)
"""Work events looked at for the ArbZG notes: today and the previous working day."""


@dataclass(frozen=True)
class DueRules:
    """The bot's settings the rules depend on."""

    day_end_lead: timedelta
    auto_off_grace: timedelta
    arbzg_lead: timedelta


@dataclass(frozen=True)
class DueFacts:
    """What is known about a person at an instant (read by ``Jobs``)."""

    profile: Profile
    status: PersonStatus | None
    """The explicit status to go by (``profiles.effective_status``)."""
    events: Sequence[WorkEvent] = ()
    """Work events since ``now - ARBZG_HISTORY`` (needed while working with ArbZG notes)."""
    sent: Mapping[str, Set[str]] | None = None
    """Reminders already sent, per day key (``needed_days``)."""
    has_mentions: bool = False


def plan_key(start: datetime, tz: str) -> str:
    """The reminder id of a planned break (claimed per local day)."""
    return f"plan@{format_time(start, tz)}"


def current_day(events: Sequence[WorkEvent], tz: str) -> str | None:
    """The current working day's key (local date of its first start; None: not begun),
    the same as ``Assessment.day_key``."""
    days = split_workdays(events, tz)
    return local_date(days[-1][0].at, tz).isoformat() if days else None


def needed_days(profile: Profile, events: Sequence[WorkEvent], now: datetime) -> set[str]:
    """The day keys whose sent reminders ``next_due`` looks at."""
    days = {local_date(now, profile.tz).isoformat()}
    arbzg_day = current_day(events, profile.tz)
    if arbzg_day is not None:
        days.add(arbzg_day)
    return days


def ceil_minute(instant: datetime) -> datetime:
    floor = instant.replace(second=0, microsecond=0)
    return floor if floor == instant else floor + timedelta(minutes=1)


def next_due(facts: DueFacts, now: datetime, rules: DueRules) -> datetime | None:
    """The earliest moment the person needs a look (``now`` if one is due already;
    ``None``: nothing ahead until something about them changes)."""
    now = as_utc(now)
    profile, status = facts.profile, facts.status
    schedule, tz = profile.schedule, profile.tz
    sent = facts.sent or {}
    today = local_date(now, tz).isoformat()
    sent_today = sent.get(today, frozenset())
    exact: list[datetime] = []
    minute: list[datetime] = []
    if status is not None:
        end = expires_at(status, tz)
        if end is not None:
            exact.append(max(end, now))
    if schedule.leave:
        minute.append(end_of_day(local_date(now, tz), tz))  # a leave day shows from midnight
    if facts.has_mentions:
        back = deliver_at(schedule, now, status)
        if back is not None:
            minute.append(back)
    presence = resolve_presence(status, now, schedule)
    if not presence.explicit:
        minute.extend(_hours_change(profile, now))
    elif presence.state in DAY_BOUND:
        minute.append(end_of_day(local_date(now, tz), tz))
        minute.extend(_day_end(profile, sent_today, now, rules))
        if presence.state is PresenceState.WORKING:
            minute.extend(_planned_break(profile, sent, now))
            if profile.arbzg:
                minute.extend(_arbzg(facts, now, rules))
    candidates = exact + [max(ceil_minute(at), now) for at in minute]
    return min(candidates, default=None)


def _hours_change(profile: Profile, now: datetime) -> list[datetime]:
    """The next start or end of working hours (the derived state changes)."""
    for start, end in iter_windows(profile.schedule, now):
        return [start if start > now else end]
    return []


def _day_end(
    profile: Profile, sent_today: Set[str], now: datetime, rules: DueRules
) -> list[datetime]:
    end = end_of_today(profile.schedule, now)
    if end is None:
        return []
    due: list[datetime] = []
    if "autooff" not in sent_today:
        at = end + rules.auto_off_grace
        if profile.last_active is not None:
            at = max(at, as_utc(profile.last_active) + rules.auto_off_grace)
        due.append(at)
    lead = rules.day_end_lead
    wanted = profile.reminders.dayend
    if wanted and lead > timedelta() and "dayend" not in sent_today and now < end:
        due.append(max(end - lead, now))
    return due


def _planned_break(profile: Profile, sent: Mapping[str, Set[str]], now: datetime) -> list[datetime]:
    tz, schedule = profile.tz, profile.schedule
    due: list[datetime] = []
    going_on = planned_break_at(profile.plans, tz, now, schedule)
    if going_on is not None and now - going_on[0] <= PLANNED_BREAK_LATE:
        day = local_date(going_on[0], tz).isoformat()
        if plan_key(going_on[0], tz) not in sent.get(day, frozenset()):
            due.append(now)
    for start, _ in occurrences_on(profile.plans, local_date(now, tz), tz):
        if start > now and is_working_time(schedule, start):
            due.append(start)  # later days: looked at again at midnight
            break
    return due


def _arbzg(facts: DueFacts, now: datetime, rules: DueRules) -> list[datetime]:
    profile = facts.profile
    day = current_day(facts.events, profile.tz)
    if day is None:
        return []
    result = assess(
        facts.events,
        now,
        profile.tz,
        already_sent=(facts.sent or {}).get(day, frozenset()),
        lead=rules.arbzg_lead,
        planned_end=end_of_today(profile.schedule, now),
    )
    due = [result.next_check] if result.next_check is not None else []
    if any(reminder.id is not ReminderId.REST11 for reminder in result.due):
        due.append(now)
    return due
