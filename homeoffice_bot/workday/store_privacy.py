"""The workday's SQL for privacy: one person's export, deleting a person, the daily purge."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from homeoffice_bot.kernel.ids import UserID
from homeoffice_bot.kernel.storage import Database
from homeoffice_bot.workday.store import iso

EXPORT_QUERIES: dict[str, str] = {
    "profile": "SELECT * FROM workday_people WHERE user_id = ?1",
    "status": "SELECT * FROM workday_status WHERE user_id = ?1",
    "leave": "SELECT user_id, first_day, last_day, stand_in, created_at FROM workday_leave"
    " WHERE user_id = ?1 ORDER BY first_day",
    "named_as_stand_in": "SELECT ?1 AS user_id, first_day, last_day FROM workday_leave"
    " WHERE stand_in = ?1 ORDER BY first_day",
    "work_events": "SELECT user_id, at, kind FROM workday_events WHERE user_id = ?1 ORDER BY at",
    "reminders_sent": "SELECT user_id, day, reminder, sent_at FROM workday_reminders_sent"
    " WHERE user_id = ?1 ORDER BY sent_at",
    "mentions_waiting_for_you": "SELECT recipient AS user_id, sender, room_id, event_id,"
    " excerpt, at FROM workday_mentions WHERE recipient = ?1 ORDER BY at",
    "your_messages_waiting_for_others": "SELECT sender AS user_id, recipient, room_id,"
    " event_id, excerpt, at FROM workday_mentions WHERE sender = ?1 ORDER BY at",
    "off_notes_about_you": "SELECT recipient AS user_id, period, noted_at"
    " FROM workday_off_notes WHERE recipient = ?1 ORDER BY noted_at",
    "off_notes_you_got": "SELECT sender AS user_id, recipient, period, noted_at"
    " FROM workday_off_notes WHERE sender = ?1 ORDER BY noted_at",
    "wrapup": "SELECT user_id, asked_at, answer, answered_at FROM workday_wrapups"
    " WHERE user_id = ?1",
    "deletion_request": "SELECT user_id, requested_at, expires_at FROM workday_delete_requests"
    " WHERE user_id = ?1",
    "board_taps": "SELECT user_id, room_id, tap_key, at, state, previous FROM workday_taps"
    " WHERE user_id = ?1 ORDER BY at",
    "until_question": "SELECT user_id, state, since, asked_at FROM workday_until_questions"
    " WHERE user_id = ?1",
    "plain_undo": "SELECT user_id, room_id, event_id, previous, changed_at FROM workday_undo"
    " WHERE user_id = ?1",
    "plain_question": "SELECT user_id, room_id, event_id, readings, asked_at"
    " FROM workday_questions WHERE user_id = ?1",
}

DELETE_STATEMENTS: tuple[str, ...] = (
    "DELETE FROM workday_people WHERE user_id = ?1",
    "DELETE FROM workday_status WHERE user_id = ?1",
    "DELETE FROM workday_leave WHERE user_id = ?1",
    "DELETE FROM workday_events WHERE user_id = ?1",
    "DELETE FROM workday_reminders_sent WHERE user_id = ?1",
    "DELETE FROM workday_held WHERE user_id = ?1",
    "DELETE FROM workday_mentions WHERE recipient = ?1 OR sender = ?1",
    "DELETE FROM workday_off_notes WHERE recipient = ?1 OR sender = ?1",
    "DELETE FROM workday_wrapups WHERE user_id = ?1",
    "DELETE FROM workday_delete_requests WHERE user_id = ?1",
    "DELETE FROM workday_taps WHERE user_id = ?1",
    "DELETE FROM workday_until_questions WHERE user_id = ?1",
    "DELETE FROM workday_undo WHERE user_id = ?1",
    "DELETE FROM workday_questions WHERE user_id = ?1",
    "UPDATE workday_leave SET stand_in = NULL WHERE stand_in = ?1",
    "UPDATE workday_status SET stand_in = NULL WHERE stand_in = ?1",
)

PURGE_STATEMENTS: dict[str, str] = {
    "work_events": "DELETE FROM workday_events WHERE at < ?1",
    "reminders_sent": "DELETE FROM workday_reminders_sent WHERE sent_at < ?1",
    "off_notes": "DELETE FROM workday_off_notes WHERE noted_at < ?1",
    "mentions": "DELETE FROM workday_mentions WHERE at < ?1",
    "held_messages": "DELETE FROM workday_held WHERE held_at < ?1",
    "wrapups": "DELETE FROM workday_wrapups WHERE asked_at < ?1",
    "leave": "DELETE FROM workday_leave WHERE last_day < ?1",  # a date, see purge()
    "status": "DELETE FROM workday_status WHERE COALESCE(until, since) < ?1",
    "delete_requests": "DELETE FROM workday_delete_requests WHERE expires_at < ?1",
    "board_taps": "DELETE FROM workday_taps WHERE at < ?1",
    "until_questions": "DELETE FROM workday_until_questions WHERE asked_at < ?1",
    "plain_undo": "DELETE FROM workday_undo WHERE changed_at < ?1",
    "plain_questions": "DELETE FROM workday_questions WHERE asked_at < ?1",
}


class PrivacyStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def export(self, user: UserID) -> dict[str, list[dict[str, Any]]]:
        """Every row about ``user``, by section, as plain dicts."""
        out: dict[str, list[dict[str, Any]]] = {}
        for section, sql in EXPORT_QUERIES.items():
            rows = await self.db.fetchall(sql, (user,))
            out[section] = [dict(row) for row in rows]
        return out

    async def delete_person(self, user: UserID) -> int:
        """Delete every row of ``user`` and their name in others' leave; rows changed."""
        changed = 0
        async with self.db.transaction() as tx:
            for sql in DELETE_STATEMENTS:
                cursor = await tx.execute(sql, (user,))
                changed += max(cursor.rowcount, 0)
                await cursor.close()
        return changed

    async def purge(self, cutoff: datetime) -> dict[str, int]:
        """Delete rows older than ``cutoff``; the number deleted per kind."""
        counts: dict[str, int] = {}
        async with self.db.transaction() as tx:
            for kind, sql in PURGE_STATEMENTS.items():
                bound = cutoff.date().isoformat() if kind == "leave" else iso(cutoff)
                cursor = await tx.execute(sql, (bound,))
                counts[kind] = max(cursor.rowcount, 0)
                await cursor.close()
        return counts
