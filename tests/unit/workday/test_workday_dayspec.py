from __future__ import annotations

from datetime import time

import pytest
from hypothesis import given
from hypothesis import strategies as st
from workday_testing import Tr

from homeoffice_bot.kernel.errors import ParseError
from homeoffice_bot.workday.dayspec import (
    ALL_DAYS,
    WORKDAYS,
    DayGroup,
    TimeWindow,
    format_day_windows,
    format_days,
    parse_day_groups,
    parse_time,
)


def w(start: str, end: str) -> TimeWindow:
    return TimeWindow(parse_time(start), parse_time(end))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("8", time(8)),
        ("07:30", time(7, 30)),
        ("16.30", time(16, 30)),
        ("0:05", time(0, 5)),
    ],
)
def test_parse_time(text: str, expected: time) -> None:
    assert parse_time(text) == expected


@pytest.mark.parametrize("text", ["24:00", "7:60", "abc", "7:5"])
def test_parse_time_rejects(text: str) -> None:
    with pytest.raises(ParseError) as info:
        parse_time(text)
    assert info.value.key == "workday.error.spec_time"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "mo-do 07:30-16:00, fr 07:30-13:00",
            (
                DayGroup(frozenset({1, 2, 3, 4}), (w("7:30", "16:00"),)),
                DayGroup(frozenset({5}), (w("7:30", "13:00"),)),
            ),
        ),
        ("Mo–Fr 8-16:30", (DayGroup(WORKDAYS, (w("8:00", "16:30"),)),)),
        ("täglich 9:00-17:00", (DayGroup(ALL_DAYS, (w("9:00", "17:00"),)),)),
        ("daily 9-17", (DayGroup(ALL_DAYS, (w("9:00", "17:00"),)),)),
        ("Mo bis Fr von 8 bis 16:30 Uhr", (DayGroup(WORKDAYS, (w("8:00", "16:30"),)),)),
        ("Monday-Thursday 8-16", (DayGroup(frozenset({1, 2, 3, 4}), (w("8:00", "16:00"),)),)),
        ("Mon, Wed, Fri 8.30-12", (DayGroup(frozenset({1, 3, 5}), (w("8:30", "12:00"),)),)),
        ("sa-mo 9-10", (DayGroup(frozenset({6, 7, 1}), (w("9:00", "10:00"),)),)),
        ("werktags 8-12", (DayGroup(WORKDAYS, (w("8:00", "12:00"),)),)),
        ("Wochenende 10-12", (DayGroup(frozenset({6, 7}), (w("10:00", "12:00"),)),)),
        ("jeden Tag 12-13", (DayGroup(ALL_DAYS, (w("12:00", "13:00"),)),)),
        (
            "mo-fr 8-12, 13-17, sa 10-12",
            (
                DayGroup(WORKDAYS, (w("8:00", "12:00"), w("13:00", "17:00"))),
                DayGroup(frozenset({6}), (w("10:00", "12:00"),)),
            ),
        ),
        ("9-17h", (DayGroup(WORKDAYS, (w("9:00", "17:00"),)),)),
    ],
)
def test_parse_day_groups(text: str, expected: tuple[DayGroup, ...]) -> None:
    assert parse_day_groups(text, WORKDAYS) == expected


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("", "spec_empty"),
        ("mo-fr", "spec_days_without_time"),
        ("mo-fr 8-12, sa", "spec_days_without_time"),
        ("mo-fr 8", "spec_time_range"),
        ("mo-fr 16-8", "spec_range_order"),
        ("mo-fr 8-12, 11-14", "spec_overlap"),
        ("mo-fr 8-16 ausser feiertags", "spec_unknown"),
        ("mo-fr 8-16 ?", "spec_unknown"),
        ("9-17", "spec_missing_days"),
    ],
)
def test_parse_day_groups_errors(text: str, key: str) -> None:
    with pytest.raises(ParseError) as info:
        parse_day_groups(text, WORKDAYS if key != "spec_missing_days" else None)
    assert info.value.key == f"workday.error.{key}"
    assert info.value.params["text"] == text


def test_format_days() -> None:
    de, en = Tr("de"), Tr("en")
    assert format_days({1, 2, 3, 4, 5}, de) == "Mo–Fr"
    assert format_days({1, 3, 5}, de) == "Mo, Mi, Fr"
    assert format_days({6, 7}, en) == "Sat, Sun"
    assert format_days({1, 2, 3, 5, 6}, en) == "Mon–Wed, Fri, Sat"
    assert format_days(ALL_DAYS, de) == "täglich"


_windows = st.lists(
    st.tuples(st.integers(0, 23 * 4), st.integers(1, 8)), min_size=1, max_size=3
).map(
    lambda parts: tuple(
        TimeWindow(
            time(start // 4, start % 4 * 15),
            time(min(start // 4 + length, 23), start % 4 * 15 if start // 4 + length < 24 else 59),
        )
        for start, length in parts
    )
)


def _disjoint(windows: tuple[TimeWindow, ...]) -> tuple[TimeWindow, ...]:
    kept: list[TimeWindow] = []
    for window in sorted(windows):
        if not kept or not kept[-1].overlaps(window):
            kept.append(window)
    return tuple(kept)


@given(
    per_day=st.dictionaries(st.integers(1, 7), _windows.map(_disjoint), min_size=1),
    lang=st.sampled_from(["de", "en"]),
)
def test_format_parses_back(per_day: dict[int, tuple[TimeWindow, ...]], lang: str) -> None:
    text = format_day_windows(per_day, Tr(lang))
    parsed: dict[int, tuple[TimeWindow, ...]] = {}
    for group in parse_day_groups(text, None):
        for day in group.days:
            assert day not in parsed
            parsed[day] = group.windows
    assert parsed == {day: tuple(sorted(ws)) for day, ws in per_day.items()}
