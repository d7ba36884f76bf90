"""The SQL of plain words in the direct chat: what a change replaced (for "rückgängig")
and the open question about words with two readings. One row per person in each table,
replaced by the next change or question, deleted when used, ignored after a short time."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime

from homeoffice_bot.kernel.ids import EventID, RoomID, UserID
from homeoffice_bot.kernel.storage import Database
from homeoffice_bot.workday.hours import LeavePeriod
from homeoffice_bot.workday.states import PersonStatus
from homeoffice_bot.workday.status_json import status_dict, status_from_dict
from homeoffice_bot.workday.store import from_iso, insert_leave, iso


@dataclass(frozen=True)
class Before:
    """What a change replaced: the status row (or none), and for leave the person's leave
    periods. ``set_since`` is the ``since`` of the status the change set (``None`` when
    it set none): undo only while that status is still in place."""

    status: PersonStatus | None
    set_since: datetime | None
    leave: tuple[LeavePeriod, ...] | None = None
    event: int | None = None
    """The work event the change recorded (forgotten by the undo)."""


@dataclass(frozen=True)
class UndoRow:
    user: UserID
    room_id: RoomID
    event_id: EventID | None
    before: Before
    changed_at: datetime


@dataclass(frozen=True)
class Choice:
    """One reading offered in a question: a break or away time with its end."""

    kind: str
    """``break`` or ``away``."""
    until: datetime
    note: str | None = None


@dataclass(frozen=True)
class QuestionRow:
    user: UserID
    room_id: RoomID
    event_id: EventID | None
    choices: tuple[Choice, ...]
    asked_at: datetime


def _before_json(before: Before) -> str:
    leave = (
        None
        if before.leave is None
        else [[p.first_day.isoformat(), p.last_day.isoformat(), p.stand_in] for p in before.leave]
    )
    return json.dumps(
        {
            "status": status_dict(before.status) if before.status else None,
            "set_since": iso(before.set_since) if before.set_since else None,
            "leave": leave,
            "event": before.event,
        }
    )


def _before_from(user: UserID, text: str) -> Before:
    data = json.loads(text)
    leave = data["leave"]
    return Before(
        status=status_from_dict(user, data["status"]) if data["status"] else None,
        set_since=from_iso(data["set_since"]) if data["set_since"] else None,
        leave=None
        if leave is None
        else tuple(
            LeavePeriod(
                date.fromisoformat(first), date.fromisoformat(last), UserID(by) if by else None
            )
            for first, last, by in leave
        ),
        event=data.get("event"),
    )


class PlainStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    # ------------------------------------------------------------ undo

    async def keep_undo(
        self, user: UserID, room_id: RoomID, before: Before, changed_at: datetime
    ) -> None:
        await self.db.execute(
            "INSERT INTO workday_undo(user_id, room_id, event_id, previous, changed_at)"
            " VALUES (?, ?, NULL, ?, ?) ON CONFLICT(user_id) DO UPDATE SET"
            " room_id = excluded.room_id, event_id = NULL, previous = excluded.previous,"
            " changed_at = excluded.changed_at",
            (user, room_id, _before_json(before), iso(changed_at)),
        )

    async def set_undo_event(self, user: UserID, event_id: EventID) -> None:
        await self.db.execute(
            "UPDATE workday_undo SET event_id = ? WHERE user_id = ?", (event_id, user)
        )

    async def undo(self, user: UserID) -> UndoRow | None:
        row = await self.db.fetchone("SELECT * FROM workday_undo WHERE user_id = ?", (user,))
        if row is None:
            return None
        return UndoRow(
            user,
            RoomID(row["room_id"]),
            EventID(row["event_id"]) if row["event_id"] else None,
            _before_from(user, row["previous"]),
            from_iso(row["changed_at"]),
        )

    async def take_undo(self, user: UserID) -> bool:
        """Delete the person's undo row; whether there was one (only one taker wins)."""
        gone = await self.db.fetchval(
            "DELETE FROM workday_undo WHERE user_id = ? RETURNING user_id", (user,)
        )
        return gone is not None

    async def drop_undo(self, user: UserID) -> None:
        await self.db.execute("DELETE FROM workday_undo WHERE user_id = ?", (user,))

    async def last_event_id(self, user: UserID) -> int | None:
        found = await self.db.fetchval(
            "SELECT MAX(id) FROM workday_events WHERE user_id = ?", (user,)
        )
        return None if found is None else int(found)

    async def drop_event(self, user: UserID, event: int) -> None:
        """Forget the work event an undone change recorded (for the ArbZG notes)."""
        await self.db.execute(
            "DELETE FROM workday_events WHERE id = ? AND user_id = ?", (event, user)
        )

    async def restore_leave(
        self, user: UserID, periods: tuple[LeavePeriod, ...], now: datetime
    ) -> None:
        """Put the person's leave back as it was before a change."""
        async with self.db.transaction() as tx:
            await tx.execute("DELETE FROM workday_leave WHERE user_id = ?", (user,))
            for period in periods:
                await insert_leave(tx, user, period, now)

    # ------------------------------------------------------------ questions

    async def ask(
        self, user: UserID, room_id: RoomID, choices: tuple[Choice, ...], asked_at: datetime
    ) -> None:
        data = json.dumps([[c.kind, iso(c.until), c.note] for c in choices])
        await self.db.execute(
            "INSERT INTO workday_questions(user_id, room_id, event_id, readings, asked_at)"
            " VALUES (?, ?, NULL, ?, ?) ON CONFLICT(user_id) DO UPDATE SET"
            " room_id = excluded.room_id, event_id = NULL, readings = excluded.readings,"
            " asked_at = excluded.asked_at",
            (user, room_id, data, iso(asked_at)),
        )

    async def set_question_event(self, user: UserID, event_id: EventID) -> None:
        await self.db.execute(
            "UPDATE workday_questions SET event_id = ? WHERE user_id = ?", (event_id, user)
        )

    async def question(self, user: UserID) -> QuestionRow | None:
        row = await self.db.fetchone("SELECT * FROM workday_questions WHERE user_id = ?", (user,))
        if row is None:
            return None
        choices = tuple(
            Choice(kind, from_iso(until), note) for kind, until, note in json.loads(row["readings"])
        )
        return QuestionRow(
            user,
            RoomID(row["room_id"]),
            EventID(row["event_id"]) if row["event_id"] else None,
            choices,
            from_iso(row["asked_at"]),
        )

    async def take_question(self, user: UserID) -> bool:
        gone = await self.db.fetchval(
            "DELETE FROM workday_questions WHERE user_id = ? RETURNING user_id", (user,)
        )
        return gone is not None
