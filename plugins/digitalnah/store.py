"""All SQL of the plugin: offerings, their audit trail and chat events, assistant
dialogues, publish state. Values in, values out (``Offering``, ``AuditEntry`` …)."""

from __future__ import annotations

import dataclasses
import enum
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from digitalnah.assistant import AssistantState
from digitalnah.model import AuditEntry, Offering, OfferingState
from homeoffice_bot.kernel.ids import EventID, RoomID, UserID
from homeoffice_bot.kernel.storage import Database, Row

_FIELDS = (
    "submitter", "created_at", "updated_at", "title", "description", "link", "category",
    "provider", "target_group", "available_since", "contact", "tags", "image_mxc",
    "source_room_id", "source_event_id", "state", "approved_at", "review_note",
)  # fmt: skip


class EventRole(enum.StrEnum):
    SOURCE = "source"
    """The person's message the offering came from: edits update it, replies in its
    thread complete it."""
    THREAD = "thread"
    """The root of the thread the offering is discussed in: its source message, or the
    thread that message was posted in."""
    REPLY = "reply"
    """A message of the bot about the offering (draft reply, decision)."""


@dataclass(frozen=True, slots=True)
class AssistantSession:
    user_id: UserID
    dm_room_id: RoomID
    origin_room_id: RoomID | None
    state: AssistantState
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class PublishState:
    published_at: datetime | None = None
    webhook_hash: str | None = None
    webhook_delivered_at: datetime | None = None
    webhook_error: str | None = None


