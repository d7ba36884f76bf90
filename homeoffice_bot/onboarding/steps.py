"""The guided set-up's steps as pure rules: what each step offers, how an answer is read,
what follows, what the summary says.

Each step is a one-tap choice (the bot's reactions 1️⃣ 2️⃣ 3️⃣ on the question, the first
option is the default) or a short typed answer: the option's number or word, or for the
time, the days and the region a value of one's own ("8:45", "Mo, Mi, Fr", "DE-BY").
Answers are stored as plain strings (``Answers``), so that a dialogue survives a restart.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import time
from functools import lru_cache

import holidays

from homeoffice_bot.kernel.argtypes import fold, parse_time_of_day, parse_weekdays
from homeoffice_bot.kernel.errors import ParseError
from homeoffice_bot.kernel.holiday_regions import UnknownRegion, normalise_region

KEYS = ("1️⃣", "2️⃣", "3️⃣", "4️⃣")
"""The reactions that stand for the options, in order."""
CANCEL_WORDS = frozenset({"abbrechen", "abbruch", "stopp", "stop", "cancel", "quit", "ende"})
DEFAULT_WORDS = frozenset({"ok", "okay", "passt", "standard", "default", "weiter", "next"})
NO_REGION = "none"
MAX_ANSWER = 80


class Step(enum.StrEnum):
    TIME = "time"
    DAYS = "days"
    REGION = "region"
    INCLUDE_LEAD = "include_lead"
    ANSWERS = "answers"
    BOARD = "board"


ORDER = (Step.TIME, Step.DAYS, Step.REGION, Step.INCLUDE_LEAD, Step.ANSWERS, Step.BOARD)


@dataclass(frozen=True)
class Option:
    value: str
    """What is stored when it is chosen."""
    label: str
    """Catalogue key of its words (``onboarding.option.…``), or a region code."""
    words: frozenset[str] = frozenset()
    """Typed words that choose it (folded)."""


@dataclass(frozen=True)
class Answers:
    """What the lead chose so far (step name → stored value)."""

    values: Mapping[str, str] = field(default_factory=dict)

    def with_(self, step: Step, value: str) -> Answers:
        return Answers({**self.values, step.value: value})

    def get(self, step: Step) -> str | None:
        return self.values.get(step.value)


class AnswerError(ValueError):
    """An answer that fits no option: ``key`` names the reply (with an example)."""

    def __init__(self, key: str, text: str) -> None:
        super().__init__(key)
        self.key = key
        self.text = text


YES = frozenset({"ja", "j", "yes", "y"})
NO = frozenset({"nein", "n", "no"})


def options(step: Step, detected_region: str) -> tuple[Option, ...]:
    """The one-tap choices of a step; the first is the default."""
    if step is Step.TIME:
        return (Option("09:00", "onboarding.option.time_0900"),
                Option("09:30", "onboarding.option.time_0930"),
                Option("10:00", "onboarding.option.time_1000"))  # fmt: skip
    if step is Step.DAYS:
        return (Option("1,2,3,4,5", "onboarding.option.days_workdays"),
                Option("1,2,3,4", "onboarding.option.days_mon_thu"),
                Option("1,3,5", "onboarding.option.days_mon_wed_fri"))  # fmt: skip
    if step is Step.REGION:
        return (Option(detected_region, "onboarding.option.region_keep"),
                Option(NO_REGION, "onboarding.option.region_none",
                       frozenset({"keine", "kein", "aus", "none", "off"})))  # fmt: skip
    if step is Step.INCLUDE_LEAD:
        return (Option("no", "onboarding.option.lead_no", NO),
                Option("yes", "onboarding.option.lead_yes", YES))  # fmt: skip
    if step is Step.ANSWERS:
        return (Option("thread", "onboarding.option.answers_thread",
                       frozenset({"thread", "faden", "raum", "room"})),
                Option("dm", "onboarding.option.answers_dm",
                       frozenset({"dm", "direkt", "direktnachricht", "privat", "direct",
                                  "direct message"})))  # fmt: skip
    return (Option("yes", "onboarding.option.board_yes", YES),
            Option("no", "onboarding.option.board_no", NO))  # fmt: skip


def next_step(step: Step) -> Step | None:
    index = ORDER.index(step)
    return ORDER[index + 1] if index + 1 < len(ORDER) else None


def is_cancel(text: str) -> bool:
    return fold(text).strip(" .!") in CANCEL_WORDS


def by_reaction(step: Step, key: str, detected_region: str) -> str | None:
    """The value a tapped reaction chooses, or None for a reaction that is no option."""
    choices = options(step, detected_region)
    key = key.replace("\ufe0f", "")
    for index, choice in enumerate(choices):
        if KEYS[index].replace("\ufe0f", "") == key:
            return choice.value
    return None


def read_answer(step: Step, text: str, detected_region: str) -> str:
    """The value a typed answer chooses; ``AnswerError`` when it fits nothing."""
    folded = fold(text).strip(" .!")
    choices = options(step, detected_region)
    if len(folded) > MAX_ANSWER or not folded:
        raise AnswerError(f"onboarding.error.{step.value}", text[:MAX_ANSWER])
    if folded in DEFAULT_WORDS:
        return choices[0].value
    if folded.isdigit() and 1 <= int(folded) <= len(choices):
        return choices[int(folded) - 1].value
    for choice in choices:
        if folded in choice.words:
            return choice.value
    try:
        if step is Step.TIME:
            return format_time(parse_time_of_day(folded))
        if step is Step.DAYS:
            return ",".join(str(day) for day in sorted(parse_weekdays(folded)))
        if step is Step.REGION:
            return parse_region(folded)
    except (ParseError, UnknownRegion):
        pass
    raise AnswerError(f"onboarding.error.{step.value}", text.strip()[:MAX_ANSWER])


def format_time(value: time) -> str:
    return f"{value:%H:%M}"


def weekdays_of(value: str) -> frozenset[int]:
    return frozenset(int(day) for day in value.split(","))


def time_of(value: str) -> time:
    hour, minute = value.split(":")
    return time(int(hour), int(minute))


@lru_cache(maxsize=1)
def _german_states() -> dict[str, str]:
    """Folded state names and short forms → subdivision code (``bayern`` → ``BY``)."""
    table = holidays.country_holidays("DE")
    out = {"nrw": "NW"}
    for code, aliases in table.get_subdivision_aliases().items():
        for alias in aliases:
            out[fold(alias)] = code
    return out


def parse_region(text: str) -> str:
    """ "DE-BY", "de-by", "BY" (a German state), "Bayern", "NRW" → ``DE-BY``, ``DE-NW``;
    ``UnknownRegion`` for anything else."""
    folded = fold(text).strip()
    states = _german_states()
    if folded in states:
        return f"DE-{states[folded]}"
    if "-" not in folded and len(folded) == 2 and folded.upper() in states.values():
        return f"DE-{folded.upper()}"
    return normalise_region(folded)


def region_name(code: str) -> str | None:
    """ "Nordrhein-Westfalen" for ``DE-NW``; None where the code names no German state."""
    country, _, subdivision = code.partition("-")
    if country != "DE" or not subdivision:
        return None
    aliases: dict[str, list[str]] = holidays.country_holidays("DE").get_subdivision_aliases()
    names = aliases.get(subdivision) or []
    return str(names[0]) if names else None


def weekday_words(days: frozenset[int], names: Mapping[int, str]) -> str:
    """ "Mo–Fr" for Monday to Friday, else the days' short names joined by commas."""
    ordered = sorted(days)
    if len(ordered) > 2 and ordered == list(range(ordered[0], ordered[-1] + 1)):
        return f"{names[ordered[0]]}–{names[ordered[-1]]}"
    return ", ".join(names[day] for day in ordered)
