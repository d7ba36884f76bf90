"""Argument types: what people type in chat becomes times, durations, weekdays, dates."""

from __future__ import annotations

from datetime import date, time, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from homeoffice_bot.kernel.argtypes import (
    Choice,
    Duration,
    Integer,
    RestText,
    Text,
    TimeOfDay,
    UserMention,
    Weekdays,
    format_duration,
)
from homeoffice_bot.kernel.dateargs import (
    CalendarDate,
    Date,
    DateRange,
    DateRangeSpec,
    RelativeDate,
)
from homeoffice_bot.kernel.errors import ParseError

LANGUAGE = Choice(
    {"de": ("deutsch", "german"), "en": ("englisch", "english")},
    labels={"de": {"de": "deutsch", "en": "englisch"}, "en": {"de": "german", "en": "english"}},
)
ALL_TYPES: list[Any] = [
    Text(),
    Text(max_length=5),
    RestText(),
    Integer(min=1, max=10),
    TimeOfDay(),
    Duration(),
    Duration(bare_unit=timedelta(minutes=1), max=timedelta(hours=2)),
    Weekdays(),
    Date(),
    DateRange(),
    UserMention(),
    LANGUAGE,
]


def outcome(arg_type: Any, text: str) -> ParseError | None:
    try:
        arg_type.parse(text)
    except ParseError as err:
        return err
    return None


def error_of(arg_type: Any, text: str) -> ParseError:
    with pytest.raises(ParseError) as info:
        arg_type.parse(text)
    return info.value


# --- time of day --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("9:00", time(9)),
        ("09:00", time(9)),
        ("9.00", time(9)),
        ("9", time(9)),
        ("9 Uhr", time(9)),
        ("9 uhr", time(9)),
        ("9h", time(9)),
        ("9:30 Uhr", time(9, 30)),
        ("um 9 Uhr", time(9)),
        ("0930", time(9, 30)),
        ("23:59", time(23, 59)),
        ("0:00", time(0)),
        ("9am", time(9)),
        ("5:30 pm", time(17, 30)),
        ("12am", time(0)),
        ("12 pm", time(12)),
        (" 14.15 ", time(14, 15)),
    ],
)
def test_time_of_day_accepts(text: str, expected: time) -> None:
    assert TimeOfDay().parse(text) == expected


@pytest.mark.parametrize(
    "text", ["24:00", "9:60", "25", "930", "9:5", "13pm", "0am", "9:00:00", "neun", "", "9 Uhr 30"]
)
def test_time_of_day_refuses(text: str) -> None:
    err = error_of(TimeOfDay(), text)
    assert err.key == "parse.time"
    assert err.params["value"] == text.strip()


@given(st.times())
def test_time_of_day_round_trips_hh_mm(value: time) -> None:
    value = value.replace(second=0, microsecond=0)
    assert TimeOfDay().parse(f"{value:%H:%M}") == value
    assert TimeOfDay().parse(f"{value.hour}.{value.minute:02} Uhr") == value


# --- duration -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("15m", 15),
        ("15 min", 15),
        ("15min", 15),
        ("15 Min.", 15),
        ("1h30", 90),
        ("1h 30m", 90),
        ("1 h 30 min", 90),
        ("1:30", 90),
        ("1:30 h", 90),
        ("90 min", 90),
        ("2h", 120),
        ("1,5h", 90),
        ("1.5 h", 90),
        ("0,25 Stunden", 15),
        ("45 Minuten", 45),
        ("2 Stunden", 120),
        ("1 Stunde und 30 Minuten", 90),
        ("1 hour and 15 minutes", 75),
        ("24h", 24 * 60),
    ],
)
def test_duration_accepts(text: str, minutes: int) -> None:
    assert Duration().parse(text) == timedelta(minutes=minutes)


@pytest.mark.parametrize(
    "text", ["15", "0m", "0:00", "1.01h", "1.5 min", "1h 90m", "30m 1h", "1h 2h", "15 sec", "x", ""]
)
def test_duration_refuses(text: str) -> None:
    assert error_of(Duration(), text).key == "parse.duration"


def test_duration_over_the_maximum_names_the_maximum() -> None:
    err = error_of(Duration(max=timedelta(hours=8)), "8h 1m")
    assert err.key == "parse.duration_max"
    assert err.params == {"value": "8h 1m", "max": "8 h"}


def test_duration_bare_number_uses_the_declared_unit() -> None:
    assert Duration(bare_unit=timedelta(minutes=1)).parse("15") == timedelta(minutes=15)
    assert Duration(bare_unit=timedelta(hours=1)).parse("8") == timedelta(hours=8)


