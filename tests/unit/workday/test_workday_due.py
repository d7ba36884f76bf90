"""When a person next needs a look (``due.next_due``): pure rules, and never later than
the first minute a look every minute would have done something."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st
from workday_testing import berlin

from homeoffice_bot.kernel.ids import RoomID, UserID
from homeoffice_bot.workday.arbzg import ReminderId, WorkEvent, WorkEventKind, assess
from homeoffice_bot.workday.boundary import auto_off_at
from homeoffice_bot.workday.breaks import planned_break_at
from homeoffice_bot.workday.due import (
    PLANNED_BREAK_LATE,
    DueFacts,
    DueRules,
    ceil_minute,
    current_day,
    next_due,
    plan_key,
)
from homeoffice_bot.workday.hours import LeavePeriod, WorkingHours, end_of_today
from homeoffice_bot.workday.profiles import Directory, Profile
from homeoffice_bot.workday.settings import WorkdaySettings
from homeoffice_bot.workday.states import PersonStatus, PresenceState, start_work, take_break
from homeoffice_bot.workday.store import PersonRow, WorkdayStore

ANNA = UserID("@anna:example.org")
SETTINGS = WorkdaySettings()
RULES = DueRules(SETTINGS.day_end_lead, SETTINGS.auto_off_grace, SETTINGS.arbzg_lead)
TUESDAY = (2024, 3, 12)


def profile(
    *, plan: str | None = None, arbzg: bool = True, hours: str | None = None, **extra: object
) -> Profile:
    directory = Directory(WorkdayStore(None), SETTINGS, "Europe/Berlin", "DE-NW")  # type: ignore[arg-type]
    row = PersonRow(ANNA, hours=hours, break_plan=plan, arbzg=arbzg, home_room=RoomID("!t:x"))
    return replace(directory.build(row, None, ANNA), **extra)  # type: ignore[arg-type]


def at(hour: int, minute: int = 0, second: int = 0) -> datetime:
    return berlin(*TUESDAY, hour, minute) + timedelta(seconds=second)


def working_since(start: datetime, who: Profile) -> DueFacts:
    return DueFacts(who, start_work(ANNA, start), (WorkEvent(start, WorkEventKind.START),))


def test_a_planned_break_comes_first_then_the_working_time_note_then_the_day_end() -> None:
    anna = profile(plan="täglich 12:00-12:30")
    facts = working_since(at(8), anna)
    assert next_due(facts, at(8), RULES) == at(12)
    assert next_due(replace(facts, profile=profile()), at(8), RULES) == at(13, 45)
    assert next_due(replace(facts, profile=profile(arbzg=False)), at(8), RULES) == at(16, 15)
    sent = {"2024-03-12": frozenset({ReminderId.BREAK6.value})}
    assert next_due(replace(facts, profile=profile(), sent=sent), at(14), RULES) == at(16, 15)


def test_a_planned_break_going_on_and_not_yet_reminded_is_due_now() -> None:
    anna = profile(plan="täglich 12:00-12:30")
    facts = working_since(at(8), anna)
    assert next_due(facts, at(12, 5), RULES) == at(12, 5)
    sent = {"2024-03-12": frozenset({plan_key(at(12), anna.tz)})}
    assert next_due(replace(facts, sent=sent), at(12, 5), RULES) == at(13, 45)
    late = at(12) + PLANNED_BREAK_LATE + timedelta(minutes=1)
    assert next_due(facts, late, RULES) == at(13, 45)  # too late for it: skipped


def test_the_end_of_a_break_keeps_its_second_and_other_moments_are_whole_minutes() -> None:
    anna = profile(arbzg=False)
    brk = take_break(ANNA, at(10), at(10, 15, 23))
    assert next_due(DueFacts(anna, brk), at(10), RULES) == at(10, 15, 23)
    active = profile(arbzg=False, last_active=at(16, 40, 7))
    sent = {"2024-03-12": frozenset({"dayend"})}
    facts = DueFacts(active, start_work(ANNA, at(8)), sent=sent)
    assert next_due(facts, at(16, 41), RULES) == at(17, 41)  # 17:40:07 rounded up


def test_after_the_day_is_done_the_next_look_is_at_midnight() -> None:
    anna = profile(arbzg=False)
    sent = {"2024-03-12": frozenset({"dayend", "autooff"})}
    facts = DueFacts(anna, start_work(ANNA, at(19)), sent=sent)
    assert next_due(facts, at(19, 5), RULES) == berlin(2024, 3, 13)


def test_without_a_status_the_start_and_end_of_working_hours_are_due() -> None:
    anna = profile()
    assert next_due(DueFacts(anna, None), at(7), RULES) == at(8)
    assert next_due(DueFacts(anna, None), at(9), RULES) == at(16, 30)
    assert next_due(DueFacts(anna, None), at(17), RULES) == berlin(2024, 3, 13, 8)
    nothing = replace(anna, schedule=replace(anna.schedule, hours=WorkingHours.from_mapping({})))
    assert next_due(DueFacts(nothing, None), at(9), RULES) is None


def test_leave_ahead_shows_from_midnight_and_mentions_when_back_at_work() -> None:
    leave = (LeavePeriod(berlin(2024, 3, 13).date(), berlin(2024, 3, 14).date(), None),)
    anna = profile()
    on_leave = replace(anna, schedule=replace(anna.schedule, leave=leave))
    assert next_due(DueFacts(on_leave, None), at(17), RULES) == berlin(2024, 3, 13)
    off = PersonStatus(ANNA, PresenceState.OFF, at(17), berlin(2024, 3, 13, 8))
    assert next_due(DueFacts(anna, off, has_mentions=True), at(17), RULES) == berlin(2024, 3, 13, 8)


def test_ceil_minute() -> None:
    assert ceil_minute(at(10)) == at(10)
    assert ceil_minute(at(10, 0, 1)) == at(10, 1)


# --- never later than a look every minute -------------------------------------------


def claims(facts: DueFacts, now: datetime) -> set[tuple[str, str]]:
    """What a look at ``now`` would claim as (day, reminder), by the per-minute rules of
    ``Jobs`` (the status is left as it is: the person carries on working)."""
    who, status = facts.profile, facts.status
    assert status is not None
    sent = facts.sent or {}
    today = now.astimezone(ZoneInfo(who.tz)).date().isoformat()
    found: set[tuple[str, str]] = set()
    off = auto_off_at(who.schedule, status, now, who.last_active, RULES.auto_off_grace)
    if off is not None and "autooff" not in sent.get(today, set()):
        return {(today, "autooff")}
    occurrence = planned_break_at(who.plans, who.tz, now, who.schedule)
    if occurrence is not None and now - occurrence[0] <= PLANNED_BREAK_LATE:
        key = plan_key(occurrence[0], who.tz)
        if key not in sent.get(today, set()):
            found.add((today, key))
    end = end_of_today(who.schedule, now)
    in_window = end is not None and end - RULES.day_end_lead <= now < end
    if in_window and "dayend" not in sent.get(today, set()):
        found.add((today, "dayend"))
    day = current_day(facts.events, who.tz)
    if who.arbzg and day is not None:
        result = assess(
            facts.events,
            now,
            who.tz,
            already_sent=sent.get(day, set()),
            lead=RULES.arbzg_lead,
            planned_end=end,
        )
        found |= {(day, r.value) for r in result.settled - {ReminderId.REST11}}
    return found


@settings(max_examples=40, deadline=None)
@given(
    start=st.integers(min_value=5 * 60, max_value=14 * 60),
    plan_start=st.integers(min_value=9 * 60, max_value=15 * 60),
    arbzg=st.booleans(),
    active_after=st.integers(min_value=0, max_value=10 * 60),
)
def test_looking_at_the_due_times_misses_nothing_a_look_every_minute_would_do(
    start: int, plan_start: int, arbzg: bool, active_after: int
) -> None:
    begin = at(0) + timedelta(minutes=start)
    plan_text = f"täglich {_hm(plan_start)}-{_hm(plan_start + 20)}"
    who = profile(plan=plan_text, arbzg=arbzg, last_active=begin + timedelta(minutes=active_after))
    facts = working_since(begin, who)
    sent: dict[str, set[str]] = {}
    now, looks = begin, 0
    while looks < 12:
        facts = replace(facts, sent={day: frozenset(ids) for day, ids in sent.items()})
        due = next_due(facts, now, RULES)
        minutes = (now + timedelta(minutes=m) for m in range(20 * 60))
        first = next((minute for minute in minutes if claims(facts, minute)), None)
        if first is None:
            break
        assert due is not None
        assert now <= due <= first
        done = claims(facts, first)
        for day, reminder in done:
            sent.setdefault(day, set()).add(reminder)
        if any(reminder == "autooff" for _, reminder in done):
            break  # off for the day
        now, looks = first, looks + 1
    assert looks >= 1  # at least the end-of-day reminder


def _hm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"
