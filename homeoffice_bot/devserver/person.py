"""A person at a Matrix client, for tests, the demo and benchmarks.

A Person is a real account with its own device and encryption store; it syncs in the
background, joins rooms it is invited to, sends messages and waits for what arrives.
It uses the bot's own Matrix layer, so encrypted rooms work the same way for both.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from homeoffice_bot.kernel.events import Invite, Message
from homeoffice_bot.kernel.ids import EventID, RoomID, UserID
from homeoffice_bot.kernel.matrix import Event, MatrixClient, SyncBatch, relates_to

E = TypeVar("E")


class Person:
    def __init__(self, homeserver: str, user_id: str, password: str, workdir: Path) -> None:
        self.user_id = UserID(user_id)
        self.client = MatrixClient(
            homeserver=homeserver,
            user_id=user_id,
            data_dir=workdir,
            store_dir=workdir / "store",
            password=password,
            pickle_key="person",
            sync_timeout_ms=5_000,
            device_name="person",
            include_own_events=True,
        )
        self.events: list[Event] = []
        self._changed = asyncio.Condition()
        self._token: str | None = None
        self._task: asyncio.Task[None] | None = None
        self.on_event: Callable[[Event], None] | None = None

    async def start(self) -> None:
        await self.client.login()
        self._task = asyncio.create_task(
            self.client.sync_forever(self._handle, self._load, self._save), name="person sync"
        )
        await asyncio.wait_for(self.client.synced.wait(), 30)

    async def stop(self) -> None:
        self.client.stop()
        if self._task is not None:
            with contextlib.suppress(asyncio.CancelledError, TimeoutError):
                await asyncio.wait_for(self._task, 10)
        await self.client.close()

    async def _load(self) -> str | None:
        return self._token

    async def _save(self, token: str) -> None:
        self._token = token

    async def _handle(self, batch: SyncBatch) -> None:
        for event in batch.events:
            if isinstance(event, Invite):
                await self.client.join(event.room_id)
                continue
            if batch.initial:
                continue
            self.events.append(event)
            if self.on_event is not None:
                self.on_event(event)
        async with self._changed:
            self._changed.notify_all()

    # ---------------------------------------------------------------- acting

    async def say(
        self,
        room_id: RoomID,
        text: str,
        *,
        thread_root: EventID | None = None,
        reply_to: EventID | None = None,
    ) -> EventID:
        """Send a plain-text message as a person would type it."""
        content: dict[str, object] = {"msgtype": "m.text", "body": text}
        relation = relates_to(thread_root=thread_root, reply_to=reply_to)
        if relation is not None:
            content["m.relates_to"] = relation
        return await self.client.send_content(room_id, "m.room.message", content)

    async def say_mentioning(
        self, room_id: RoomID, text: str, user_id: UserID, name: str
    ) -> EventID:
        """Send a message with a mention pill, as Element does."""
        content = {
            "msgtype": "m.text",
            "body": text.replace(user_id, name),
            "format": "org.matrix.custom.html",
            "formatted_body": text.replace(
                user_id, f'<a href="https://matrix.to/#/{user_id}">{name}</a>'
            ),
            "m.mentions": {"user_ids": [user_id]},
        }
        return await self.client.send_content(room_id, "m.room.message", content)

    async def edit(self, room_id: RoomID, event_id: EventID, new_text: str) -> EventID:
        content = {
            "msgtype": "m.text",
            "body": f"* {new_text}",
            "m.new_content": {"msgtype": "m.text", "body": new_text},
            "m.relates_to": {"rel_type": "m.replace", "event_id": event_id},
        }
        return await self.client.send_content(room_id, "m.room.message", content)

    async def react(self, room_id: RoomID, event_id: EventID, key: str) -> EventID:
        """Tap a reaction under a message, as a client does; the reaction's event id."""
        return await self.client.react(room_id, event_id, key)

    async def unreact(self, room_id: RoomID, reaction_id: EventID) -> None:
        """Take a reaction back (clients redact it)."""
        await self.client.redact(room_id, reaction_id)

    # ---------------------------------------------------------------- waiting

    async def wait_for(
        self, kind: type[E], predicate: Callable[[E], bool], timeout: float = 20.0, since: int = 0
    ) -> E:
        """The first event of ``kind`` (from index ``since`` on) that satisfies ``predicate``."""

        def find() -> E | None:
            for event in self.events[since:]:
                if isinstance(event, kind) and predicate(event):
                    return event
            return None

        async def wait() -> E:
            async with self._changed:
                while (found := find()) is None:
                    await self._changed.wait()
                return found

        return await asyncio.wait_for(wait(), timeout)

    async def wait_message(
        self,
        room_id: RoomID,
        contains: str = "",
        *,
        sender: UserID | None = None,
        timeout: float = 20.0,
        since: int = 0,
    ) -> Message:
        return await self.wait_for(
            Message,
            lambda m: (
                m.room_id == room_id
                and contains in m.body
                and (sender is None or m.sender == sender)
            ),
            timeout,
            since,
        )

    async def wait_joined(self, room_id: RoomID, user_id: UserID, timeout: float = 20.0) -> bool:
        """True once this client sees ``user_id`` joined ``room_id``, False after ``timeout``.
        It looks again after each of its syncs instead of polling."""

        async def wait() -> None:
            async with self._changed:
                while not self.client.has_joined(room_id, user_id):
                    await self._changed.wait()

        try:
            await asyncio.wait_for(wait(), timeout)
        except TimeoutError:
            return False
        return True

    def mark(self) -> int:
        """An index into ``events``: pass it as ``since`` to wait only for what comes next."""
        return len(self.events)

    async def ask(
        self,
        room_id: RoomID,
        text: str,
        bot: UserID,
        *,
        timeout: float = 20.0,
        thread_root: EventID | None = None,
        reply_to: EventID | None = None,
    ) -> Message:
        """Say something and wait for the bot's next message in the room."""
        mark = self.mark()
        await self.say(room_id, text, thread_root=thread_root, reply_to=reply_to)
        return await self.wait_message(room_id, sender=bot, timeout=timeout, since=mark)
