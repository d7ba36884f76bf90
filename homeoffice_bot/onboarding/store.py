"""The onboarding's SQL: which rooms were welcomed, and the set-up dialogues that wait
for a lead's answer."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from homeoffice_bot.kernel.ids import EventID, RoomID, UserID
from homeoffice_bot.kernel.storage import Database, Row
from homeoffice_bot.onboarding.steps import Answers, Step


def _iso(instant: datetime) -> str:
    return instant.astimezone(UTC).isoformat()


def _instant(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


@dataclass(frozen=True)
class Dialogue:
    """One lead's set-up of one team room, waiting at ``step``."""

    user_id: UserID
    room_id: RoomID
    """The team room being set up."""
    dm_room_id: RoomID
    """The lead's direct chat, where the questions are asked."""
    lang: str
    step: Step
    answers: Answers
    region_default: str
    """The holiday region detected when the dialogue began (offered as option 1)."""
    question_event_id: EventID | None
    """The question now waiting, whose reactions are the choices."""
    started_at: datetime
    expires_at: datetime


def _dialogue(row: Row) -> Dialogue:
    values: dict[str, str] = json.loads(row["answers"])
    question = row["question_event_id"]
    return Dialogue(
        UserID(row["user_id"]), RoomID(row["room_id"]), RoomID(row["dm_room_id"]), row["lang"],
        Step(row["step"]), Answers(values), row["region_default"],
        EventID(question) if question else None, _instant(row["started_at"]),
        _instant(row["expires_at"]),
    )  # fmt: skip


class OnboardingStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    # ---------------------------------------------------------------- welcomes

    async def welcomed(self, room_id: RoomID) -> bool:
        row = await self.db.fetchone(
            "SELECT room_id FROM onboarding_welcomes WHERE room_id = ?", (room_id,)
        )
        return row is not None

    async def mark_welcomed(self, room_id: RoomID, at: datetime) -> None:
        await self.db.execute(
            "INSERT INTO onboarding_welcomes(room_id, welcomed_at) VALUES (?, ?)"
            " ON CONFLICT(room_id) DO NOTHING",
            (room_id, _iso(at)),
        )

    # ---------------------------------------------------------------- dialogues

    async def dialogue(self, user: UserID) -> Dialogue | None:
        row = await self.db.fetchone(
            "SELECT * FROM onboarding_dialogues WHERE user_id = ?", (user,)
        )
        return None if row is None else _dialogue(row)

    async def dialogues(self) -> list[Dialogue]:
        rows = await self.db.fetchall("SELECT * FROM onboarding_dialogues ORDER BY user_id")
        return [_dialogue(row) for row in rows]

    async def save(self, dialogue: Dialogue) -> None:
        """Start or replace the person's dialogue (one at a time per person)."""
        await self.db.execute(
            "INSERT INTO onboarding_dialogues(user_id, room_id, dm_room_id, lang, step,"
            " answers, region_default, question_event_id, started_at, expires_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT(user_id) DO UPDATE SET room_id = excluded.room_id,"
            " dm_room_id = excluded.dm_room_id, lang = excluded.lang, step = excluded.step,"
            " answers = excluded.answers, region_default = excluded.region_default,"
            " question_event_id = excluded.question_event_id,"
            " started_at = excluded.started_at, expires_at = excluded.expires_at",
            _params(dialogue),
        )

    async def end(self, user: UserID) -> bool:
        """Delete the person's dialogue; False when there was none (already ended)."""
        row = await self.db.fetchone(
            "DELETE FROM onboarding_dialogues WHERE user_id = ? RETURNING user_id", (user,)
        )
        return row is not None

    async def export(self, user: UserID) -> list[dict[str, Any]]:
        rows = await self.db.fetchall(
            "SELECT * FROM onboarding_dialogues WHERE user_id = ?", (user,)
        )
        return [dict(row) for row in rows]


def _params(d: Dialogue) -> tuple[Any, ...]:
    return (
        d.user_id, d.room_id, d.dm_room_id, d.lang, d.step.value,
        json.dumps(dict(d.answers.values), sort_keys=True), d.region_default,
        d.question_event_id, _iso(d.started_at), _iso(d.expires_at),
    )  # fmt: skip
