"""The #DigitalNah domain: offerings, their fields and states, problems and audit entries.

An offering is a digital service for citizens that someone in the team reported. It is
a frozen value; every change produces a new one (``dataclasses.replace``).
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, NamedTuple

from homeoffice_bot.kernel.ids import EventID, RoomID, UserID

Tr = Callable[..., str]
"""``tr(key, **params) -> str``: the formatted message for the room's language."""

DEFAULT_CATEGORIES: tuple[str, ...] = (
    "Bürgerservice & Online-Verwaltung",
    "Bildung & Schule",
    "Kultur & Freizeit",
    "Wirtschaft",
    "Gesundheit & Soziales",
    "Mobilität",
    "Umwelt",
    "Sonstiges",
)

DEFAULT_CATEGORY_ALIASES: Mapping[str, str] = {
    "verwaltung": "Bürgerservice & Online-Verwaltung",
    "bürgerbüro": "Bürgerservice & Online-Verwaltung",
    "onlinedienst": "Bürgerservice & Online-Verwaltung",
    "kita": "Bildung & Schule",
    "sport": "Kultur & Freizeit",
    "tourismus": "Kultur & Freizeit",
    "gesundheit": "Gesundheit & Soziales",
    "pflege": "Gesundheit & Soziales",
    "verkehr": "Mobilität",
    "parken": "Mobilität",
    "klima": "Umwelt",
    "abfall": "Umwelt",
}
"""Extra words that point to a default category (besides the words of the names themselves).
An alias whose target is not among the configured categories is ignored."""


class Field(enum.StrEnum):
    """The fields a person can fill in. The values are the English identifiers."""

    TITLE = "title"
    DESCRIPTION = "description"
    LINK = "link"
    CATEGORY = "category"
    PROVIDER = "provider"
    TARGET_GROUP = "target_group"
    AVAILABLE_SINCE = "available_since"
    CONTACT = "contact"
    TAGS = "tags"


class OfferingState(enum.StrEnum):
    DRAFT = "draft"
    """Incomplete: fields are missing or wrong."""
    PENDING = "pending"
    """Complete and submitted; waiting for a moderator."""
    CHANGES_REQUESTED = "changes_requested"
    APPROVED = "approved"
    """Published on the page and in the feeds."""
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"
    ENDED = "ended"
    """The service no longer exists; off the page."""


class Problem(NamedTuple):
    """Something missing or wrong in a field: ``field`` is a ``Field`` value (or ``""`` for
    the offering as a whole), ``key`` an i18n key, ``params`` its placeholders."""

    field: str
    key: str
    params: Mapping[str, Any] = {}


@dataclass(frozen=True, slots=True)
class Offering:
    submitter: UserID
    created_at: datetime
    """UTC."""
    updated_at: datetime
    """UTC."""
    id: int | None = None
    title: str = ""
    description: str = ""
    link: str = ""
    category: str = ""
    provider: str = ""
    """The department that offers the service."""
    target_group: str = ""
    available_since: date | None = None
    contact: str = ""
    tags: tuple[str, ...] = ()
    image_mxc: str | None = None
    source_room_id: RoomID | None = None
    source_event_id: EventID | None = None
    """The message the draft came from; replies in its thread complete it, edits update it."""
    state: OfferingState = OfferingState.DRAFT
    approved_at: datetime | None = None
    """UTC; the first approval (a re-approval after an edit keeps it)."""
    review_note: str = ""
    """The moderator's reason of the last rejection or change request."""

    def get(self, which: Field) -> str:
        """A field's value as text (dates ISO, tags comma-separated); ``""`` when empty."""
        if which is Field.AVAILABLE_SINCE:
            return self.available_since.isoformat() if self.available_since else ""
        if which is Field.TAGS:
            return ", ".join(self.tags)
        value: str = getattr(self, which.value)
        return value


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One moderation or lifecycle decision: who did what to which offering, and when."""

    offering_id: int | None
    actor: UserID
    action: str
    """An ``lifecycle.Action`` value."""
    from_state: OfferingState
    to_state: OfferingState
    at: datetime
    """UTC."""
    reason: str = ""


@dataclass(frozen=True, slots=True)
class Source:
    """Where a draft came from."""

    room_id: RoomID | None = None
    event_id: EventID | None = None
    image_mxc: str | None = None
    """mxc:// URL of an image sent with the message."""


def new_draft(submitter: UserID, now: datetime, source: Source | None = None) -> Offering:
    """An empty draft by ``submitter``; fill it with ``merge.update_offering``."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    instant = now.astimezone(UTC)
    src = source or Source()
    return Offering(
        submitter=submitter,
        created_at=instant,
        updated_at=instant,
        source_room_id=src.room_id,
        source_event_id=src.event_id,
        image_mxc=src.image_mxc,
    )
