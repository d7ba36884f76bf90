"""nio events become our own event dataclasses."""

from __future__ import annotations

from typing import Any

import nio

from homeoffice_bot.kernel.events import Edit, Message, Reaction, Redaction
from homeoffice_bot.kernel.matrix.convert import convert_timeline_event

ROOM = "!team:example.org"


def event(kind: str, content: dict[str, Any], **extra: Any) -> Any:
    source = {
        "type": kind,
        "content": content,
        "event_id": "$e1",
        "sender": "@anna:example.org",
        "origin_server_ts": 1_784_106_000_000,
        **extra,
    }
    return nio.Event.parse_event(source)


def test_plain_message_with_server_time() -> None:
    converted = convert_timeline_event(
        ROOM, event("m.room.message", {"msgtype": "m.text", "body": "!moin"}), is_direct=False
    )
    assert isinstance(converted, Message)
    assert converted.body == "!moin"
    assert converted.server_ts.isoformat() == "2026-07-15T09:00:00+00:00"
    assert converted.thread_root is None


def test_thread_reply_and_pill_mentions() -> None:
    content = {
        "msgtype": "m.text",
        "body": "Ben: kannst du?",
        "format": "org.matrix.custom.html",
        "formatted_body": '<a href="https://matrix.to/#/@ben:example.org">Ben</a>: kannst du?',
        "m.relates_to": {
            "rel_type": "m.thread",
            "event_id": "$root",
            "is_falling_back": True,
            "m.in_reply_to": {"event_id": "$root"},
        },
    }
    converted = convert_timeline_event(ROOM, event("m.room.message", content), is_direct=False)
    assert isinstance(converted, Message)
    assert converted.thread_root == "$root"
    assert converted.reply_to is None
    assert converted.mentions == ("@ben:example.org",)
    assert converted.body == "@ben:example.org: kannst du?"


def test_edit_carries_the_new_text_and_the_original_id() -> None:
    content = {
        "msgtype": "m.text",
        "body": "* neu",
        "m.new_content": {"msgtype": "m.text", "body": "neu"},
        "m.relates_to": {"rel_type": "m.replace", "event_id": "$orig"},
    }
    converted = convert_timeline_event(ROOM, event("m.room.message", content), is_direct=False)
    assert isinstance(converted, Edit)
    assert converted.original_event_id == "$orig"
    assert converted.new_body == "neu"


def test_reaction_and_redaction() -> None:
    reaction = convert_timeline_event(
        ROOM,
        event(
            "m.reaction",
            {"m.relates_to": {"rel_type": "m.annotation", "event_id": "$o", "key": "✅"}},
        ),
        is_direct=False,
    )
    assert isinstance(reaction, Reaction)
    assert (reaction.relates_to, reaction.key) == ("$o", "✅")
    redaction = convert_timeline_event(
        ROOM, event("m.room.redaction", {"reason": "typo"}, redacts="$o"), is_direct=False
    )
    assert isinstance(redaction, Redaction)
    assert (redaction.redacts, redaction.reason) == ("$o", "typo")


def test_reply_fallback_is_stripped_from_the_body() -> None:
    content = {
        "msgtype": "m.text",
        "body": "> <@ben:example.org> Frage?\n\nAntwort",
        "m.relates_to": {"m.in_reply_to": {"event_id": "$q"}},
    }
    converted = convert_timeline_event(ROOM, event("m.room.message", content), is_direct=False)
    assert isinstance(converted, Message)
    assert converted.body == "Antwort"
    assert converted.reply_to == "$q"


def test_unknown_events_are_ignored() -> None:
    assert (
        convert_timeline_event(ROOM, event("m.room.topic", {"topic": "x"}), is_direct=False) is None
    )


def test_a_reply_inside_a_thread_keeps_its_reply_target() -> None:
    from homeoffice_bot.kernel.ids import EventID
    from homeoffice_bot.kernel.matrix import relates_to

    content = {
        "msgtype": "m.text",
        "body": "Antwort",
        "m.relates_to": relates_to(thread_root=EventID("$root"), reply_to=EventID("$q")),
    }
    converted = convert_timeline_event(ROOM, event("m.room.message", content), is_direct=False)
    assert isinstance(converted, Message)
    assert (converted.thread_root, converted.reply_to) == ("$root", "$q")
    fallback = {
        "msgtype": "m.text",
        "body": "Im Thread",
        "m.relates_to": relates_to(thread_root=EventID("$root")),
    }
    converted = convert_timeline_event(ROOM, event("m.room.message", fallback), is_direct=False)
    assert isinstance(converted, Message)
    assert (converted.thread_root, converted.reply_to) == ("$root", None)
