"""The plugin's tables. Never edit a released step; append new ones.

- ``digitalnah_offerings``: every offering with all fields and its state (instants UTC ISO).
- ``digitalnah_audit``: every decision and state change: who, when, what, from/to, reason.
- ``digitalnah_events``: chat events that stand for an offering: its source message
  (``source``: edits update it), the root of the thread it is discussed in (``thread``:
  the submitter's replies there complete it) and the bot's messages about it (``reply``);
  a moderator's ✅ on the source or a reply approves.
- ``digitalnah_assistant``: one ``!angebot assistent`` dialogue per person (state as JSON).
- ``digitalnah_publish``: when the output was last written and what the webhook last got.
"""

from __future__ import annotations

from collections.abc import Sequence

from homeoffice_bot.kernel.storage import MigrationStep

MIGRATIONS: Sequence[MigrationStep] = (
    """
    CREATE TABLE digitalnah_offerings (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        submitter TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        title TEXT NOT NULL DEFAULT '',
        description TEXT NOT NULL DEFAULT '',
        link TEXT NOT NULL DEFAULT '',
        category TEXT NOT NULL DEFAULT '',
        provider TEXT NOT NULL DEFAULT '',
        target_group TEXT NOT NULL DEFAULT '',
        available_since TEXT,
        contact TEXT NOT NULL DEFAULT '',
        tags TEXT NOT NULL DEFAULT '[]',
        image_mxc TEXT,
        source_room_id TEXT,
        source_event_id TEXT,
        state TEXT NOT NULL,
        approved_at TEXT,
        review_note TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX digitalnah_offerings_state ON digitalnah_offerings(state);
    CREATE TABLE digitalnah_audit (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        offering_id INTEGER NOT NULL REFERENCES digitalnah_offerings(id) ON DELETE CASCADE,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        from_state TEXT NOT NULL,
        to_state TEXT NOT NULL,
        at TEXT NOT NULL,
        reason TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX digitalnah_audit_offering ON digitalnah_audit(offering_id);
    CREATE TABLE digitalnah_events (
        event_id TEXT NOT NULL,
        room_id TEXT NOT NULL,
        offering_id INTEGER NOT NULL REFERENCES digitalnah_offerings(id) ON DELETE CASCADE,
        role TEXT NOT NULL,
        PRIMARY KEY (event_id, role, offering_id)
    );
    CREATE INDEX digitalnah_events_offering ON digitalnah_events(offering_id);
    CREATE TABLE digitalnah_assistant (
        user_id TEXT PRIMARY KEY,
        dm_room_id TEXT NOT NULL,
        origin_room_id TEXT,
        state TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE TABLE digitalnah_publish (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        published_at TEXT,
        webhook_hash TEXT,
        webhook_delivered_at TEXT,
        webhook_error TEXT
    )
    """,
)
