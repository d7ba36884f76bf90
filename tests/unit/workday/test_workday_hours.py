from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
from workday_testing import BERLIN, Tr, berlin

from homeoffice_bot.kernel.errors import ParseError
from homeoffice_bot.kernel.ids import UserID
from homeoffice_bot.workday.dayspec import TimeWindow
from homeoffice_bot.workday.hours import (
    LeavePeriod,
    WorkingHours,
    WorkSchedule,
    available_from,
    canonical_spec,
    current_window,
    end_of_today,
    format_working_hours,
    holiday_name,
    is_core_time,
    is_holiday,
    is_working_day,
    is_working_time,
    next_workday_end,
    next_workday_start,
    next_working_start,
    parse_working_hours,
    validate_region,
    validate_timezone,
)

STANDARD = parse_working_hours("mo-do 07:30-16:00, fr 07:30-13:00")


def schedule(**kwargs: object) -> WorkSchedule:
    params: dict[str, object] = {"hours": STANDARD, "tz": BERLIN, "region": "DE-NW"}
    params.update(kwargs)
    return WorkSchedule(**params)  # type: ignore[arg-type]


def test_parse_working_hours_per_day() -> None:
    assert STANDARD.on(1) == (TimeWindow(time(7, 30), time(16)),)
    assert STANDARD.on(4) == (TimeWindow(time(7, 30), time(16)),)
    assert STANDARD.on(5) == (TimeWindow(time(7, 30), time(13)),)
    assert STANDARD.on(6) == ()
    assert STANDARD.on(7) == ()
    assert STANDARD.weekly_minutes() == 4 * 510 + 330


def test_later_overlapping_group_replaces_the_day() -> None:
    hours = parse_working_hours("mo-fr 8-16, fr 8-13")
    assert hours.on(4) == (TimeWindow(time(8), time(16)),)
    assert hours.on(5) == (TimeWindow(time(8), time(13)),)


def test_later_disjoint_group_adds_to_the_day() -> None:
    hours = parse_working_hours("mo-fr 8-12, mo-fr 13-17")
    assert hours.on(2) == (TimeWindow(time(8), time(12)), TimeWindow(time(13), time(17)))


def test_range_without_days_means_monday_to_friday() -> None:
    hours = parse_working_hours("9-17")
    assert [bool(hours.on(d)) for d in range(1, 8)] == [True] * 5 + [False] * 2


def test_format_working_hours_in_both_languages() -> None:
    assert format_working_hours(STANDARD, Tr("de")) == "Mo–Do 07:30–16:00; Fr 07:30–13:00"
    assert format_working_hours(STANDARD, Tr("en")) == "Mon–Thu 07:30–16:00; Fri 07:30–13:00"
    assert format_working_hours(WorkingHours(), Tr("de")) == "keine festen Arbeitszeiten"
    assert parse_working_hours(format_working_hours(STANDARD, Tr("en"))) == STANDARD


def test_canonical_spec_round_trips() -> None:
    hours = parse_working_hours("täglich 9-12, 13-17")
    assert canonical_spec(hours) == "täglich 09:00–12:00, 13:00–17:00"
    assert parse_working_hours(canonical_spec(hours)) == hours


def test_working_time_on_an_ordinary_day() -> None:
    plan = schedule()
    assert not is_working_time(plan, berlin(2024, 8, 12, 7, 29))  # Monday
    assert is_working_time(plan, berlin(2024, 8, 12, 7, 30))
    assert is_working_time(plan, berlin(2024, 8, 12, 15, 59))
    assert not is_working_time(plan, berlin(2024, 8, 12, 16, 0))
    assert is_working_time(plan, berlin(2024, 8, 16, 12, 59))  # Friday
    assert not is_working_time(plan, berlin(2024, 8, 16, 13, 0))
    assert not is_working_time(plan, berlin(2024, 8, 17, 10, 0))  # Saturday


def test_public_holidays_depend_on_the_region() -> None:
    # Corpus Christi (Thursday 30 May 2024) is a holiday in NRW but not in Berlin.
    assert is_holiday("DE-NW", date(2024, 5, 30))
    assert not is_holiday("DE-BE", date(2024, 5, 30))
    assert not is_holiday(None, date(2024, 12, 25))
    assert holiday_name("DE-NW", date(2024, 10, 3)) is not None
    assert holiday_name("DE-NW", date(2024, 10, 4)) is None
    assert not is_working_time(schedule(), berlin(2024, 5, 30, 10))
    assert is_working_time(schedule(region="DE-BE"), berlin(2024, 5, 30, 10))
    assert not is_working_day(schedule(), date(2024, 10, 3))  # German Unity Day


