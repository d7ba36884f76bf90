"""Weekday-and-time specifications such as ``mo-do 07:30-16:00, fr 07:30-13:00``.

Shared by working hours and planned breaks. The grammar is forgiving on purpose:

* days: German or English names and abbreviations (``Mo``, ``Montag``, ``mon``,
  ``Monday``), ranges (``mo-fr``, ``Mo–Fr``, ``mo bis fr``, wrapping ``sa-mo``), lists
  (``mo, mi, fr``) and words (``täglich``/``daily``, ``werktags``/``weekdays``,
  ``wochenende``/``weekend``);
* times: ``8``, ``8:00``, ``16.30``, ``von 8 bis 16:30 Uhr``, ``9-17h``;
* a time range applies to the days named before it; a range without days of its own
  continues the previous group (``mo-fr 8-12, 13-17``); a range before any day uses
  the caller's default days.

Parsing returns groups in the order written; each caller decides how groups combine.
Errors are ``ParseError`` with ``workday.error.*`` keys from this component's catalogue.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import time

from homeoffice_bot.kernel.errors import ParseError
from homeoffice_bot.kernel.formatting import format_day_ranges
from homeoffice_bot.workday.texts import Translate

ALL_DAYS: frozenset[int] = frozenset(range(1, 8))
WORKDAYS: frozenset[int] = frozenset(range(1, 6))
WEEKEND: frozenset[int] = frozenset({6, 7})

_DAY_NAMES: Mapping[str, int] = {
    **dict.fromkeys(("mo", "mon", "montag", "monday"), 1),
    **dict.fromkeys(("di", "dienstag", "tu", "tue", "tues", "tuesday"), 2),
    **dict.fromkeys(("mi", "mittwoch", "wed", "wednesday"), 3),
    **dict.fromkeys(("do", "donnerstag", "th", "thu", "thur", "thurs", "thursday"), 4),
    **dict.fromkeys(("fr", "fri", "freitag", "friday"), 5),
    **dict.fromkeys(("sa", "sat", "samstag", "sonnabend", "saturday"), 6),
    **dict.fromkeys(("so", "sonntag", "su", "sun", "sunday"), 7),
}
_DAY_WORDS: Mapping[str, frozenset[int]] = {
    **dict.fromkeys(("täglich", "taeglich", "daily"), ALL_DAYS),
    **dict.fromkeys(("werktags", "wochentags", "weekdays", "workdays"), WORKDAYS),
    **dict.fromkeys(("wochenende", "wochenendes", "weekend", "weekends"), WEEKEND),
}
_FILLERS = frozenset(
    ("von", "from", "uhr", "h", "jeweils", "am", "an", "on", "at", "und", "and", "sowie")
)
_PHRASES = (
    (re.compile(r"\b(?:jeden|an allen) tag(?:en)?\b"), " täglich "),
    (re.compile(r"\b(?:every|each) day\b"), " daily "),
    (re.compile(r"\b(?:bis|to|until|till)\b"), " - "),
    (re.compile(r"[\u2010-\u2015\u2212~]"), "-"),
    (re.compile(r"(\d)\s*h\b"), r"\1 "),
)
_TOKEN = re.compile(
    r"\s*(?:(?P<time>\d{1,2}(?:[:.]\d{2})?)|(?P<word>[a-zäöüß]+)\.?|(?P<dash>-)|(?P<sep>[,;/&+]))"
)
_TIME = re.compile(r"(?P<h>\d{1,2})(?:[:.](?P<m>\d{2}))?")


@dataclass(frozen=True, order=True)
class TimeWindow:
    """A local wall-clock window within one day; ``start < end``."""

    start: time
    end: time

    def __post_init__(self) -> None:
        if not self.start < self.end:
            raise ValueError(f"window must start before it ends: {self.start}-{self.end}")

    def contains(self, at: time) -> bool:
        return self.start <= at < self.end

    def overlaps(self, other: TimeWindow) -> bool:
        return self.start < other.end and other.start < self.end


@dataclass(frozen=True)
class DayGroup:
    """Some weekdays (ISO numbers, Monday = 1) sharing the same time windows."""

    days: frozenset[int]
    windows: tuple[TimeWindow, ...]


def _fail(key: str, text: str, **params: object) -> ParseError:
    return ParseError(f"workday.error.{key}", text=text, **params)


def parse_time(text: str) -> time:
    """``8`` → 08:00, ``7:30``/``7.30`` → 07:30. Raises ``ParseError``."""
    match = _TIME.fullmatch(text.strip())
    if match is None:
        raise _fail("spec_time", text)
    hour, minute = int(match["h"]), int(match["m"] or 0)
    if hour > 23 or minute > 59:
        raise _fail("spec_time", text)
    return time(hour, minute)


def _tokens(text: str) -> list[tuple[str, str]]:
    folded = f" {text.casefold()} "
    for pattern, replacement in _PHRASES:
        folded = pattern.sub(replacement, folded)
    out: list[tuple[str, str]] = []
    pos, stripped_end = 0, len(folded.rstrip())
    while pos < stripped_end:
        match = _TOKEN.match(folded, pos)
        if match is None or match.end() == pos:
            raise _fail("spec_unknown", text, word=folded[pos:].split()[0])
        pos = match.end()
        kind = match.lastgroup
        assert kind is not None
        value = match[kind]
        if kind == "sep" or (kind == "word" and value in _FILLERS):
            continue
        out.append((kind, value))
    return out


def _day_range(first: int, last: int) -> frozenset[int]:
    span = (last - first) % 7
    return frozenset((first - 1 + i) % 7 + 1 for i in range(span + 1))


def parse_day_groups(text: str, default_days: frozenset[int] | None) -> tuple[DayGroup, ...]:
    """Parse a specification into day groups, in the order written.

    ``default_days`` applies to time ranges written before any day; ``None`` makes
    such a range an error. Raises ``ParseError`` (never anything else).
    """
    tokens = _tokens(text)
    if not tokens:
        raise _fail("spec_empty", text)
    groups: list[DayGroup] = []
    days: set[int] = set()
    windows: list[TimeWindow] = []

    def close() -> None:
        if days and not windows:
            raise _fail("spec_days_without_time", text)
        if windows:
            ordered = tuple(sorted(windows))
            for before, after in itertools.pairwise(ordered):
                if before.overlaps(after):
                    raise _fail("spec_overlap", text)
            groups.append(DayGroup(frozenset(days), ordered))

    i = 0
    while i < len(tokens):
        kind, value = tokens[i]
        if kind == "word":
            named = _words_to_days(value, tokens, i, text)
            if windows:  # a new group begins
                close()
                days, windows = set(), []
            days |= named[0]
            i = named[1]
        elif kind == "time":
            if i + 2 >= len(tokens):
                raise _fail("spec_time_range", text, time=value)
            dash, end = tokens[i + 1], tokens[i + 2]
            if dash[0] != "dash" or end[0] != "time":
                raise _fail("spec_time_range", text, time=value)
            start_t, end_t = parse_time(value), parse_time(end[1])
            if not start_t < end_t:
                raise _fail("spec_range_order", text, start=value, end=end[1])
            if not days:  # only possible before the first day word
                if default_days is None:
                    raise _fail("spec_missing_days", text)
                days = set(default_days)
            windows.append(TimeWindow(start_t, end_t))
            i += 3
        else:
            raise _fail("spec_unknown", text, word=value)
    close()
    return tuple(groups)


def _words_to_days(
    value: str, tokens: Sequence[tuple[str, str]], i: int, text: str
) -> tuple[frozenset[int], int]:
    """Days named at ``tokens[i]`` (a word, maybe a ``day-day`` range); next index."""
    if value in _DAY_WORDS:
        return _DAY_WORDS[value], i + 1
    if value not in _DAY_NAMES:
        raise _fail("spec_unknown", text, word=value)
    first = _DAY_NAMES[value]
    if (
        i + 2 < len(tokens)
        and tokens[i + 1][0] == "dash"
        and tokens[i + 2][0] == "word"
        and tokens[i + 2][1] in _DAY_NAMES
    ):
        return _day_range(first, _DAY_NAMES[tokens[i + 2][1]]), i + 3
    return frozenset({first}), i + 1


def format_days(days: Iterable[int], tr: Translate) -> str:
    """``{1,2,3,4,5}`` → ``Mo–Fr``; ``{1,3,5}`` → ``Mo, Mi, Fr``; all → ``täglich``."""
    chosen = set(days)
    if chosen == ALL_DAYS:
        return tr("weekday.daily")
    return format_day_ranges(chosen, lambda day: tr(f"weekday.{day}"))


def format_window(window: TimeWindow) -> str:
    return f"{window.start:%H:%M}–{window.end:%H:%M}"


def format_day_windows(per_day: Mapping[int, Sequence[TimeWindow]], tr: Translate) -> str:
    """Compact text for windows per ISO weekday; parses back to the same windows."""
    by_windows: dict[tuple[TimeWindow, ...], list[int]] = {}
    for day in sorted(per_day):
        windows = tuple(sorted(per_day[day]))
        if windows:
            by_windows.setdefault(windows, []).append(day)
    parts = [
        f"{format_days(days, tr)} {', '.join(format_window(w) for w in windows)}"
        for windows, days in sorted(by_windows.items(), key=lambda item: item[1][0])
    ]
    return "; ".join(parts)
