"""Argument types of the stand-up commands (see ``kernel.command_model.ArgType``).

KickoffTime      "09:00", "9 Uhr", "09:00:30"      -> time (seconds allowed)
WindowLength     "10", "15 min", "1 h", "20s"       -> seconds (int), within limits
StandupName      "name=frühschicht", "name:team"    -> str
ReminderPercent  "80", "80 %", "aus", "off"         -> int (0 means off)
Questions        "Erledigt? | Geplant? | Blocker?"  -> tuple[str, ...] (rest of the line)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import time, timedelta
from typing import ClassVar

from homeoffice_bot.kernel.argtypes import MAX_INPUT, fail, fold, parse_duration, placeholder
from homeoffice_bot.kernel.argtypes import parse_time_of_day as kernel_time_of_day
from homeoffice_bot.kernel.dateargs import DateSpec, parse_date
from homeoffice_bot.kernel.errors import ParseError
from homeoffice_bot.standup.config import MAX_QUESTION_LENGTH, MAX_QUESTIONS, NAME_PATTERN

OFF_WORDS = frozenset({"aus", "off", "keine", "keiner", "none", "nein", "no", "-"})
"""Words that switch a setting off ("erinnerung aus", "region aus", "link aus")."""

_CLOCK_WITH_SECONDS = re.compile(r"(?:um\s+|at\s+)?([0-9]{1,2}):([0-9]{2}):([0-9]{2})(?:\s*uhr)?")
_SECONDS = re.compile(r"([0-9]{1,5})\s*(?:s|sek|sek\.|sekunde|sekunden|sec|secs|second|seconds)")
_NAME_TOKEN = re.compile(r"name[=:](.+)", re.IGNORECASE)
_PERCENT = re.compile(r"([0-9]{1,3})\s*(?:%|prozent|percent)?")


def parse_kickoff_time(text: str) -> time:
    """A local time of day as ``kernel.argtypes.parse_time_of_day`` reads it, or with
    seconds ("09:00:30"), which only tests and demos need."""
    match = _CLOCK_WITH_SECONDS.fullmatch(fold(text)) if len(text) <= MAX_INPUT else None
    if match is None:
        return kernel_time_of_day(text)
    hour, minute, second = (int(group) for group in match.groups())
    if hour > 23 or minute > 59 or second > 59:
        raise fail("parse.time", text)
    return time(hour, minute, second)


def parse_window(text: str, min_seconds: int, max_seconds: int) -> int:
    """A window length in whole seconds: "10" (minutes), "15 min", "1 h", "1:30",
    or in seconds ("20s", "45 Sekunden") when ``min_seconds`` allows it."""
    folded = fold(text)
    seconds_match = _SECONDS.fullmatch(folded) if len(folded) <= MAX_INPUT else None
    if seconds_match is not None:
        seconds = int(seconds_match.group(1))
    else:
        seconds = int(parse_duration(text, bare_unit=timedelta(minutes=1)).total_seconds())
    if seconds < min_seconds:
        raise ParseError("standup.error.window_min", value=text.strip(), min=_length(min_seconds))
    if seconds > max_seconds:
        raise ParseError("standup.error.window", max=max_seconds // 60)
    return seconds


def _length(seconds: int) -> str:
    return f"{seconds // 60} min" if seconds % 60 == 0 else f"{seconds} s"


def parse_standup_name(text: str) -> str:
    match = _NAME_TOKEN.fullmatch(text.strip())
    if match is None:
        raise fail("standup.error.name_token", text)
    name = match.group(1).strip()
    if not NAME_PATTERN.fullmatch(name):
        raise ParseError("standup.error.name", value=name[:40])
    return name.casefold()


def parse_reminder(text: str) -> int:
    folded = fold(text)
    if folded in OFF_WORDS:
        return 0
    match = _PERCENT.fullmatch(folded)
    if match is None or not 1 <= int(match.group(1)) <= 99:
        raise fail("standup.error.reminder_value", text)
    return int(match.group(1))


def split_questions(text: str) -> tuple[str, ...]:
    """Questions separated by "|" or line breaks; empty pieces dropped."""
    pieces = [piece.strip() for piece in re.split(r"[|\n]", text)]
    questions = tuple(piece for piece in pieces if piece)
    if not 1 <= len(questions) <= MAX_QUESTIONS:
        raise ParseError("standup.error.questions_count", max=MAX_QUESTIONS)
    for question in questions:
        if len(question) > MAX_QUESTION_LENGTH:
            raise ParseError("standup.error.question", max=MAX_QUESTION_LENGTH)
    return questions


@dataclass(frozen=True)
class KickoffTime:
    greedy: ClassVar[bool] = False
    max_tokens: ClassVar[int] = 3

    def parse(self, token: str) -> time:
        return parse_kickoff_time(token)

    def usage(self, lang: str) -> str:
        return placeholder(lang, "Uhrzeit", "time")


@dataclass(frozen=True)
class WindowLength:
    min_seconds: int = 60
    max_seconds: int = 240 * 60
    greedy: ClassVar[bool] = False
    max_tokens: ClassVar[int] = 4

    def parse(self, token: str) -> int:
        return parse_window(token, self.min_seconds, self.max_seconds)

    def usage(self, lang: str) -> str:
        return placeholder(lang, "Dauer", "length")


@dataclass(frozen=True)
class StandupName:
    greedy: ClassVar[bool] = False
    max_tokens: ClassVar[int] = 1

    def parse(self, token: str) -> str:
        return parse_standup_name(token)

    def usage(self, lang: str) -> str:
        return "<name=…>"


@dataclass(frozen=True)
class ReminderPercent:
    greedy: ClassVar[bool] = False
    max_tokens: ClassVar[int] = 2

    def parse(self, token: str) -> int:
        return parse_reminder(token)

    def usage(self, lang: str) -> str:
        return placeholder(lang, "Prozent|aus", "percent|off")


@dataclass(frozen=True)
class Questions:
    greedy: ClassVar[bool] = True

    def parse(self, token: str) -> tuple[str, ...]:
        return split_questions(token)

    def usage(self, lang: str) -> str:
        return placeholder(lang, "Frage | Frage …", "question | question …")


_UNTIL_WORDS = ("bis zum", "bis", "until", "till", "to")


@dataclass(frozen=True)
class UntilDate:
    """ "bis 12.12.", "until 2026-12-12", or just the date: a ``DateSpec``."""

    greedy: ClassVar[bool] = False
    max_tokens: ClassVar[int] = 4

    def parse(self, token: str) -> DateSpec:
        text = token.strip()
        for word in _UNTIL_WORDS:
            if text.casefold().startswith(word + " "):
                text = text[len(word) :].strip()
                break
        return parse_date(text)

    def usage(self, lang: str) -> str:
        return placeholder(lang, "bis Datum", "until date")
