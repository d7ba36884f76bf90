from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from digitalnah.extract import ExtractedFields, extract_from_message, parse_completion
from digitalnah.lifecycle import (
    Action,
    InvalidTransitionError,
    can_moderate,
    is_approval_reaction,
    next_state,
    transition,
)
from digitalnah.merge import update_offering
from digitalnah.model import (
    DEFAULT_CATEGORIES,
    AuditEntry,
    Field,
    Offering,
    OfferingState,
    Problem,
    Source,
    new_draft,
)
from homeoffice_bot.kernel.errors import CommandError
from homeoffice_bot.kernel.ids import EventID, RoomID, UserID

S = OfferingState
CATS = DEFAULT_CATEGORIES
NOW = datetime(2024, 5, 1, 7, 30, tzinfo=UTC)
LATER = NOW + timedelta(hours=1)
ANNA = UserID("@anna:example.org")
MOD = UserID("@lead:example.org")

COMPLETE = ExtractedFields(
    {
        Field.TITLE: "Online-Terminbuchung",
        Field.DESCRIPTION: "Termine online buchen.",
        Field.LINK: "https://termine.example.org",
        Field.CATEGORY: "Bürgerservice",
    }
)


def stored(state: OfferingState, **fields: Any) -> Offering:
    draft = update_offering(
        new_draft(ANNA, NOW), COMPLETE, actor=ANNA, now=NOW, categories=CATS
    ).offering
    return dataclasses.replace(draft, id=7, state=state, **fields)


@pytest.mark.parametrize(
    ("state", "action", "expected"),
    [
        (S.DRAFT, Action.SUBMIT, S.PENDING),
        (S.PENDING, Action.APPROVE, S.APPROVED),
        (S.PENDING, Action.REJECT, S.REJECTED),
        (S.PENDING, Action.REQUEST_CHANGES, S.CHANGES_REQUESTED),
        (S.CHANGES_REQUESTED, Action.EDIT, S.PENDING),
        (S.CHANGES_REQUESTED, Action.APPROVE, S.APPROVED),
        (S.APPROVED, Action.EDIT, S.PENDING),
        (S.APPROVED, Action.END, S.ENDED),
        (S.APPROVED, Action.REQUEST_CHANGES, S.CHANGES_REQUESTED),
        (S.REJECTED, Action.EDIT, S.PENDING),
        (S.DRAFT, Action.WITHDRAW, S.WITHDRAWN),
        (S.APPROVED, Action.WITHDRAW, S.WITHDRAWN),
    ],
)
def test_allowed_transitions(state: S, action: Action, expected: S) -> None:
    assert next_state(state, action) is expected


@pytest.mark.parametrize(
    ("state", "action", "key"),
    [
        (S.DRAFT, Action.APPROVE, "digitalnah.error.incomplete"),
        (S.DRAFT, Action.REJECT, "digitalnah.error.incomplete"),
        (S.APPROVED, Action.APPROVE, "digitalnah.error.already_approved"),
        (S.WITHDRAWN, Action.APPROVE, "digitalnah.error.closed"),
        (S.ENDED, Action.EDIT, "digitalnah.error.closed"),
        (S.ENDED, Action.WITHDRAW, "digitalnah.error.closed"),
        (S.PENDING, Action.END, "digitalnah.error.transition"),
        (S.PENDING, Action.SUBMIT, "digitalnah.error.transition"),
    ],
)
def test_refused_transitions(state: S, action: Action, key: str) -> None:
    with pytest.raises(InvalidTransitionError) as caught:
        next_state(state, action)
    assert caught.value.key == key
    assert isinstance(caught.value, CommandError)


def test_incomplete_edit_makes_a_draft_and_incomplete_submit_is_refused() -> None:
    assert next_state(S.APPROVED, Action.EDIT, complete=False) is S.DRAFT
    assert next_state(S.PENDING, Action.EDIT, complete=False) is S.DRAFT
    with pytest.raises(InvalidTransitionError):
        next_state(S.DRAFT, Action.SUBMIT, complete=False)


