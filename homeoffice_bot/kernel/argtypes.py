"""Argument types for chat commands: turn what people type into values.

Each type is a small frozen dataclass that satisfies ``command_model.ArgType``:
``greedy`` (takes the rest of the line), ``parse(text) -> value`` (raises ``ParseError``
and nothing else) and ``usage(lang) -> "<placeholder>"``.

Many values may be typed as several words ("9 Uhr", "1 h 30 min", "Mo, Mi, Fr",
"12.08. bis 23.08."). A type says how many tokens it may take with ``max_tokens``;
the parser (``kernel/parser.py``) offers it the longest run of tokens first and
shorter runs after that, so ``parse`` always sees the whole value as one string.

Dates live in ``kernel/dateargs.py`` (``Date``, ``DateRange``), which uses the helpers here.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import time, timedelta
from typing import ClassVar
from urllib.parse import unquote

from homeoffice_bot.kernel.durations import duration_minutes, format_duration
from homeoffice_bot.kernel.errors import ParseError
from homeoffice_bot.kernel.ids import UserID, is_user_id

MAX_INPUT = 200
"""Longer input is refused by every type except ``RestText`` (keeps parsing cheap)."""


def fold(text: str) -> str:
    """Normalise for comparisons: NFC, case-folded, stripped."""
    return unicodedata.normalize("NFC", text).casefold().strip()


def shown(text: str, limit: int = 60) -> str:
    """The typed value as it is quoted back in an error message (shortened)."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def placeholder(lang: str, de: str, en: str) -> str:
    return f"<{en}>" if lang == "en" else f"<{de}>"


def fail(key: str, text: str, **params: object) -> ParseError:
    return ParseError(key, value=shown(text), **params)


# --- time of day --------------------------------------------------------------------------

_TIME_RE = re.compile(
    r"(?:um\s+|at\s+)?(?P<h>[0-9]{1,2})(?:[:.](?P<m>[0-9]{2}))?"
    r"\s*(?P<suffix>uhr|h|am|pm|a\.m\.|p\.m\.)?"
)
_TIME_COMPACT_RE = re.compile(
    r"(?:um\s+|at\s+)?(?P<h>[0-9]{2})(?P<m>[0-9]{2})\s*(?P<suffix>uhr|h)?"
)


def parse_time_of_day(text: str) -> time:
    """ "9", "9:00", "09:00", "9.00", "0930", "9 Uhr", "9h", "um 9 Uhr", "9am", "5:30 pm"."""
    folded = fold(text)
    match = None
    if len(folded) <= MAX_INPUT:
        match = _TIME_RE.fullmatch(folded) or _TIME_COMPACT_RE.fullmatch(folded)
    if match is None:
        raise fail("parse.time", text)
    hour, minute, suffix = int(match["h"]), int(match["m"] or 0), match["suffix"] or ""
    if suffix[:1] in ("a", "p"):
        if not 1 <= hour <= 12:
            raise fail("parse.time", text)
        hour = hour % 12 + (12 if suffix.startswith("p") else 0)
    if hour > 23 or minute > 59:
        raise fail("parse.time", text)
    return time(hour, minute)


# --- duration -----------------------------------------------------------------------------


def parse_duration(
    text: str, *, maximum: timedelta = timedelta(hours=24), bare_unit: timedelta | None = None
) -> timedelta:
    """ "15m", "15 min", "1h30", "1 h 30 min", "1:30", "1,5h", "2 Stunden", "45 Minuten".

    Whole minutes only, more than zero and at most ``maximum``. A bare number ("15")
    counts in ``bare_unit`` when one is given, otherwise it is refused.
    """
    folded = fold(text)
    minutes = duration_minutes(folded, bare_unit=bare_unit) if len(folded) <= MAX_INPUT else None
    if minutes is None or minutes.denominator != 1 or minutes <= 0:
        raise fail("parse.duration", text)
    if minutes * 60 > maximum.total_seconds():
        raise fail("parse.duration_max", text, max=format_duration(maximum))
    return timedelta(minutes=int(minutes))


# --- weekdays -----------------------------------------------------------------------------

