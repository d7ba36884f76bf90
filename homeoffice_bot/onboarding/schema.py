"""The onboarding's tables. Append new steps; never edit a released one."""

from __future__ import annotations

from homeoffice_bot.kernel.storage import MigrationStep

MIGRATIONS: list[MigrationStep] = [
    """
    CREATE TABLE onboarding_welcomes (
        room_id TEXT PRIMARY KEY,
        welcomed_at TEXT NOT NULL
    );
    CREATE TABLE onboarding_dialogues (
        user_id TEXT PRIMARY KEY,
        room_id TEXT NOT NULL,
        dm_room_id TEXT NOT NULL,
        lang TEXT NOT NULL,
        step TEXT NOT NULL,
        answers TEXT NOT NULL,
        region_default TEXT NOT NULL,
        question_event_id TEXT,
        started_at TEXT NOT NULL,
        expires_at TEXT NOT NULL
    );
    """,
]
