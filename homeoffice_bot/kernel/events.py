"""Our own small event dataclasses. Nothing outside kernel/matrix.py sees nio's types."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from homeoffice_bot.kernel.ids import EventID, RoomID, UserID


@dataclass(frozen=True, slots=True)
class Message:
    room_id: RoomID
    event_id: EventID
    sender: UserID
    body: str
    """Plain text as the person typed it; mention pills are replaced by the user's MXID."""
    server_ts: datetime
    """The homeserver's timestamp (UTC): interpret commands by this, not by arrival time."""
    formatted_body: str | None = None
    mentions: tuple[UserID, ...] = ()
    thread_root: EventID | None = None
    reply_to: EventID | None = None
    msgtype: str = "m.text"
    encrypted: bool = False
    is_direct: bool = False
    media_url: str | None = None
    """mxc:// URL for images and files (unencrypted media only)."""


@dataclass(frozen=True, slots=True)
class Edit:
    room_id: RoomID
    event_id: EventID
    """The id of the edit event itself."""
    original_event_id: EventID
    sender: UserID
    new_body: str
    server_ts: datetime
    new_formatted_body: str | None = None
    mentions: tuple[UserID, ...] = ()
    encrypted: bool = False


@dataclass(frozen=True, slots=True)
class Reaction:
    room_id: RoomID
    event_id: EventID
    sender: UserID
    relates_to: EventID
    key: str
    server_ts: datetime


@dataclass(frozen=True, slots=True)
class Redaction:
    room_id: RoomID
    event_id: EventID
    sender: UserID
    redacts: EventID
    server_ts: datetime
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class Invite:
    room_id: RoomID
    inviter: UserID
    server_ts: datetime | None = None


@dataclass(frozen=True, slots=True)
class Membership:
    room_id: RoomID
    user_id: UserID
    membership: str
    """join, leave, invite, ban or knock."""
    prev_membership: str | None
    server_ts: datetime
    display_name: str | None = None


@dataclass(frozen=True, slots=True)
class Presence:
    user_id: UserID
    presence: str
    """online, offline or unavailable."""
    last_active_ago_ms: int | None = None
    status_msg: str | None = None


Event = Message | Edit | Reaction | Redaction | Invite | Membership | Presence
"""Every kind of event the sync loop hands on (``SyncBatch.events``) and the router routes."""


@dataclass(frozen=True, slots=True)
class OutgoingMessage:
    """What the bot sends: Markdown source plus who it mentions."""

    markdown: str
    mentions: tuple[UserID, ...] = field(default=())