def _instant(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _required_instant(value: str) -> datetime:
    return datetime.fromisoformat(value)


def _to_row(offering: Offering) -> tuple[Any, ...]:
    o = offering
    return (
        o.submitter, o.created_at.isoformat(), o.updated_at.isoformat(), o.title,
        o.description, o.link, o.category, o.provider, o.target_group,
        o.available_since.isoformat() if o.available_since else None, o.contact,
        json.dumps(list(o.tags), ensure_ascii=False), o.image_mxc, o.source_room_id,
        o.source_event_id, o.state.value,
        o.approved_at.isoformat() if o.approved_at else None, o.review_note,
    )  # fmt: skip


def offering_from_row(row: Row | dict[str, Any]) -> Offering:
    """An offering from its table row (or the row as a plain dict, see ``rows_after``)."""
    since = row["available_since"]
    return Offering(
        id=int(row["id"]),
        submitter=UserID(row["submitter"]),
        created_at=_required_instant(row["created_at"]),
        updated_at=_required_instant(row["updated_at"]),
        title=row["title"],
        description=row["description"],
        link=row["link"],
        category=row["category"],
        provider=row["provider"],
        target_group=row["target_group"],
        available_since=date.fromisoformat(since) if since else None,
        contact=row["contact"],
        tags=tuple(str(t) for t in json.loads(row["tags"] or "[]")),
        image_mxc=row["image_mxc"],
        source_room_id=RoomID(row["source_room_id"]) if row["source_room_id"] else None,
        source_event_id=EventID(row["source_event_id"]) if row["source_event_id"] else None,
        state=OfferingState(row["state"]),
        approved_at=_instant(row["approved_at"]),
        review_note=row["review_note"],
    )


def _audit(row: Row) -> AuditEntry:
    return AuditEntry(
        offering_id=int(row["offering_id"]),
        actor=UserID(row["actor"]),
        action=row["action"],
        from_state=OfferingState(row["from_state"]),
        to_state=OfferingState(row["to_state"]),
        at=_required_instant(row["at"]),
        reason=row["reason"],
    )


class OfferingStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    # ------------------------------------------------------------ offerings

    async def commit(
        self,
        offering: Offering,
        audit: AuditEntry | None = None,
        events: Iterable[tuple[EventID, RoomID, EventRole]] = (),
    ) -> Offering:
        """Insert (no id yet) or update the offering, append its audit entry and record
        its chat events, all in one transaction; returns the offering with its id."""
        async with self.db.transaction() as tx:
            if offering.id is None:
                placeholders = ", ".join("?" * len(_FIELDS))
                cursor = await tx.execute(
                    f"INSERT INTO digitalnah_offerings({', '.join(_FIELDS)})"
                    f" VALUES ({placeholders})",
                    _to_row(offering),
                )
                offering = dataclasses.replace(offering, id=int(cursor.lastrowid or 0))
                await cursor.close()
            else:
                assignments = ", ".join(f"{name} = ?" for name in _FIELDS)
                await tx.execute(
                    f"UPDATE digitalnah_offerings SET {assignments} WHERE id = ?",
                    (*_to_row(offering), offering.id),
                )
            if audit is not None:
                await tx.execute(
                    "INSERT INTO digitalnah_audit"
                    "(offering_id, actor, action, from_state, to_state, at, reason)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (
                        offering.id, audit.actor, audit.action, audit.from_state.value,
                        audit.to_state.value, audit.at.isoformat(), audit.reason,
                    ),
                )  # fmt: skip
            for event_id, room_id, role in events:
                await tx.execute(
                    "INSERT INTO digitalnah_events(event_id, room_id, offering_id, role)"
                    " VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                    (event_id, room_id, offering.id, role.value),
                )
        return offering

    async def get(self, offering_id: int) -> Offering | None:
        row = await self.db.fetchone(
            "SELECT * FROM digitalnah_offerings WHERE id = ?", (offering_id,)
        )
        return offering_from_row(row) if row is not None else None

    async def all(self) -> list[Offering]:
        rows = await self.db.fetchall("SELECT * FROM digitalnah_offerings ORDER BY id")
        return [offering_from_row(row) for row in rows]

    async def rows_after(self, after: int, limit: int) -> list[dict[str, Any]]:
        """Up to ``limit`` raw rows (plain dicts) of the offerings with an id above
        ``after``, in id order: for handing them on in batches (``offering_from_row``
        turns one into an offering)."""
        rows = await self.db.fetchall(
            "SELECT * FROM digitalnah_offerings WHERE id > ? ORDER BY id LIMIT ?", [after, limit]
        )
        return [dict(zip(row.keys(), tuple(row), strict=True)) for row in rows]

    async def in_batches(self, state: OfferingState, batch: int = 500) -> list[Offering]:
        """The offerings in ``state``, read ``batch`` rows at a time, so that thousands of
        them never hold up the event loop for long."""
        found: list[Offering] = []
        last = 0
        while rows := await self.rows_after(last, batch):
            found += [o for o in map(offering_from_row, rows) if o.state is state]
            last = int(rows[-1]["id"])
        return found

    async def in_states(self, states: Sequence[OfferingState]) -> list[Offering]:
        marks = ", ".join("?" * len(states))
        rows = await self.db.fetchall(
            f"SELECT * FROM digitalnah_offerings WHERE state IN ({marks}) ORDER BY id",
            [s.value for s in states],
        )
        return [offering_from_row(row) for row in rows]

    async def count_by_state(self) -> dict[str, int]:
        """How many offerings are in each state (every state listed)."""
        rows = await self.db.fetchall(
            "SELECT state, COUNT(*) AS n FROM digitalnah_offerings GROUP BY state"
        )
        counts = dict.fromkeys((s.value for s in OfferingState), 0)
        counts.update({str(row["state"]): int(row["n"]) for row in rows})
        return counts

    async def audit(self, offering_id: int) -> list[AuditEntry]:
        rows = await self.db.fetchall(
            "SELECT * FROM digitalnah_audit WHERE offering_id = ? ORDER BY at, id",
            (offering_id,),
        )
        return [_audit(row) for row in rows]

    # ------------------------------------------------------------ chat events

    async def link(
        self, offering_id: int, event_id: EventID, room_id: RoomID, role: EventRole
    ) -> None:
        await self.db.execute(
            "INSERT INTO digitalnah_events(event_id, room_id, offering_id, role)"
            " VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
            (event_id, room_id, offering_id, role.value),
        )

    async def by_event(
        self,
        event_id: EventID,
        roles: Sequence[EventRole] = (EventRole.SOURCE, EventRole.REPLY),
        *,
        submitter: UserID | None = None,
    ) -> Offering | None:
        """The offering an event stands for (in one of ``roles``; the newest if several,
        e.g. two tips in one thread; only ``submitter``'s if given)."""
        marks = ", ".join("?" * len(roles))
        params: list[str] = [event_id, *(r.value for r in roles)]
        mine = ""
        if submitter is not None:
            mine = " AND o.submitter = ?"
            params.append(submitter)
        row = await self.db.fetchone(
            "SELECT o.* FROM digitalnah_events e"
            " JOIN digitalnah_offerings o ON o.id = e.offering_id"
            f" WHERE e.event_id = ? AND e.role IN ({marks}){mine}"
            " ORDER BY o.id DESC LIMIT 1",
            params,
        )
        return offering_from_row(row) if row is not None else None

    async def thread_of(self, offering_id: int) -> tuple[RoomID, EventID] | None:
        """(room, thread root) where the offering is discussed."""
        row = await self.db.fetchone(
            "SELECT room_id, event_id FROM digitalnah_events"
            " WHERE offering_id = ? AND role = ? LIMIT 1",
            (offering_id, EventRole.THREAD.value),
        )
        return (RoomID(row["room_id"]), EventID(row["event_id"])) if row is not None else None

    # ------------------------------------------------------------ assistant

    async def session(self, user_id: UserID) -> AssistantSession | None:
        row = await self.db.fetchone(
            "SELECT * FROM digitalnah_assistant WHERE user_id = ?", (user_id,)
        )
        if row is None:
            return None
        return AssistantSession(
            user_id=UserID(row["user_id"]),
            dm_room_id=RoomID(row["dm_room_id"]),
            origin_room_id=RoomID(row["origin_room_id"]) if row["origin_room_id"] else None,
            state=AssistantState.from_dict(json.loads(row["state"])),
            updated_at=_required_instant(row["updated_at"]),
        )

    async def save_session(self, session: AssistantSession) -> None:
        await self.db.execute(
            "INSERT INTO digitalnah_assistant"
            "(user_id, dm_room_id, origin_room_id, state, updated_at) VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT(user_id) DO UPDATE SET dm_room_id = excluded.dm_room_id,"
            " origin_room_id = excluded.origin_room_id, state = excluded.state,"
            " updated_at = excluded.updated_at",
            (
                session.user_id, session.dm_room_id, session.origin_room_id,
                json.dumps(session.state.to_dict(), ensure_ascii=False),
                session.updated_at.isoformat(),
            ),
        )  # fmt: skip

    async def end_session(self, user_id: UserID) -> None:
        await self.db.execute("DELETE FROM digitalnah_assistant WHERE user_id = ?", (user_id,))

    # ------------------------------------------------------------ publishing

    async def publish_state(self) -> PublishState:
        row = await self.db.fetchone("SELECT * FROM digitalnah_publish WHERE id = 1")
        if row is None:
            return PublishState()
        return PublishState(
            published_at=_instant(row["published_at"]),
            webhook_hash=row["webhook_hash"],
            webhook_delivered_at=_instant(row["webhook_delivered_at"]),
            webhook_error=row["webhook_error"],
        )

    async def mark_published(self, at: datetime) -> None:
        await self.db.execute(
            "INSERT INTO digitalnah_publish(id, published_at) VALUES (1, ?)"
            " ON CONFLICT(id) DO UPDATE SET published_at = excluded.published_at",
            (at.isoformat(),),
        )

    async def mark_webhook(
        self, *, delivered_hash: str | None, at: datetime, error: str | None
    ) -> None:
        """Record a delivery (its content hash) or, with ``error``, a failed one."""
        if error is None:
            await self.db.execute(
                "INSERT INTO digitalnah_publish(id, webhook_hash, webhook_delivered_at)"
                " VALUES (1, ?, ?) ON CONFLICT(id) DO UPDATE SET"
                " webhook_hash = excluded.webhook_hash,"
                " webhook_delivered_at = excluded.webhook_delivered_at, webhook_error = NULL",
                (delivered_hash, at.isoformat()),
            )
        else:
            await self.db.execute(
                "INSERT INTO digitalnah_publish(id, webhook_error) VALUES (1, ?)"
                " ON CONFLICT(id) DO UPDATE SET webhook_error = excluded.webhook_error",
                (error,),
            )
