"""Dates of leave in plain words: "nächste Woche", "vom 14. bis 18.12.", "14 to 18
December", "morgen", and the stand-in ("Vertretung Ben", "cover @ben:example.org").

The dates are read by the kernel's one date grammar (``kernel.dateargs``, through
``when.leave_period``); this module only takes the words of a sentence out around them
("ich bin nächste Woche im Urlaub"). Nothing here reads dates on its own.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Literal

from homeoffice_bot.kernel.errors import ParseError
from homeoffice_bot.workday.when import LeaveRequest, find_stand_in, leave_period

_SENTENCE_WORDS = re.compile(
    r"\b(?:ich|bin|habe|hab|nehme|mache|mach|im|in|i'?m|i|am|take|taking|on|a|have|"
    r"going to|be|will)\b"
)


def split_stand_in(raw: str) -> tuple[str | None, str]:
    """The stand-in as typed and the text without it (``when.find_stand_in``: one rule
    for commands and plain words); a keyword without a name is no stand-in."""
    try:
        return find_stand_in(raw)
    except ParseError:
        return None, raw


def _dates_part(text: str) -> str:
    """``text`` without the words of a sentence around the dates."""
    rest = _SENTENCE_WORDS.sub(" ", text.casefold())
    return re.sub(r"\s+", " ", rest).strip(" ,.")


def parse_leave_words(text: str, today: date) -> LeaveRequest:
    """``!urlaub`` 's period: ``14.12.-18.12. vertretung Ben Müller``, ``vom 14. bis
    18.12.``, ``nächste Woche``: the same dates plain words accept. Raises ``ParseError``
    (``workday.error.dates`` / ``date_order`` / ``stand_in_missing``) naming ``text``."""
    stand_in, dates_text = find_stand_in(text)
    try:
        first, last = leave_period(_dates_part(dates_text), today)
    except ParseError as exc:
        raise ParseError(exc.key, **(exc.params | {"text": text})) from None
    return LeaveRequest(first, last, stand_in)


def leave_dates(text: str, today: date) -> tuple[date, date] | Literal["reversed"] | None:
    """The first and last day of leave said in ``text`` (the leave words already taken
    out); ``"reversed"`` when the end comes before the start (or the period is longer
    than a year); ``None`` when the dates are not readable."""
    rest = _dates_part(text)
    if not rest:
        return None
    try:
        return leave_period(rest, today)
    except ParseError as exc:
        return "reversed" if exc.key == "workday.error.date_order" else None
