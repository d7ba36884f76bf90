from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from workday_testing import BERLIN, berlin

from homeoffice_bot.kernel.errors import ParseError
from homeoffice_bot.workday.when import (
    AwayRequest,
    LeaveRequest,
    leave_period,
    parse_away,
    parse_leave,
    parse_until,
    span_of,
)

NOW = berlin(2024, 8, 9, 11, 0)  # Friday 11:00
TODAY = date(2024, 8, 9)


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("15m", 15),
        ("15 min", 15),
        ("15 Minuten", 15),
        ("1h", 60),
        ("1 Std", 60),
        ("1h30", 90),
        ("1h 30m", 90),
        ("1,5 Std", 90),
        ("2 hours", 120),
        ("90", 90),
    ],
)
def test_span_of(text: str, minutes: int) -> None:
    assert span_of(text) == timedelta(minutes=minutes)


@pytest.mark.parametrize("text", ["", "0m", "17h", "lang", "15x"])
def test_span_of_rejects(text: str) -> None:
    with pytest.raises(ParseError) as info:
        span_of(text)
    assert info.value.key == "workday.error.duration"


@given(st.integers(min_value=1, max_value=16 * 60))
def test_span_of_minutes_round_trip(minutes: int) -> None:
    hours, rest = divmod(minutes, 60)
    text = f"{hours}h{rest:02d}" if hours else f"{rest}m"
    assert span_of(text) == timedelta(minutes=minutes)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("15m", berlin(2024, 8, 9, 11, 15)),
        ("bis 12:30", berlin(2024, 8, 9, 12, 30)),
        ("until 12:30", berlin(2024, 8, 9, 12, 30)),
        ("12:30", berlin(2024, 8, 9, 12, 30)),
        ("14 Uhr", berlin(2024, 8, 9, 14, 0)),
        ("bis 14", berlin(2024, 8, 9, 14, 0)),
        ("bis 14.15", berlin(2024, 8, 9, 14, 15)),
    ],
)
def test_parse_until(text: str, expected: object) -> None:
    assert parse_until(text, NOW, BERLIN) == expected


def test_parse_until_in_the_past_is_an_error() -> None:
    with pytest.raises(ParseError) as info:
        parse_until("bis 10:00", NOW, BERLIN)
    assert info.value.key == "workday.error.until_past"
    assert info.value.params["time"] == "10:00"


def test_parse_until_rejects_nonsense() -> None:
    with pytest.raises(ParseError) as info:
        parse_until("bis morgen", NOW, BERLIN)
    assert info.value.key == "workday.error.until"


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("12.08.–23.08.", date(2024, 8, 12), date(2024, 8, 23)),
        ("12.8.-23.8.", date(2024, 8, 12), date(2024, 8, 23)),
        ("12.08.2025 - 23.08.2025", date(2025, 8, 12), date(2025, 8, 23)),
        ("12.08.25-23.08.25", date(2025, 8, 12), date(2025, 8, 23)),
        ("2025-08-12 bis 2025-08-23", date(2025, 8, 12), date(2025, 8, 23)),
        ("vom 12.08. bis 23.08.", date(2024, 8, 12), date(2024, 8, 23)),
        ("23.08.", date(2024, 8, 23), date(2024, 8, 23)),
        ("bis 23.08.", date(2024, 8, 9), date(2024, 8, 23)),
        ("morgen", date(2024, 8, 10), date(2024, 8, 10)),
        ("heute", date(2024, 8, 9), date(2024, 8, 9)),
        ("28.12.-03.01.", date(2024, 12, 28), date(2025, 1, 3)),
        ("05.08.-09.08.", date(2024, 8, 5), date(2024, 8, 9)),  # this week, still going
        ("01.02.-05.02.", date(2025, 2, 1), date(2025, 2, 5)),  # passed: next year
        ("vom 14. bis 18. Dezember", date(2024, 12, 14), date(2024, 12, 18)),
        ("nächste Woche", date(2024, 8, 12), date(2024, 8, 16)),
        ("übermorgen", date(2024, 8, 11), date(2024, 8, 11)),
        ("until 23.08.", date(2024, 8, 9), date(2024, 8, 23)),
    ],
)
def test_leave_period(text: str, first: date, last: date) -> None:
    assert leave_period(text, TODAY) == (first, last)


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("", "dates"),
        ("irgendwann", "dates"),
        ("31.02.", "dates"),
        ("1.1.-2.1.-3.1.", "dates"),
        ("23.08.2025-12.08.2025", "date_order"),
        ("bis 1.8.", "date_order"),  # formerly leave until 1.8. of the next year
        ("23.08. bis 12.08.", "date_order"),
        ("01.01.2025-05.01.2026", "date_order"),  # more than a year
        ("12.08., 23.08.", "dates"),  # two days or a period: formerly a period
        ("bis 12.08. bis 23.08.", "dates"),
    ],
)
def test_leave_period_errors(text: str, key: str) -> None:
    with pytest.raises(ParseError) as info:
        leave_period(text, TODAY)
    assert info.value.key == f"workday.error.{key}"


