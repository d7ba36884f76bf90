"""The stand-up's SQL for a tap on the kickoff's "nichts Neues" reaction: an answer row
marked ``tapped`` whose event id is the reaction."""

from __future__ import annotations

from homeoffice_bot.kernel.storage import Database
from homeoffice_bot.standup.records import AnswerRecord, iso


class TapAnswers:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def add(self, answer: AnswerRecord) -> bool:
        """The tap as the person's answer, unless they answered already (typed or tapped)."""
        earlier = await self.db.fetchval(
            "SELECT 1 FROM standup_answers WHERE occurrence_id = ? AND user_id = ?",
            (answer.occurrence_id, answer.user_id),
        )
        if earlier is not None:
            return False
        added = await self.db.fetchval(
            "INSERT INTO standup_answers(event_id, occurrence_id, user_id, room_id, text,"
            " question_index, server_ts, late, tapped) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1)"
            " ON CONFLICT(event_id) DO NOTHING RETURNING event_id",
            (answer.event_id, answer.occurrence_id, answer.user_id, answer.room_id,
             answer.text, answer.question_index, iso(answer.server_ts), int(answer.late)),
        )  # fmt: skip
        return added is not None

    async def drop(self, occurrence_id: int, user_id: str) -> bool:
        """A typed answer came: the tap's answer gives way to it."""
        gone = await self.db.fetchall(
            "DELETE FROM standup_answers WHERE occurrence_id = ? AND user_id = ?"
            " AND tapped = 1 RETURNING event_id",
            (occurrence_id, user_id),
        )
        return bool(gone)
