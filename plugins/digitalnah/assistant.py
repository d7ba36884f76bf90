"""The ``!angebot assistent`` dialogue: asks field by field in a DM, then for confirmation.

Pure: ``answer_assistant(state, text)`` returns the next state and the prompt to send.
The state is a small frozen value; ``to_dict``/``from_dict`` store it as JSON between
messages. Words understood in every step: "abbrechen"/"cancel", "zurück"/"back", and for
optional fields "-"/"überspringen"/"skip". At the end "ja"/"yes" submits, "nein"/"no"
discards, and ``Feld: Wert`` lines correct single fields.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from digitalnah.extract import ExtractedFields, parse_field_lines
from digitalnah.model import DEFAULT_CATEGORY_ALIASES, Field, Problem
from digitalnah.validate import REQUIRED_FIELDS, FieldValue, parse_field

ASSISTANT_FIELDS: tuple[Field, ...] = (
    Field.TITLE,
    Field.DESCRIPTION,
    Field.LINK,
    Field.CATEGORY,
    Field.PROVIDER,
    Field.TARGET_GROUP,
    Field.AVAILABLE_SINCE,
    Field.CONTACT,
    Field.TAGS,
)

CANCEL_WORDS = frozenset({"abbrechen", "abbruch", "stopp", "stop", "cancel"})
BACK_WORDS = frozenset({"zurück", "zurueck", "back"})
SKIP_WORDS = frozenset({"-", "–", "überspringen", "ueberspringen", "skip"})
YES_WORDS = frozenset({"ja", "j", "yes", "y", "ok", "okay", "absenden", "senden", "submit"})
NO_WORDS = frozenset({"nein", "n", "no", "verwerfen", "discard"})


class AssistantStatus(enum.StrEnum):
    ASKING = "asking"
    CONFIRMING = "confirming"
    DONE = "done"
    """Confirmed: create the offering from ``state.fields()``."""
    CANCELLED = "cancelled"


@dataclass(frozen=True, slots=True)
class AssistantState:
    step: int = 0
    """Index into ASSISTANT_FIELDS while asking."""
    answers: tuple[tuple[Field, str], ...] = ()
    """Accepted answers, already cleaned (category by name, dates ISO, tags joined)."""
    status: AssistantStatus = AssistantStatus.ASKING

    @property
    def current_field(self) -> Field | None:
        if self.status is not AssistantStatus.ASKING:
            return None
        return ASSISTANT_FIELDS[self.step]

    def answer_for(self, which: Field) -> str | None:
        return dict(self.answers).get(which)

    def fields(self) -> ExtractedFields:
        """The answers, ready for ``merge.update_offering``."""
        return ExtractedFields(dict(self.answers))

    def to_dict(self) -> dict[str, Any]:
        return {
            "step": self.step,
            "status": self.status.value,
            "answers": {f.value: v for f, v in self.answers},
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> AssistantState:
        answers = data.get("answers", {})
        step = int(data.get("step", 0))
        return cls(
            step=min(max(step, 0), len(ASSISTANT_FIELDS) - 1),
            answers=tuple((Field(k), str(v)) for k, v in answers.items()),
            status=AssistantStatus(data.get("status", AssistantStatus.ASKING.value)),
        )


@dataclass(frozen=True, slots=True)
class Prompt:
    """What to say next: an i18n key and its params."""

    key: str
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class AssistantTurn:
    state: AssistantState
    prompt: Prompt
    problems: tuple[Problem, ...] = ()
    """Why the last answer was not taken (shown before the prompt)."""


def prompt_for(state: AssistantState) -> Prompt:
    """The question for the state: ``digitalnah.assistant.ask.<field>`` with ``step`` and
    ``total``, or ``digitalnah.assistant.confirm`` / ``.done`` / ``.cancelled``."""
    if state.status is AssistantStatus.ASKING:
        which = ASSISTANT_FIELDS[state.step]
        return Prompt(
            f"digitalnah.assistant.ask.{which.value}",
            {"step": state.step + 1, "total": len(ASSISTANT_FIELDS)},
        )
    return Prompt(f"digitalnah.assistant.{state.status.value}")


def start_assistant() -> AssistantTurn:
    state = AssistantState()
    return AssistantTurn(state, prompt_for(state))


def _store(state: AssistantState, which: Field, value: FieldValue) -> AssistantState:
    if isinstance(value, tuple):
        text = ", ".join(value)
    elif isinstance(value, str):
        text = value
    else:
        text = value.isoformat()
    answers = tuple((f, v) for f, v in state.answers if f is not which)
    if text:
        answers += ((which, text),)
    return AssistantState(state.step, answers, state.status)


def _moved(state: AssistantState, step: int) -> AssistantState:
    if step >= len(ASSISTANT_FIELDS):
        return AssistantState(state.step, state.answers, AssistantStatus.CONFIRMING)
    return AssistantState(max(step, 0), state.answers, AssistantStatus.ASKING)


def _turn(state: AssistantState, problems: Sequence[Problem] = ()) -> AssistantTurn:
    return AssistantTurn(state, prompt_for(state), tuple(problems))


def _parse(
    which: Field, text: str, categories: Sequence[str], aliases: Mapping[str, str]
) -> tuple[FieldValue | None, tuple[Problem, ...]]:
    if which is Field.CATEGORY and text.strip().isdigit():
        number = int(text.strip())
        if 1 <= number <= len(categories):
            return categories[number - 1], ()
    parsed = parse_field(which, text, categories=categories, aliases=aliases)
    return parsed.value, parsed.problems


def _confirming(
    state: AssistantState, text: str, categories: Sequence[str], aliases: Mapping[str, str]
) -> AssistantTurn:
    word = text.strip().casefold()
    if word in YES_WORDS:
        return _turn(AssistantState(state.step, state.answers, AssistantStatus.DONE))
    if word in NO_WORDS:
        return _turn(AssistantState(state.step, state.answers, AssistantStatus.CANCELLED))
    if word in BACK_WORDS:
        return _turn(_moved(state, len(ASSISTANT_FIELDS) - 1))
    corrections = parse_field_lines(text)
    if not corrections.values:
        return _turn(state, (Problem("", "digitalnah.problem.confirm_expected"),))
    problems: list[Problem] = []
    for which, raw in corrections.values.items():
        value, found = _parse(which, raw, categories, aliases)
        if which in REQUIRED_FIELDS and value == "":
            found = (Problem(which, "digitalnah.problem.missing"),)
        problems.extend(found)
        if value is not None and not found:
            state = _store(state, which, value)
    problems.extend(
        Problem("", "digitalnah.problem.unknown_key", {"key": k}) for k in corrections.unknown_keys
    )
    return _turn(state, problems)


def answer_assistant(
    state: AssistantState,
    text: str,
    *,
    categories: Sequence[str],
    aliases: Mapping[str, str] = DEFAULT_CATEGORY_ALIASES,
) -> AssistantTurn:
    """Take the person's answer and say what comes next.

    A wrong answer keeps the step and returns its problems; a required field cannot be
    skipped. After the last field the state is CONFIRMING; "ja" makes it DONE."""
    if state.status in (AssistantStatus.DONE, AssistantStatus.CANCELLED):
        return AssistantTurn(state, Prompt("digitalnah.assistant.not_active"))
    word = text.strip().casefold()
    if word in CANCEL_WORDS:
        return _turn(AssistantState(state.step, state.answers, AssistantStatus.CANCELLED))
    if state.status is AssistantStatus.CONFIRMING:
        return _confirming(state, text, categories, aliases)
    which = ASSISTANT_FIELDS[state.step]
    if word in BACK_WORDS:
        return _turn(_moved(state, state.step - 1))
    if word in SKIP_WORDS or not word:
        if which in REQUIRED_FIELDS and not state.answer_for(which):
            return _turn(state, (Problem(which, "digitalnah.problem.cannot_skip"),))
        return _turn(_moved(state, state.step + 1))
    value, problems = _parse(which, text, categories, aliases)
    if problems or value is None:
        return _turn(state, problems)
    return _turn(_moved(_store(state, which, value), state.step + 1))