_DAY_NAMES: tuple[tuple[str, ...], ...] = (
    ("mo", "montag", "mon", "monday"),
    ("di", "dienstag", "tu", "tue", "tues", "tuesday"),
    ("mi", "mittwoch", "we", "wed", "wednesday"),
    ("do", "donnerstag", "th", "thu", "thur", "thurs", "thursday"),
    ("fr", "freitag", "fri", "friday"),
    ("sa", "samstag", "sonnabend", "sat", "saturday"),
    ("so", "sonntag", "su", "sun", "sunday"),
)
WEEKDAY_NUMBERS: Mapping[str, int] = {
    **{
        f"{name}s": day
        for day, names in enumerate(_DAY_NAMES, 1)
        for name in names
        if name.endswith(("tag", "day", "abend", "woch"))
    },
    **{name: day for day, names in enumerate(_DAY_NAMES, 1) for name in names},
}
"""Accepted weekday words (German and English, plural/adverb forms like "montags") -> ISO day."""
_WEEKDAY_GROUPS: Mapping[str, frozenset[int]] = {
    **dict.fromkeys(("täglich", "daily", "alle", "all"), frozenset(range(1, 8))),
    **dict.fromkeys(("werktags", "wochentags", "weekdays", "workdays"), frozenset(range(1, 6))),
    **dict.fromkeys(("wochenende", "weekend", "weekends"), frozenset({6, 7})),
}
_WEEKDAY_PHRASES = (
    (re.compile(r"\bjeden\s+tag\b|\bevery\s+day\b"), " täglich "),
    (re.compile(r"\bam\s+wochenende\b|\bat\s+the\s+weekend\b|\bon\s+weekends\b"), " wochenende "),
)
_WEEKDAY_TOKEN_RE = re.compile(r"[-–—]|[,;/+&]|[^\s,;/+&\-–—]+")
_RANGE_WORDS = frozenset({"-", "–", "—", "bis", "to"})
_LIST_WORDS = frozenset({",", ";", "/", "+", "&", "und", "and"})


def parse_weekdays(text: str) -> frozenset[int]:
    """ "mo-fr", "Mo–Fr", "mon,wed", "Mo, Mi, Fr", "Mo Mi", "fr-mo" (wraps), "täglich",
    "werktags", "wochenende" -> ISO weekday numbers (Monday = 1)."""
    folded = fold(text)
    if len(folded) > MAX_INPUT:
        raise fail("parse.weekdays", text)
    for pattern, replacement in _WEEKDAY_PHRASES:
        folded = pattern.sub(replacement, folded)
    words = [w.rstrip(".") or w for w in _WEEKDAY_TOKEN_RE.findall(folded)]
    days: set[int] = set()
    i = 0
    while i < len(words):
        word = words[i]
        if word in _LIST_WORDS and days:
            i += 1
        elif word in _WEEKDAY_GROUPS:
            days |= _WEEKDAY_GROUPS[word]
            i += 1
        elif word in WEEKDAY_NUMBERS:
            first = WEEKDAY_NUMBERS[word]
            if i + 2 < len(words) and words[i + 1] in _RANGE_WORDS:
                last = WEEKDAY_NUMBERS.get(words[i + 2])
                if last is None:
                    raise fail("parse.weekdays", text)
                days.update((first - 1 + k) % 7 + 1 for k in range((last - first) % 7 + 1))
                i += 3
            else:
                days.add(first)
                i += 1
        else:
            raise fail("parse.weekdays", text)
    if not days:
        raise fail("parse.weekdays", text)
    return frozenset(days)


# --- the argument types -------------------------------------------------------------------


@dataclass(frozen=True)
class Text:
    """One word (or one "quoted group of words")."""

    max_length: int | None = None
    greedy: ClassVar[bool] = False
    max_tokens: ClassVar[int] = 1

    def parse(self, token: str) -> str:
        return _checked_text(token, self.max_length)

    def usage(self, lang: str) -> str:
        return placeholder(lang, "Wort", "word")


@dataclass(frozen=True)
class RestText:
    """The rest of the line as typed (outer whitespace stripped); declared as
    ``Arg(..., multiline=True)`` also the lines below, line breaks kept."""

    max_length: int | None = None
    greedy: ClassVar[bool] = True

    def parse(self, token: str) -> str:
        return _checked_text(token, self.max_length)

    def usage(self, lang: str) -> str:
        return placeholder(lang, "Text", "text")


