from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from homeoffice_bot.kernel.localtime import local_date
from homeoffice_bot.kernel.schedule_rules import local_instant
from homeoffice_bot.standup.calendar import (
    SkipReason,
    holiday_name,
    is_standup_day,
    next_kickoff,
    previous_kickoff,
    previous_standup_day,
    skip_reason,
    validate_region,
)
from homeoffice_bot.standup.errors import StandupSettingError

WORKDAYS = frozenset({1, 2, 3, 4, 5})
NINE = time(9, 0)
BERLIN = "Europe/Berlin"
CORPUS_CHRISTI_2026 = date(2026, 6, 4)  # Thursday, Fronleichnam


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def test_corpus_christi_is_a_holiday_in_nrw_but_not_in_berlin() -> None:
    assert not is_standup_day(CORPUS_CHRISTI_2026, WORKDAYS, "DE-NW", frozenset())
    assert skip_reason(CORPUS_CHRISTI_2026, WORKDAYS, "DE-NW", frozenset()) is SkipReason.HOLIDAY
    assert holiday_name(CORPUS_CHRISTI_2026, "DE-NW") == "Fronleichnam"
    assert is_standup_day(CORPUS_CHRISTI_2026, WORKDAYS, "DE-BE", frozenset())
    assert holiday_name(CORPUS_CHRISTI_2026, "DE-BE") is None


def test_no_kickoff_on_corpus_christi_in_nrw_but_one_in_berlin() -> None:
    wednesday_after_kickoff = utc(2026, 6, 3, 10, 0)
    nrw = next_kickoff(wednesday_after_kickoff, NINE, BERLIN, WORKDAYS, "DE-NW", frozenset())
    berlin = next_kickoff(wednesday_after_kickoff, NINE, BERLIN, WORKDAYS, "DE-BE", frozenset())
    assert nrw == utc(2026, 6, 5, 7, 0)
    assert berlin == utc(2026, 6, 4, 7, 0)


def test_holiday_name_in_english() -> None:
    assert holiday_name(CORPUS_CHRISTI_2026, "DE-NW", lang="en") == "Corpus Christi"


def test_nine_o_clock_berlin_is_seven_utc_in_july_and_eight_utc_in_january() -> None:
    assert local_instant(date(2026, 7, 15), NINE, BERLIN) == utc(2026, 7, 15, 7, 0)
    assert local_instant(date(2026, 1, 15), NINE, BERLIN) == utc(2026, 1, 15, 8, 0)


def test_next_kickoff_fires_at_seven_utc_in_july_and_eight_utc_in_january() -> None:
    july = next_kickoff(utc(2026, 7, 14, 12, 0), NINE, BERLIN, WORKDAYS, "DE-NW", frozenset())
    january = next_kickoff(utc(2026, 1, 14, 12, 0), NINE, BERLIN, WORKDAYS, "DE-NW", frozenset())
    assert july == utc(2026, 7, 15, 7, 0)
    assert january == utc(2026, 1, 15, 8, 0)


def test_local_time_stays_across_the_spring_change() -> None:
    friday_after_kickoff = utc(2026, 3, 27, 9, 0)  # 10:00 CET
    monday = next_kickoff(friday_after_kickoff, NINE, BERLIN, WORKDAYS, None, frozenset())
    assert monday == utc(2026, 3, 30, 7, 0)  # 09:00 CEST


def test_time_in_the_spring_forward_gap_moves_forward_by_the_gap() -> None:
    # 02:30 does not exist on 29 March 2026 in Berlin: it becomes 03:30 CEST.
    instant = local_instant(date(2026, 3, 29), time(2, 30), BERLIN)
    assert instant == utc(2026, 3, 29, 1, 30)
    every_day = frozenset(range(1, 8))
    saturday_noon = utc(2026, 3, 28, 12, 0)
    assert next_kickoff(saturday_noon, time(2, 30), BERLIN, every_day, None, frozenset()) == instant


def test_repeated_autumn_time_is_taken_at_its_first_occurrence() -> None:
    # 02:30 happens twice on 25 October 2026; the first one is still CEST (UTC+2).
    assert local_instant(date(2026, 10, 25), time(2, 30), BERLIN) == utc(2026, 10, 25, 0, 30)


def test_weekend_is_skipped() -> None:
    friday_after_kickoff = utc(2026, 11, 20, 12, 0)
    found = next_kickoff(friday_after_kickoff, NINE, BERLIN, WORKDAYS, "DE-NW", frozenset())
    assert found == utc(2026, 11, 23, 8, 0)
    assert skip_reason(date(2026, 11, 21), WORKDAYS, "DE-NW", frozenset()) is SkipReason.WEEKDAY


