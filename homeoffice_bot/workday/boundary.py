"""End-of-day boundaries: when the bot holds its messages and when it answers for someone.

* The bot sends its own pings and DMs only to a person who is working: not off, on
  leave, absent, on a break or away, and not outside working hours (weekend, public
  holiday). ``should_hold`` says so and ``deliver_at`` says when to deliver instead. A
  person who says they are working (``!moin`` after hours) is reachable.
* When a colleague mentions someone who is off, on leave or absent, the bot answers
  once per sender and off-period (``off_note_needed`` with ``Reachability.period_key``).
* A moderator-defined urgent keyword lets a mention through (``is_urgent``).
"""

from __future__ import annotations

import re
from collections.abc import Set
from dataclasses import dataclass
from datetime import datetime, timedelta

from homeoffice_bot.kernel.escaping import escape_line as escape_markdown
from homeoffice_bot.kernel.ids import UserID
from homeoffice_bot.kernel.localtime import as_utc
from homeoffice_bot.workday.hours import (
    WorkSchedule,
    available_from,
    end_of_today,
    next_workday_end,
    next_workday_start,
)
from homeoffice_bot.workday.states import (
    DAY_BOUND,
    NOT_AT_WORK,
    PersonStatus,
    PresenceState,
    expires_at,
    resolve_presence,
)
from homeoffice_bot.workday.texts import Translate, format_time, format_when


def should_hold(schedule: WorkSchedule, now: datetime, status: PersonStatus | None = None) -> bool:
    """Hold the bot's own message for this person? Yes unless they are working: their own
    ``!moin`` (even after hours) or inside working hours without another status."""
    return resolve_presence(status, now, schedule).state is not PresenceState.WORKING


def is_available(schedule: WorkSchedule, at: datetime, status: PersonStatus | None) -> bool:
    """For other components: may P be pinged at ``at``? (``status``: P's current one.)"""
    return not should_hold(schedule, at, status)


def deliver_at(
    schedule: WorkSchedule, now: datetime, status: PersonStatus | None = None
) -> datetime | None:
    """When a message for this person may go out: ``now`` if they are working, else when
    their current status ends and they are at work again (a break's end, or the start of
    their next working time). ``None``: no working time ahead (no working hours at all).

    A held message should also go out as soon as the person says they are working again.
    """
    at = as_utc(now)
    for _ in range(6):
        presence = resolve_presence(status, at, schedule)
        if presence.state is PresenceState.WORKING:
            return at
        if presence.explicit and status is not None:
            end = expires_at(status, schedule.tz)
            later = next_workday_start(schedule, at) if end is None else max(at, end)
        else:
            later = available_from(schedule, at)
        if later is None:
            return None
        at = later
    return at


@dataclass(frozen=True)
class Reachability:
    """Whether a person is at work and, if not, when they are back and who stands in."""

    available: bool
    state: PresenceState
    back_at: datetime | None
    """When the person is back at work (``None`` while available, or never)."""
    stand_in: UserID | None
    period_key: str
    """Identifies the off-period: the same until the person is back."""

    @property
    def off_duty(self) -> bool:
        """Off, on leave or absent (not just on a break or briefly away)."""
        return not self.available and self.state in NOT_AT_WORK


def off_period_key(back_at: datetime | None) -> str:
    """An off-period is identified by when it ends."""
    return "back:never" if back_at is None else f"back:{as_utc(back_at):%Y-%m-%dT%H:%MZ}"


def reachability(
    schedule: WorkSchedule, now: datetime, status: PersonStatus | None = None
) -> Reachability:
    presence = resolve_presence(status, now, schedule)
    if presence.state is PresenceState.WORKING:
        return Reachability(True, presence.state, None, None, "available")
    back_at = deliver_at(schedule, now, status)
    return Reachability(False, presence.state, back_at, presence.stand_in, off_period_key(back_at))


def off_note_needed(
    already_noted: Set[tuple[UserID, str]],
    sender: UserID,
    recipient: UserID,
    recipient_reachability: Reachability,
) -> bool:
    """Answer a mention for a person who is off, on leave or absent (not on a break or
    briefly away): once per sender and off-period, never for someone mentioning
    themselves. Record ``(sender, period_key)`` after answering."""
    return (
        recipient_reachability.off_duty
        and sender != recipient
        and (sender, recipient_reachability.period_key) not in already_noted
    )


def is_urgent(text: str, keyword: str | None) -> bool:
    """``keyword`` appears in ``text`` as a whole word, ignoring case (``#dringend`` too)."""
    if not keyword or not keyword.strip():
        return False
    pattern = rf"(?<!\w){re.escape(keyword.strip())}(?!\w)"
    return re.search(pattern, text, re.IGNORECASE) is not None


def render_off_note(
    name: str,
    info: Reachability,
    now: datetime,
    tz: str,
    tr: Translate,
    stand_in_name: str | None = None,
) -> str:
    """``X ist gerade außer Dienst und ab Mo um 08:00 Uhr wieder da. Vertretung: Y`` (Markdown).

    ``tz`` is the zone the reader sees times in (the room's or the sender's).
    """
    who = escape_markdown(name)
    prefix = "off_note.leave" if info.state is PresenceState.LEAVE else "off_note.off"
    if info.back_at is None:
        text = tr(f"{prefix}_open", name=who)
    else:
        text = tr(f"{prefix}_back", name=who, when=format_when(info.back_at, now, tz, tr))
    if stand_in_name:
        text += " " + tr("off_note.stand_in", name=escape_markdown(stand_in_name))
    return text + " " + tr("off_note.digest", name=who)


# --- end of the working day -----------------------------------------------------------

DEFAULT_DAY_END_LEAD = timedelta(minutes=15)
DEFAULT_AUTO_OFF_GRACE = timedelta(minutes=30)


def day_end_reminder_at(
    schedule: WorkSchedule, now: datetime, lead: timedelta = DEFAULT_DAY_END_LEAD
) -> datetime | None:
    """When the next end-of-day reminder is due: ``lead`` before the next end of a working
    day (the one after ``now`` whose reminder time has not passed yet)."""
    now = as_utc(now)
    probe = now
    for _ in range(3):
        end = next_workday_end(schedule, probe)
        if end is None:
            return None
        if end - lead >= now:
            return end - lead
        probe = end
    return None


def auto_off_at(
    schedule: WorkSchedule,
    status: PersonStatus | None,
    now: datetime,
    last_activity: datetime | None = None,
    grace: timedelta = DEFAULT_AUTO_OFF_GRACE,
) -> datetime | None:
    """The instant to record as the end of the day if the person should be set to off now.

    Due when the person's own working/break/away status is still in effect ``grace``
    after today's working hours ended and they have not been active for ``grace``.
    The end is recorded at the later of the working-hours end and the last activity.
    """
    now = as_utc(now)
    end = end_of_today(schedule, now)
    presence = resolve_presence(status, now, schedule)
    if end is None or not presence.explicit or presence.state not in DAY_BOUND:
        return None
    if now < end + grace:
        return None
    if last_activity is not None and now - as_utc(last_activity) < grace:
        return None
    return max(end, as_utc(last_activity)) if last_activity is not None else end


def render_day_end_reminder(end: datetime, tz: str, tr: Translate, ask_wrapup: bool) -> str:
    """The private end-of-day reminder, optionally with the wrap-up question."""
    text = tr("endofday.reminder", time=format_time(end, tz))
    return f"{text}\n\n{tr('wrapup.question')}" if ask_wrapup else text
