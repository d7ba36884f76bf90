"""The one date and date-range grammar (kernel/dateargs.py): what it reads and its year rule.

The tables hold every phrasing that one of the two former parsers read (the stand-up's
arguments and the workday's leave dates), with the result it gave, under the rule for
what is planned (``future=True``: leave, absences, closures) unless a case says otherwise.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from homeoffice_bot.kernel.dateargs import (
    CalendarDate,
    DateRangeSpec,
    RelativeDate,
    WeekDate,
    parse_date,
    parse_date_range,
)
from homeoffice_bot.kernel.errors import ParseError

FRIDAY = date(2024, 8, 9)
MAY = date(2026, 5, 1)


def planned(text: str, today: date) -> tuple[date, date]:
    return parse_date_range(text).resolve(today, future=True)


def looked_back(text: str, today: date) -> tuple[date, date]:
    return parse_date_range(text).resolve(today)


def error(text: str, today: date = FRIDAY, *, future: bool = True) -> ParseError:
    with pytest.raises(ParseError) as info:
        parse_date_range(text).resolve(today, future=future)
    return info.value


D = date


@pytest.mark.parametrize(
    ("text", "today", "first", "last"),
    [
        # what the stand-up's arguments read
        ("12.08.–23.08.", MAY, D(2026, 8, 12), D(2026, 8, 23)),
        ("12.08. - 23.08.", MAY, D(2026, 8, 12), D(2026, 8, 23)),
        ("12.08.2026-23.08.2026", D(2020, 1, 1), D(2026, 8, 12), D(2026, 8, 23)),
        ("12. 8. 2026 bis 23. 8. 2026", D(2020, 1, 1), D(2026, 8, 12), D(2026, 8, 23)),
        ("1. 5. 2024", MAY, D(2024, 5, 1), D(2024, 5, 1)),
        ("12.08. bis 23.08.", MAY, D(2026, 8, 12), D(2026, 8, 23)),
        ("vom 12.08. bis zum 23.08.", MAY, D(2026, 8, 12), D(2026, 8, 23)),
        ("von 12.08. bis einschließlich 23.08.", MAY, D(2026, 8, 12), D(2026, 8, 23)),
        ("from 12.08. until 23.08.", MAY, D(2026, 8, 12), D(2026, 8, 23)),
        ("12.08. till 23.08.", MAY, D(2026, 8, 12), D(2026, 8, 23)),
        ("12.08. — 23.08.", MAY, D(2026, 8, 12), D(2026, 8, 23)),
        ("2026-08-12 to 2026-08-23", D(2020, 1, 1), D(2026, 8, 12), D(2026, 8, 23)),
        ("2026-08-12-2026-08-23", D(2020, 1, 1), D(2026, 8, 12), D(2026, 8, 23)),
        ("28.12.–03.01.", MAY, D(2026, 12, 28), D(2027, 1, 3)),
        ("28.12.–03.01.2027", MAY, D(2026, 12, 28), D(2027, 1, 3)),
        ("28.12.2026 bis 3.1.", MAY, D(2026, 12, 28), D(2027, 1, 3)),
        ("heute bis 3.1.", D(2026, 12, 28), D(2026, 12, 28), D(2027, 1, 3)),
        ("morgen bis 23.08.", MAY, D(2026, 5, 2), D(2026, 8, 23)),
        ("morgen", MAY, D(2026, 5, 2), D(2026, 5, 2)),
        ("übermorgen", MAY, D(2026, 5, 3), D(2026, 5, 3)),
        ("24.12.", MAY, D(2026, 12, 24), D(2026, 12, 24)),
        ("24. Dezember 2026", MAY, D(2026, 12, 24), D(2026, 12, 24)),
        ("24 dec", MAY, D(2026, 12, 24), D(2026, 12, 24)),
        ("2.1.–6.1.", D(2026, 12, 20), D(2027, 1, 2), D(2027, 1, 6)),
        # what the workday's leave dates read (today a Friday, 9 August 2024)
        ("12.08.–23.08.", FRIDAY, D(2024, 8, 12), D(2024, 8, 23)),
        ("12.8.-23.8.", FRIDAY, D(2024, 8, 12), D(2024, 8, 23)),
        ("12.08.2025 - 23.08.2025", FRIDAY, D(2025, 8, 12), D(2025, 8, 23)),
        ("12.08.25-23.08.25", FRIDAY, D(2025, 8, 12), D(2025, 8, 23)),
        ("2025-08-12 bis 2025-08-23", FRIDAY, D(2025, 8, 12), D(2025, 8, 23)),
        ("vom 12.08. bis 23.08.", FRIDAY, D(2024, 8, 12), D(2024, 8, 23)),
        ("23.08.", FRIDAY, D(2024, 8, 23), D(2024, 8, 23)),
        ("ab 12.08.", FRIDAY, D(2024, 8, 12), D(2024, 8, 12)),
        ("am 24.12.", FRIDAY, D(2024, 12, 24), D(2024, 12, 24)),
        ("ab morgen", FRIDAY, D(2024, 8, 10), D(2024, 8, 10)),
        ("heute", FRIDAY, FRIDAY, FRIDAY),
        ("today", FRIDAY, FRIDAY, FRIDAY),
        ("tomorrow", FRIDAY, D(2024, 8, 10), D(2024, 8, 10)),
        ("28.12.-03.01.", FRIDAY, D(2024, 12, 28), D(2025, 1, 3)),
        ("05.08.-09.08.", FRIDAY, D(2024, 8, 5), D(2024, 8, 9)),  # this week, still going
        ("01.02.-05.02.", FRIDAY, D(2025, 2, 1), D(2025, 2, 5)),  # passed: next year
        ("vom 14. bis 18.12.", FRIDAY, D(2024, 12, 14), D(2024, 12, 18)),
        ("14.-18.12.", FRIDAY, D(2024, 12, 14), D(2024, 12, 18)),
        ("14.12. bis 18.", FRIDAY, D(2024, 12, 14), D(2024, 12, 18)),
        ("vom 14. bis 18. Dezember", FRIDAY, D(2024, 12, 14), D(2024, 12, 18)),
        ("21.12. bis 8.1.", FRIDAY, D(2024, 12, 21), D(2025, 1, 8)),
        ("14 to 18 December", FRIDAY, D(2024, 12, 14), D(2024, 12, 18)),
        ("from 14 to 18 december", FRIDAY, D(2024, 12, 14), D(2024, 12, 18)),
        ("December 14 to 18", FRIDAY, D(2024, 12, 14), D(2024, 12, 18)),
        ("14th of December", FRIDAY, D(2024, 12, 14), D(2024, 12, 14)),
        ("the 14th to the 18th of December", FRIDAY, D(2024, 12, 14), D(2024, 12, 18)),
        ("December 24th, 2026", FRIDAY, D(2026, 12, 24), D(2026, 12, 24)),
        ("diese Woche", D(2024, 8, 7), D(2024, 8, 7), D(2024, 8, 9)),  # from today
        ("this week", D(2024, 8, 5), D(2024, 8, 5), D(2024, 8, 9)),
        ("nächste Woche", FRIDAY, D(2024, 8, 12), D(2024, 8, 16)),
        ("kommende Woche", FRIDAY, D(2024, 8, 12), D(2024, 8, 16)),
        ("next week", FRIDAY, D(2024, 8, 12), D(2024, 8, 16)),
        ("übernächste Woche", FRIDAY, D(2024, 8, 19), D(2024, 8, 23)),
        ("the week after next", FRIDAY, D(2024, 8, 19), D(2024, 8, 23)),
        # a range given only by its end starts today
        ("bis 23.08.", FRIDAY, FRIDAY, D(2024, 8, 23)),
        ("bis zum 23.08.", FRIDAY, FRIDAY, D(2024, 8, 23)),
        ("until 23.08.", FRIDAY, FRIDAY, D(2024, 8, 23)),
        ("to 2024-08-23", FRIDAY, FRIDAY, D(2024, 8, 23)),
        ("bis morgen", FRIDAY, FRIDAY, D(2024, 8, 10)),
        ("Bis  23.08. ,", FRIDAY, FRIDAY, D(2024, 8, 23)),
    ],
)
def test_every_phrasing_of_both_former_parsers(
    text: str, today: date, first: date, last: date
) -> None:
    assert planned(text, today) == (first, last)


def test_the_year_rule_at_the_end_of_the_year() -> None:
    # on 30.12., leave from 28.12. to 3.1. is the one running now, not next year's
    assert planned("vom 28.12. bis 3.1.", D(2026, 12, 30)) == (D(2026, 12, 28), D(2027, 1, 3))
    assert looked_back("vom 28.12. bis 3.1.", D(2026, 12, 30)) == (
        D(2026, 12, 28),
        D(2027, 1, 3),
    )
    # on 2.1., "5.1." is in three days; looked back at (a report), "30.12." was last week
    assert planned("5.1.", D(2027, 1, 2)) == (D(2027, 1, 5), D(2027, 1, 5))
    assert parse_date("5.1.").resolve(D(2027, 1, 2), future=True) == D(2027, 1, 5)
    assert parse_date("30.12.").resolve(D(2027, 1, 2)) == D(2026, 12, 30)
    assert parse_date("30.12.").resolve(D(2027, 1, 2), future=True) == D(2027, 12, 30)
    # an export of the last days of the old year, asked for on 5.1.
    assert looked_back("28.12. bis 3.1.", D(2027, 1, 5)) == (D(2026, 12, 28), D(2027, 1, 3))
    # a year-less start takes the end's year, or the year before across New Year
    assert planned("20.12. bis 3.1.2027", MAY) == (D(2026, 12, 20), D(2027, 1, 3))
    assert planned("1.12. bis 3.1.", D(2026, 12, 30)) == (D(2026, 12, 1), D(2027, 1, 3))


def test_looking_back_takes_the_latest_such_days() -> None:
    assert looked_back("01.11. bis 30.11.", D(2026, 12, 1)) == (D(2026, 11, 1), D(2026, 11, 30))
    assert looked_back("12.08.–23.08.", MAY) == (D(2025, 8, 12), D(2025, 8, 23))
    assert looked_back("24.11.", D(2026, 12, 1)) == (D(2026, 11, 24), D(2026, 11, 24))
    assert looked_back("gestern", MAY) == (D(2026, 4, 30), D(2026, 4, 30))
    assert looked_back("diese Woche", D(2024, 8, 7)) == (D(2024, 8, 5), D(2024, 8, 9))


@pytest.mark.parametrize(
    "text",
    [
        "23.08.2026-12.08.2026",
        "morgen bis heute",
        "23.08. bis 12.08.",  # formerly 23.08. to 12.08. of the next year, silently
        "vom 18. bis 14.12.",
        "20.08. bis 12.08.2027",  # formerly 20.08.2026 to 12.08.2027
        "18.12. bis 14.",
    ],
)
def test_an_end_before_the_start_is_refused_as_typed(text: str) -> None:
    with pytest.raises(ParseError) as info:
        parse_date_range(text)
    assert (info.value.key, info.value.params) == ("parse.daterange_order", {"value": text})


def test_an_end_before_the_start_found_from_today_names_both_days() -> None:
    # formerly "bis 1.8." on 9.8. was leave until 1.8. of the next year
    err = error("bis 1.8.", FRIDAY)
    assert (err.key, err.params) == ("parse.daterange_order", {"value": "09.08.2024–01.08.2024"})
    err = error("10.05. bis morgen", MAY, future=False)
    assert (err.key, err.params) == ("parse.daterange_order", {"value": "10.05.2026–02.05.2026"})
    assert error("diese Woche", D(2024, 8, 10)).key == "parse.daterange_order"  # Saturday


@pytest.mark.parametrize(
    "text",
    [
        "",
        "bis",
        "12.08. bis",
        "bis bis 12.08.",
        "31.02.–03.03.",
        "x-y",
        "irgendwann",
        "1.1.-2.1.-3.1.",
        "31.02.",
        "12.08., 23.08.",  # two days or a period? formerly read as a period
        "14 bis 18",
        "Woche",
        "24/12/2026",
        "12.08. " * 40,
    ],
)
def test_garbage_is_no_period(text: str) -> None:
    with pytest.raises(ParseError) as info:
        parse_date_range(text)
    assert info.value.key == "parse.daterange"


def test_29_february_needs_a_leap_year() -> None:
    assert planned("29.02.", D(2027, 3, 1)) == (D(2028, 2, 29), D(2028, 2, 29))
    err = error("29.02.", D(2027, 2, 1))
    assert (err.key, err.params) == ("parse.date", {"value": "29.02.2027"})


def test_what_a_period_is_made_of() -> None:
    assert parse_date_range("vom 14. bis 18.12.") == DateRangeSpec(
        CalendarDate(14, 12), CalendarDate(18, 12)
    )
    assert parse_date_range("bis 23.08.") == DateRangeSpec(RelativeDate(0), CalendarDate(23, 8))
    assert parse_date_range("nächste Woche") == DateRangeSpec(
        WeekDate(1, 0, from_today=True), WeekDate(1, 4)
    )


# --- properties ---------------------------------------------------------------------------

DAYS = st.dates(min_value=date(2001, 1, 1), max_value=date(2098, 12, 31))
SEPARATORS = st.sampled_from(["-", "–", " - ", " – ", "—", " bis ", " to ", " until ", " till "])
LEADS = st.sampled_from(["", "vom ", "von ", "from "])
_MONTH_WORDS = ["januar", "feb", "märz", "april", "may", "juni", "jul", "aug", "sept", "okt"]
_MONTH_WORDS += ["november", "dec"]


def _written(day: date, style: int, *, year: bool) -> str:
    if style == 0:
        return f"{day:%d.%m.}" + (f"{day:%Y}" if year else "")
    if style == 1:
        return f"{day.day}.{day.month}." + (f"{day:%y}" if year else "")
    if style == 2 and year:
        return day.isoformat()
    return f"{day.day}. {_MONTH_WORDS[day.month - 1]}" + (f" {day.year}" if year else "")


@given(DAYS, st.integers(0, 400), SEPARATORS, LEADS, st.integers(0, 3), DAYS, st.booleans())
def test_a_period_with_years_is_read_as_typed(
    start: date, length: int, sep: str, lead: str, style: int, today: date, future: bool
) -> None:
    end = min(start + timedelta(days=length), date(2099, 12, 31))
    text = lead + _written(start, style, year=True) + sep + _written(end, style, year=True)
    assert parse_date_range(text).resolve(today, future=future) == (start, end)


@given(DAYS, st.integers(0, 364), st.integers(0, 300), SEPARATORS, st.integers(0, 3))
def test_a_planned_period_without_years_is_the_next_one_not_yet_over(
    today: date, ahead: int, length: int, sep: str, style: int
) -> None:
    end = today + timedelta(days=ahead)
    start = end - timedelta(days=length)
    text = _written(start, style, year=False) + sep + _written(end, style, year=False)
    assert planned(text, today) == (start, end)


@given(DAYS, st.integers(0, 364), st.integers(0, 300), SEPARATORS, st.integers(0, 3))
def test_a_period_looked_back_at_is_the_latest_one_begun(
    today: date, ago: int, length: int, sep: str, style: int
) -> None:
    start = today - timedelta(days=ago)
    end = start + timedelta(days=length)
    text = _written(start, style, year=False) + sep + _written(end, style, year=False)
    assert looked_back(text, today) == (start, end)


@given(DAYS, st.integers(0, 364), st.integers(0, 3))
def test_a_day_without_a_year_is_the_nearest_one_on_the_side_the_command_looks(
    today: date, distance: int, style: int
) -> None:
    ahead, ago = today + timedelta(days=distance), today - timedelta(days=distance)
    assert parse_date(_written(ahead, style, year=False)).resolve(today, future=True) == ahead
    assert parse_date(_written(ago, style, year=False)).resolve(today) == ago


@given(DAYS, st.integers(0, 300))
def test_until_a_day_runs_from_today(today: date, ahead: int) -> None:
    end = today + timedelta(days=ahead)
    for word in ("bis", "until"):
        assert planned(f"{word} {end:%d.%m.}", today) == (today, end)


@given(st.text(max_size=60), DAYS, st.booleans())
def test_any_text_is_a_period_or_a_clear_error(text: str, today: date, future: bool) -> None:
    outcome: str | tuple[date, date]
    try:
        outcome = parse_date_range(text).resolve(today, future=future)
    except ParseError as exc:
        outcome = exc.key
    if isinstance(outcome, str):
        assert outcome in ("parse.date", "parse.daterange", "parse.daterange_order")
    else:
        assert outcome[0] <= outcome[1]
