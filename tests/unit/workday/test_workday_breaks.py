from __future__ import annotations

from datetime import date, time

import pytest
from workday_testing import BERLIN, Tr, berlin

from homeoffice_bot.kernel.errors import ParseError
from homeoffice_bot.workday.breaks import (
    BreakPlan,
    format_break_plans,
    next_planned_break,
    parse_break_plans,
    planned_break_at,
)
from homeoffice_bot.workday.dayspec import ALL_DAYS, WORKDAYS, TimeWindow
from homeoffice_bot.workday.hours import LeavePeriod, WorkSchedule, parse_working_hours

LUNCH = parse_break_plans("täglich 12:00-12:30")
PLAN = WorkSchedule(parse_working_hours("mo-fr 08:00-16:30"), BERLIN, "DE-NW")


def test_parse_break_plans() -> None:
    assert (BreakPlan(ALL_DAYS, TimeWindow(time(12), time(12, 30))),) == LUNCH
    assert parse_break_plans("mo-fr 10:00-10:15, 12:00-12:30") == (
        BreakPlan(WORKDAYS, TimeWindow(time(10), time(10, 15))),
        BreakPlan(WORKDAYS, TimeWindow(time(12), time(12, 30))),
    )
    assert parse_break_plans("12-12:30") == LUNCH  # no days: every day
    with pytest.raises(ParseError):
        parse_break_plans("mittags")


def test_format_break_plans() -> None:
    plans = parse_break_plans("mo-fr 10:00-10:15, 12:00-12:30")
    assert format_break_plans(plans, Tr("de")) == "Mo–Fr 10:00–10:15, 12:00–12:30"
    assert format_break_plans(LUNCH, Tr("en")) == "daily 12:00–12:30"
    assert format_break_plans((), Tr("de")) == "keine geplanten Pausen"
    assert parse_break_plans(format_break_plans(plans, Tr("en"))) == plans


def test_planned_break_at() -> None:
    assert planned_break_at(LUNCH, BERLIN, berlin(2024, 8, 12, 12, 10)) == (
        berlin(2024, 8, 12, 12),
        berlin(2024, 8, 12, 12, 30),
    )
    assert planned_break_at(LUNCH, BERLIN, berlin(2024, 8, 12, 12, 30)) is None
    assert planned_break_at(LUNCH, BERLIN, berlin(2024, 8, 17, 12, 10)) is not None  # Sat
    assert planned_break_at(LUNCH, BERLIN, berlin(2024, 8, 17, 12, 10), PLAN) is None


def test_next_planned_break_skips_days_off_with_a_schedule() -> None:
    assert next_planned_break(LUNCH, BERLIN, berlin(2024, 8, 12, 9)) == (
        berlin(2024, 8, 12, 12),
        berlin(2024, 8, 12, 12, 30),
    )
    friday_afternoon = berlin(2024, 8, 16, 13)
    assert next_planned_break(LUNCH, BERLIN, friday_afternoon)[0] == berlin(2024, 8, 17, 12)  # type: ignore[index]
    assert next_planned_break(LUNCH, BERLIN, friday_afternoon, PLAN) == (
        berlin(2024, 8, 19, 12),
        berlin(2024, 8, 19, 12, 30),
    )
    on_leave = WorkSchedule(
        PLAN.hours, BERLIN, "DE-NW", leave=(LeavePeriod(date(2024, 8, 19), date(2024, 8, 20)),)
    )
    assert next_planned_break(LUNCH, BERLIN, friday_afternoon, on_leave) == (
        berlin(2024, 8, 21, 12),
        berlin(2024, 8, 21, 12, 30),
    )
    assert next_planned_break((), BERLIN, friday_afternoon) is None


def test_planned_break_keeps_local_time_across_dst() -> None:
    # 12:00 Berlin is 11:00 UTC in winter and 10:00 UTC in summer.
    before = next_planned_break(LUNCH, BERLIN, berlin(2024, 3, 30, 13))
    assert before is not None
    assert before[0].hour == 10  # Sunday 31 March, CEST
    winter = next_planned_break(LUNCH, BERLIN, berlin(2024, 3, 29, 9))
    assert winter is not None
    assert winter[0].hour == 11
