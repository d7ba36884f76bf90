"""The board's buttons: the bot's own reactions under the board, and what a tap on each
means. Pure: keys, their meaning, the words that say it, the one-tap answers to "Bis
wann?" and reading a typed answer.

A tap changes the person's own state through ``PresenceActions`` (``taps.py``), the same
actions that commands and plain words use.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta

from homeoffice_bot.kernel.argtypes import fold
from homeoffice_bot.workday.states import PresenceState
from homeoffice_bot.workday.texts import Translate
from homeoffice_bot.workday.when import parse_until


class Choice(enum.StrEnum):
    START = "start"
    BREAK = "break"
    AWAY = "away"
    OFF = "off"


BOARD_BUTTONS: tuple[tuple[str, Choice], ...] = (
    ("🟢", Choice.START),
    ("☕", Choice.BREAK),
    ("🚶", Choice.AWAY),
    ("🌙", Choice.OFF),
)
"""The reactions under each board, in the order they are put there."""

_VARIATION = "\ufe0f"

TIMED = frozenset({Choice.BREAK, Choice.AWAY})
"""Choices that ask "Bis wann?" in the direct chat."""

CHOICE_STATE = {
    Choice.START: PresenceState.WORKING,
    Choice.BREAK: PresenceState.BREAK,
    Choice.AWAY: PresenceState.AWAY,
    Choice.OFF: PresenceState.OFF,
}


def choice_for(key: str) -> Choice | None:
    """The choice a reaction key stands for (with or without the emoji variation mark)."""
    plain = key.replace(_VARIATION, "")
    for button, choice in BOARD_BUTTONS:
        if button.replace(_VARIATION, "") == plain:
            return choice
    return None


def choices_text(tr: Translate) -> str:
    """The board's line that says in words what each reaction means."""
    return tr("buttons.choices")


# --- "Bis wann?" ---------------------------------------------------------------------------

OPEN_KEY = "🔓"


@dataclass(frozen=True)
class UntilButton:
    key: str
    span: timedelta | None
    """None: leave it open."""


UNTIL_BUTTONS: tuple[UntilButton, ...] = (
    UntilButton("1️⃣", timedelta(minutes=15)),
    UntilButton("2️⃣", timedelta(minutes=30)),
    UntilButton("3️⃣", timedelta(hours=1)),
    UntilButton(OPEN_KEY, None),
)

OPEN_WORDS = frozenset({"offen", "offen lassen", "open", "leave open", "keep open", "egal"})


@dataclass(frozen=True)
class UntilAnswer:
    until: datetime | None
    """None: left open."""


def until_button(key: str) -> UntilButton | None:
    plain = key.replace(_VARIATION, "")
    for button in UNTIL_BUTTONS:
        if button.key.replace(_VARIATION, "") == plain:
            return button
    return None


def until_from_button(button: UntilButton, since: datetime, now: datetime) -> UntilAnswer:
    """A one-tap answer: the span counts from the start of the break (a late answer that
    would end it in the past counts from now)."""
    if button.span is None:
        return UntilAnswer(None)
    until = since + button.span
    if until <= now:
        until = now + button.span
    return UntilAnswer(until)


def until_from_text(text: str, now: datetime, tz: str) -> UntilAnswer:
    """A typed answer: ``bis 13 Uhr``, ``45 min``, ``offen``. Raises ParseError."""
    folded = fold(text.strip().rstrip(".!"))
    if folded in OPEN_WORDS:
        return UntilAnswer(None)
    return UntilAnswer(parse_until(text.strip().rstrip(".!"), now, tz))


def question_text(tr: Translate, confirmation: str) -> str:
    """The confirmation of the tap and the question, in one direct message."""
    return f"{confirmation}\n\n{tr('buttons.until_question')}"
