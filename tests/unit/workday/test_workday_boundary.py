from __future__ import annotations

from datetime import date, timedelta

import pytest
from workday_testing import BERLIN, Tr, berlin

from homeoffice_bot.kernel.ids import UserID
from homeoffice_bot.workday.boundary import (
    Reachability,
    auto_off_at,
    day_end_reminder_at,
    deliver_at,
    is_available,
    is_urgent,
    off_note_needed,
    off_period_key,
    reachability,
    render_day_end_reminder,
    render_off_note,
    should_hold,
)
from homeoffice_bot.workday.hours import LeavePeriod, WorkSchedule, parse_working_hours
from homeoffice_bot.workday.states import (
    PresenceState,
    finish_day,
    go_on_leave,
    mark_absent,
    start_work,
    step_away,
    take_break,
)

ALICE = UserID("@alice:example.org")
BEN = UserID("@ben:example.org")
CARLA = UserID("@carla:example.org")
PLAN = WorkSchedule(parse_working_hours("mo-do 08:00-16:30, fr 08:00-13:00"), BERLIN, "DE-NW")


def test_hold_outside_working_hours_weekend_and_holiday() -> None:
    assert not should_hold(PLAN, berlin(2024, 8, 12, 10))
    assert should_hold(PLAN, berlin(2024, 8, 12, 17))  # evening
    assert should_hold(PLAN, berlin(2024, 8, 17, 10))  # Saturday
    assert should_hold(PLAN, berlin(2024, 10, 3, 10))  # German Unity Day
    assert deliver_at(PLAN, berlin(2024, 8, 16, 14)) == berlin(2024, 8, 19, 8)  # Fri → Mon


def test_hold_while_off_absent_or_on_leave() -> None:
    now = berlin(2024, 8, 12, 14)
    off = finish_day(ALICE, now, PLAN)
    assert should_hold(PLAN, berlin(2024, 8, 12, 15), off)
    assert deliver_at(PLAN, berlin(2024, 8, 12, 15), off) == berlin(2024, 8, 13, 8)
    absent = mark_absent(ALICE, now, BERLIN)
    assert deliver_at(PLAN, now, absent) == berlin(2024, 8, 13, 8)
    leave_plan = WorkSchedule(
        PLAN.hours, BERLIN, "DE-NW", leave=(LeavePeriod(date(2024, 8, 12), date(2024, 8, 23)),)
    )
    leave = go_on_leave(ALICE, now, date(2024, 8, 12), date(2024, 8, 23), None, BERLIN)
    assert deliver_at(leave_plan, now, leave) == berlin(2024, 8, 26, 8)
    assert deliver_at(leave_plan, now, None) == berlin(2024, 8, 26, 8)


def test_someone_who_says_they_work_after_hours_is_reachable() -> None:
    status = start_work(ALICE, berlin(2024, 8, 17, 10))  # Saturday
    assert not should_hold(PLAN, berlin(2024, 8, 17, 11), status)
    assert deliver_at(PLAN, berlin(2024, 8, 17, 11), status) == berlin(2024, 8, 17, 11)


def test_a_break_after_hours_is_held_until_the_next_day() -> None:
    status = take_break(ALICE, berlin(2024, 8, 12, 16, 20), berlin(2024, 8, 12, 16, 50))
    assert should_hold(PLAN, berlin(2024, 8, 12, 16, 40), status)
    assert deliver_at(PLAN, berlin(2024, 8, 12, 16, 40), status) == berlin(2024, 8, 13, 8)


def test_a_break_inside_working_hours_holds_until_its_end() -> None:
    status = take_break(ALICE, berlin(2024, 8, 12, 12), berlin(2024, 8, 12, 12, 30))
    assert not is_available(PLAN, berlin(2024, 8, 12, 12, 10), status)
    assert deliver_at(PLAN, berlin(2024, 8, 12, 12, 10), status) == berlin(2024, 8, 12, 12, 30)
    assert is_available(PLAN, berlin(2024, 8, 12, 12, 30), status)
    info = reachability(PLAN, berlin(2024, 8, 12, 12, 10), status)
    assert not info.off_duty  # no off-note for someone on a short break
    assert not off_note_needed(set(), BEN, ALICE, info)


def test_away_without_an_end_holds_until_the_next_working_day() -> None:
    status = step_away(ALICE, berlin(2024, 8, 12, 10), None)
    assert deliver_at(PLAN, berlin(2024, 8, 12, 11), status) == berlin(2024, 8, 13, 8)


def test_a_planned_leave_status_is_respected_when_it_begins() -> None:
    # Leave stored only as a status (not in the schedule): still nothing during it.
    leave = go_on_leave(
        ALICE, berlin(2024, 8, 9, 10), date(2024, 8, 12), date(2024, 8, 16), None, BERLIN
    )
    assert deliver_at(PLAN, berlin(2024, 8, 9, 17), leave) == berlin(2024, 8, 19, 8)