def _checked_text(token: str, max_length: int | None) -> str:
    value = token.strip()
    if not value:
        raise ParseError("parse.empty")
    if max_length is not None and len(value) > max_length:
        raise ParseError("parse.too_long", max=max_length)
    return value


_INTEGER_RE = re.compile(r"[+\-−]?[0-9]{1,18}")


@dataclass(frozen=True)
class Integer:
    min: int | None = None
    max: int | None = None
    greedy: ClassVar[bool] = False
    max_tokens: ClassVar[int] = 1

    def parse(self, token: str) -> int:
        text = token.strip()
        if not _INTEGER_RE.fullmatch(text):
            raise fail("parse.integer", token)
        value = int(text.replace("−", "-"))
        if self.min is not None and value < self.min:
            raise fail("parse.integer_min", token, min=self.min)
        if self.max is not None and value > self.max:
            raise fail("parse.integer_max", token, max=self.max)
        return value

    def usage(self, lang: str) -> str:
        return placeholder(lang, "Zahl", "number")


@dataclass(frozen=True)
class TimeOfDay:
    greedy: ClassVar[bool] = False
    max_tokens: ClassVar[int] = 3

    def parse(self, token: str) -> time:
        return parse_time_of_day(token)

    def usage(self, lang: str) -> str:
        return placeholder(lang, "Uhrzeit", "time")


@dataclass(frozen=True)
class Duration:
    max: timedelta = timedelta(hours=24)
    bare_unit: timedelta | None = None
    """Unit of a bare number ("15"); None refuses bare numbers."""
    greedy: ClassVar[bool] = False
    max_tokens: ClassVar[int] = 5

    def parse(self, token: str) -> timedelta:
        return parse_duration(token, maximum=self.max, bare_unit=self.bare_unit)

    def usage(self, lang: str) -> str:
        return placeholder(lang, "Dauer", "duration")


@dataclass(frozen=True)
class Weekdays:
    greedy: ClassVar[bool] = False
    max_tokens: ClassVar[int] = 13

    def parse(self, token: str) -> frozenset[int]:
        return parse_weekdays(token)

    def usage(self, lang: str) -> str:
        return placeholder(lang, "Wochentage", "weekdays")


_MATRIX_TO = "https://matrix.to/#/"


def parse_user_id(text: str) -> UserID:
    """ "@alice:example.org" (also as a matrix.to link; trailing ",;:." is ignored)."""
    value = text.strip()
    if value.startswith(_MATRIX_TO) and len(value) <= MAX_INPUT * 2:
        value = unquote(value.removeprefix(_MATRIX_TO)).split("?")[0]
    value = value.rstrip(",;:.")
    if not is_user_id(value):
        raise fail("parse.user", text)
    return UserID(value)


@dataclass(frozen=True)
class UserMention:
    greedy: ClassVar[bool] = False
    max_tokens: ClassVar[int] = 1

    def parse(self, token: str) -> UserID:
        return parse_user_id(token)

    def usage(self, lang: str) -> str:
        return placeholder(lang, "@Person", "@user")


@dataclass(frozen=True)
class Choice:
    """One of a fixed set of words: canonical value -> accepted aliases in any language.

    ``labels`` optionally maps a language to {canonical value: word shown in usage lines};
    without it the canonical value is shown. Parsing returns the canonical value.
    """

    options: Mapping[str, tuple[str, ...]]
    labels: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    greedy: ClassVar[bool] = False

    @property
    def max_tokens(self) -> int:
        words = [len(a.split()) for aliases in self.options.values() for a in aliases]
        return max([1, *words])

    def parse(self, token: str) -> str:
        wanted = fold(" ".join(token.split()))
        for canonical, aliases in self.options.items():
            if wanted in (fold(canonical), *(fold(alias) for alias in aliases)):
                return canonical
        raise fail("parse.choice", token, options=self.options_text("de"))

    def options_text(self, lang: str) -> str:
        shown_labels = self.labels.get(lang, {})
        return "|".join(shown_labels.get(value, value) for value in self.options)

    def usage(self, lang: str) -> str:
        return f"<{self.options_text(lang)}>"
