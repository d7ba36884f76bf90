"""The one way out: every message, edit, reaction, redaction, pin and upload of the bot.

A send is first a row of ``outbox`` with a transaction id chosen once (inbox.py says how);
then one sender task per room sends that room's rows in order through the Matrix layer
with that id. ``PUT /rooms/{room}/send/{type}/{txnId}`` is idempotent per device, so a row
sent again after a crash is not posted twice. Network errors, 5xx and 429 are retried
with back-off (``retry_after_ms`` honoured) for as long as it takes; a permanent refusal
(the bot was kicked, the room is gone) drops the row with a log line and a metric. A sent
row moves to ``outbox_sent`` (transaction id → event id) for a week, so that a handler
replayed after a crash gets the same event id back instead of sending anew.

``send``, ``edit``, ``react``, ``upload`` and ``redact`` return once the homeserver has
the event (they wait through an outage); ``dm`` returns at once, since a direct chat may
first have to be opened and joined. Rows hold plaintext; encrypted rooms are encrypted
at send time, and a row is deleted as soon as it is sent. At most ``PARALLEL_SENDS``
requests go to the homeserver at once, over all rooms; a scheduled firing that waits for
its send gives up its firing slot meanwhile (kernel/slots.py).

Every message passes the attention gate (gate.py) when it goes out: pills of people who
are off are dropped, direct messages to them are held and sent when they may be alerted
again, and only messages meant to reach a person who may be alerted are ``m.text``.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from homeoffice_bot.kernel.clock import Clock
from homeoffice_bot.kernel.delivery.gate import Attention, decide
from homeoffice_bot.kernel.delivery.inbox import current_origin, new_txn_id
from homeoffice_bot.kernel.errors import SendError, TemporarySendError
from homeoffice_bot.kernel.escaping import escape_line
from homeoffice_bot.kernel.formatting import mention, mention_ids, render
from homeoffice_bot.kernel.ids import EventID, RoomID, UserID
from homeoffice_bot.kernel.matrix import MatrixClient
from homeoffice_bot.kernel.matrix.content import (
    edit_content,
    message_content,
    reaction_content,
    relates_to,
)
from homeoffice_bot.kernel.slots import step_aside
from homeoffice_bot.kernel.storage import Database, Row

log = logging.getLogger(__name__)

KEEP_SENT = timedelta(days=7)
KEEP_HELD = timedelta(days=30)
"""A direct message held longer than this (the person never came back) is dropped."""
FIRST_RETRY_SECONDS = 0.5
MAX_RETRY_SECONDS = 30.0
IDLE_SECONDS = 30.0
"""A room's sender task ends after this long without rows; the next row starts one."""
DIRECT_CHAT_TIMEOUT = 60.0
"""How long a new direct chat may take to show the person joined before sending anyway."""
EXCERPT_LENGTH = 120
PARALLEL_SENDS = 16
"""Requests to the homeserver at once, over all rooms: a thousand kickoffs at one minute
reach it a few at a time, so the first is answered at once instead of with the last."""


@dataclass
class OutboxStats:
    retries: int = 0
    refused: int = 0
    held: int = 0
    sent: int = 0


