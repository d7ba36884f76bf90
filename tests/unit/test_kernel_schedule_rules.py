from __future__ import annotations

from datetime import UTC, date, datetime, time

from homeoffice_bot.kernel.schedule_rules import Daily, last_fire, local_instant, next_fire

WORKDAYS = frozenset(range(1, 6))
NINE = Daily(time(9, 0), WORKDAYS, "Europe/Berlin")


def test_nine_berlin_is_seven_utc_in_july_and_eight_in_january() -> None:
    assert local_instant(date(2026, 7, 15), time(9), "Europe/Berlin") == datetime(
        2026, 7, 15, 7, tzinfo=UTC
    )
    assert local_instant(date(2026, 1, 15), time(9), "Europe/Berlin") == datetime(
        2026, 1, 15, 8, tzinfo=UTC
    )


def test_time_in_the_spring_gap_moves_forward() -> None:
    # 29 March 2026: clocks jump from 02:00 to 03:00 in Berlin.
    assert local_instant(date(2026, 3, 29), time(2, 30), "Europe/Berlin") == datetime(
        2026, 3, 29, 1, 30, tzinfo=UTC
    )


def test_next_fire_skips_the_weekend_and_keeps_local_time_across_dst() -> None:
    friday_evening = datetime(2026, 10, 23, 18, tzinfo=UTC)
    # DST ends on Sunday 25 October: Monday 09:00 is 08:00 UTC, Friday's was 07:00 UTC.
    assert next_fire(NINE, friday_evening) == datetime(2026, 10, 26, 8, tzinfo=UTC)
    assert last_fire(NINE, friday_evening) == datetime(2026, 10, 23, 7, tzinfo=UTC)


def test_last_fire_at_the_exact_instant_counts() -> None:
    at = datetime(2026, 7, 15, 7, tzinfo=UTC)
    assert last_fire(NINE, at) == at
    assert next_fire(NINE, at) == datetime(2026, 7, 16, 7, tzinfo=UTC)


def test_no_weekdays_never_fires() -> None:
    never = Daily(time(9), frozenset(), "Europe/Berlin")
    assert next_fire(never, datetime(2026, 7, 15, tzinfo=UTC)) is None
    assert last_fire(never, datetime(2026, 7, 15, tzinfo=UTC)) is None


def test_repeated_autumn_time_is_taken_at_its_first_occurrence() -> None:
    # 25 October 2026: 02:30 happens twice in Berlin; the first is 00:30 UTC.
    assert local_instant(date(2026, 10, 25), time(2, 30), "Europe/Berlin") == datetime(
        2026, 10, 25, 0, 30, tzinfo=UTC
    )