@given(st.integers(min_value=1, max_value=24 * 60))
def test_duration_round_trips_minutes(minutes: int) -> None:
    expected = timedelta(minutes=minutes)
    assert Duration().parse(f"{minutes}m") == expected
    assert Duration().parse(f"{minutes} Minuten") == expected
    assert Duration().parse(format_duration(expected)) == expected


@given(st.integers(min_value=0, max_value=23), st.integers(min_value=0, max_value=59))
def test_duration_round_trips_hours_and_minutes(hours: int, minutes: int) -> None:
    if hours == minutes == 0:
        return
    expected = timedelta(hours=hours, minutes=minutes)
    assert Duration().parse(f"{hours}h{minutes}") == expected
    assert Duration().parse(f"{hours}:{minutes:02}") == expected


def test_format_duration() -> None:
    assert format_duration(timedelta(minutes=45)) == "45 min"
    assert format_duration(timedelta(hours=8)) == "8 h"
    assert format_duration(timedelta(minutes=90)) == "1 h 30 min"


# --- weekdays -----------------------------------------------------------------------------

WORKWEEK = frozenset({1, 2, 3, 4, 5})


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mo-fr", WORKWEEK),
        ("Mo–Fr", WORKWEEK),
        ("Mo—Fr", WORKWEEK),
        ("MON-FRI", WORKWEEK),
        ("Mo.-Fr.", WORKWEEK),
        ("montag bis freitag", WORKWEEK),
        ("monday to friday", WORKWEEK),
        ("mon,wed", frozenset({1, 3})),
        ("Mo, Mi, Fr", frozenset({1, 3, 5})),
        ("Mo Mi Fr", frozenset({1, 3, 5})),
        ("di und do", frozenset({2, 4})),
        ("tue/thu", frozenset({2, 4})),
        ("montags", frozenset({1})),
        ("Sonntag", frozenset({7})),
        ("sonnabend", frozenset({6})),
        ("täglich", frozenset(range(1, 8))),
        ("Täglich", frozenset(range(1, 8))),
        ("daily", frozenset(range(1, 8))),
        ("jeden Tag", frozenset(range(1, 8))),
        ("werktags", WORKWEEK),
        ("weekdays", WORKWEEK),
        ("wochenende", frozenset({6, 7})),
        ("weekend", frozenset({6, 7})),
        ("fr-mo", frozenset({5, 6, 7, 1})),
        ("so-di", frozenset({7, 1, 2})),
        ("mo-mi, fr", frozenset({1, 2, 3, 5})),
        ("wochenende, mo", frozenset({6, 7, 1})),
    ],
)
def test_weekdays_accepts(text: str, expected: frozenset[int]) -> None:
    assert Weekdays().parse(text) == expected


@pytest.mark.parametrize("text", ["", ",", "mo-", "-fr", ",mo", "mo-xx", "xx", "mo fr 9"])
def test_weekdays_refuses(text: str) -> None:
    assert error_of(Weekdays(), text).key == "parse.weekdays"


DE_DAYS = ("Mo", "Di", "Mi", "Do", "Fr", "Sa", "So")
EN_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@given(st.frozensets(st.integers(min_value=1, max_value=7), min_size=1), st.booleans())
def test_weekdays_round_trip_as_lists(days: frozenset[int], german: bool) -> None:
    names = DE_DAYS if german else EN_DAYS
    listed = [names[day - 1] for day in sorted(days)]
    assert Weekdays().parse(",".join(listed)) == days
    assert Weekdays().parse(", ".join(listed)) == days


@given(st.integers(min_value=1, max_value=7), st.integers(min_value=1, max_value=7))
def test_weekday_ranges_wrap_around_the_week(first: int, last: int) -> None:
    expected = {first}
    day = first
    while day != last:
        day = day % 7 + 1
        expected.add(day)
    assert Weekdays().parse(f"{DE_DAYS[first - 1]}-{DE_DAYS[last - 1]}") == expected


# --- simple types -------------------------------------------------------------------------


def test_text_and_rest_text() -> None:
    assert Text().parse("  Büro ") == "Büro"
    assert RestText().parse(" Erster Punkt\nZweiter Punkt ") == "Erster Punkt\nZweiter Punkt"
    assert error_of(RestText(), "   ").key == "parse.empty"
    err = error_of(Text(max_length=5), "zu lang")
    assert (err.key, err.params) == ("parse.too_long", {"max": 5})


