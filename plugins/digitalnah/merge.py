"""Putting what a person wrote into an offering: the first message, a completing reply,
an edit, an ``!angebot neu`` command or the assistant's answers all end up here."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from digitalnah.duplicates import duplicate_problems
from digitalnah.extract import ExtractedFields
from digitalnah.lifecycle import Action, next_state
from digitalnah.model import (
    DEFAULT_CATEGORY_ALIASES,
    AuditEntry,
    Field,
    Offering,
    OfferingState,
    Problem,
)
from digitalnah.validate import parse_field, validate_offering
from homeoffice_bot.kernel.ids import UserID

_CLOSED = (OfferingState.WITHDRAWN, OfferingState.ENDED)


@dataclass(frozen=True, slots=True)
class MergeResult:
    offering: Offering
    """The updated offering (state moved as an edit moves it)."""
    changed: tuple[Field, ...]
    """Fields whose value changed."""
    problems: tuple[Problem, ...]
    """What keeps the offering from being complete: values that could not be taken
    (a ``javascript:`` link, an unknown category, a wrong date) and everything
    ``validate_offering`` finds. Empty means complete."""
    notes: tuple[Problem, ...]
    """Hints that do not block: unknown keys, likely duplicates."""
    audit: AuditEntry | None
    """Set when the state changed (draft → pending is recorded as ``submit``)."""

    @property
    def complete(self) -> bool:
        return not self.problems

    def with_id(self, offering_id: int) -> MergeResult:
        """The same result once storage has given a new draft its id."""
        audit = self.audit and dataclasses.replace(self.audit, offering_id=offering_id)
        offering = dataclasses.replace(self.offering, id=offering_id)
        return dataclasses.replace(self, offering=offering, audit=audit)

    @property
    def missing(self) -> tuple[Field, ...]:
        return tuple(Field(p.field) for p in self.problems if p.key == "digitalnah.problem.missing")


def merge_fields(
    offering: Offering,
    extracted: ExtractedFields,
    *,
    categories: Sequence[str],
    aliases: Mapping[str, str] = DEFAULT_CATEGORY_ALIASES,
) -> tuple[Offering, tuple[Field, ...], list[Problem]]:
    """Set each field present in ``extracted`` (others stay as they are). A value that
    cannot be understood leaves the field unchanged and yields its problem. Returns the
    offering (state and timestamps untouched), the changed fields and those problems."""
    changes: dict[str, Any] = {}  # each value parsed for its own field by parse_field
    changed: list[Field] = []
    problems: list[Problem] = []
    for which, raw in extracted.values.items():
        parsed = parse_field(which, raw, categories=categories, aliases=aliases)
        problems.extend(parsed.problems)
        if parsed.value is None:
            continue
        attribute = which.value
        value: object = parsed.value
        if which is Field.AVAILABLE_SINCE and value == "":
            value = None
        if getattr(offering, attribute) != value:
            changes[attribute] = value
            changed.append(which)
    merged = dataclasses.replace(offering, **changes) if changes else offering
    return merged, tuple(changed), problems


def _unknown_key_notes(keys: Iterable[str]) -> list[Problem]:
    return [Problem("", "digitalnah.problem.unknown_key", {"key": key}) for key in keys]


def update_offering(
    offering: Offering,
    extracted: ExtractedFields,
    *,
    actor: UserID,
    now: datetime,
    categories: Sequence[str],
    existing: Iterable[Offering] = (),
    aliases: Mapping[str, str] = DEFAULT_CATEGORY_ALIASES,
) -> MergeResult:
    """Merge ``extracted`` into ``offering`` and move its state as an edit does: a draft
    that became complete is submitted (pending); a complete edit of a pending, approved,
    rejected or changes-requested offering puts it (back) into review; an edit that leaves
    it incomplete makes it a draft. Withdrawn and ended offerings are not changed (problem
    ``digitalnah.problem.not_editable``). ``existing`` is searched for likely duplicates.
    """
    notes = _unknown_key_notes(extracted.unknown_keys)
    if offering.state in _CLOSED:
        problem = Problem("", "digitalnah.problem.not_editable", {"id": offering.id or ""})
        return MergeResult(offering, (), (problem,), tuple(notes), None)
    merged, changed, input_problems = merge_fields(
        offering, extracted, categories=categories, aliases=aliases
    )
    problems = list(input_problems)
    troubled = {p.field for p in input_problems}
    for problem in validate_offering(merged, categories):
        if problem in problems:
            continue
        if problem.key == "digitalnah.problem.missing" and problem.field in troubled:
            continue
        problems.append(problem)
    complete = not problems
    audit: AuditEntry | None = None
    instant = now.astimezone(UTC)
    if changed or offering.state is OfferingState.DRAFT:
        target = next_state(merged.state, Action.EDIT, complete=complete)
        if target is not merged.state:
            action = Action.SUBMIT if merged.state is OfferingState.DRAFT else Action.EDIT
            audit = AuditEntry(
                offering_id=merged.id,
                actor=actor,
                action=action.value,
                from_state=merged.state,
                to_state=target,
                at=instant,
            )
        if changed or audit is not None:
            merged = dataclasses.replace(merged, state=target, updated_at=instant)
    if merged.title or merged.link:
        notes.extend(duplicate_problems(merged, existing))
    return MergeResult(merged, changed, tuple(problems), tuple(notes), audit)
