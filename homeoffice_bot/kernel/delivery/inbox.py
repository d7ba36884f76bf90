"""The one way in: which events were handled, and where each send comes from.

A handled event is recorded in ``handled_events`` once all its handlers have finished;
a batch replayed after a crash skips what is recorded. An event whose handling was cut
short is handled again — and sends exactly what it sent the first time, because every
send's transaction id is derived from its origin: the event (or scheduled firing) being
handled, the handler, and a counter. The outbox keeps one row per transaction id, and the
homeserver answers a repeated ``PUT .../send/{type}/{txnId}`` with the first event.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Awaitable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TypeVar

from homeoffice_bot.kernel.ids import UserID
from homeoffice_bot.kernel.storage import Database

T = TypeVar("T")

KEEP_HANDLED = timedelta(days=7)
"""How long handled event ids are kept: longer than any sync gap the bot backfills."""


@dataclass
class Origin:
    """What a send is done on behalf of: a handled event or a scheduled firing."""

    key: str
    sender: UserID | None = None
    """The person whose event is handled: replies to them pass the attention gate."""
    _count: int = field(default=0, repr=False)

    def next_txn_id(self) -> str:
        self._count += 1
        digest = hashlib.sha256(f"{self.key}#{self._count}".encode()).hexdigest()
        return "hob." + digest[:32]


_CURRENT: ContextVar[Origin | None] = ContextVar("homeoffice_origin", default=None)


def current_origin() -> Origin | None:
    return _CURRENT.get()


def new_txn_id() -> str:
    """The next transaction id of the current origin; a random one outside any."""
    origin = _CURRENT.get()
    if origin is None:
        return "hob." + secrets.token_hex(16)
    return origin.next_txn_id()


@contextmanager
def acting_for(key: str, sender: UserID | None = None) -> Iterator[Origin]:
    """Sends inside (in this task and the tasks it starts) come from ``key``."""
    origin = Origin(key, sender)
    token = _CURRENT.set(origin)
    try:
        yield origin
    finally:
        _CURRENT.reset(token)


async def run_as(key: str, sender: UserID | None, work: Awaitable[T]) -> T:
    """Await ``work`` with its sends coming from ``key`` (use as a task's coroutine)."""
    with acting_for(key, sender):
        return await work


class Inbox:
    def __init__(self, db: Database) -> None:
        self.db = db
        self.replays_skipped = 0

    async def seen(self, event_id: str) -> bool:
        found = await self.db.fetchval(
            "SELECT 1 FROM handled_events WHERE event_id = ?", (event_id,)
        )
        if found is not None:
            self.replays_skipped += 1
        return found is not None

    async def record(self, event_id: str, at: datetime) -> None:
        await self.db.execute(
            "INSERT INTO handled_events(event_id, handled_at) VALUES (?, ?)"
            " ON CONFLICT(event_id) DO NOTHING",
            (event_id, at.isoformat()),
        )

    async def prune(self, now: datetime) -> None:
        await self.db.execute(
            "DELETE FROM handled_events WHERE handled_at < ?",
            ((now - KEEP_HANDLED).isoformat(),),
        )