def test_next_working_start_skips_weekend_and_holidays() -> None:
    plan = schedule()
    # Thursday before Easter 2024, after work: Good Friday, the weekend and Easter
    # Monday are skipped; back on Tuesday 2 April at 07:30 local time.
    assert next_working_start(plan, berlin(2024, 3, 28, 17)) == berlin(2024, 4, 2, 7, 30)
    # Friday after work → Monday
    assert next_working_start(plan, berlin(2024, 8, 16, 14)) == berlin(2024, 8, 19, 7, 30)
    # Before work on a working day → today
    assert next_working_start(plan, berlin(2024, 8, 13, 6)) == berlin(2024, 8, 13, 7, 30)


def test_next_working_start_skips_leave() -> None:
    leave = (LeavePeriod(date(2024, 8, 12), date(2024, 8, 23), UserID("@ben:example.org")),)
    plan = schedule(leave=leave)
    assert next_working_start(plan, berlin(2024, 8, 9, 14)) == berlin(2024, 8, 26, 7, 30)
    assert not is_working_time(plan, berlin(2024, 8, 14, 10))


def test_no_working_hours_means_no_start() -> None:
    assert next_working_start(schedule(hours=WorkingHours()), berlin(2024, 8, 9, 14)) is None
    assert available_from(schedule(hours=WorkingHours()), berlin(2024, 8, 9, 14)) is None


def test_working_windows_keep_local_time_across_dst() -> None:
    plan = schedule(hours=parse_working_hours("täglich 08:00-16:00"), region=None)
    # Saturday 30 March 2024 is CET (UTC+1), Sunday 31 March CEST (UTC+2).
    assert next_working_start(plan, berlin(2024, 3, 30, 17)) == datetime(
        2024, 3, 31, 6, 0, tzinfo=UTC
    )
    assert current_window(plan, datetime(2024, 3, 30, 7, 0, tzinfo=UTC)) == (
        datetime(2024, 3, 30, 7, 0, tzinfo=UTC),
        datetime(2024, 3, 30, 15, 0, tzinfo=UTC),
    )
    # Autumn: Sunday 27 October 2024 back to CET.
    assert next_working_start(plan, berlin(2024, 10, 26, 17)) == datetime(
        2024, 10, 27, 7, 0, tzinfo=UTC
    )


def test_a_time_in_the_spring_gap_moves_forward() -> None:
    plan = schedule(hours=parse_working_hours("so 02:30-05:00"), region=None)
    assert next_working_start(plan, berlin(2024, 3, 30, 12)) == datetime(
        2024, 3, 31, 1, 30, tzinfo=UTC
    )  # 03:30 CEST


def test_next_workday_start_ignores_a_later_window_today() -> None:
    plan = schedule(hours=parse_working_hours("mo-fr 8-12, 13-17"))
    # Off at 11:00 on a Monday: back Tuesday 08:00, not at 13:00 today.
    assert next_workday_start(plan, berlin(2024, 8, 12, 11)) == berlin(2024, 8, 13, 8)
    assert next_working_start(plan, berlin(2024, 8, 12, 11)) == berlin(2024, 8, 12, 13)
    # Before the first window: today.
    assert next_workday_start(plan, berlin(2024, 8, 12, 6)) == berlin(2024, 8, 12, 8)


def test_end_of_today_and_next_end() -> None:
    plan = schedule()
    assert end_of_today(plan, berlin(2024, 8, 16, 9)) == berlin(2024, 8, 16, 13)
    assert end_of_today(plan, berlin(2024, 8, 17, 9)) is None
    assert next_workday_end(plan, berlin(2024, 8, 16, 14)) == berlin(2024, 8, 19, 16)


def test_available_from() -> None:
    plan = schedule()
    now = berlin(2024, 8, 12, 10)
    assert available_from(plan, now) == now
    assert available_from(plan, berlin(2024, 8, 12, 20)) == berlin(2024, 8, 13, 7, 30)


def test_core_hours() -> None:
    plan = schedule(core=parse_working_hours("mo-fr 09:00-15:00"))
    assert is_core_time(plan, berlin(2024, 8, 12, 10))
    assert not is_core_time(plan, berlin(2024, 8, 12, 8))
    assert not is_core_time(plan, berlin(2024, 10, 3, 10))  # holiday
    assert not is_core_time(schedule(), berlin(2024, 8, 12, 10))  # none defined


def test_validate_region() -> None:
    assert validate_region("de-nw") == "DE-NW"
    assert validate_region("DE") == "DE"
    with pytest.raises(ParseError) as info:
        validate_region("XX-YY")
    assert info.value.key == "workday.error.region"


def test_leave_period_must_be_ordered() -> None:
    with pytest.raises(ValueError, match="end before"):
        LeavePeriod(date(2024, 8, 23), date(2024, 8, 12))


def test_validate_timezone() -> None:
    assert validate_timezone("Europe/Berlin") == "Europe/Berlin"
    assert validate_timezone(" europe/berlin ") == "Europe/Berlin"
    assert validate_timezone("UTC") == "UTC"
    for wrong in ("Berlin", "Mars/Olympus", "../etc/passwd", ""):
        with pytest.raises(ParseError) as info:
            validate_timezone(wrong)
        assert info.value.key == "workday.error.timezone"
