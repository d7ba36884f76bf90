"""All SQL of the stand-up: stand-ups, occurrences, answers, notes, DM prompts, absences.

Rows come back as the frozen records of ``records``.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

from homeoffice_bot.kernel.storage import Database, IntegrityError
from homeoffice_bot.standup.config import StandupConfig
from homeoffice_bot.standup.records import (
    CLOSED,
    KICKOFF_COLUMNS,
    OPEN,
    AbsenceRecord,
    AnswerRecord,
    KickoffRule,
    NewOccurrence,
    NoteRecord,
    OccurrenceRecord,
    StandupRecord,
    answer_from_row,
    config_to_json,
    iso,
    kickoff_columns,
    kickoff_rules_from_rows,
    note_from_row,
    occurrence_from_row,
    standup_from_row,
)

__all__ = [
    "AbsenceRecord",
    "AnswerRecord",
    "KickoffRule",
    "NewOccurrence",
    "NoteRecord",
    "OccurrenceRecord",
    "StandupRecord",
    "StandupStore",
]


ANY_DIRECT_CHAT = "*"
"""The room of a DM prompt that the outbox delivers to the person's direct chat, whichever
it will be (it is opened only when the message may reach the person)."""


class StandupStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    # ---------------------------------------------------------------- stand-ups

    async def standups_in_room(self, room_id: str) -> list[StandupRecord]:
        rows = await self.db.fetchall(
            "SELECT * FROM standups WHERE room_id = ? ORDER BY name", (room_id,)
        )
        return [standup_from_row(row) for row in rows]

    async def all_standups(self) -> list[StandupRecord]:
        return [standup_from_row(row) for row in await self.db.fetchall("SELECT * FROM standups")]

    async def kickoff_rules(self) -> list[KickoffRule]:
        """Every stand-up's kickoff rule, from its kickoff columns (not its settings)."""
        rows = await self.db.fetchall(f"SELECT id, {', '.join(KICKOFF_COLUMNS)} FROM standups")
        return kickoff_rules_from_rows(rows)

    async def standup(self, standup_id: int) -> StandupRecord | None:
        row = await self.db.fetchone("SELECT * FROM standups WHERE id = ?", (standup_id,))
        return None if row is None else standup_from_row(row)

    async def create_standup(
        self, config: StandupConfig, created_by: str, now: datetime
    ) -> StandupRecord | None:
        """The new stand-up, or None when the room already has one of that name."""
        try:
            standup_id = await self.db.execute(
                "INSERT INTO standups(room_id, name, config, active_since, created_by, created_at,"
                " kickoff_time, kickoff_weekdays, kickoff_tz, kickoff_paused)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (config.room_id, config.name, config_to_json(config), iso(now), created_by,
                 iso(now), *kickoff_columns(config)),
            )  # fmt: skip
        except IntegrityError:
            return None
        return StandupRecord(standup_id, config, now.astimezone(UTC))

    async def save_config(
        self, standup_id: int, config: StandupConfig, active_since: datetime | None = None
    ) -> None:
        kickoff = "kickoff_time = ?, kickoff_weekdays = ?, kickoff_tz = ?, kickoff_paused = ?"
        values = (config_to_json(config), *kickoff_columns(config))
        if active_since is None:
            await self.db.execute(
                f"UPDATE standups SET config = ?, {kickoff} WHERE id = ?", (*values, standup_id)
            )
        else:
            await self.db.execute(
                f"UPDATE standups SET config = ?, {kickoff}, active_since = ? WHERE id = ?",
                (*values, iso(active_since), standup_id),
            )

    async def delete_standup(self, standup_id: int) -> None:
        await self.db.execute("DELETE FROM standups WHERE id = ?", (standup_id,))

    # ---------------------------------------------------------------- occurrences

    async def create_occurrence(self, new: NewOccurrence) -> OccurrenceRecord | None:
        """The new open occurrence, or None when the day's scheduled one exists already."""
        try:
            occurrence_id = await self.db.execute(
                "INSERT INTO standup_occurrences(standup_id, day, kickoff_at, opened_at,"
                " closes_at, adhoc, late_start, config, questions, participants, absent,"
                " speaking_order) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    new.standup_id, new.day.isoformat(), iso(new.kickoff_at),
                    iso(new.opened_at), iso(new.closes_at), int(new.adhoc),
                    int(new.late_start), config_to_json(new.config),
                    json.dumps(list(new.questions), ensure_ascii=False),
                    json.dumps(list(new.participants)), json.dumps(list(new.absent)),
                    json.dumps(list(new.speaking_order)),
                ),
            )  # fmt: skip
        except IntegrityError:
            return None
        return await self.occurrence(occurrence_id)

    async def occurrence(self, occurrence_id: int) -> OccurrenceRecord | None:
        row = await self.db.fetchone(
            "SELECT * FROM standup_occurrences WHERE id = ?", (occurrence_id,)
        )
        return None if row is None else occurrence_from_row(row)

    async def occurrence_by_kickoff(self, event_id: str) -> OccurrenceRecord | None:
        row = await self.db.fetchone(
            "SELECT * FROM standup_occurrences WHERE kickoff_event_id = ?", (event_id,)
        )
        return None if row is None else occurrence_from_row(row)

    async def open_occurrences(self) -> list[OccurrenceRecord]:
        rows = await self.db.fetchall(
            "SELECT * FROM standup_occurrences WHERE state = ? ORDER BY opened_at", (OPEN,)
        )
        return [occurrence_from_row(row) for row in rows]

    async def open_occurrence_of(self, standup_id: int) -> OccurrenceRecord | None:
        row = await self.db.fetchone(
            "SELECT * FROM standup_occurrences WHERE standup_id = ? AND state = ?"
            " ORDER BY opened_at DESC LIMIT 1",
            (standup_id, OPEN),
        )
        return None if row is None else occurrence_from_row(row)

    async def has_occurrence_on(self, standup_id: int, day: date) -> bool:
        found = await self.db.fetchval(
            "SELECT 1 FROM standup_occurrences WHERE standup_id = ? AND day = ?",
            (standup_id, day.isoformat()),
        )
        return found is not None

    async def latest_occurrence(
        self, standup_id: int, day: date | None = None
    ) -> OccurrenceRecord | None:
        """The latest occurrence (of ``day`` when given)."""
        sql = "SELECT * FROM standup_occurrences WHERE standup_id = ?"
        params: list[Any] = [standup_id]
        if day is not None:
            sql += " AND day = ?"
            params.append(day.isoformat())
        row = await self.db.fetchone(sql + " ORDER BY opened_at DESC LIMIT 1", params)
        return None if row is None else occurrence_from_row(row)

    async def occurrences_between(
        self, standup_id: int, first: date, last: date
    ) -> list[OccurrenceRecord]:
        rows = await self.db.fetchall(
            "SELECT * FROM standup_occurrences WHERE standup_id = ? AND day BETWEEN ? AND ?"
            " ORDER BY day, opened_at",
            (standup_id, first.isoformat(), last.isoformat()),
        )
        return [occurrence_from_row(row) for row in rows]

    async def set_kickoff_event(self, occurrence_id: int, event_id: str) -> None:
        await self.db.execute(
            "UPDATE standup_occurrences SET kickoff_event_id = ? WHERE id = ?",
            (event_id, occurrence_id),
        )

    async def claim_reminder(self, occurrence_id: int) -> bool:
        """True once per occurrence: the reminder may go out."""
        claimed = await self.db.fetchval(
            "UPDATE standup_occurrences SET reminded = 1"
            " WHERE id = ? AND reminded = 0 AND state = ? RETURNING id",
            (occurrence_id, OPEN),
        )
        return claimed is not None

    async def mark_closed(
        self,
        occurrence_id: int,
        report_room_id: str,
        report_event_id: str,
        closed_at: datetime,
        closes_at: datetime,
    ) -> None:
        await self.db.execute(
            "UPDATE standup_occurrences SET state = ?, report_room_id = ?, report_event_id = ?,"
            " closed_at = ?, closes_at = ? WHERE id = ?",
            (CLOSED, report_room_id, report_event_id, iso(closed_at), iso(closes_at),
             occurrence_id),
        )  # fmt: skip

    # ---------------------------------------------------------------- answers and notes

    async def add_answer(self, answer: AnswerRecord) -> bool:
        """False when the message was recorded before (a replayed event)."""
        added = await self.db.fetchval(
            "INSERT INTO standup_answers(event_id, occurrence_id, user_id, room_id, text,"
            " question_index, server_ts, late) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT(event_id) DO NOTHING RETURNING event_id",
            (answer.event_id, answer.occurrence_id, answer.user_id, answer.room_id, answer.text,
             answer.question_index, iso(answer.server_ts), int(answer.late)),
        )  # fmt: skip
        return added is not None

    async def answers(self, occurrence_id: int) -> list[AnswerRecord]:
        rows = await self.db.fetchall(
            "SELECT * FROM standup_answers WHERE occurrence_id = ? ORDER BY server_ts",
            (occurrence_id,),
        )
        return [answer_from_row(row) for row in rows]

    async def answers_of(self, occurrence_id: int, user_id: str) -> list[AnswerRecord]:
        rows = await self.db.fetchall(
            "SELECT * FROM standup_answers WHERE occurrence_id = ? AND user_id = ?"
            " ORDER BY server_ts",
            (occurrence_id, user_id),
        )
        return [answer_from_row(row) for row in rows]

    async def edit_message(self, event_id: str, sender: str, text: str) -> int | None:
        """Replace the text of an answer or note (only its author may); its occurrence id."""
        for table in ("standup_answers", "standup_notes"):
            found = await self.db.fetchval(
                f"UPDATE {table} SET text = ? WHERE event_id = ? AND user_id = ?"
                " RETURNING occurrence_id",
                (text, event_id, sender),
            )
            if found is not None:
                return int(found)
        return None

    async def remove_message(self, event_id: str) -> int | None:
        """Forget a redacted answer or note; its occurrence id."""
        for table in ("standup_answers", "standup_notes"):
            found = await self.db.fetchval(
                f"DELETE FROM {table} WHERE event_id = ? RETURNING occurrence_id", (event_id,)
            )
            if found is not None:
                return int(found)
        return None

    async def add_note(self, note: NoteRecord) -> bool:
        added = await self.db.fetchval(
            "INSERT INTO standup_notes(event_id, occurrence_id, user_id, text, server_ts)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT(event_id) DO NOTHING RETURNING event_id",
            (note.event_id, note.occurrence_id, note.user_id, note.text, iso(note.server_ts)),
        )
        return added is not None

    async def notes(self, occurrence_id: int) -> list[NoteRecord]:
        rows = await self.db.fetchall(
            "SELECT * FROM standup_notes WHERE occurrence_id = ? ORDER BY server_ts",
            (occurrence_id,),
        )
        return [note_from_row(row) for row in rows]

    # ---------------------------------------------------------------- DM prompts

    async def add_dm_prompt(self, occurrence_id: int, user_id: str, room_id: str) -> None:
        await self.db.execute(
            "INSERT INTO standup_dm_prompts(occurrence_id, user_id, room_id) VALUES (?, ?, ?)"
            " ON CONFLICT DO NOTHING",
            (occurrence_id, user_id, room_id),
        )

    async def dm_prompted_occurrence(self, room_id: str, user_id: str) -> int | None:
        """The latest occurrence that asked ``user_id`` question by question in ``room_id``
        (or in whichever direct chat, for prompts stored with ``ANY_DIRECT_CHAT``)."""
        found = await self.db.fetchval(
            "SELECT occurrence_id FROM standup_dm_prompts WHERE room_id IN (?, ?)"
            " AND user_id = ? ORDER BY occurrence_id DESC LIMIT 1",
            (room_id, ANY_DIRECT_CHAT, user_id),
        )
        return None if found is None else int(found)

    async def dm_prompts(self, occurrence_id: int) -> dict[str, str]:
        rows = await self.db.fetchall(
            "SELECT user_id, room_id FROM standup_dm_prompts WHERE occurrence_id = ?",
            (occurrence_id,),
        )
        return {row["user_id"]: row["room_id"] for row in rows}

    # ---------------------------------------------------------------- absences

    async def add_absence(
        self, room_id: str, user_id: str, first: date, last: date, set_by: str
    ) -> None:
        await self.db.execute(
            "INSERT INTO standup_absences(room_id, user_id, first_day, last_day, set_by)"
            " VALUES (?, ?, ?, ?, ?)",
            (room_id, user_id, first.isoformat(), last.isoformat(), set_by),
        )

    async def remove_absences(self, room_id: str, user_id: str, first: date, last: date) -> int:
        """Forget the absences of ``user_id`` that overlap ``first``…``last``; how many."""
        rows = await self.db.fetchall(
            "DELETE FROM standup_absences WHERE room_id = ? AND user_id = ?"
            " AND first_day <= ? AND last_day >= ? RETURNING id",
            (room_id, user_id, last.isoformat(), first.isoformat()),
        )
        return len(rows)

    async def absent_on(self, room_id: str, day: date) -> set[str]:
        rows = await self.db.fetchall(
            "SELECT user_id FROM standup_absences WHERE room_id = ?"
            " AND first_day <= ? AND last_day >= ?",
            (room_id, day.isoformat(), day.isoformat()),
        )
        return {row["user_id"] for row in rows}

    async def absences_from(self, room_id: str, day: date) -> list[AbsenceRecord]:
        rows = await self.db.fetchall(
            "SELECT user_id, first_day, last_day FROM standup_absences WHERE room_id = ?"
            " AND last_day >= ? ORDER BY first_day, user_id",
            (room_id, day.isoformat()),
        )
        return [
            AbsenceRecord(
                row["user_id"], date.fromisoformat(row["first_day"]),
                date.fromisoformat(row["last_day"]),
            )
            for row in rows
        ]  # fmt: skip
