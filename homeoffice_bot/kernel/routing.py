"""From sync batches to handlers: rooms in parallel, each room's events in order, each
event handled once.

Every event with an id is looked up in the inbox first: one handled before a restart is
skipped. Its handlers run as tracked tasks under the event's origin (``run_as``), so that
what they send gets transaction ids derived from the event; the event is recorded once all
of them are done (a restart before that handles it again, and the outbox deduplicates).
Commands go to the dispatcher, everything else to the features' subscriptions.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from collections.abc import Awaitable, Callable
from typing import Any

from homeoffice_bot.kernel.clock import Clock
from homeoffice_bot.kernel.commands import CommandDispatcher
from homeoffice_bot.kernel.delivery import Inbox, run_as
from homeoffice_bot.kernel.events import (
    Edit,
    Event,
    Invite,
    Membership,
    Message,
    Presence,
    Reaction,
    Redaction,
)
from homeoffice_bot.kernel.ids import RoomID, UserID
from homeoffice_bot.kernel.matrix import SyncBatch
from homeoffice_bot.kernel.plugins import Subscriptions
from homeoffice_bot.kernel.tasks import TaskTracker

log = logging.getLogger(__name__)

BATCH_TIMEOUT_SECONDS = 60.0

InviteHandler = Callable[[Invite], Awaitable[None]]
UndecryptableHandler = Callable[[RoomID, str, UserID, str], Awaitable[None]]


class EventRouter:
    def __init__(
        self,
        *,
        inbox: Inbox,
        tasks: TaskTracker,
        clock: Clock,
        dispatcher: CommandDispatcher,
        subscriptions: Subscriptions,
        on_invite: InviteHandler,
        on_undecryptable: UndecryptableHandler,
        timeout: float = BATCH_TIMEOUT_SECONDS,
    ) -> None:
        self.inbox = inbox
        self.tasks = tasks
        self.clock = clock
        self.dispatcher = dispatcher
        self.subscriptions = subscriptions
        self.on_invite = on_invite
        self.on_undecryptable = on_undecryptable
        self.timeout = timeout

    async def handle_batch(self, batch: SyncBatch) -> None:
        """Process one sync batch. The first batch after the very first login brings old
        history: only invitations are acted on there."""
        per_room: dict[str, list[Event]] = defaultdict(list)
        for event in batch.events:
            if isinstance(event, Invite):
                per_room["invites"].append(event)
            elif not batch.initial:
                key = event.user_id if isinstance(event, Presence) else event.room_id
                per_room[key].append(event)
        work = [self.tasks.spawn(self._room_events(evts), f"events {key}")
                for key, evts in per_room.items()]  # fmt: skip
        if not batch.initial:
            for room_id, event_id, sender, session in batch.undecryptable:
                note = self.on_undecryptable(room_id, event_id, sender, session)
                work.append(self.tasks.spawn(_plain(note), "undecryptable"))
        await self.tasks.wait(work, timeout=self.timeout)

    async def _room_events(self, events: list[Event]) -> None:
        for event in events:
            event_id = getattr(event, "event_id", None)
            if event_id is not None and await self.inbox.seen(event_id):
                log.info("skipping %s: handled before a restart", event_id)
                continue
            sender = getattr(event, "sender", None)
            running = [
                self.tasks.spawn(
                    # an event with an id is the origin of what its handlers send (the same
                    # transaction ids when it is handled again); presence and invitations
                    # have none and send with fresh ones
                    run_as(f"{event_id}/{n}", sender, handler) if event_id else _plain(handler),
                    f"{type(event).__name__} handler",
                )
                for n, handler in enumerate(self.handlers_for(event))
            ]
            await self.tasks.wait(running, timeout=self.timeout)
            if event_id is not None:
                if all(task.done() for task in running):
                    await self.inbox.record(event_id, self.clock.now())
                else:  # recorded once it is done: until then a restart handles it again
                    self.tasks.spawn(self._record_later(event_id, running), "record event")

    async def _record_later(self, event_id: str, running: list[asyncio.Task[Any]]) -> None:
        await asyncio.wait(running)
        await self.inbox.record(event_id, self.clock.now())

    def handlers_for(self, event: Event) -> list[Awaitable[None]]:
        """The handler calls one event starts, not yet awaited."""
        subs = self.subscriptions
        if isinstance(event, Invite):
            return [self.on_invite(event)]
        if isinstance(event, Message):
            if self.dispatcher.is_command(event):
                return [self.dispatcher.dispatch(event)]
            return [h(event) for h in subs.message]
        if isinstance(event, Edit):
            return [h(event) for h in subs.edit]
        if isinstance(event, Reaction):
            return [h(event) for h in subs.reaction]
        if isinstance(event, Redaction):
            return [h(event) for h in subs.redaction]
        if isinstance(event, Membership):
            return [h(event) for h in subs.membership]
        return [h(event) for h in subs.presence]


async def _plain(work: Awaitable[None]) -> None:
    await work
