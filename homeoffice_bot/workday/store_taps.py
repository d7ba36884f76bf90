"""The workday's SQL for taps on the board: the taps the bot acted on (so that removing
one restores what was before), and the open "Bis wann?" questions in direct chats."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from homeoffice_bot.kernel.ids import EventID, RoomID, UserID
from homeoffice_bot.kernel.storage import Database, Row
from homeoffice_bot.workday.states import PersonStatus, PresenceState
from homeoffice_bot.workday.status_json import status_from_json, status_json
from homeoffice_bot.workday.store import from_iso, iso


@dataclass(frozen=True)
class Tap:
    event_id: EventID
    """The reaction event of the person."""
    user: UserID
    room_id: RoomID
    board_event_id: EventID
    key: str
    at: datetime
    """When the tap changed the state (the new status begins then)."""
    state: PresenceState
    """The state the tap set."""
    previous: PersonStatus | None
    """The explicit status before the tap (None: none; the schedule decided)."""
    event_kind: str | None
    """The work event the tap recorded (taken back with the tap)."""


@dataclass(frozen=True)
class UntilQuestion:
    user: UserID
    room_id: RoomID
    """The direct chat the question was asked in."""
    event_id: EventID
    team_room: RoomID
    state: PresenceState
    since: datetime
    """The start of the break or absence the question is about."""
    asked_at: datetime


def _tap(row: Row) -> Tap:
    user = UserID(row["user_id"])
    return Tap(
        EventID(row["event_id"]),
        user,
        RoomID(row["room_id"]),
        EventID(row["board_event_id"]),
        row["tap_key"],
        from_iso(row["at"]),
        PresenceState(row["state"]),
        status_from_json(user, row["previous"]),
        row["event_kind"],
    )


def _question(row: Row) -> UntilQuestion:
    return UntilQuestion(
        UserID(row["user_id"]),
        RoomID(row["room_id"]),
        EventID(row["event_id"]),
        RoomID(row["team_room"]),
        PresenceState(row["state"]),
        from_iso(row["since"]),
        from_iso(row["asked_at"]),
    )


class TapStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    # ------------------------------------------------------------ taps

    async def add_tap(self, tap: Tap) -> bool:
        """False when the tap was recorded before (a replayed event)."""
        added = await self.db.fetchval(
            "INSERT INTO workday_taps(event_id, user_id, room_id, board_event_id, tap_key, at,"
            " state, previous, event_kind) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT(event_id) DO NOTHING RETURNING event_id",
            (tap.event_id, tap.user, tap.room_id, tap.board_event_id, tap.key, iso(tap.at),
             tap.state.value, status_json(tap.previous), tap.event_kind),
        )  # fmt: skip
        return added is not None

    async def take_tap(self, event_id: EventID) -> Tap | None:
        """The tap of reaction ``event_id``, forgotten (it was removed)."""
        row = await self.db.fetchone(
            "DELETE FROM workday_taps WHERE event_id = ? RETURNING *", (event_id,)
        )
        return _tap(row) if row else None

    async def take_work_event(self, user: UserID, at: datetime, kind: str) -> None:
        """Take back the work event a removed tap recorded (the ArbZG notes follow)."""
        found = await self.db.fetchval(
            "SELECT MAX(id) FROM workday_events WHERE user_id = ? AND at = ? AND kind = ?",
            (user, iso(at), kind),
        )
        if found is not None:
            await self.db.execute("DELETE FROM workday_events WHERE id = ?", (found,))

    # ------------------------------------------------------------ "Bis wann?"

    async def ask(self, question: UntilQuestion) -> None:
        await self.db.execute(
            "INSERT INTO workday_until_questions(user_id, room_id, event_id, team_room, state,"
            " since, asked_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(user_id) DO UPDATE SET"
            " room_id = excluded.room_id, event_id = excluded.event_id,"
            " team_room = excluded.team_room, state = excluded.state,"
            " since = excluded.since, asked_at = excluded.asked_at",
            (question.user, question.room_id, question.event_id, question.team_room,
             question.state.value, iso(question.since), iso(question.asked_at)),
        )  # fmt: skip

    async def question(self, user: UserID) -> UntilQuestion | None:
        row = await self.db.fetchone(
            "SELECT * FROM workday_until_questions WHERE user_id = ?", (user,)
        )
        return _question(row) if row else None

    async def question_by_event(self, event_id: EventID) -> UntilQuestion | None:
        row = await self.db.fetchone(
            "SELECT * FROM workday_until_questions WHERE event_id = ?", (event_id,)
        )
        return _question(row) if row else None

    async def close_question(self, user: UserID, event_id: EventID) -> bool:
        """Close the question (it was answered); False when it was closed before."""
        gone = await self.db.fetchval(
            "DELETE FROM workday_until_questions WHERE user_id = ? AND event_id = ?"
            " RETURNING user_id",
            (user, event_id),
        )
        return gone is not None
