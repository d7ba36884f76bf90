"""Who is working, on a break, away, off, on leave or absent — and until when.

A person has at most one *explicit* status, set by their own command. Every status may
carry an end (``until``) and expires by itself; when no explicit status is in effect the
state is *derived* from the person's schedule: leave day → leave, inside working hours
→ working, otherwise → off.

Privacy: ``absent`` keeps no reason at all (never store illness); an away note is
private unless the person shares it (``PersonStatus.shared_note``).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from homeoffice_bot.kernel.ids import UserID
from homeoffice_bot.kernel.localtime import as_utc, end_of_day, local_date, start_of_day
from homeoffice_bot.workday.hours import (
    WorkSchedule,
    is_working_time,
    leave_on,
    next_workday_start,
)


class PresenceState(enum.StrEnum):
    WORKING = "working"
    BREAK = "break"
    AWAY = "away"
    OFF = "off"
    LEAVE = "leave"
    ABSENT = "absent"


DAY_BOUND = frozenset({PresenceState.WORKING, PresenceState.BREAK, PresenceState.AWAY})
"""States that end with their local day when they have no end of their own."""
NOT_AT_WORK = frozenset({PresenceState.OFF, PresenceState.LEAVE, PresenceState.ABSENT})


@dataclass(frozen=True)
class PersonStatus:
    """One explicit status as the person set it. Instants are UTC."""

    user: UserID
    state: PresenceState
    since: datetime
    until: datetime | None = None
    note: str | None = None
    """Away only; private unless ``note_shared``."""
    note_shared: bool = False
    stand_in: UserID | None = None
    leave_from: date | None = None
    leave_to: date | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "since", as_utc(self.since))
        if self.until is not None:
            object.__setattr__(self, "until", as_utc(self.until))
            if self.until <= self.since:
                raise ValueError("a status must end after it begins")
        if self.state is PresenceState.ABSENT and self.note is not None:
            raise ValueError("absent keeps no reason")

    @property
    def shared_note(self) -> str | None:
        return self.note if self.note_shared else None


# --- constructors: one per command ----------------------------------------------------


def start_work(user: UserID, now: datetime) -> PersonStatus:
    """``!moin`` / ``!start`` / ``!zurück``."""
    return PersonStatus(user, PresenceState.WORKING, now)


def take_break(user: UserID, now: datetime, until: datetime | None) -> PersonStatus:
    """``!pause 15m`` / ``!pause bis 12:30``."""
    return PersonStatus(user, PresenceState.BREAK, now, until)


def step_away(
    user: UserID,
    now: datetime,
    until: datetime | None,
    note: str | None = None,
    note_shared: bool = False,
) -> PersonStatus:
    """``!weg bis 14:00 [Grund]``: the reason stays private unless shared."""
    return PersonStatus(user, PresenceState.AWAY, now, until, note or None, note_shared)


def finish_day(user: UserID, now: datetime, schedule: WorkSchedule) -> PersonStatus:
    """``!feierabend`` / ``!off``: off until the next working day begins."""
    return PersonStatus(user, PresenceState.OFF, now, next_workday_start(schedule, now))


def go_on_leave(
    user: UserID,
    now: datetime,
    first_day: date,
    last_day: date,
    stand_in: UserID | None,
    tz: str,
) -> PersonStatus:
    """A leave status from the later of ``now`` and the first day, to the end of the last.

    Store the leave itself as a ``LeavePeriod`` (it feeds the schedule); store this status
    as the current one only when ``since <= now`` (leave starting today).
    """
    since = max(as_utc(now), start_of_day(first_day, tz))
    return PersonStatus(
        user,
        PresenceState.LEAVE,
        since,
        end_of_day(last_day, tz),
        stand_in=stand_in,
        leave_from=first_day,
        leave_to=last_day,
    )


def mark_absent(user: UserID, now: datetime, tz: str) -> PersonStatus:
    """Absent for the rest of the local day. No reason is taken or kept."""
    return PersonStatus(user, PresenceState.ABSENT, now, end_of_day(local_date(now, tz), tz))


# --- resolution -----------------------------------------------------------------------


def expires_at(status: PersonStatus, tz: str | None = None) -> datetime | None:
    """When ``status`` stops being in effect.

    ``until`` when set; with a time zone, working/break/away without an end last until
    the end of their local day (so a forgotten ``!moin`` does not stay forever).
    """
    if status.until is not None:
        return status.until
    if tz is not None and status.state in DAY_BOUND:
        return end_of_day(local_date(status.since, tz), tz)
    return None


def is_in_effect(status: PersonStatus, now: datetime, tz: str | None = None) -> bool:
    now = as_utc(now)
    end = expires_at(status, tz)
    return status.since <= now and (end is None or now < end)


@dataclass(frozen=True)
class Presence:
    """A person's state at an instant, ready for the board, notes and decisions."""

    state: PresenceState
    explicit: bool
    """Set by the person's own command (``False``: derived from the schedule)."""
    until: datetime | None = None
    stand_in: UserID | None = None
    shared_note: str | None = None
    leave_to: date | None = None


def resolve_presence(
    status: PersonStatus | None, now: datetime, schedule: WorkSchedule | None = None
) -> Presence:
    """The state in effect at ``now``: the explicit status, or derived from ``schedule``.

    Without a schedule, an expired status becomes ``working`` (a break or absence is
    over) and no status at all means ``off``.
    """
    tz = schedule.tz if schedule is not None else None
    if status is not None and is_in_effect(status, now, tz):
        return Presence(
            status.state,
            explicit=True,
            until=status.until,
            stand_in=status.stand_in,
            shared_note=status.shared_note,
            leave_to=status.leave_to,
        )
    if schedule is None:
        expired = status is not None and as_utc(now) >= status.since
        return Presence(PresenceState.WORKING if expired else PresenceState.OFF, False)
    today = local_date(now, schedule.tz)
    leave = leave_on(schedule, today)
    if leave is not None:
        return Presence(
            PresenceState.LEAVE,
            explicit=False,
            until=end_of_day(leave.last_day, schedule.tz),
            stand_in=leave.stand_in,
            leave_to=leave.last_day,
        )
    if is_working_time(schedule, now):
        return Presence(PresenceState.WORKING, explicit=False)
    return Presence(PresenceState.OFF, explicit=False)


def effective_status(
    status: PersonStatus | None, now: datetime, schedule: WorkSchedule | None = None
) -> PresenceState:
    """Just the state of ``resolve_presence``."""
    return resolve_presence(status, now, schedule).state


def remaining(status: PersonStatus, now: datetime) -> timedelta | None:
    """Time left until ``status.until`` (never negative), ``None`` when open-ended."""
    if status.until is None:
        return None
    return max(status.until - as_utc(now), timedelta())
