"""The life of an offering: which action moves it from which state to which, and who may.

    draft ──submit/edit (complete)──▶ pending ──approve──▶ approved ──end──▶ ended
      ▲                                 │ ▲                  │
      └──── edit (incomplete) ◀─────────┤ └──── edit ◀───────┘  (an edit sends it back)
                                        ├─request_changes─▶ changes_requested ──edit──▶ pending
                                        └─reject─▶ rejected ──edit──▶ pending
    every state except ended ──withdraw──▶ withdrawn; withdrawn and ended are final.

Moderators can also approve or reject straight from changes_requested and rejected, and
ask for changes on an approved offering (which takes it off the page).
"""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Collection, Mapping
from datetime import UTC, datetime

from digitalnah.model import AuditEntry, Offering, OfferingState
from homeoffice_bot.kernel.errors import CommandError
from homeoffice_bot.kernel.ids import UserID

S = OfferingState

MODERATOR_POWER_LEVEL = 50
APPROVAL_REACTIONS: frozenset[str] = frozenset({"✅", "✔", "☑"})
"""Reaction keys that approve (compared without emoji variation selectors)."""


class Action(enum.StrEnum):
    SUBMIT = "submit"
    EDIT = "edit"
    APPROVE = "approve"
    REJECT = "reject"
    REQUEST_CHANGES = "request_changes"
    WITHDRAW = "withdraw"
    END = "end"


MODERATOR_ACTIONS: frozenset[Action] = frozenset(
    {Action.APPROVE, Action.REJECT, Action.REQUEST_CHANGES, Action.END}
)
"""Actions only moderators may take (withdraw and edit belong to the submitter too)."""
REASON_REQUIRED: frozenset[Action] = frozenset({Action.REJECT, Action.REQUEST_CHANGES})

_EDITABLE = (S.DRAFT, S.PENDING, S.CHANGES_REQUESTED, S.APPROVED, S.REJECTED)
TRANSITIONS: Mapping[tuple[OfferingState, Action], OfferingState] = {
    (S.DRAFT, Action.SUBMIT): S.PENDING,
    **{(s, Action.EDIT): S.PENDING for s in _EDITABLE},
    **{(s, Action.APPROVE): S.APPROVED for s in (S.PENDING, S.CHANGES_REQUESTED, S.REJECTED)},
    **{(s, Action.REJECT): S.REJECTED for s in (S.PENDING, S.CHANGES_REQUESTED, S.APPROVED)},
    **{(s, Action.REQUEST_CHANGES): S.CHANGES_REQUESTED for s in (S.PENDING, S.APPROVED)},
    **{(s, Action.WITHDRAW): S.WITHDRAWN for s in (*_EDITABLE,)},
    (S.APPROVED, Action.END): S.ENDED,
}
"""Allowed moves. EDIT is listed with its result for a complete offering; an edit that
leaves the offering incomplete makes it a draft again (see ``next_state``)."""


class InvalidTransitionError(CommandError):
    """The action is not possible in the offering's state; ``key`` explains why."""


def next_state(state: OfferingState, action: Action, *, complete: bool = True) -> OfferingState:
    """The state after ``action``; raises InvalidTransitionError when it is not allowed.

    ``complete`` says whether the offering passes validation after an edit."""
    if action is Action.EDIT and state in _EDITABLE and not complete:
        return S.DRAFT
    if action is Action.SUBMIT and not complete:
        raise InvalidTransitionError("digitalnah.error.incomplete")
    target = TRANSITIONS.get((state, action))
    if target is not None:
        return target
    if state in (S.WITHDRAWN, S.ENDED):
        raise InvalidTransitionError("digitalnah.error.closed")
    if state is S.DRAFT:
        raise InvalidTransitionError("digitalnah.error.incomplete")
    if state is S.APPROVED and action is Action.APPROVE:
        raise InvalidTransitionError("digitalnah.error.already_approved")
    raise InvalidTransitionError("digitalnah.error.transition")


def transition(
    offering: Offering,
    action: Action,
    *,
    actor: UserID,
    now: datetime,
    reason: str = "",
    complete: bool = True,
) -> tuple[Offering, AuditEntry]:
    """Apply ``action`` by ``actor`` at ``now``: the changed offering and its audit entry.

    Raises InvalidTransitionError (a CommandError, params ``id``) when the state does not
    allow it or a reject / change request comes without a reason. Permission is the
    caller's business (``can_moderate``)."""
    reason = " ".join(reason.split())
    try:
        if action in REASON_REQUIRED and not reason:
            raise InvalidTransitionError("digitalnah.error.reason_required")
        target = next_state(offering.state, action, complete=complete)
    except InvalidTransitionError as error:
        error.params.setdefault("id", offering.id if offering.id is not None else "")
        raise
    instant = now.astimezone(UTC)
    approved_at = offering.approved_at
    if target is S.APPROVED and approved_at is None:
        approved_at = instant
    review_note = offering.review_note
    if action in REASON_REQUIRED:
        review_note = reason
    elif target is S.APPROVED:
        review_note = ""
    updated = dataclasses.replace(
        offering, state=target, updated_at=instant, approved_at=approved_at, review_note=review_note
    )
    entry = AuditEntry(
        offering_id=offering.id,
        actor=actor,
        action=action.value,
        from_state=offering.state,
        to_state=target,
        at=instant,
        reason=reason,
    )
    return updated, entry


def can_moderate(
    user_id: str,
    power_level: int,
    *,
    moderators: Collection[str] = (),
    min_power_level: int = MODERATOR_POWER_LEVEL,
) -> bool:
    """Moderators: a power level of at least ``min_power_level`` in the room, or a user on
    the configured list (e.g. the CDOs)."""
    return power_level >= min_power_level or user_id in moderators


def is_approval_reaction(key: str) -> bool:
    """✅ and friends, with or without the emoji variation selector."""
    return key.replace("\ufe0f", "").strip() in APPROVAL_REACTIONS