def test_approve_records_who_and_when() -> None:
    pending = stored(S.PENDING)
    approved, entry = transition(pending, Action.APPROVE, actor=MOD, now=LATER)
    assert approved.state is S.APPROVED
    assert approved.approved_at == LATER
    assert approved.updated_at == LATER
    assert entry == AuditEntry(7, MOD, "approve", S.PENDING, S.APPROVED, LATER, "")


def test_reapproval_keeps_first_approval_time() -> None:
    again = stored(S.PENDING, approved_at=NOW)
    approved, _ = transition(again, Action.APPROVE, actor=MOD, now=LATER)
    assert approved.approved_at == NOW


def test_reject_needs_a_reason_and_stores_it() -> None:
    pending = stored(S.PENDING)
    with pytest.raises(InvalidTransitionError) as caught:
        transition(pending, Action.REJECT, actor=MOD, now=LATER, reason="  ")
    assert caught.value.key == "digitalnah.error.reason_required"
    assert caught.value.params == {"id": 7}
    rejected, entry = transition(
        pending, Action.REJECT, actor=MOD, now=LATER, reason="Link  geht nicht"
    )
    assert rejected.state is S.REJECTED
    assert rejected.review_note == "Link geht nicht"
    assert entry.reason == "Link geht nicht"


def test_refused_transition_names_the_offering() -> None:
    with pytest.raises(InvalidTransitionError) as caught:
        transition(stored(S.DRAFT), Action.APPROVE, actor=MOD, now=LATER)
    assert caught.value.params == {"id": 7}


def test_moderators() -> None:
    assert can_moderate("@lead:x", 50)
    assert can_moderate("@lead:x", 100)
    assert not can_moderate("@member:x", 0)
    assert can_moderate("@cdo:x", 0, moderators={"@cdo:x"})
    assert not can_moderate("@lead:x", 50, min_power_level=75)


@pytest.mark.parametrize(
    ("key", "expected"),
    [("✅", True), ("✅\ufe0f", True), ("✔️", True), ("👍", False), ("❌", False)],
)
def test_approval_reactions(key: str, expected: bool) -> None:
    assert is_approval_reaction(key) is expected


def test_draft_from_message_then_completed_by_reply() -> None:
    source = Source(RoomID("!team:example.org"), EventID("$msg"))
    draft = new_draft(ANNA, NOW, source)
    body = (
        "Neu: Online-Terminbuchung fürs Bürgerbüro. Termine rund um die Uhr buchen. "
        "https://termine.example.org #DigitalNah"
    )
    first = update_offering(
        draft, extract_from_message(body, CATS), actor=ANNA, now=NOW, categories=CATS
    ).with_id(7)
    assert first.offering.state is S.DRAFT
    assert first.missing == (Field.CATEGORY,)
    assert first.problems == (Problem(Field.CATEGORY, "digitalnah.problem.missing"),)
    assert first.audit is None
    assert first.offering.source_event_id == "$msg"
    assert first.offering.id == 7

    reply = parse_completion("Bürgerservice", first.missing, CATS)
    second = update_offering(first.offering, reply, actor=ANNA, now=LATER, categories=CATS)
    assert second.complete
    assert second.changed == (Field.CATEGORY,)
    assert second.offering.category == "Bürgerservice & Online-Verwaltung"
    assert second.offering.state is S.PENDING
    assert second.offering.updated_at == LATER
    assert second.audit == AuditEntry(7, ANNA, "submit", S.DRAFT, S.PENDING, LATER, "")


def test_issue_example_is_complete_after_the_category_reply() -> None:
    body = "Neu: Online-Terminbuchung fürs Bürgerbüro https://termine.example.org #DigitalNah"
    draft = new_draft(ANNA, NOW)
    first = update_offering(
        draft, extract_from_message(body, CATS), actor=ANNA, now=NOW, categories=CATS
    )
    assert first.missing == (Field.CATEGORY,)
    reply = parse_completion("Kategorie: Bürgerservice", first.missing, CATS)
    second = update_offering(first.offering, reply, actor=ANNA, now=LATER, categories=CATS)
    assert second.complete
    assert second.offering.state is S.PENDING
    assert second.offering.description == ""


