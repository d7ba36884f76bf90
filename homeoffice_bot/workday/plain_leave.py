"""Dates of leave in plain words: "nächste Woche", "vom 14. bis 18.12.", "14 to 18
December", "morgen", and the stand-in ("Vertretung Ben", "cover @ben:example.org").

Everything is turned into the numeric form that the workday's one date-range parser
(``when.parse_date_range``) reads; nothing here reads dates on its own.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Literal

from homeoffice_bot.kernel.errors import ParseError
from homeoffice_bot.workday.when import LeaveRequest, find_stand_in, parse_date_range

_MONTHS = {
    "januar": 1, "jänner": 1, "january": 1, "jan": 1, "februar": 2, "february": 2, "feb": 2,
    "märz": 3, "march": 3, "mär": 3, "mar": 3, "april": 4, "apr": 4, "mai": 5, "may": 5,
    "juni": 6, "june": 6, "jun": 6, "juli": 7, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9, "oktober": 10, "october": 10, "okt": 10, "oct": 10,
    "november": 11, "nov": 11, "dezember": 12, "december": 12, "dez": 12, "dec": 12,
}  # fmt: skip
_MONTH_NAME = "|".join(sorted(_MONTHS, key=len, reverse=True))
_DAY_MONTH_NAME = re.compile(rf"\b(?P<d>\d{{1,2}})\.?\s*(?:of\s+)?(?P<mon>{_MONTH_NAME})\.?\b")
_MONTH_NAME_DAY = re.compile(rf"\b(?P<mon>{_MONTH_NAME})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\b")
_DAY_ONLY_BEFORE = re.compile(
    r"(?<![\d.])(?P<d>\d{1,2})(?:\.|st|nd|rd|th)?\s*(?P<sep>bis|-|–|to|until|till)\s*"
    r"(?P<d2>\d{1,2})\.(?P<m2>\d{1,2})(?:\.(?P<y2>\d{2,4})?)?"
)
_DAY_ONLY_AFTER = re.compile(
    r"(?<![\d.])(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.?\s*(?:bis|-|–|to|until|till)\s*"
    r"(?P<d2>\d{1,2})(?![\d.])"
)
_WEEK_WORDS: tuple[tuple[re.Pattern[str], int], ...] = (
    (re.compile(r"\b(?:übernächste[nr]?\s+woche|the\s+week\s+after\s+next)\b"), 2),
    (re.compile(r"\b(?:nächste[nr]?\s+woche|kommende[nr]?\s+woche|next\s+week)\b"), 1),
    (re.compile(r"\b(?:diese[nr]?\s+woche|this\s+week)\b"), 0),
)
_SINGLE_DAY_WORDS = re.compile(r"^(?:am|on|für|for)?\s*(?P<w>heute|today|morgen|tomorrow)$")


def split_stand_in(raw: str) -> tuple[str | None, str]:
    """The stand-in as typed and the text without it (``when.find_stand_in``: one rule
    for commands and plain words); a keyword without a name is no stand-in."""
    try:
        return find_stand_in(raw)
    except ParseError:
        return None, raw


def parse_leave_words(text: str, today: date) -> LeaveRequest:
    """``!urlaub`` 's period: ``14.12.-18.12. vertretung Ben Müller``, ``vom 14. bis
    18.12.``, ``nächste Woche``: the same dates plain words accept. Raises ``ParseError``
    (``workday.error.dates`` / ``date_order`` / ``stand_in_missing``)."""
    stand_in, dates_text = find_stand_in(text)
    try:
        first, last = parse_date_range(dates_text, today)
    except ParseError as exc:
        dates = leave_dates(dates_text.casefold(), today)
        if dates is None:
            raise ParseError(exc.key, **(exc.params | {"text": text})) from None
        if dates == "reversed":
            raise ParseError("workday.error.date_order", text=text) from None
        first, last = dates
    return LeaveRequest(first, last, stand_in)


def leave_dates(text: str, today: date) -> tuple[date, date] | Literal["reversed"] | None:
    """The first and last day of leave said in ``text`` (the leave words already taken
    out); ``"reversed"`` when the end comes before the start; ``None`` when the dates are
    not readable."""
    rest = re.sub(r"\b(?:ich|bin|habe|hab|nehme|mache|mach|im|in|i'?m|i|am|take|taking|on|"
                  r"a|have|going to|be|will)\b", " ", text)  # fmt: skip
    rest = re.sub(r"\s+", " ", rest).strip(" ,.")
    for pattern, weeks in _WEEK_WORDS:
        if pattern.search(rest) and not pattern.sub(" ", rest).strip(" ,."):
            monday = today - timedelta(days=today.weekday()) + timedelta(weeks=weeks)
            first = max(monday, today)
            return first, monday + timedelta(days=4)
    single = _SINGLE_DAY_WORDS.match(rest)
    if single:
        day = today + timedelta(days=1 if single["w"] in ("morgen", "tomorrow") else 0)
        return day, day
    if not rest:
        return None
    spelled = _spell_dates(rest)
    try:
        return parse_date_range(spelled, today)
    except ParseError as exc:
        if exc.key == "workday.error.date_order":
            return "reversed"
        return None


def _spell_dates(text: str) -> str:
    """Month names and "vom 14. bis 18.12." into the numeric form ``when`` reads."""

    def day_month(match: re.Match[str]) -> str:
        return f"{int(match['d'])}.{_MONTHS[match['mon']]}."

    text = _DAY_MONTH_NAME.sub(day_month, text)
    text = _MONTH_NAME_DAY.sub(day_month, text)

    def borrow_month(match: re.Match[str]) -> str:
        year = match["y2"] or ""
        return f"{match['d']}.{match['m2']}.{year} bis {match['d2']}.{match['m2']}.{year}"

    text = _DAY_ONLY_BEFORE.sub(borrow_month, text)

    def lend_month(match: re.Match[str]) -> str:
        return f"{match['d']}.{match['m']}. bis {match['d2']}.{match['m']}."

    text = _DAY_ONLY_AFTER.sub(lend_month, text)
    text = re.sub(r"\b(?:am|on|for|für|zum|zur|the)\b", " ", text)
    text = re.sub(r"\bab\s+(?=heute|morgen|today|tomorrow)", "", text)
    return re.sub(r"\s+", " ", text).strip(" ,.")
