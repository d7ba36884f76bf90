"""SQL of the live stand-up: the rotation, the turns of a round, actions to tick off."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

from homeoffice_bot.kernel.storage import Database, Row
from homeoffice_bot.standup.minutes import Item, Kind, OpenAction
from homeoffice_bot.standup.records import iso
from homeoffice_bot.standup.rotation import Seat


def _instant(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text).astimezone(UTC)


@dataclass(frozen=True, slots=True)
class Turn:
    position: int
    user_id: str
    started_at: datetime | None
    ends_at: datetime | None
    ended_at: datetime | None
    prompt_event_id: str | None

    @property
    def running(self) -> bool:
        return self.started_at is not None and self.ended_at is None


def _turn(row: Row) -> Turn:
    return Turn(
        row["position"], row["user_id"], _instant(row["started_at"]), _instant(row["ends_at"]),
        _instant(row["ended_at"]), row["prompt_event_id"],
    )  # fmt: skip


class LiveStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    # ---------------------------------------------------------------- rotation

    async def seats(self, standup_id: int) -> list[Seat]:
        rows = await self.db.fetchall(
            "SELECT * FROM standup_rotation WHERE standup_id = ? ORDER BY position", (standup_id,)
        )
        return [
            Seat(row["user_id"], row["position"], row["opened"], row["closed"], row["last_opened"])
            for row in rows
        ]

    async def add_seats(self, standup_id: int, seats: Sequence[Seat]) -> None:
        for seat in seats:
            await self.db.execute(
                "INSERT INTO standup_rotation(standup_id, user_id, position, opened, closed)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT (standup_id, user_id) DO NOTHING",
                (standup_id, seat.user_id, seat.position, seat.opened, seat.closed),
            )

    async def record_round(self, standup_id: int, opener: str, closer: str, at: datetime) -> None:
        await self.db.execute(
            "UPDATE standup_rotation SET opened = opened + 1, last_opened = ?"
            " WHERE standup_id = ? AND user_id = ?",
            (iso(at), standup_id, opener),
        )
        await self.db.execute(
            "UPDATE standup_rotation SET closed = closed + 1 WHERE standup_id = ? AND user_id = ?",
            (standup_id, closer),
        )

    async def mark_ended_early(self, occurrence_id: int) -> None:
        await self.db.execute(
            "UPDATE standup_occurrences SET ended_early = 1 WHERE id = ?", (occurrence_id,)
        )

    # ---------------------------------------------------------------- turns

    async def add_turns(self, occurrence_id: int, users: Sequence[str]) -> None:
        start = await self.db.fetchval(
            "SELECT COALESCE(MAX(position) + 1, 0) FROM standup_turns WHERE occurrence_id = ?",
            (occurrence_id,),
        )
        position = int(start or 0)
        for user in users:
            added = await self.db.fetchval(
                "INSERT INTO standup_turns(occurrence_id, position, user_id) VALUES (?, ?, ?)"
                " ON CONFLICT (occurrence_id, user_id) DO NOTHING RETURNING position",
                (occurrence_id, position, user),
            )
            if added is not None:
                position += 1

    async def forget_turns(self, occurrence_id: int) -> None:
        """After the round: who spoke how long is not kept (only the rotation's counts)."""
        await self.db.execute("DELETE FROM standup_turns WHERE occurrence_id = ?", (occurrence_id,))

    async def turns(self, occurrence_id: int) -> list[Turn]:
        rows = await self.db.fetchall(
            "SELECT * FROM standup_turns WHERE occurrence_id = ? ORDER BY position",
            (occurrence_id,),
        )
        return [_turn(row) for row in rows]

    async def claim_start(
        self, occurrence_id: int, position: int, started: datetime, ends: datetime
    ) -> bool:
        claimed = await self.db.fetchval(
            "UPDATE standup_turns SET started_at = ?, ends_at = ?"
            " WHERE occurrence_id = ? AND position = ? AND started_at IS NULL RETURNING position",
            (iso(started), iso(ends), occurrence_id, position),
        )
        return claimed is not None

    async def claim_end(self, occurrence_id: int, position: int, at: datetime) -> bool:
        claimed = await self.db.fetchval(
            "UPDATE standup_turns SET ended_at = ? WHERE occurrence_id = ? AND position = ?"
            " AND started_at IS NOT NULL AND ended_at IS NULL RETURNING position",
            (iso(at), occurrence_id, position),
        )
        return claimed is not None

    async def set_prompt(self, occurrence_id: int, position: int, event_id: str) -> None:
        await self.db.execute(
            "UPDATE standup_turns SET prompt_event_id = ? WHERE occurrence_id = ? AND position = ?",
            (event_id, occurrence_id, position),
        )

    async def turn_by_prompt(self, event_id: str) -> tuple[int, Turn] | None:
        row = await self.db.fetchone(
            "SELECT * FROM standup_turns WHERE prompt_event_id = ?", (event_id,)
        )
        return None if row is None else (int(row["occurrence_id"]), _turn(row))

    # ---------------------------------------------------------------- actions

    async def add_actions(self, standup_id: int, occurrence_id: int, items: Sequence[Item]) -> None:
        for item in items:
            if item.kind is not Kind.ACTION:
                continue
            await self.db.execute(
                "INSERT INTO standup_actions(standup_id, occurrence_id, note_event_id, line, text,"
                " owner, due) VALUES (?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (note_event_id, line) DO UPDATE SET text = excluded.text,"
                " owner = excluded.owner, due = excluded.due",
                (standup_id, occurrence_id, item.note_event_id, item.line, item.text, item.owner,
                 item.due.isoformat() if item.due else None),
            )  # fmt: skip

    async def open_actions(self, standup_id: int, before_occurrence: int) -> list[OpenAction]:
        rows = await self.db.fetchall(
            "SELECT a.id, a.text, a.owner, a.due, o.day FROM standup_actions a"
            " JOIN standup_occurrences o ON o.id = a.occurrence_id"
            " WHERE a.standup_id = ? AND a.done_at IS NULL AND a.occurrence_id <> ?"
            " ORDER BY o.day, a.id",
            (standup_id, before_occurrence),
        )
        return [
            OpenAction(
                row["id"], row["text"], row["owner"],
                date.fromisoformat(row["due"]) if row["due"] else None,
                date.fromisoformat(row["day"]),
            )
            for row in rows
        ]  # fmt: skip

    async def actions_between(
        self, standup_id: int, first: date, last: date
    ) -> list[tuple[OpenAction, bool]]:
        """Actions of the rounds from ``first`` to ``last``, each with whether it is done."""
        rows = await self.db.fetchall(
            "SELECT a.id, a.text, a.owner, a.due, a.done_at, o.day FROM standup_actions a"
            " JOIN standup_occurrences o ON o.id = a.occurrence_id"
            " WHERE a.standup_id = ? AND o.day BETWEEN ? AND ? ORDER BY o.day, a.id",
            (standup_id, first.isoformat(), last.isoformat()),
        )
        return [
            (
                OpenAction(
                    row["id"], row["text"], row["owner"],
                    date.fromisoformat(row["due"]) if row["due"] else None,
                    date.fromisoformat(row["day"]),
                ),
                row["done_at"] is not None,
            )
            for row in rows
        ]  # fmt: skip

    async def add_action_post(self, event_id: str, action_id: int) -> None:
        await self.db.execute(
            "INSERT INTO standup_action_posts(event_id, action_id) VALUES (?, ?)"
            " ON CONFLICT (event_id) DO NOTHING",
            (event_id, action_id),
        )

    async def tick_action(self, event_id: str, by: str, at: datetime) -> int | None:
        """Mark the action posted as ``event_id`` (or noted in it) done; its id, once."""
        found = await self.db.fetchval(
            "SELECT action_id FROM standup_action_posts WHERE event_id = ?", (event_id,)
        )
        if found is None:
            found = await self.db.fetchval(
                "SELECT id FROM standup_actions WHERE note_event_id = ? ORDER BY line LIMIT 1",
                (event_id,),
            )
        if found is None:
            return None
        done = await self.db.fetchval(
            "UPDATE standup_actions SET done_at = ?, done_by = ? WHERE id = ? AND done_at IS NULL"
            " RETURNING id",
            (iso(at), by, int(found)),
        )
        return None if done is None else int(done)