def test_integer() -> None:
    assert Integer().parse("42") == 42
    assert Integer().parse("-3") == -3
    assert Integer(min=1, max=10).parse("+10") == 10
    assert error_of(Integer(), "4,5").params == {"value": "4,5"}
    assert error_of(Integer(), "١٢").key == "parse.integer"
    assert error_of(Integer(), "9" * 30).key == "parse.integer"
    err = error_of(Integer(min=1, max=10), "0")
    assert (err.key, err.params) == ("parse.integer_min", {"value": "0", "min": 1})
    err = error_of(Integer(min=1, max=10), "11")
    assert (err.key, err.params) == ("parse.integer_max", {"value": "11", "max": 10})


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("@alice:example.org", "@alice:example.org"),
        ("@alice.b=c_d-e/f+g:example.org:8448", "@alice.b=c_d-e/f+g:example.org:8448"),
        ("@bob:[2001:db8::1]:8008", "@bob:[2001:db8::1]:8008"),
        ("@bob:127.0.0.1", "@bob:127.0.0.1"),
        ("@alice:example.org,", "@alice:example.org"),
        ("https://matrix.to/#/%40alice%3Aexample.org", "@alice:example.org"),
    ],
)
def test_user_mention_accepts(text: str, expected: str) -> None:
    assert UserMention().parse(text) == expected


@pytest.mark.parametrize(
    "text",
    ["alice", "@alice", "alice:example.org", "@Alice:example.org", "@al ice:x.org", "@:x.org"],
)
def test_user_mention_refuses(text: str) -> None:
    assert error_of(UserMention(), text).key == "parse.user"


def test_choice_returns_the_canonical_value_for_any_alias() -> None:
    assert LANGUAGE.parse("Deutsch") == "de"
    assert LANGUAGE.parse("ENGLISH") == "en"
    assert LANGUAGE.parse("en") == "en"
    err = error_of(LANGUAGE, "français")
    assert (err.key, err.params) == (
        "parse.choice",
        {"value": "français", "options": "deutsch|englisch"},
    )
    assert LANGUAGE.usage("en") == "<german|english>"
    assert Choice({"a": (), "b": ()}).usage("de") == "<a|b>"


def test_usage_placeholders_are_localised() -> None:
    assert TimeOfDay().usage("de") == "<Uhrzeit>"
    assert TimeOfDay().usage("en") == "<time>"
    assert Weekdays().usage("de") == "<Wochentage>"
    assert DateRange().usage("en") == "<period>"


# --- dates --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("24.12.2026", CalendarDate(24, 12, 2026)),
        ("24.12.26", CalendarDate(24, 12, 2026)),
        ("24.12.", CalendarDate(24, 12)),
        ("24.12", CalendarDate(24, 12)),
        ("1.5.", CalendarDate(1, 5)),
        ("2026-12-24", CalendarDate(24, 12, 2026)),
        ("24. Dezember 2026", CalendarDate(24, 12, 2026)),
        ("3. März", CalendarDate(3, 3)),
        ("24 dec", CalendarDate(24, 12)),
        ("29.02.", CalendarDate(29, 2)),
        ("heute", RelativeDate(0)),
        ("Today", RelativeDate(0)),
        ("morgen", RelativeDate(1)),
        ("tomorrow", RelativeDate(1)),
        ("übermorgen", RelativeDate(2)),
        ("gestern", RelativeDate(-1)),
    ],
)
def test_date_accepts(text: str, expected: object) -> None:
    assert Date().parse(text) == expected


@pytest.mark.parametrize(
    "text", ["31.02.", "29.02.2027", "32.1.", "0.1.", "1.13.", "2026-13-01", "24/12/2026", "x"]
)
def test_date_refuses(text: str) -> None:
    assert error_of(Date(), text).key == "parse.date"


def test_dates_resolve_against_today() -> None:
    today = date(2026, 12, 30)
    assert RelativeDate(1).resolve(today) == date(2026, 12, 31)
    assert RelativeDate(2).resolve(today) == date(2027, 1, 1)
    assert CalendarDate(2, 1).resolve(today) == date(2026, 1, 2)
    assert CalendarDate(2, 1).resolve(today, future=True) == date(2027, 1, 2)
    assert CalendarDate(31, 12).resolve(today, future=True) == date(2026, 12, 31)
    assert CalendarDate(2, 1, 2030).resolve(today, future=True) == date(2030, 1, 2)
    with pytest.raises(ParseError) as info:
        CalendarDate(29, 2).resolve(today)
    assert info.value.params == {"value": "29.02.2026"}


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)))
def test_date_round_trips(value: date) -> None:
    assert Date().parse(f"{value:%d.%m.%Y}").resolve(date(1999, 1, 1)) == value
    assert Date().parse(value.isoformat()).resolve(date(1999, 1, 1)) == value
    assert Date().parse(f"{value.day}.{value.month}.").resolve(value) == value


