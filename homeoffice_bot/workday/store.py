"""The workday's SQL for people, statuses, leave, rooms and work events.

Every statement the workday runs lives in ``store*.py``; the rest of the package talks
to these small typed methods. Instants are stored with ``iso`` (UTC, fixed width, so
text order is time order) and read back with ``from_iso``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from homeoffice_bot.kernel.ids import EventID, RoomID, UserID
from homeoffice_bot.kernel.localtime import as_utc
from homeoffice_bot.kernel.storage import Database, Row, Transaction
from homeoffice_bot.workday.arbzg import WorkEvent, WorkEventKind
from homeoffice_bot.workday.hours import LeavePeriod
from homeoffice_bot.workday.states import PersonStatus, PresenceState

PERSON_FIELDS = frozenset(
    {"tz", "hours", "region", "home_room", "arbzg", "break_plan"}
    | {"remind_dayend", "remind_standup", "remind_digest"}
)
ROOM_FIELDS = frozenset({"team_hours", "core_hours", "region", "urgent_keyword"})


def iso(instant: datetime) -> str:
    """``2024-08-09T10:00:00.000000Z``: UTC, fixed width."""
    return as_utc(instant).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def from_iso(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)


def _opt_iso(text: str | None) -> datetime | None:
    return from_iso(text) if text else None


def _opt_date(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


@dataclass(frozen=True)
class PersonRow:
    user_id: UserID
    tz: str | None = None
    hours: str | None = None
    region: str | None = None
    home_room: RoomID | None = None
    arbzg: bool = True
    break_plan: str | None = None
    last_active: datetime | None = None
    remind_dayend: bool = True
    remind_standup: bool = True
    remind_digest: bool = True


@dataclass(frozen=True)
class RoomRow:
    room_id: RoomID
    team_hours: str | None = None
    core_hours: str | None = None
    region: str | None = None
    urgent_keyword: str | None = None
    board_event_id: EventID | None = None
    board_text: str | None = None
    board_pinned: bool = False


def _person(row: Row) -> PersonRow:
    return PersonRow(
        UserID(row["user_id"]),
        row["tz"],
        row["hours"],
        row["region"],
        RoomID(row["home_room"]) if row["home_room"] else None,
        bool(row["arbzg"]),
        row["break_plan"],
        _opt_iso(row["last_active"]),
        bool(row["remind_dayend"]),
        bool(row["remind_standup"]),
        bool(row["remind_digest"]),
    )


def _status(row: Row) -> PersonStatus:
    return PersonStatus(
        user=UserID(row["user_id"]),
        state=PresenceState(row["state"]),
        since=from_iso(row["since"]),
        until=_opt_iso(row["until"]),
        note=row["note"],
        note_shared=bool(row["note_shared"]),
        stand_in=UserID(row["stand_in"]) if row["stand_in"] else None,
        leave_from=_opt_date(row["leave_from"]),
        leave_to=_opt_date(row["leave_to"]),
    )


def _room(row: Row) -> RoomRow:
    return RoomRow(
        RoomID(row["room_id"]),
        row["team_hours"],
        row["core_hours"],
        row["region"],
        row["urgent_keyword"],
        EventID(row["board_event_id"]) if row["board_event_id"] else None,
        row["board_text"],
        bool(row["board_pinned"]),
    )


class WorkdayStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    # ------------------------------------------------------------ people

    async def person(self, user: UserID) -> PersonRow | None:
        row = await self.db.fetchone("SELECT * FROM workday_people WHERE user_id = ?", (user,))
        return _person(row) if row else None

    async def people(self) -> list[PersonRow]:
        """Everyone (for exports and tests; no hot path reads the whole table)."""
        rows = await self.db.fetchall("SELECT * FROM workday_people ORDER BY user_id")
        return [_person(row) for row in rows]

    # ------------------------------------------------------------ due times

    async def due(self, now: datetime, limit: int) -> list[UserID]:
        """People whose due time has come, earliest first (at most ``limit``)."""
        rows = await self.db.fetchall(
            "SELECT user_id FROM workday_people WHERE due_at <= ? ORDER BY due_at LIMIT ?",
            (iso(now), limit),
        )
        return [UserID(row["user_id"]) for row in rows]

    async def earliest_due(self) -> datetime | None:
        value = await self.db.fetchval("SELECT MIN(due_at) FROM workday_people")
        return from_iso(value) if value else None

    async def due_at(self, user: UserID) -> datetime | None:
        value = await self.db.fetchval(
            "SELECT due_at FROM workday_people WHERE user_id = ?", (user,)
        )
        return from_iso(value) if value else None

    async def set_due(self, user: UserID, at: datetime | None) -> None:
        await self.db.execute(
            "UPDATE workday_people SET due_at = ? WHERE user_id = ?",
            (iso(at) if at else None, user),
        )

    async def mark_room_due(self, room_id: RoomID, now: datetime) -> None:
        """Everyone whose team room this is gets a look now (the team's defaults changed)."""
        await self.db.execute(
            "UPDATE workday_people SET due_at = ? WHERE home_room = ?", (iso(now), room_id)
        )

    async def known(self, users: Iterable[UserID]) -> set[UserID]:
        """Which of ``users`` use the workday (have a row)."""
        wanted = list(dict.fromkeys(users))
        if not wanted:
            return set()
        marks = ",".join("?" * len(wanted))
        rows = await self.db.fetchall(
            f"SELECT user_id FROM workday_people WHERE user_id IN ({marks})", wanted
        )
        return {UserID(row["user_id"]) for row in rows}

    async def ensure_person(
        self, user: UserID, now: datetime, home_room: RoomID | None = None
    ) -> None:
        """Create the person's row (due for a first look now); remember the group room
        they last used the workday in."""
        await self.db.execute(
            "INSERT INTO workday_people(user_id, home_room, created_at, last_active, due_at)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT(user_id) DO UPDATE SET"
            " home_room = COALESCE(excluded.home_room, workday_people.home_room),"
            " last_active = excluded.last_active",
            (user, home_room, iso(now), iso(now), iso(now)),
        )

    async def set_person(self, user: UserID, field: str, value: Any) -> None:
        if field not in PERSON_FIELDS:
            raise ValueError(field)
        await self.db.execute(
            f"UPDATE workday_people SET {field} = ? WHERE user_id = ?", (value, user)
        )

    async def touch(self, user: UserID, now: datetime) -> None:
        """Note activity (only for people who use the workday)."""
        await self.db.execute(
            "UPDATE workday_people SET last_active = ? WHERE user_id = ?"
            " AND (last_active IS NULL OR last_active < ?)",
            (iso(now), user, iso(now)),
        )

    # ------------------------------------------------------------ status

    async def status(self, user: UserID) -> PersonStatus | None:
        row = await self.db.fetchone("SELECT * FROM workday_status WHERE user_id = ?", (user,))
        return _status(row) if row else None

    async def statuses(self) -> dict[UserID, PersonStatus]:
        rows = await self.db.fetchall("SELECT * FROM workday_status")
        return {UserID(row["user_id"]): _status(row) for row in rows}

    async def set_status(self, status: PersonStatus) -> None:
        await self.db.execute(
            "INSERT INTO workday_status(user_id, state, since, until, note, note_shared,"
            " stand_in, leave_from, leave_to) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT(user_id) DO UPDATE SET state = excluded.state,"
            " since = excluded.since, until = excluded.until, note = excluded.note,"
            " note_shared = excluded.note_shared, stand_in = excluded.stand_in,"
            " leave_from = excluded.leave_from, leave_to = excluded.leave_to",
            (
                status.user,
                status.state.value,
                iso(status.since),
                iso(status.until) if status.until else None,
                status.note,
                int(status.note_shared),
                status.stand_in,
                status.leave_from.isoformat() if status.leave_from else None,
                status.leave_to.isoformat() if status.leave_to else None,
            ),
        )

    async def clear_status(self, user: UserID) -> None:
        await self.db.execute("DELETE FROM workday_status WHERE user_id = ?", (user,))

    # ------------------------------------------------------------ leave

    async def leave(self, user: UserID) -> list[LeavePeriod]:
        rows = await self.db.fetchall(
            "SELECT * FROM workday_leave WHERE user_id = ? ORDER BY first_day", (user,)
        )
        return [
            LeavePeriod(
                date.fromisoformat(row["first_day"]),
                date.fromisoformat(row["last_day"]),
                UserID(row["stand_in"]) if row["stand_in"] else None,
            )
            for row in rows
        ]

    async def add_leave(self, user: UserID, period: LeavePeriod, now: datetime) -> None:
        """Record leave; it replaces leave that overlaps it."""
        async with self.db.transaction() as tx:
            await tx.execute(
                "DELETE FROM workday_leave WHERE user_id = ? AND first_day <= ? AND last_day >= ?",
                (user, period.last_day.isoformat(), period.first_day.isoformat()),
            )
            await insert_leave(tx, user, period, now)

    async def delete_leave_from(self, user: UserID, today: date) -> list[LeavePeriod]:
        """Delete leave that has not ended before ``today``; return what was deleted."""
        gone = [p for p in await self.leave(user) if p.last_day >= today]
        await self.db.execute(
            "DELETE FROM workday_leave WHERE user_id = ? AND last_day >= ?",
            (user, today.isoformat()),
        )
        return gone

    # ------------------------------------------------------------ rooms

    async def room(self, room_id: RoomID) -> RoomRow:
        row = await self.db.fetchone("SELECT * FROM workday_rooms WHERE room_id = ?", (room_id,))
        return _room(row) if row else RoomRow(room_id)

    async def set_room(self, room_id: RoomID, field: str, value: Any) -> None:
        if field not in ROOM_FIELDS:
            raise ValueError(field)
        await self.db.execute(
            f"INSERT INTO workday_rooms(room_id, {field}) VALUES (?, ?)"
            f" ON CONFLICT(room_id) DO UPDATE SET {field} = excluded.{field}",
            (room_id, value),
        )

    # ------------------------------------------------------------ work events (ArbZG)

    async def add_event(self, user: UserID, at: datetime, kind: WorkEventKind) -> None:
        await self.db.execute(
            "INSERT INTO workday_events(user_id, at, kind) VALUES (?, ?, ?)",
            (user, iso(at), kind.value),
        )

    async def events(self, user: UserID, since: datetime) -> list[WorkEvent]:
        rows = await self.db.fetchall(
            "SELECT at, kind FROM workday_events WHERE user_id = ? AND at >= ? ORDER BY at, id",
            (user, iso(since)),
        )
        return [WorkEvent(from_iso(row["at"]), WorkEventKind(row["kind"])) for row in rows]

    async def last_event(self, user: UserID) -> WorkEvent | None:
        row = await self.db.fetchone(
            "SELECT at, kind FROM workday_events WHERE user_id = ? ORDER BY at DESC, id DESC",
            (user,),
        )
        return WorkEvent(from_iso(row["at"]), WorkEventKind(row["kind"])) if row else None

    async def reminders_sent(self, user: UserID, day: str) -> set[str]:
        rows = await self.db.fetchall(
            "SELECT reminder FROM workday_reminders_sent WHERE user_id = ? AND day = ?",
            (user, day),
        )
        return {row["reminder"] for row in rows}

    async def claim_reminder(self, user: UserID, day: str, reminder: str, now: datetime) -> bool:
        """Record a reminder for ``day``; True only the first time."""
        value = await self.db.fetchval(
            "INSERT INTO workday_reminders_sent(user_id, day, reminder, sent_at)"
            " VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING reminder",
            (user, day, reminder, iso(now)),
        )
        return value is not None


async def insert_leave(tx: Transaction, user: UserID, period: LeavePeriod, now: datetime) -> None:
    """One leave row, inside the caller's transaction."""
    await tx.execute(
        "INSERT INTO workday_leave(user_id, first_day, last_day, stand_in, created_at)"
        " VALUES (?, ?, ?, ?, ?)",
        (
            user,
            period.first_day.isoformat(),
            period.last_day.isoformat(),
            period.stand_in,
            iso(now),
        ),
    )