def test_with_id_fills_the_audit_entry() -> None:
    result = update_offering(new_draft(ANNA, NOW), COMPLETE, actor=ANNA, now=NOW, categories=CATS)
    assert result.audit is not None
    assert result.audit.offering_id is None
    assert result.with_id(12).audit == dataclasses.replace(result.audit, offering_id=12)


def test_rejected_values_do_not_overwrite_and_block() -> None:
    pending = stored(S.PENDING)
    hostile = ExtractedFields({Field.LINK: "javascript:alert(1)", Field.CATEGORY: "Raumfahrt"})
    result = update_offering(pending, hostile, actor=ANNA, now=LATER, categories=CATS)
    assert result.offering.link == "https://termine.example.org"
    assert result.offering.category == "Bürgerservice & Online-Verwaltung"
    assert [p.key for p in result.problems] == [
        "digitalnah.problem.link_scheme",
        "digitalnah.problem.category_unknown",
    ]
    assert result.changed == ()
    assert result.offering.state is S.PENDING


def test_editing_an_approved_offering_sends_it_back_to_review() -> None:
    approved = stored(S.APPROVED, approved_at=NOW)
    edit = ExtractedFields({Field.TITLE: "Online-Terminbuchung (neu)"})
    result = update_offering(approved, edit, actor=ANNA, now=LATER, categories=CATS)
    assert result.offering.state is S.PENDING
    assert result.offering.title == "Online-Terminbuchung (neu)"
    assert result.audit == AuditEntry(7, ANNA, "edit", S.APPROVED, S.PENDING, LATER, "")


def test_edit_without_changes_keeps_approval() -> None:
    approved = stored(S.APPROVED, approved_at=NOW)
    same = ExtractedFields({Field.TITLE: "Online-Terminbuchung"})
    result = update_offering(approved, same, actor=ANNA, now=LATER, categories=CATS)
    assert result.offering == approved
    assert result.audit is None


def test_incomplete_edit_of_pending_makes_a_draft() -> None:
    result = update_offering(
        stored(S.PENDING),
        ExtractedFields({Field.CATEGORY: ""}),
        actor=ANNA,
        now=LATER,
        categories=CATS,
    )
    assert result.offering.state is S.DRAFT
    assert result.missing == (Field.CATEGORY,)
    assert result.audit is not None
    assert (result.audit.from_state, result.audit.to_state) == (S.PENDING, S.DRAFT)


def test_withdrawn_offering_is_not_editable() -> None:
    withdrawn = stored(S.WITHDRAWN)
    result = update_offering(
        withdrawn, ExtractedFields({Field.TITLE: "Neu"}), actor=ANNA, now=LATER, categories=CATS
    )
    assert result.offering == withdrawn
    assert result.problems == (Problem("", "digitalnah.problem.not_editable", {"id": 7}),)


def test_notes_carry_unknown_keys_and_duplicates() -> None:
    existing = [stored(S.APPROVED, approved_at=NOW)]
    extracted = dataclasses.replace(COMPLETE, unknown_keys=("Quatsch",))
    result = update_offering(
        new_draft(ANNA, LATER), extracted, actor=ANNA, now=LATER, categories=CATS, existing=existing
    )
    assert result.complete
    assert [p.key for p in result.notes] == [
        "digitalnah.problem.unknown_key",
        "digitalnah.problem.duplicate_link",
    ]


def test_optional_fields_are_typed() -> None:
    extracted = ExtractedFields(
        {**COMPLETE.values, Field.AVAILABLE_SINCE: "01.04.2024", Field.TAGS: "Termine, Online"}
    )
    result = update_offering(new_draft(ANNA, NOW), extracted, actor=ANNA, now=NOW, categories=CATS)
    assert result.offering.available_since == date(2024, 4, 1)
    assert result.offering.tags == ("Termine", "Online")
    cleared = update_offering(
        result.offering,
        ExtractedFields({Field.AVAILABLE_SINCE: ""}),
        actor=ANNA,
        now=LATER,
        categories=CATS,
    )
    assert cleared.offering.available_since is None