class Outbox:
    def __init__(
        self,
        db: Database,
        matrix: MatrixClient,
        clock: Clock,
        *,
        attention: Callable[[], Attention | None] = lambda: None,
        ready: asyncio.Event | None = None,
    ) -> None:
        self._db = db
        self._matrix = matrix
        self._clock = clock
        self._attention = attention
        self._ready = ready
        """Set once the first sync has brought the rooms: nothing is sent before."""
        self._wakeups: dict[str, asyncio.Event] = {}
        self._workers: dict[str, asyncio.Task[None]] = {}
        self._waiting: dict[str, asyncio.Future[EventID | None]] = {}
        self._stopping = asyncio.Event()
        self._direct_lock = asyncio.Lock()
        self._sending = asyncio.Semaphore(PARALLEL_SENDS)
        self.stats = OutboxStats()

    # ---------------------------------------------------------------- lifecycle

    async def start(self) -> None:
        """Start sending what a previous run left in the outbox."""
        for row in await self._db.fetchall(
            "SELECT DISTINCT queue FROM outbox WHERE held_for IS NULL"
        ):
            self._wake(row["queue"])

    async def stop(self, timeout: float) -> None:
        """Stop the sender tasks (rows not sent yet stay for the next start)."""
        self._stopping.set()
        for event in self._wakeups.values():
            event.set()
        workers = list(self._workers.values())
        if workers:
            _, pending = await asyncio.wait(workers, timeout=timeout)
            for task in pending:
                task.cancel()
        for future in self._waiting.values():
            if not future.done():
                future.cancel()

    # ---------------------------------------------------------------- the API

    async def send(
        self,
        room_id: RoomID,
        markdown: str,
        *,
        reply_to: EventID | None = None,
        thread_root: EventID | None = None,
        names: Mapping[str, str] | None = None,
        mention_room: bool = False,
        alert: bool = False,
        urgent: bool = False,
    ) -> EventID:
        """A Markdown message. ``alert``: it is meant to reach the people it mentions (a
        reminder), so it is an ``m.text`` that notifies those who may be alerted now;
        otherwise it is a quiet ``m.notice``. ``urgent`` passes the gate for everyone.
        ``mention_room`` notifies the whole room (``@room``)."""
        payload = {
            "markdown": markdown, "reply_to": reply_to, "thread_root": thread_root,
            "names": dict(names) if names is not None else None,
            "mention_room": mention_room, "alert": alert, "urgent": urgent,
        }  # fmt: skip
        await self._gate(payload, None)
        return await self._sent(await self._enqueue(room_id, None, "message", payload))

    async def dm(
        self, user_id: UserID, markdown: str, *, alert: bool = False, urgent: bool = False
    ) -> None:
        """A direct message; returns at once. Held while the person may not be alerted,
        unless it answers their own action or is ``urgent``."""
        payload: dict[str, Any] = {"markdown": markdown, "alert": alert, "urgent": urgent}
        hold = await self._gate(payload, user_id)
        until = await self._next_alert(user_id) if hold else None
        await self._enqueue(
            None, user_id, "message", payload, wait=False, hold=(user_id, until) if hold else None
        )

    async def dm_file(self, user_id: UserID, filename: str, data: bytes, mimetype: str) -> None:
        """A file by direct message (an export); returns at once, never held."""
        payload = _file_payload(filename, data, mimetype) | {"urgent": True}
        await self._enqueue(None, user_id, "upload", payload, wait=False)

    async def edit(
        self,
        room_id: RoomID,
        event_id: EventID,
        markdown: str,
        *,
        names: Mapping[str, str] | None = None,
    ) -> EventID:
        """Replace a message of the bot's; an edit never notifies anyone anew."""
        payload = {
            "markdown": markdown, "target": event_id,
            "names": dict(names) if names is not None else None,
        }  # fmt: skip
        return await self._sent(await self._enqueue(room_id, None, "edit", payload))

    async def react(self, room_id: RoomID, event_id: EventID, key: str) -> EventID:
        payload = {"target": event_id, "key": key}
        return await self._sent(await self._enqueue(room_id, None, "reaction", payload))

    async def redact(self, room_id: RoomID, event_id: EventID, reason: str | None = None) -> None:
        payload = {"target": event_id, "reason": reason}
        await self._sent(await self._enqueue(room_id, None, "redaction", payload))

    async def pin(
        self, room_id: RoomID, event_id: EventID, *, replacing: EventID | None = None
    ) -> bool:
        """Pin a message when the bot may (queued behind the room's other sends); with
        ``replacing``, that message is unpinned in the same step."""
        if not self._matrix.can_send_state(room_id, "m.room.pinned_events"):
            return False
        payload = {"target": event_id, "replacing": replacing}
        await self._sent(await self._enqueue(room_id, None, "pin", payload))
        return True

    async def unpin(self, room_id: RoomID, event_id: EventID) -> bool:
        """Unpin a message when the bot may."""
        if not self._matrix.can_send_state(room_id, "m.room.pinned_events"):
            return False
        await self._sent(await self._enqueue(room_id, None, "unpin", {"target": event_id}))
        return True

    async def upload(self, room_id: RoomID, filename: str, data: bytes, mimetype: str) -> EventID:
        """A file, posted to the room (encrypted in encrypted rooms)."""
        payload = _file_payload(filename, data, mimetype)
        return await self._sent(await self._enqueue(room_id, None, "upload", payload))

    async def direct_room(self, user_id: UserID) -> RoomID:
        """The direct chat with the person, opened when there is none yet."""
        async with self._direct_lock:
            return await self._matrix.direct_room(user_id)

    async def release(self, user_id: UserID) -> int:
        """Send what is held for the person now (e.g. at their start of work)."""
        rows = await self._db.fetchall(
            "SELECT DISTINCT queue FROM outbox WHERE held_for = ?", (user_id,)
        )
        count = await self._db.fetchval(
            "SELECT COUNT(*) FROM outbox WHERE held_for = ?", (user_id,)
        )
        await self._db.execute(
            "UPDATE outbox SET held_for = NULL, release_at = NULL WHERE held_for = ?",
            (user_id,),
        )
        for row in rows:
            self._wake(row["queue"])
        return int(count or 0)

    async def held_for(self, user_id: UserID) -> list[dict[str, Any]]:
        """What is held for the person, oldest first (for their data export)."""
        rows = await self._db.fetchall(
            "SELECT room_id, payload, created_at, release_at FROM outbox WHERE held_for = ?"
            " ORDER BY id",
            (user_id,),
        )
        return [
            {"user_id": user_id, "room_id": row["room_id"],
             "markdown": json.loads(row["payload"]).get("markdown"),
             "held_at": row["created_at"], "deliver_at": row["release_at"]}
            for row in rows
        ]  # fmt: skip

    async def drop_held(self, user_id: UserID) -> int:
        """Delete what is held for the person (they deleted their data); the number."""
        count = await self._db.fetchval(
            "SELECT COUNT(*) FROM outbox WHERE held_for = ?", (user_id,)
        )
        await self._db.execute("DELETE FROM outbox WHERE held_for = ?", (user_id,))
        return int(count or 0)

    async def tick(self, now: datetime) -> None:
        """Release held messages whose time has come (or put them off again while the
        person is still off); forget old transaction ids."""
        rows = await self._db.fetchall(
            "SELECT DISTINCT held_for FROM outbox WHERE release_at IS NOT NULL AND release_at <= ?",
            (now.isoformat(),),
        )
        for row in rows:
            user = UserID(row["held_for"])
            if await self._available(user):
                await self.release(user)
                continue
            until = await self._next_alert(user)
            await self._db.execute(
                "UPDATE outbox SET release_at = ? WHERE held_for = ?",
                (until.isoformat() if until else None, user),
            )
        await self._db.execute(
            "DELETE FROM outbox_sent WHERE sent_at < ?", ((now - KEEP_SENT).isoformat(),)
        )
        await self._db.execute(
            "DELETE FROM outbox WHERE held_for IS NOT NULL AND created_at < ?",
            ((datetime.now(UTC) - KEEP_HELD).isoformat(),),
        )

    # ---------------------------------------------------------------- numbers

    async def depth(self) -> int:
        """Rows waiting to be sent (held ones not counted)."""
        value = await self._db.fetchval("SELECT COUNT(*) FROM outbox WHERE held_for IS NULL")
        return int(value or 0)

    async def held_count(self) -> int:
        value = await self._db.fetchval("SELECT COUNT(*) FROM outbox WHERE held_for IS NOT NULL")
        return int(value or 0)

    async def oldest_pending_seconds(self) -> float:
        """Age of the oldest row waiting to be sent; 0 when there is none."""
        oldest = await self._db.fetchval(
            "SELECT MIN(created_at) FROM outbox WHERE held_for IS NULL"
        )
        if not oldest:
            return 0.0
        age = datetime.now(UTC) - datetime.fromisoformat(oldest)  # wall time, not the clock
        return max(0.0, age.total_seconds())

    # ---------------------------------------------------------------- queueing

    async def _enqueue(
        self,
        room_id: RoomID | None,
        dm_user: UserID | None,
        action: str,
        payload: Any,
        *,
        wait: bool = True,
        hold: tuple[UserID, datetime | None] | None = None,
    ) -> str:
        txn_id = new_txn_id()
        queue = room_id or dm_user
        assert queue is not None
        if wait:
            self._waiting.setdefault(txn_id, asyncio.get_running_loop().create_future())
        done = await self._db.fetchone(
            "SELECT event_id, outcome FROM outbox_sent WHERE txn_id = ?", (txn_id,)
        )
        if done is not None:  # a replay of a send that went out before the crash
            self._settle(txn_id, done["event_id"], done["outcome"])
            return txn_id
        held_for, release_at = hold if hold is not None else (None, None)
        await self._db.execute(
            "INSERT INTO outbox(txn_id, queue, room_id, dm_user, action, payload, created_at,"
            " held_for, release_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT(txn_id) DO NOTHING",
            (txn_id, queue, room_id, dm_user, action, json.dumps(payload),
             datetime.now(UTC).isoformat(), held_for,
             release_at.isoformat() if release_at else None),
        )  # fmt: skip
        if hold is not None:
            self.stats.held += 1
            log.debug("holding a direct message until %s", release_at)
        else:
            self._wake(queue)
        return txn_id

    async def _sent(self, txn_id: str) -> EventID:
        future = self._waiting[txn_id]
        step_aside()  # a scheduled firing waiting here lets the next one start
        try:
            event_id = await future
        finally:
            self._waiting.pop(txn_id, None)
        if event_id is None:
            raise SendError(f"{txn_id} was not sent")
        return event_id

    def _settle(self, txn_id: str, event_id: str | None, outcome: str) -> None:
        future = self._waiting.get(txn_id)
        if future is None or future.done():
            return
        if outcome == "sent" and event_id:
            future.set_result(EventID(event_id))
        else:
            future.set_exception(SendError(f"the homeserver refused {txn_id}: {outcome}"))

    def _wake(self, queue: str) -> None:
        if self._stopping.is_set():
            return
        self._wakeups.setdefault(queue, asyncio.Event()).set()
        if queue not in self._workers:
            task = asyncio.create_task(self._worker(queue), name=f"outbox {queue}")
            task.add_done_callback(_log_failure)
            self._workers[queue] = task

    # ---------------------------------------------------------------- sending

    async def _worker(self, queue: str) -> None:
        wakeup = self._wakeups.setdefault(queue, asyncio.Event())
        try:
            if self._ready is not None:
                await self._ready.wait()
            while not self._stopping.is_set():
                wakeup.clear()
                row = await self._db.fetchone(
                    "SELECT * FROM outbox WHERE queue = ? AND held_for IS NULL ORDER BY id LIMIT 1",
                    (queue,),
                )
                if row is None:
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(wakeup.wait(), IDLE_SECONDS)
                    if not wakeup.is_set():
                        return
                    continue
                await self._attempt(row)
        finally:
            self._workers.pop(queue, None)

    async def _attempt(self, row: Row) -> None:
        try:
            event_id = await self._deliver(row)
        except TemporarySendError as exc:
            attempts = int(row["attempts"]) + 1
            self.stats.retries += 1
            delay = exc.retry_after or min(
                MAX_RETRY_SECONDS, FIRST_RETRY_SECONDS * 2 ** (attempts - 1)
            )
            log.warning("send %s failed (%s); retry %d in %.1f s", row["txn_id"], exc,
                        attempts, delay)  # fmt: skip
            await self._db.execute(
                "UPDATE outbox SET attempts = ? WHERE id = ?", (attempts, row["id"])
            )
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), delay)
            return
        except Exception as exc:
            self.stats.refused += 1
            if isinstance(exc, SendError):
                log.warning("send %s was refused for good: %s", row["txn_id"], exc)
            else:
                log.exception("send %s failed and is dropped", row["txn_id"])
            await self._finish(row, None, "refused")
            return
        self.stats.sent += 1
        await self._finish(row, event_id, "sent")

    async def _finish(self, row: Row, event_id: str | None, outcome: str) -> None:
        async with self._db.transaction() as tx:
            await tx.execute("DELETE FROM outbox WHERE id = ?", (row["id"],))
            await tx.execute(
                "INSERT INTO outbox_sent(txn_id, event_id, outcome, sent_at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT(txn_id) DO NOTHING",
                (row["txn_id"], event_id, outcome, self._clock.now().isoformat()),
            )
        self._settle(row["txn_id"], event_id, outcome)

    async def _deliver(self, row: Row) -> str | None:
        payload = json.loads(row["payload"])
        dm_partner = UserID(row["dm_user"]) if row["dm_user"] else None
        if row["room_id"] is not None:
            room_id = RoomID(row["room_id"])
        elif dm_partner is not None:
            room_id = await self._open_direct_chat(dm_partner)
        else:
            raise SendError(f"outbox row {row['id']} has no room")
        async with self._sending:
            return await self._deliver_to(room_id, row, payload)

    async def _deliver_to(self, room_id: RoomID, row: Row, payload: Any) -> str | None:
        action = row["action"]
        txn_id = row["txn_id"]
        matrix = self._matrix
        dm_partner = UserID(row["dm_user"]) if row["dm_user"] else None
        if action == "message":
            return await self._send_message(room_id, payload, txn_id, dm_partner=dm_partner)
        if action == "edit":
            markdown = payload["markdown"]
            names = payload["names"] or matrix.names_for(room_id, mention_ids(markdown))
            new_content = message_content(render(markdown, names), "m.notice")
            content = edit_content(EventID(payload["target"]), new_content, newly_mentioned=[])
            return await matrix.send_content(room_id, "m.room.message", content, txn_id=txn_id)
        if action == "reaction":
            content = reaction_content(EventID(payload["target"]), payload["key"])
            return await matrix.send_content(room_id, "m.reaction", content, txn_id=txn_id)
        if action == "redaction":
            target = EventID(payload["target"])
            await matrix.redact(room_id, target, payload["reason"], txn_id=txn_id)
            return target
        if action == "pin":
            replacing = payload.get("replacing")
            await matrix.pin(
                room_id, EventID(payload["target"]),
                replacing=EventID(replacing) if replacing else None,
            )  # fmt: skip
            return str(payload["target"])
        if action == "unpin":
            await matrix.unpin(room_id, EventID(payload["target"]))
            return str(payload["target"])
        if action == "upload":
            data = base64.b64decode(payload["data"])
            content = await matrix.upload_content(
                room_id, payload["filename"], data, payload["mimetype"]
            )
            return await matrix.send_content(room_id, "m.room.message", content, txn_id=txn_id)
        raise SendError(f"unknown outbox action {action!r}")

    async def _open_direct_chat(self, user: UserID) -> RoomID:
        room_id = await self.direct_room(user)
        if not self._matrix.has_joined(room_id, user) and not await self._matrix.wait_member_joined(
            room_id, user, DIRECT_CHAT_TIMEOUT
        ):
            log.warning("a direct chat is not joined after %s s; sending anyway",
                        DIRECT_CHAT_TIMEOUT)  # fmt: skip
        return room_id

    async def _gate(self, payload: dict[str, Any], dm_partner: UserID | None) -> bool:
        """Decide, as the feature asks, who gets a pill and whether the message alerts;
        stored in ``payload``. True: a direct message to hold."""
        mentioned = mention_ids(payload["markdown"])
        exempt = _exempt()
        may = {u: await self._may_alert(u, payload, exempt) for u in mentioned}
        if dm_partner is not None:
            may[dm_partner] = await self._may_alert(dm_partner, payload, exempt)
        verdict = decide(
            mentioned=mentioned, may_alert=may, alert=bool(payload.get("alert")),
            dm_partner=dm_partner, mention_room=bool(payload.get("mention_room")),
        )  # fmt: skip
        payload["plain"] = list(verdict.plain)
        payload["msgtype"] = verdict.msgtype
        return verdict.hold

    async def _send_message(
        self, room_id: RoomID, payload: Any, txn_id: str, *, dm_partner: UserID | None
    ) -> str:
        markdown: str = payload["markdown"]
        names: dict[str, str] = payload.get("names") or self._matrix.names_for(
            room_id, mention_ids(markdown)
        )
        plain = [UserID(u) for u in payload.get("plain", ())]
        for user in plain:
            markdown = markdown.replace(mention(user), escape_line(names.get(user, user)))
        rendered = render(markdown, names)
        content = message_content(rendered, payload.get("msgtype", "m.notice"))
        if payload.get("mention_room"):
            content["m.mentions"]["room"] = True
        relation = relates_to(
            thread_root=_event(payload.get("thread_root")), reply_to=_event(payload.get("reply_to"))
        )
        if relation is not None:
            content["m.relates_to"] = relation
        event_id = await self._matrix.send_content(
            room_id, "m.room.message", content, txn_id=txn_id
        )
        attention = self._attention()
        if attention is not None:
            for user in plain:
                await attention.missed(user, room_id, event_id, rendered.body[:EXCERPT_LENGTH])
        return event_id

    async def _may_alert(self, user: UserID, payload: Any, exempt: list[str]) -> bool:
        if payload.get("urgent") or user in exempt:
            return True
        return await self._available(user)

    async def _available(self, user: UserID) -> bool:
        attention = self._attention()
        if attention is None:
            return True
        try:
            return await attention.may_alert(user, self._clock.now())
        except Exception:
            log.exception("availability unknown; treating the person as available")
            return True

    async def _next_alert(self, user: UserID) -> datetime | None:
        attention = self._attention()
        if attention is None:
            return None
        return await attention.next_alert(user, self._clock.now())


def _log_failure(task: asyncio.Task[None]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.error("outbox sender %s failed", task.get_name(), exc_info=task.exception())


def _exempt() -> list[str]:
    origin = current_origin()
    return [origin.sender] if origin is not None and origin.sender else []


def _file_payload(filename: str, data: bytes, mimetype: str) -> dict[str, Any]:
    return {
        "filename": filename, "mimetype": mimetype,
        "data": base64.b64encode(data).decode("ascii"),
    }  # fmt: skip


def _event(value: object) -> EventID | None:
    return EventID(str(value)) if value else None
