"""The workday tables. Released steps are never edited; new ones are appended.

Instants are stored as UTC text (``2024-08-09T10:00:00.000000Z``, see ``store.iso``),
local rules as text specifications (``Mo–Fr 08:00–16:30``) plus an IANA zone name.
"""

from __future__ import annotations

from homeoffice_bot.kernel.storage import MigrationStep

MIGRATIONS: list[MigrationStep] = [
    """
    CREATE TABLE workday_people (
        user_id TEXT PRIMARY KEY,
        tz TEXT,
        hours TEXT,
        region TEXT,
        home_room TEXT,
        arbzg INTEGER NOT NULL DEFAULT 1,
        break_plan TEXT,
        last_active TEXT,
        created_at TEXT NOT NULL
    );
    CREATE TABLE workday_status (
        user_id TEXT PRIMARY KEY,
        state TEXT NOT NULL,
        since TEXT NOT NULL,
        until TEXT,
        note TEXT,
        note_shared INTEGER NOT NULL DEFAULT 0,
        stand_in TEXT,
        leave_from TEXT,
        leave_to TEXT
    );
    CREATE TABLE workday_leave (
        id INTEGER PRIMARY KEY,
        user_id TEXT NOT NULL,
        first_day TEXT NOT NULL,
        last_day TEXT NOT NULL,
        stand_in TEXT,
        created_at TEXT NOT NULL
    );
    CREATE INDEX workday_leave_user ON workday_leave(user_id);
    CREATE TABLE workday_rooms (
        room_id TEXT PRIMARY KEY,
        team_hours TEXT,
        core_hours TEXT,
        region TEXT,
        urgent_keyword TEXT,
        board_event_id TEXT,
        board_text TEXT,
        board_pinned INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE workday_events (
        id INTEGER PRIMARY KEY,
        user_id TEXT NOT NULL,
        at TEXT NOT NULL,
        kind TEXT NOT NULL
    );
    CREATE INDEX workday_events_user ON workday_events(user_id, at);
    CREATE TABLE workday_reminders_sent (
        user_id TEXT NOT NULL,
        day TEXT NOT NULL,
        reminder TEXT NOT NULL,
        sent_at TEXT NOT NULL,
        PRIMARY KEY (user_id, day, reminder)
    );
    CREATE TABLE workday_held (
        id INTEGER PRIMARY KEY,
        user_id TEXT NOT NULL,
        room_id TEXT,
        markdown TEXT NOT NULL,
        held_at TEXT NOT NULL,
        deliver_at TEXT
    );
    CREATE INDEX workday_held_user ON workday_held(user_id);
    CREATE TABLE workday_off_notes (
        sender TEXT NOT NULL,
        recipient TEXT NOT NULL,
        period TEXT NOT NULL,
        noted_at TEXT NOT NULL,
        PRIMARY KEY (sender, recipient, period)
    );
    CREATE TABLE workday_mentions (
        id INTEGER PRIMARY KEY,
        recipient TEXT NOT NULL,
        sender TEXT NOT NULL,
        room_id TEXT NOT NULL,
        event_id TEXT NOT NULL,
        excerpt TEXT NOT NULL,
        at TEXT NOT NULL,
        UNIQUE (recipient, event_id)
    );
    CREATE TABLE workday_wrapups (
        user_id TEXT PRIMARY KEY,
        asked_at TEXT NOT NULL,
        answer TEXT,
        answered_at TEXT
    )
    """,
    # The room setting for the workday (NULL: decided by the members) and the local day
    # the board message belongs to (a new day gets a fresh message).
    """
    ALTER TABLE workday_rooms ADD COLUMN workday INTEGER;
    ALTER TABLE workday_rooms ADD COLUMN board_day TEXT
    """,
    """
    CREATE TABLE workday_delete_requests (
        user_id TEXT PRIMARY KEY,
        requested_at TEXT NOT NULL,
        expires_at TEXT NOT NULL
    )
    """,
    # Due times: when each person next needs a look (a reminder, an expiry, a change the
    # boards show); the bot wakes for the earliest. Everyone is looked at once after this
    # step (a past mark), which computes the real due time. Indexes for the rest of what
    # commands and firings ask: team members, stand-ins, the daily purge by age, and
    # one person's export and deletion.
    """
    ALTER TABLE workday_people ADD COLUMN due_at TEXT;
    UPDATE workday_people SET due_at = '0001-01-01T00:00:00.000000Z';
    CREATE INDEX workday_people_due ON workday_people(due_at);
    CREATE INDEX workday_people_home_room ON workday_people(home_room);
    CREATE INDEX workday_status_stand_in ON workday_status(stand_in);
    CREATE INDEX workday_leave_last_day ON workday_leave(last_day);
    CREATE INDEX workday_leave_stand_in ON workday_leave(stand_in);
    CREATE INDEX workday_events_at ON workday_events(at);
    CREATE INDEX workday_reminders_sent_at ON workday_reminders_sent(sent_at);
    CREATE INDEX workday_held_at ON workday_held(held_at);
    CREATE INDEX workday_off_notes_recipient ON workday_off_notes(recipient);
    CREATE INDEX workday_off_notes_at ON workday_off_notes(noted_at);
    CREATE INDEX workday_mentions_sender ON workday_mentions(sender);
    CREATE INDEX workday_mentions_at ON workday_mentions(at);
    CREATE INDEX workday_wrapups_at ON workday_wrapups(asked_at)
    """,
    # Taps on the board: which board message carries the bot's reactions, the taps the
    # bot acted on (removing one restores the status before it), and the open "Bis
    # wann?" question after a tap on a break or "kurz weg".
    """
    ALTER TABLE workday_rooms ADD COLUMN board_buttons TEXT;
    CREATE TABLE workday_taps (
        event_id TEXT PRIMARY KEY,
        user_id TEXT NOT NULL,
        room_id TEXT NOT NULL,
        board_event_id TEXT NOT NULL,
        tap_key TEXT NOT NULL,
        at TEXT NOT NULL,
        state TEXT NOT NULL,
        previous TEXT,
        event_kind TEXT
    );
    CREATE INDEX workday_taps_user ON workday_taps(user_id);
    CREATE INDEX workday_taps_at ON workday_taps(at);
    CREATE TABLE workday_until_questions (
        user_id TEXT PRIMARY KEY,
        room_id TEXT NOT NULL,
        event_id TEXT NOT NULL,
        team_room TEXT NOT NULL,
        state TEXT NOT NULL,
        since TEXT NOT NULL,
        asked_at TEXT NOT NULL
    );
    CREATE INDEX workday_until_questions_event ON workday_until_questions(event_id);
    CREATE INDEX workday_until_questions_asked ON workday_until_questions(asked_at)
    """,
    # Plain words in the direct chat: what a change replaced, so that "rückgängig" (or ↩️
    # on the confirmation) restores it, kept until the next change or a short time; and
    # the open question about words with two readings ("Pause 13"), with its readings.
    """
    CREATE TABLE workday_undo (
        user_id TEXT PRIMARY KEY,
        room_id TEXT NOT NULL,
        event_id TEXT,
        previous TEXT NOT NULL,
        changed_at TEXT NOT NULL
    );
    CREATE INDEX workday_undo_event ON workday_undo(event_id);
    CREATE TABLE workday_questions (
        user_id TEXT PRIMARY KEY,
        room_id TEXT NOT NULL,
        event_id TEXT,
        readings TEXT NOT NULL,
        asked_at TEXT NOT NULL
    );
    CREATE INDEX workday_questions_event ON workday_questions(event_id)
    """,
    # Which reminders a person wants (``!erinnerungen``): the end-of-day reminder with its
    # wrap-up question, the stand-up reminder, the digest of mentions. On unless turned off.
    """
    ALTER TABLE workday_people ADD COLUMN remind_dayend INTEGER NOT NULL DEFAULT 1;
    ALTER TABLE workday_people ADD COLUMN remind_standup INTEGER NOT NULL DEFAULT 1;
    ALTER TABLE workday_people ADD COLUMN remind_digest INTEGER NOT NULL DEFAULT 1
    """,
]
