"""The kernel's own tables."""

from __future__ import annotations

from homeoffice_bot.kernel.storage import MigrationStep

MIGRATIONS: list[MigrationStep] = [
    """
    CREATE TABLE sync_state (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        next_batch TEXT NOT NULL
    );
    CREATE TABLE rooms (
        room_id TEXT PRIMARY KEY,
        language TEXT,
        timezone TEXT
    );
    CREATE TABLE occurrences (
        key TEXT PRIMARY KEY,
        fired_at TEXT NOT NULL
    );
    CREATE TABLE decryption_notes (
        session_id TEXT PRIMARY KEY,
        room_id TEXT NOT NULL,
        noted_at TEXT NOT NULL
    )
    """,
    """
    CREATE TABLE outbox (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        txn_id TEXT NOT NULL UNIQUE,
        queue TEXT NOT NULL,
        room_id TEXT,
        dm_user TEXT,
        action TEXT NOT NULL,
        payload TEXT NOT NULL,
        created_at TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        held_for TEXT,
        release_at TEXT
    );
    CREATE INDEX outbox_by_queue ON outbox(queue, held_for, id);
    CREATE INDEX outbox_by_held ON outbox(held_for, release_at);
    CREATE TABLE outbox_sent (
        txn_id TEXT PRIMARY KEY,
        event_id TEXT,
        outcome TEXT NOT NULL,
        sent_at TEXT NOT NULL
    );
    CREATE INDEX outbox_sent_by_time ON outbox_sent(sent_at);
    CREATE TABLE handled_events (
        event_id TEXT PRIMARY KEY,
        handled_at TEXT NOT NULL
    );
    CREATE INDEX handled_events_by_time ON handled_events(handled_at);
    ALTER TABLE occurrences ADD COLUMN done_at TEXT;
    UPDATE occurrences SET done_at = fired_at
    """,
    # how the bot addresses people in the room: "du" (NULL, the default) or "sie"
    "ALTER TABLE rooms ADD COLUMN address TEXT",
    # the room's words for the stand-up and the video call: "stand-up" (NULL, the default) or
    # "morgenrunde" ("Morgenrunde", "Videokonferenz")
    "ALTER TABLE rooms ADD COLUMN wording TEXT",
]