def test_parse_leave_with_stand_in() -> None:
    assert parse_leave("12.08.–23.08. vertretung @ben:example.org", TODAY) == LeaveRequest(
        date(2024, 8, 12), date(2024, 8, 23), "@ben:example.org"
    )
    assert parse_leave("12.08.-23.08. stand-in: @ben", TODAY).stand_in == "@ben"
    assert parse_leave("Vertretung @ben 12.08.-23.08.", TODAY).first_day == date(2024, 8, 12)
    assert parse_leave("12.08.–23.08.", TODAY).stand_in is None


def test_parse_leave_takes_a_stand_in_of_several_words_before_or_after_the_dates() -> None:
    after = parse_leave("12.08.–23.08. vertretung Anna von Berg", TODAY)
    assert (after.stand_in, after.last_day) == ("Anna von Berg", date(2024, 8, 23))
    before = parse_leave("vertretung Ben Müller vom 12.08. bis 23.08.", TODAY)
    assert (before.stand_in, before.first_day) == ("Ben Müller", date(2024, 8, 12))
    assert parse_leave("vertretung Ben bis 23.08.", TODAY).stand_in == "Ben"
    assert parse_leave("23.08. vertretung @room", TODAY).stand_in == "@room"
    written_together = parse_leave("vertretung Ben 12.08.–23.08.", TODAY)
    assert (written_together.stand_in, written_together.first_day) == ("Ben", date(2024, 8, 12))
    assert parse_leave("vertretung Ben übermorgen", TODAY).stand_in == "Ben"


def test_parse_leave_needs_a_name_after_the_keyword() -> None:
    with pytest.raises(ParseError) as info:
        parse_leave("12.08.–23.08. vertretung", TODAY)
    assert info.value.key == "workday.error.stand_in_missing"


@pytest.mark.parametrize(
    ("text", "until", "note", "shared"),
    [
        ("bis 14:00 Arzttermin", berlin(2024, 8, 9, 14), "Arzttermin", False),
        ("bis 14 Uhr", berlin(2024, 8, 9, 14), None, False),
        ("1h Kita", berlin(2024, 8, 9, 12), "Kita", False),
        ("1 h", berlin(2024, 8, 9, 12), None, False),
        ("Termin beim Amt", None, "Termin beim Amt", False),
        ("2 Kinder abholen", None, "2 Kinder abholen", False),
        ("at the dentist", None, "at the dentist", False),
        ("bis 14:00 sichtbar: Kita-Abholung", berlin(2024, 8, 9, 14), "Kita-Abholung", True),
        ("public: school run", None, "school run", True),
        ("sichtbar:", None, None, False),
        ("", None, None, False),
    ],
)
def test_parse_away(text: str, until: object, note: str | None, shared: bool) -> None:
    assert parse_away(text, NOW, BERLIN) == AwayRequest(until, note, shared)  # type: ignore[arg-type]


def test_parse_away_with_a_past_time_is_an_error() -> None:
    with pytest.raises(ParseError) as info:
        parse_away("bis 09:00 Arzt", NOW, BERLIN)
    assert info.value.key == "workday.error.until_past"
