from __future__ import annotations

from datetime import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from homeoffice_bot.kernel.errors import ParseError
from homeoffice_bot.standup.argtypes import (
    parse_kickoff_time,
    parse_reminder,
    parse_standup_name,
    parse_window,
    split_questions,
)

MAX = 240 * 60


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("09:00", time(9, 0)),
        ("9 Uhr", time(9, 0)),
        ("um 6:30", time(6, 30)),
        ("09:00:30", time(9, 0, 30)),
        ("23:59:59 Uhr", time(23, 59, 59)),
    ],
)
def test_kickoff_time(text: str, expected: time) -> None:
    assert parse_kickoff_time(text) == expected


@pytest.mark.parametrize("text", ["24:00:00", "09:60:00", "09:00:61", "neun", ""])
def test_kickoff_time_refused(text: str) -> None:
    with pytest.raises(ParseError) as info:
        parse_kickoff_time(text)
    assert info.value.key == "parse.time"


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("10", 600), ("15 min", 900), ("1 h", 3600), ("1:30", 5400), ("90 s", 90), ("2 Minuten", 120)],
)
def test_window_in_minutes_and_seconds(text: str, seconds: int) -> None:
    assert parse_window(text, 60, MAX) == seconds


def test_window_in_seconds_only_when_the_minimum_allows() -> None:
    assert parse_window("20s", 5, MAX) == 20
    assert parse_window("20 Sekunden", 5, MAX) == 20
    with pytest.raises(ParseError) as info:
        parse_window("20s", 60, MAX)
    assert info.value.key == "standup.error.window_min"
    assert info.value.params["min"] == "1 min"


def test_window_longer_than_the_maximum_is_refused() -> None:
    with pytest.raises(ParseError) as info:
        parse_window("300 min", 60, MAX)
    assert info.value.key == "standup.error.window"
    assert info.value.params["max"] == 240


@given(st.text(max_size=40))
def test_window_parser_raises_nothing_but_parse_errors(text: str) -> None:
    try:
        seconds = parse_window(text, 5, MAX)
    except ParseError:
        return
    assert 5 <= seconds <= MAX


@given(st.text(max_size=40))
def test_kickoff_time_parser_raises_nothing_but_parse_errors(text: str) -> None:
    try:
        parsed = parse_kickoff_time(text)
    except ParseError:
        return
    assert parsed.tzinfo is None
    assert parsed.microsecond == 0


def test_standup_name() -> None:
    assert parse_standup_name("name=Frühschicht") == "frühschicht"
    assert parse_standup_name("name:team-2") == "team-2"
    with pytest.raises(ParseError) as info:
        parse_standup_name("team")
    assert info.value.key == "standup.error.name_token"
    with pytest.raises(ParseError) as info:
        parse_standup_name("name=a!")
    assert info.value.key == "standup.error.name"


@pytest.mark.parametrize(
    ("text", "percent"), [("80", 80), ("50 %", 50), ("75%", 75), ("aus", 0), ("off", 0)]
)
def test_reminder(text: str, percent: int) -> None:
    assert parse_reminder(text) == percent


@pytest.mark.parametrize("text", ["0", "100", "bald", "80 Minuten"])
def test_reminder_refused(text: str) -> None:
    with pytest.raises(ParseError) as info:
        parse_reminder(text)
    assert info.value.key == "standup.error.reminder_value"


def test_questions_split_at_bars_and_lines() -> None:
    assert split_questions("Erledigt? | Geplant?\nBlockiert? |") == (
        "Erledigt?",
        "Geplant?",
        "Blockiert?",
    )
    with pytest.raises(ParseError) as info:
        split_questions(" | ".join(f"F{n}?" for n in range(11)))
    assert info.value.key == "standup.error.questions_count"
    with pytest.raises(ParseError) as info:
        split_questions("x" * 301)
    assert info.value.key == "standup.error.question"
