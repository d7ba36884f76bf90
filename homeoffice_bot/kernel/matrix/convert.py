"""Turn nio timeline events into our own event dataclasses.

We read the event's JSON source rather than nio's many classes: the same code then
serves plain and decrypted events, edits, threads, replies and reactions alike.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import nio

from homeoffice_bot.kernel.events import Edit, Membership, Message, Reaction, Redaction
from homeoffice_bot.kernel.formatting import command_text, mentioned_user_ids
from homeoffice_bot.kernel.ids import EventID, RoomID, UserID

Converted = Message | Edit | Reaction | Redaction | Membership


def _ts(source: Mapping[str, Any]) -> datetime:
    millis = source.get("origin_server_ts")
    if not isinstance(millis, int):
        return datetime.now(UTC)
    return datetime.fromtimestamp(millis / 1000, UTC)


def _str(value: object) -> str | None:
    return value if isinstance(value, str) else None


def convert_timeline_event(room_id: str, event: Any, *, is_direct: bool) -> Converted | None:
    source: Mapping[str, Any] = getattr(event, "source", None) or {}
    content = source.get("content")
    if not isinstance(content, Mapping):
        return None
    event_type = source.get("type")
    event_id = _str(source.get("event_id"))
    sender = _str(source.get("sender"))
    if event_id is None or sender is None:
        return None
    encrypted = isinstance(getattr(event, "decrypted", None), bool) and bool(event.decrypted)
    room, eid, who, ts = RoomID(room_id), EventID(event_id), UserID(sender), _ts(source)
    relates = content.get("m.relates_to")
    relates = relates if isinstance(relates, Mapping) else {}

    if event_type == "m.room.message":
        return _message(room, eid, who, ts, content, relates, encrypted, is_direct)
    if event_type == "m.reaction":
        target, key = _str(relates.get("event_id")), _str(relates.get("key"))
        if relates.get("rel_type") != "m.annotation" or target is None or key is None:
            return None
        return Reaction(room, eid, who, EventID(target), key, ts)
    if event_type == "m.room.redaction":
        redacts = _str(source.get("redacts")) or _str(content.get("redacts"))
        if redacts is None:
            return None
        return Redaction(room, eid, who, EventID(redacts), ts, _str(content.get("reason")))
    if event_type == "m.room.member" and isinstance(event, nio.RoomMemberEvent):
        prev = event.prev_membership if isinstance(event.prev_membership, str) else None
        return Membership(
            room, UserID(event.state_key), event.membership, prev, ts,
            _str(content.get("displayname")),
        )  # fmt: skip
    return None


def _message(
    room: RoomID,
    eid: EventID,
    who: UserID,
    ts: datetime,
    content: Mapping[str, Any],
    relates: Mapping[str, Any],
    encrypted: bool,
    is_direct: bool,
) -> Message | Edit | None:
    if relates.get("rel_type") == "m.replace":
        new = content.get("m.new_content")
        target = _str(relates.get("event_id"))
        if not isinstance(new, Mapping) or target is None:
            return None
        body = _str(new.get("body")) or ""
        formatted = _str(new.get("formatted_body"))
        return Edit(
            room, eid, EventID(target), who, command_text(body, formatted), ts, formatted,
            mentioned_user_ids(new), encrypted,
        )  # fmt: skip
    text = _str(content.get("body"))
    if text is None:
        return None
    formatted = _str(content.get("formatted_body"))
    thread_root: str | None = None
    reply_to: str | None = None
    if relates.get("rel_type") == "m.thread":
        thread_root = _str(relates.get("event_id"))
    in_reply = relates.get("m.in_reply_to")
    if isinstance(in_reply, Mapping) and not relates.get("is_falling_back"):
        reply_to = _str(in_reply.get("event_id"))
    media = _str(content.get("url"))
    return Message(
        room_id=room,
        event_id=eid,
        sender=who,
        body=command_text(_strip_reply_fallback(text), formatted),
        server_ts=ts,
        formatted_body=formatted,
        mentions=mentioned_user_ids(content),
        thread_root=EventID(thread_root) if thread_root else None,
        reply_to=EventID(reply_to) if reply_to else None,
        msgtype=_str(content.get("msgtype")) or "m.text",
        encrypted=encrypted,
        is_direct=is_direct,
        media_url=media if media and media.startswith("mxc://") else None,
    )


def _strip_reply_fallback(body: str) -> str:
    """Drop the quoted ``> <@user> …`` lines older clients put in front of replies."""
    lines = body.split("\n")
    if not lines or not lines[0].startswith("> <"):
        return body
    while lines and lines[0].startswith(">"):
        lines.pop(0)
    return "\n".join(lines).lstrip("\n")