def test_reachability_and_period_key() -> None:
    off = finish_day(ALICE, berlin(2024, 8, 16, 12, 30), PLAN)
    info = reachability(PLAN, berlin(2024, 8, 16, 14), off)
    assert info == Reachability(
        available=False,
        state=PresenceState.OFF,
        back_at=berlin(2024, 8, 19, 8),
        stand_in=None,
        period_key="back:2024-08-19T06:00Z",
    )
    # The derived evening off-period of the same weekend has the same key.
    assert reachability(PLAN, berlin(2024, 8, 17, 9)).period_key == info.period_key
    assert reachability(PLAN, berlin(2024, 8, 12, 10)).available
    assert off_period_key(None) == "back:never"


def test_off_note_once_per_sender_and_period() -> None:
    info = reachability(PLAN, berlin(2024, 8, 16, 14))
    noted: set[tuple[UserID, str]] = set()
    assert off_note_needed(noted, BEN, ALICE, info)
    noted.add((BEN, info.period_key))
    assert not off_note_needed(noted, BEN, ALICE, info)
    assert off_note_needed(noted, CARLA, ALICE, info)
    assert not off_note_needed(noted, ALICE, ALICE, info)  # mentioning oneself
    next_period = reachability(PLAN, berlin(2024, 8, 19, 18))
    assert off_note_needed(noted, BEN, ALICE, next_period)
    assert not off_note_needed(set(), BEN, ALICE, reachability(PLAN, berlin(2024, 8, 12, 10)))


@pytest.mark.parametrize(
    ("text", "keyword", "expected"),
    [
        ("Das ist DRINGEND, bitte melden", "dringend", True),
        ("dringend", "dringend", True),
        ("nicht dringender als sonst", "dringend", False),
        ("#dringend Server down", "#dringend", True),
        ("kein#dringend", "#dringend", False),
        ("urgent!", "urgent", True),
        ("anything", "", False),
        ("anything", None, False),
        ("dringend", "  ", False),
    ],
)
def test_is_urgent(text: str, keyword: str | None, expected: bool) -> None:
    assert is_urgent(text, keyword) is expected


def test_off_note_text_german_with_stand_in() -> None:
    leave_plan = WorkSchedule(
        PLAN.hours, BERLIN, "DE-NW", leave=(LeavePeriod(date(2024, 8, 12), date(2024, 8, 23), BEN),)
    )
    now = berlin(2024, 8, 14, 10)
    info = reachability(leave_plan, now)
    assert info.stand_in == BEN
    text = render_off_note("Alice *A*", info, now, BERLIN, Tr("de"), stand_in_name="Ben")
    assert text == (
        "Alice \\*A\\* ist im Urlaub und ab Mo, 26.08. um 08:00 Uhr wieder da. Vertretung: Ben. "
        "Ich gebe Alice \\*A\\* deine Nachricht beim nächsten Arbeitsbeginn weiter."
    )


def test_off_note_text_next_monday() -> None:
    now = berlin(2024, 8, 16, 14)  # Friday afternoon
    text = render_off_note("Alice", reachability(PLAN, now), now, BERLIN, Tr("de"), "Ben")
    assert text.startswith(
        "Alice ist gerade außer Dienst und ab Mo um 08:00 Uhr wieder da. Vertretung: Ben."
    )
    en = render_off_note("Alice", reachability(PLAN, now), now, BERLIN, Tr("en"))
    assert en.startswith("Alice is off right now and back on Mon at 08:00.")


def test_day_end_reminder_time() -> None:
    assert day_end_reminder_at(PLAN, berlin(2024, 8, 12, 9)) == berlin(2024, 8, 12, 16, 15)
    assert day_end_reminder_at(PLAN, berlin(2024, 8, 12, 16, 20)) == berlin(2024, 8, 13, 16, 15)
    assert day_end_reminder_at(PLAN, berlin(2024, 8, 16, 9), lead=timedelta(minutes=30)) == berlin(
        2024, 8, 16, 12, 30
    )
    text = render_day_end_reminder(berlin(2024, 8, 16, 13), BERLIN, Tr("de"), ask_wrapup=True)
    assert "13:00" in text
    assert "Was willst du dir für den nächsten Arbeitstag merken?" in text


def test_auto_off_after_grace_when_inactive() -> None:
    status = start_work(ALICE, berlin(2024, 8, 12, 8))
    end = berlin(2024, 8, 12, 16, 30)
    assert auto_off_at(PLAN, status, berlin(2024, 8, 12, 16, 59)) is None
    assert auto_off_at(PLAN, status, berlin(2024, 8, 12, 17, 0)) == end
    active = berlin(2024, 8, 12, 16, 45)
    assert auto_off_at(PLAN, status, berlin(2024, 8, 12, 17, 0), last_activity=active) is None
    assert auto_off_at(PLAN, status, berlin(2024, 8, 12, 17, 15), last_activity=active) == active
    assert auto_off_at(PLAN, None, berlin(2024, 8, 12, 18)) is None  # no own status
    off = finish_day(ALICE, berlin(2024, 8, 12, 16), PLAN)
    assert auto_off_at(PLAN, off, berlin(2024, 8, 12, 18)) is None
