"""What the bot answers to plain words in the direct chat: what it understood, the
question about two readings, a problem with an example, examples when it did not
understand. Pure: takes the reading, ``now``, the zone and a translator; everything the
person typed is escaped before it reaches Markdown."""

from __future__ import annotations

from datetime import datetime

from homeoffice_bot.kernel.escaping import escape_line as escape_markdown
from homeoffice_bot.workday.plain_words import (
    Away,
    Back,
    Break,
    Intent,
    Kind,
    Leave,
    Off,
    Problem,
    Start,
)
from homeoffice_bot.workday.store_plain import Choice
from homeoffice_bot.workday.texts import Translate, format_date, format_until

CHOICE_KEYS = ("1️⃣", "2️⃣")
"""The bot's reactions on a question: one tap per reading."""
UNDO_KEY = "↩️"
UNDO_KEYS = frozenset({UNDO_KEY, "↩"})
UNDO_WORDS = frozenset({"rückgängig", "rueckgaengig", "undo", "zurücknehmen", "widerrufen"})
"""Besides the catalogue's ``plain.words.undo``: typed alone, they undo the last change."""
TYPED_CHOICES = {"1": 0, "2": 1, "1.": 0, "2.": 1, "1️⃣": 0, "2️⃣": 1}


def is_undo(text: str) -> bool:
    return text.strip(" .!").casefold() in UNDO_WORDS


def typed_choice(text: str) -> int | None:
    return TYPED_CHOICES.get(text.strip())


def _timed(kind: str, until: datetime | None, now: datetime, tz: str, tr: Translate) -> str:
    name = "break" if kind == "break" else "away"
    if until is None:
        return tr(f"plain.what.{name}_open")
    return tr(f"plain.what.{name}_until", until=format_until(until, now, tz, tr))


def describe(intent: Intent, now: datetime, tz: str, tr: Translate, stand_in: str | None) -> str:
    """``Pause bis 13:00 Uhr``; ``stand_in`` is the stand-in's (escaped) display name."""
    if isinstance(intent, Start):
        return tr("plain.what.start")
    if isinstance(intent, Back):
        return tr("plain.what.back")
    if isinstance(intent, Off):
        return tr("plain.what.off")
    if isinstance(intent, Break):
        return _timed("break", intent.until, now, tz, tr)
    if isinstance(intent, Away):
        what = _timed("away", intent.until, now, tz, tr)
        if intent.reason:
            return tr("plain.what.reason", what=what, reason=escape_markdown(intent.reason))
        return what
    assert isinstance(intent, Leave)
    first, last = format_date(intent.first_day, tr), format_date(intent.last_day, tr)
    if stand_in is None:
        return tr("plain.what.leave", first=first, last=last)
    return tr("plain.what.leave_stand_in", first=first, last=last, name=stand_in)


def choice_label(index: int, choice: Choice, now: datetime, tz: str, tr: Translate) -> str:
    """``13 Minuten Pause, bis 10:13 Uhr`` (the first reading of a bare number is minutes)
    or ``Pause bis 13:00 Uhr``."""
    until = format_until(choice.until, now, tz, tr)
    name = "break" if choice.kind == "break" else "away"
    if index == 0:
        minutes = round((choice.until - now).total_seconds() / 60)
        return tr(f"plain.what.{name}_minutes", minutes=minutes, until=until)
    return tr(f"plain.what.{name}_until", until=until)


def question(
    choices: tuple[Choice, ...], now: datetime, tz: str, tr: Translate, *, direct: bool
) -> str:
    first, second = (
        f"{key} {choice_label(i, c, now, tz, tr)}"
        for i, (key, c) in enumerate(zip(CHOICE_KEYS, choices, strict=True))
    )
    return tr("plain.question" if direct else "plain.question_room", first=first, second=second)


def problem(reading: Problem, typed: str, tr: Translate) -> str:
    params = {name: escape_markdown(value) for name, value in reading.params}
    params.setdefault("text", escape_markdown(typed))
    return tr(
        "plain.problem",
        problem=tr(reading.key, **params),
        example=tr(f"plain.example.{reading.kind}"),
    )


def not_understood(closest: tuple[Kind, ...], tr: Translate) -> str:
    examples = "\n".join(
        tr("plain.example_line", example=tr(f"plain.example.{kind}")) for kind in closest
    )
    return tr("plain.not_understood", examples=examples)