def test_closures_and_holidays_around_christmas() -> None:
    closures = frozenset({date(2026, 12, 24), date(2026, 12, 31)})
    wednesday_after_kickoff = utc(2026, 12, 23, 12, 0)
    # 24th closure, 25th holiday, 26th/27th weekend.
    found = next_kickoff(wednesday_after_kickoff, NINE, BERLIN, WORKDAYS, "DE-NW", closures)
    assert found == utc(2026, 12, 28, 8, 0)
    assert skip_reason(date(2026, 12, 24), WORKDAYS, "DE-NW", closures) is SkipReason.CLOSURE


def test_skipped_dates_are_left_out() -> None:
    skipped = frozenset({date(2026, 11, 23)})
    friday_after_kickoff = utc(2026, 11, 20, 12, 0)
    found = next_kickoff(friday_after_kickoff, NINE, BERLIN, WORKDAYS, None, frozenset(), skipped)
    assert found == utc(2026, 11, 24, 8, 0)
    assert skip_reason(date(2026, 11, 23), WORKDAYS, None, frozenset(), skipped) is (
        SkipReason.SKIPPED
    )


def test_next_kickoff_is_strictly_after_now_and_previous_is_at_or_before() -> None:
    kickoff = utc(2026, 11, 24, 8, 0)
    assert next_kickoff(kickoff, NINE, BERLIN, WORKDAYS, None, frozenset()) == utc(
        2026, 11, 25, 8, 0
    )
    assert previous_kickoff(kickoff, NINE, BERLIN, WORKDAYS, None, frozenset()) == kickoff


def test_previous_kickoff_for_catch_up_after_downtime() -> None:
    # The bot comes back on Thursday 09:05 local: in Berlin today's stand-up was missed ...
    back = utc(2026, 6, 4, 7, 5)
    assert previous_kickoff(back, NINE, BERLIN, WORKDAYS, "DE-BE", frozenset()) == utc(
        2026, 6, 4, 7, 0
    )
    # ... in NRW it is a holiday, so the last one was Wednesday.
    assert previous_kickoff(back, NINE, BERLIN, WORKDAYS, "DE-NW", frozenset()) == utc(
        2026, 6, 3, 7, 0
    )


def test_previous_kickoff_before_todays_time_is_the_last_workday() -> None:
    monday_early = utc(2026, 6, 8, 6, 0)  # 08:00 CEST
    assert previous_kickoff(monday_early, NINE, BERLIN, WORKDAYS, "DE-NW", frozenset()) == utc(
        2026, 6, 5, 7, 0
    )


def test_no_weekdays_means_no_kickoff() -> None:
    now = utc(2026, 6, 8, 6, 0)
    assert next_kickoff(now, NINE, BERLIN, frozenset(), None, frozenset()) is None
    assert previous_kickoff(now, NINE, BERLIN, frozenset(), None, frozenset()) is None


def test_previous_standup_day() -> None:
    assert previous_standup_day(date(2026, 6, 8), WORKDAYS, "DE-NW", frozenset()) == date(
        2026, 6, 5
    )
    # Friday after Corpus Christi: the previous stand-up day in NRW is Wednesday.
    assert previous_standup_day(date(2026, 6, 5), WORKDAYS, "DE-NW", frozenset()) == date(
        2026, 6, 3
    )
    assert previous_standup_day(date(2026, 6, 5), WORKDAYS, "DE-BE", frozenset()) == date(
        2026, 6, 4
    )


def test_the_day_of_a_late_evening_instant_is_the_local_one() -> None:
    assert local_date(utc(2026, 7, 14, 22, 30), BERLIN) == date(2026, 7, 15)


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("DE-NW", "DE-NW"),
        ("de-nw", "DE-NW"),
        (" de-by ", "DE-BY"),
        ("DE", "DE"),
        ("at", "AT"),
        ("de-augsburg", "DE-Augsburg"),
    ],
)
def test_validate_region_normalises(code: str, expected: str) -> None:
    assert validate_region(code) == expected


def test_unknown_subdivision_is_refused_with_the_known_ones() -> None:
    with pytest.raises(ValueError, match="DE has no subdivision 'XX'") as info:
        validate_region("DE-XX")
    assert isinstance(info.value, StandupSettingError)
    assert info.value.key == "standup.error.region_subdivision"
    assert "NW" in info.value.params["known"]


def test_unknown_country_is_refused() -> None:
    with pytest.raises(ValueError, match="no country 'XX'"):
        validate_region("XX-NW")


def test_invalid_region_fails_in_the_calendar_too() -> None:
    with pytest.raises(ValueError, match="unknown holiday region"):
        is_standup_day(date(2026, 6, 4), WORKDAYS, "DE-ZZ", frozenset())
