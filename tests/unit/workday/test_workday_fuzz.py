"""Whatever people type, the parsers answer with a ParseError (a friendly reply), never a crash."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st
from workday_testing import BERLIN, berlin

from homeoffice_bot.kernel.errors import ParseError
from homeoffice_bot.workday.breaks import parse_break_plans
from homeoffice_bot.workday.hours import parse_working_hours
from homeoffice_bot.workday.when import leave_period, parse_away, parse_leave, parse_until

NOW = berlin(2024, 8, 9, 11)
TOKENS = st.sampled_from(
    [
        "mo", "fr", "täglich", "bis", "-", "–", ",", ";", "8", "12:30", "16.30", "24:00",
        "99", "h", "uhr", "von", "xyz", "1h30", "15m", "12.08.", "23.8.2025", "2025-08-12",
        "vertretung", "@ben", "morgen", "31.02.", "99999999999999999999", "sichtbar:", " ",
        "٣", "ß", "\n",
    ]
)  # fmt: skip
TEXT = st.one_of(st.text(max_size=40), st.lists(TOKENS, max_size=8).map(" ".join))


def _outcome(parse: Callable[[str], object], text: str) -> str:
    try:
        parse(text)
    except ParseError as exc:
        return exc.key
    return "ok"


@settings(max_examples=300)
@given(TEXT)
def test_parsers_raise_only_parse_error(text: str) -> None:
    for parse in (
        parse_working_hours,
        parse_break_plans,
        lambda t: parse_until(t, NOW, BERLIN),
        lambda t: parse_away(t, NOW, BERLIN),
        lambda t: leave_period(t, date(2024, 8, 9)),
        lambda t: parse_leave(t, date(2024, 8, 9)),
    ):
        assert _outcome(parse, text).startswith(("ok", "workday.error."))
