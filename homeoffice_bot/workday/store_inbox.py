"""The workday's SQL for what waits for a person: held messages, notes already given,
collected mentions and the wrap-up answer."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from homeoffice_bot.kernel.ids import EventID, RoomID, UserID
from homeoffice_bot.kernel.storage import Database
from homeoffice_bot.workday.store import from_iso, iso


@dataclass(frozen=True)
class HeldMessage:
    id: int
    user_id: UserID
    room_id: RoomID | None
    """None: by direct message."""
    markdown: str
    held_at: datetime
    deliver_at: datetime | None


@dataclass(frozen=True)
class CollectedMention:
    id: int
    recipient: UserID
    sender: UserID
    room_id: RoomID
    event_id: EventID
    excerpt: str
    at: datetime


class InboxStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    # ------------------------------------------------------------ held messages

    async def hold(
        self,
        user: UserID,
        room_id: RoomID | None,
        markdown: str,
        now: datetime,
        deliver_at: datetime | None,
    ) -> int:
        return await self.db.execute(
            "INSERT INTO workday_held(user_id, room_id, markdown, held_at, deliver_at)"
            " VALUES (?, ?, ?, ?, ?)",
            (user, room_id, markdown, iso(now), iso(deliver_at) if deliver_at else None),
        )

    async def held(self, user: UserID | None = None) -> list[HeldMessage]:
        """Held messages (of one person), oldest first."""
        sql = "SELECT * FROM workday_held"
        params: tuple[str, ...] = ()
        if user is not None:
            sql, params = sql + " WHERE user_id = ?", (user,)
        rows = await self.db.fetchall(sql + " ORDER BY id", params)
        return [
            HeldMessage(
                row["id"],
                UserID(row["user_id"]),
                RoomID(row["room_id"]) if row["room_id"] else None,
                row["markdown"],
                from_iso(row["held_at"]),
                from_iso(row["deliver_at"]) if row["deliver_at"] else None,
            )
            for row in rows
        ]

    async def release(self, held_id: int) -> bool:
        """Take a held message out; True if this call took it (so it is sent once)."""
        value = await self.db.fetchval(
            "DELETE FROM workday_held WHERE id = ? RETURNING id", (held_id,)
        )
        return value is not None

    # ------------------------------------------------------------ off notes

    async def claim_off_note(
        self, sender: UserID, recipient: UserID, period: str, now: datetime
    ) -> bool:
        """Record that ``sender`` got the note about ``recipient`` for ``period``;
        True only the first time."""
        value = await self.db.fetchval(
            "INSERT INTO workday_off_notes(sender, recipient, period, noted_at)"
            " VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING period",
            (sender, recipient, period, iso(now)),
        )
        return value is not None

    # ------------------------------------------------------------ collected mentions

    async def collect(
        self,
        recipient: UserID,
        sender: UserID,
        room_id: RoomID,
        event_id: EventID,
        excerpt: str,
        at: datetime,
    ) -> None:
        await self.db.execute(
            "INSERT INTO workday_mentions(recipient, sender, room_id, event_id, excerpt, at)"
            " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            (recipient, sender, room_id, event_id, excerpt, iso(at)),
        )

    async def mentions(self, recipient: UserID | None = None) -> list[CollectedMention]:
        sql = "SELECT * FROM workday_mentions"
        params: tuple[str, ...] = ()
        if recipient is not None:
            sql, params = sql + " WHERE recipient = ?", (recipient,)
        rows = await self.db.fetchall(sql + " ORDER BY at, id", params)
        return [
            CollectedMention(
                row["id"],
                UserID(row["recipient"]),
                UserID(row["sender"]),
                RoomID(row["room_id"]),
                EventID(row["event_id"]),
                row["excerpt"],
                from_iso(row["at"]),
            )
            for row in rows
        ]

    async def has_mentions(self, recipient: UserID) -> bool:
        value = await self.db.fetchval(
            "SELECT 1 FROM workday_mentions WHERE recipient = ? LIMIT 1", (recipient,)
        )
        return value is not None

    async def take_mentions(self, ids: Iterable[int]) -> int:
        """Delete handed-over mentions; the number this call deleted."""
        wanted = list(ids)
        if not wanted:
            return 0
        marks = ",".join("?" * len(wanted))
        rows = await self.db.fetchall(
            f"DELETE FROM workday_mentions WHERE id IN ({marks}) RETURNING id", wanted
        )
        return len(rows)

    # ------------------------------------------------------------ wrap-up

    async def ask_wrapup(self, user: UserID, now: datetime) -> None:
        """The question was asked: an earlier answer not yet handed back is kept."""
        await self.db.execute(
            "INSERT INTO workday_wrapups(user_id, asked_at) VALUES (?, ?)"
            " ON CONFLICT(user_id) DO UPDATE SET asked_at = excluded.asked_at",
            (user, iso(now)),
        )

    async def wrapup_asked_at(self, user: UserID) -> datetime | None:
        value = await self.db.fetchval(
            "SELECT asked_at FROM workday_wrapups WHERE user_id = ?", (user,)
        )
        return from_iso(value) if value else None

    async def answer_wrapup(self, user: UserID, answer: str, now: datetime) -> None:
        """Keep the answer; several messages are kept together, one per line."""
        await self.db.execute(
            "UPDATE workday_wrapups SET answer = COALESCE(answer || char(10), '') || ?,"
            " answered_at = ? WHERE user_id = ?",
            (answer, iso(now), user),
        )

    async def take_wrapup(self, user: UserID) -> str | None:
        """The answer to hand back (and forget); None when there is none."""
        value = await self.db.fetchval(
            "DELETE FROM workday_wrapups WHERE user_id = ? AND answer IS NOT NULL RETURNING answer",
            (user,),
        )
        return str(value) if value is not None else None
