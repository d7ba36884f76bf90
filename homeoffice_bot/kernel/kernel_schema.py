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
]