@pytest.mark.parametrize(
    ("text", "today", "expected"),
    [
        ("12.08.–23.08.", date(2026, 5, 1), (date(2026, 8, 12), date(2026, 8, 23))),
        ("12.08. - 23.08.", date(2026, 5, 1), (date(2026, 8, 12), date(2026, 8, 23))),
        ("12.08.2026-23.08.2026", date(2020, 1, 1), (date(2026, 8, 12), date(2026, 8, 23))),
        ("12.08. bis 23.08.", date(2026, 5, 1), (date(2026, 8, 12), date(2026, 8, 23))),
        ("vom 12.08. bis zum 23.08.", date(2026, 5, 1), (date(2026, 8, 12), date(2026, 8, 23))),
        ("2026-08-12 to 2026-08-23", date(2020, 1, 1), (date(2026, 8, 12), date(2026, 8, 23))),
        ("2026-08-12-2026-08-23", date(2020, 1, 1), (date(2026, 8, 12), date(2026, 8, 23))),
        ("28.12.–03.01.", date(2026, 5, 1), (date(2026, 12, 28), date(2027, 1, 3))),
        ("28.12.–03.01.2027", date(2026, 5, 1), (date(2026, 12, 28), date(2027, 1, 3))),
        ("heute bis 3.1.", date(2026, 12, 28), (date(2026, 12, 28), date(2027, 1, 3))),
        ("morgen", date(2026, 5, 1), (date(2026, 5, 2), date(2026, 5, 2))),
        ("24.12.", date(2026, 5, 1), (date(2026, 12, 24), date(2026, 12, 24))),
    ],
)
def test_date_range_accepts(text: str, today: date, expected: tuple[date, date]) -> None:
    spec = DateRange().parse(text)
    assert isinstance(spec, DateRangeSpec)
    assert spec.resolve(today, future=True) == expected


def test_date_range_in_the_future_starts_next_year() -> None:
    spec = DateRange().parse("2.1.–6.1.")
    assert spec.resolve(date(2026, 12, 20), future=True) == (date(2027, 1, 2), date(2027, 1, 6))


@pytest.mark.parametrize("text", ["23.08.2026-12.08.2026", "morgen bis heute"])
def test_date_range_refuses_an_end_before_the_start(text: str) -> None:
    err = error_of(DateRange(), text)
    assert (err.key, err.params) == ("parse.daterange_order", {"value": text})


def test_date_range_end_before_start_found_when_resolving() -> None:
    spec = DateRange().parse("10.05. bis morgen")
    with pytest.raises(ParseError) as info:
        spec.resolve(date(2026, 5, 1))
    assert info.value.key == "parse.daterange_order"
    assert info.value.params == {"value": "10.05.2026–02.05.2026"}


@pytest.mark.parametrize("text", ["", "bis", "12.08. bis", "31.02.–03.03.", "x-y"])
def test_date_range_refuses(text: str) -> None:
    assert error_of(DateRange(), text).key == "parse.daterange"


# --- properties for every type ------------------------------------------------------------


@pytest.mark.parametrize("arg_type", ALL_TYPES, ids=lambda t: type(t).__name__)
@given(text=st.text())
def test_parse_raises_nothing_but_parse_error(arg_type: Any, text: str) -> None:
    err = outcome(arg_type, text)
    assert err is None or err.key.startswith("parse.")


@pytest.mark.parametrize("arg_type", ALL_TYPES, ids=lambda t: type(t).__name__)
@given(text=st.text(alphabet="0123456789.:-–, hmuhrbistagmofrsa", max_size=40))
def test_parse_raises_nothing_but_parse_error_on_near_misses(arg_type: Any, text: str) -> None:
    err = outcome(arg_type, text)
    assert err is None or err.key.startswith("parse.")


@pytest.mark.parametrize("arg_type", ALL_TYPES, ids=lambda t: type(t).__name__)
def test_parse_handles_very_long_input(arg_type: Any) -> None:
    for text in ("1" * 10_000, "mo-" * 5_000, "12.08.-" * 2_000, "a " * 10_000):
        err = outcome(arg_type, text)
        assert err is None or err.key.startswith("parse.")
