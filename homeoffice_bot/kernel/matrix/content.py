"""Event contents the bot sends, and what a refused request means: pure functions.

``send_failure`` sorts nio's error responses into the two kinds the outbox cares about:
worth retrying (``TemporarySendError``: 5xx, 429 with its ``retry_after_ms``, no answer)
or refused for good (``SendError``: the bot is not in the room, the room is gone, the
event is malformed).
"""

from __future__ import annotations

from typing import Any

from homeoffice_bot.kernel.errors import SendError, TemporarySendError
from homeoffice_bot.kernel.formatting import Rendered
from homeoffice_bot.kernel.ids import EventID

_RETRY_CODES = frozenset({"M_LIMIT_EXCEEDED", "M_UNKNOWN_TOKEN", "M_MISSING_TOKEN"})
"""Refusals that pass: rate limits, and a token problem the sync loop deals with."""


def send_failure(what: str, response: Any) -> SendError:
    """The exception for an error response of nio (``status_code`` is the errcode)."""
    errcode = getattr(response, "status_code", None)
    transport = getattr(response, "transport_response", None)
    http_status = getattr(transport, "status", None)
    message = f"{what}: {errcode or ''} {getattr(response, 'message', response)}".strip()
    if errcode in _RETRY_CODES or http_status == 429:
        retry_ms = getattr(response, "retry_after_ms", None)
        return TemporarySendError(message, retry_after=retry_ms / 1000 if retry_ms else None)
    if http_status is None or int(http_status) >= 500:
        return TemporarySendError(message)
    return SendError(message, status=str(errcode) if errcode else None)


def message_content(rendered: Rendered, msgtype: str) -> dict[str, Any]:
    """An ``m.room.message`` with HTML; ``m.mentions`` names exactly the pills."""
    return {
        "msgtype": msgtype,
        "body": rendered.body,
        "format": "org.matrix.custom.html",
        "formatted_body": rendered.formatted_body,
        "m.mentions": {"user_ids": list(rendered.mentions)},
    }


def edit_content(
    target: EventID, new_content: dict[str, Any], *, newly_mentioned: list[str]
) -> dict[str, Any]:
    """An edit (``m.replace``). ``m.mentions`` of the edit event itself names only people
    the edit mentions for the first time, so that clients notify neither twice nor never;
    the new content carries the full set."""
    return {
        "msgtype": new_content["msgtype"],
        "body": "* " + new_content["body"],
        "format": "org.matrix.custom.html",
        "formatted_body": "* " + new_content["formatted_body"],
        "m.mentions": {"user_ids": newly_mentioned},
        "m.new_content": new_content,
        "m.relates_to": {"rel_type": "m.replace", "event_id": target},
    }


def reaction_content(target: EventID, key: str) -> dict[str, Any]:
    return {"m.relates_to": {"rel_type": "m.annotation", "event_id": target, "key": key}}


def relates_to(
    *, thread_root: EventID | None = None, reply_to: EventID | None = None
) -> dict[str, Any] | None:
    """The ``m.relates_to`` of a message in a thread or of a reply. In a thread, a message
    that answers a particular one is a real reply; otherwise the reply is a fallback to the
    thread root for clients without threads."""
    if thread_root is not None:
        return {
            "rel_type": "m.thread",
            "event_id": thread_root,
            "is_falling_back": reply_to is None,
            "m.in_reply_to": {"event_id": reply_to or thread_root},
        }
    if reply_to is not None:
        return {"m.in_reply_to": {"event_id": reply_to}}
    return None
