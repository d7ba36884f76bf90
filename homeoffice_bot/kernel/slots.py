"""Bounded concurrency for scheduled firings, released while a firing waits on the network.

Many firings can fall on one instant (a thousand stand-ups at 09:00). They run a few at a
time, in the order they were due, so that the first room's kickoff is prepared and queued
before the hundredth room's preparation starts. A firing that has queued its message and
only waits for the homeserver to take it steps aside (``step_aside()``, which the outbox
calls): it goes on without its slot, and the next firing starts.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextvars import ContextVar


class _Slot:
    def __init__(self, owner: Slots, task: asyncio.Task[object] | None) -> None:
        self._owner = owner
        self.task = task
        self._held = True

    def release(self) -> None:
        if self._held:
            self._held = False
            self._owner._release()


_current: ContextVar[_Slot | None] = ContextVar("firing_slot", default=None)


class Slots:
    def __init__(self, limit: int) -> None:
        if limit < 1:
            raise ValueError("at least one slot")
        self.limit = limit
        self._semaphore = asyncio.Semaphore(limit)
        self.busy = 0
        self.peak = 0
        """The most slots held at once since the start (a test checks the bound with it)."""
        self.waiting = 0

    @contextlib.asynccontextmanager
    async def hold(self) -> AsyncIterator[None]:
        """Run the body in a slot; waits (first come, first served) while all are taken."""
        self.waiting += 1
        try:
            await self._semaphore.acquire()
        finally:
            self.waiting -= 1
        self.busy += 1
        self.peak = max(self.peak, self.busy)
        slot = _Slot(self, asyncio.current_task())
        token = _current.set(slot)
        try:
            yield
        finally:
            _current.reset(token)
            slot.release()

    def _release(self) -> None:
        self.busy -= 1
        self._semaphore.release()


def step_aside() -> None:
    """Give up the current firing's slot (if this task holds one): what is left of the
    firing is waiting, not work. Tasks the firing spawned inherit no slot to give up."""
    slot = _current.get()
    if slot is not None and slot.task is asyncio.current_task():
        slot.release()
