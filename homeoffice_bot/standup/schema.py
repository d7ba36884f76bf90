"""The stand-up's tables. Append new steps; never edit a released one."""

from __future__ import annotations

from homeoffice_bot.kernel.storage import MigrationStep, Transaction
from homeoffice_bot.standup.records import KICKOFF_COLUMNS, config_from_json, kickoff_columns


async def _kickoff_columns(tx: Transaction) -> None:
    """The kickoff rule (time, weekdays, zone, paused) in columns of its own, filled from
    each stand-up's settings: the start declares every kickoff without reading them."""
    for column in KICKOFF_COLUMNS:
        kind = "INTEGER" if column == "kickoff_paused" else "TEXT"
        await tx.execute(f"ALTER TABLE standups ADD COLUMN {column} {kind}")
    rows = await tx.fetchall("SELECT id, config FROM standups")
    await tx.executemany(
        "UPDATE standups SET kickoff_time = ?, kickoff_weekdays = ?, kickoff_tz = ?,"
        " kickoff_paused = ? WHERE id = ?",
        [(*kickoff_columns(config_from_json(row["config"])), row["id"]) for row in rows],
    )


MIGRATIONS: list[MigrationStep] = [
    """
    CREATE TABLE standups (
        id INTEGER PRIMARY KEY,
        room_id TEXT NOT NULL,
        name TEXT NOT NULL,
        config TEXT NOT NULL,
        active_since TEXT NOT NULL,
        created_by TEXT NOT NULL,
        created_at TEXT NOT NULL,
        UNIQUE (room_id, name)
    );
    CREATE TABLE standup_occurrences (
        id INTEGER PRIMARY KEY,
        standup_id INTEGER NOT NULL REFERENCES standups(id) ON DELETE CASCADE,
        day TEXT NOT NULL,
        kickoff_at TEXT NOT NULL,
        opened_at TEXT NOT NULL,
        closes_at TEXT NOT NULL,
        adhoc INTEGER NOT NULL DEFAULT 0,
        late_start INTEGER NOT NULL DEFAULT 0,
        config TEXT NOT NULL,
        questions TEXT NOT NULL,
        participants TEXT NOT NULL,
        absent TEXT NOT NULL,
        speaking_order TEXT NOT NULL DEFAULT '[]',
        kickoff_event_id TEXT,
        state TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'closed')),
        reminded INTEGER NOT NULL DEFAULT 0,
        report_room_id TEXT,
        report_event_id TEXT,
        closed_at TEXT
    );
    CREATE UNIQUE INDEX standup_occurrences_scheduled
        ON standup_occurrences (standup_id, day) WHERE adhoc = 0;
    CREATE INDEX standup_occurrences_kickoff ON standup_occurrences (kickoff_event_id);
    CREATE INDEX standup_occurrences_state ON standup_occurrences (state);
    CREATE TABLE standup_answers (
        event_id TEXT PRIMARY KEY,
        occurrence_id INTEGER NOT NULL REFERENCES standup_occurrences(id) ON DELETE CASCADE,
        user_id TEXT NOT NULL,
        room_id TEXT NOT NULL,
        text TEXT NOT NULL,
        question_index INTEGER,
        server_ts TEXT NOT NULL,
        late INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX standup_answers_occurrence ON standup_answers (occurrence_id);
    CREATE TABLE standup_notes (
        event_id TEXT PRIMARY KEY,
        occurrence_id INTEGER NOT NULL REFERENCES standup_occurrences(id) ON DELETE CASCADE,
        user_id TEXT NOT NULL,
        text TEXT NOT NULL,
        server_ts TEXT NOT NULL
    );
    CREATE INDEX standup_notes_occurrence ON standup_notes (occurrence_id);
    CREATE TABLE standup_dm_prompts (
        occurrence_id INTEGER NOT NULL REFERENCES standup_occurrences(id) ON DELETE CASCADE,
        user_id TEXT NOT NULL,
        room_id TEXT NOT NULL,
        PRIMARY KEY (occurrence_id, user_id)
    );
    CREATE INDEX standup_dm_prompts_room ON standup_dm_prompts (room_id, user_id);
    CREATE TABLE standup_absences (
        id INTEGER PRIMARY KEY,
        room_id TEXT NOT NULL,
        user_id TEXT NOT NULL,
        first_day TEXT NOT NULL,
        last_day TEXT NOT NULL,
        set_by TEXT NOT NULL
    );
    CREATE INDEX standup_absences_room ON standup_absences (room_id, user_id)
    """,
    """
    CREATE TABLE standup_rotation (
        standup_id INTEGER NOT NULL REFERENCES standups(id) ON DELETE CASCADE,
        user_id TEXT NOT NULL,
        position INTEGER NOT NULL,
        opened INTEGER NOT NULL DEFAULT 0,
        closed INTEGER NOT NULL DEFAULT 0,
        last_opened TEXT,
        PRIMARY KEY (standup_id, user_id)
    );
    CREATE TABLE standup_turns (
        occurrence_id INTEGER NOT NULL REFERENCES standup_occurrences(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        user_id TEXT NOT NULL,
        started_at TEXT,
        ends_at TEXT,
        ended_at TEXT,
        prompt_event_id TEXT,
        PRIMARY KEY (occurrence_id, position),
        UNIQUE (occurrence_id, user_id)
    );
    CREATE INDEX standup_turns_prompt ON standup_turns (prompt_event_id);
    CREATE TABLE standup_actions (
        id INTEGER PRIMARY KEY,
        standup_id INTEGER NOT NULL REFERENCES standups(id) ON DELETE CASCADE,
        occurrence_id INTEGER NOT NULL REFERENCES standup_occurrences(id) ON DELETE CASCADE,
        note_event_id TEXT NOT NULL,
        line INTEGER NOT NULL,
        text TEXT NOT NULL,
        owner TEXT,
        due TEXT,
        done_at TEXT,
        done_by TEXT,
        UNIQUE (note_event_id, line)
    );
    CREATE INDEX standup_actions_open ON standup_actions (standup_id, done_at);
    CREATE TABLE standup_action_posts (
        event_id TEXT PRIMARY KEY,
        action_id INTEGER NOT NULL REFERENCES standup_actions(id) ON DELETE CASCADE
    );
    ALTER TABLE standup_occurrences ADD COLUMN ended_early INTEGER NOT NULL DEFAULT 0
    """,
    # A stand-up's occurrences by day, ad hoc ones included (the scheduled-only unique
    # index above cannot answer "this stand-up's latest" or "on this day").
    """
    CREATE INDEX standup_occurrences_standup ON standup_occurrences (standup_id, day)
    """,
    # An answer given by a tap on the kickoff's "nichts Neues" reaction (it gives way to a
    # typed answer, and taking the tap back withdraws it).
    """
    ALTER TABLE standup_answers ADD COLUMN tapped INTEGER NOT NULL DEFAULT 0
    """,
    # The kickoff rule beside the settings, kept equal by the store.
    _kickoff_columns,
]
