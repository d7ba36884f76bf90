"""The one duration grammar (kernel/durations.py): what the command argument type reads,
and every form the workday's own parser reads today (so that it can switch to it)."""

from __future__ import annotations

from datetime import timedelta
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from homeoffice_bot.kernel.durations import duration_minutes, format_duration
from homeoffice_bot.workday.when import span_of

MINUTE = timedelta(minutes=1)


WORKDAY_FORMS = [
    "15m",
    "15 min",
    "15 Minuten",
    "1h",
    "1 Std",
    "1h30",
    "1h 30m",
    "1,5 Std",
    "2 hours",
    "90",
    "16h",
    "1h05",
]
"""What workday/when.py's own parser reads (its tests' forms)."""


@pytest.mark.parametrize("text", WORKDAY_FORMS)
def test_the_grammar_reads_what_the_workday_parser_reads(text: str) -> None:
    minutes = duration_minutes(text, bare_unit=MINUTE)
    assert minutes is not None
    assert minutes * 60 == span_of(text).total_seconds()


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("90 min", 90),
        ("15 Min.", 15),
        ("1 Std. 30", 90),
        ("1:30", 90),
        ("1:30 h", 90),
        ("0,25 Stunden", 15),
        ("1 Stunde und 30 Minuten", 90),
        ("1 hour and 15 minutes", 75),
        ("  1H30  ", 90),
    ],
)
def test_the_grammar_reads_what_the_command_type_reads(text: str, minutes: int) -> None:
    assert duration_minutes(text, bare_unit=MINUTE) == minutes


@pytest.mark.parametrize("text", ["", "lang", "15x", "15 sec", "30m 1h", "1h 2h", "1h 90m", "1:75"])
def test_what_names_no_length(text: str) -> None:
    assert duration_minutes(text, bare_unit=MINUTE) is None


def test_a_bare_number_needs_a_unit_from_the_caller() -> None:
    assert duration_minutes("15") is None
    assert duration_minutes("8", bare_unit=timedelta(hours=1)) == 480


def test_fractions_stay_exact_for_the_caller_to_round_or_refuse() -> None:
    assert duration_minutes("1.01h") == Fraction(303, 5)
    assert duration_minutes("0m") == 0


@given(st.integers(min_value=1, max_value=16 * 60))
def test_written_lengths_read_back(minutes: int) -> None:
    hours, rest = divmod(minutes, 60)
    assert duration_minutes(format_duration(timedelta(minutes=minutes))) == minutes
    assert duration_minutes(f"{hours}h{rest:02d}" if hours else f"{rest}m") == minutes
