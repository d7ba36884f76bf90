"""What the publishing benchmark measures in the bot's process: the event loop's longest
step (``StepMeter``), the garbage collector's pauses (``GcMeter``) and the bot's own time
per command (``HandlingMeter``)."""

from __future__ import annotations

import asyncio
import gc
import time
from typing import Any


class StepMeter:
    """The longest single step of the event loop (one callback or task step) while it is
    entered, in the main thread's CPU time: how long the bot's own code holds the loop,
    however busy the machine is (a wall-clock lag also counts the time the process
    waited for a core)."""

    def __init__(self) -> None:
        self.longest_ms = 0.0
        self.longest_what = ""
        """What ran in the longest step (the callback or task, shortened)."""
        self._original = asyncio.events.Handle._run

    def __enter__(self) -> StepMeter:
        original, meter = self._original, self

        def run(handle: asyncio.Handle) -> None:
            before = time.thread_time()
            try:
                original(handle)
            finally:
                took = (time.thread_time() - before) * 1000
                if took > meter.longest_ms:
                    meter.longest_ms, meter.longest_what = took, repr(handle)[:160]

        asyncio.events.Handle._run = run  # type: ignore[method-assign]
        return self

    def __exit__(self, *_: object) -> None:
        asyncio.events.Handle._run = self._original  # type: ignore[method-assign]


class GcMeter:
    """The garbage collector's pauses in this process while it is entered: how many
    collections of each generation, and the longest (wall clock) of each."""

    def __init__(self) -> None:
        self.counts = [0, 0, 0]
        self.longest_ms = [0.0, 0.0, 0.0]
        self._started = 0.0

    def _callback(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._started = time.perf_counter()
            return
        generation = info["generation"]
        self.counts[generation] += 1
        took = (time.perf_counter() - self._started) * 1000
        self.longest_ms[generation] = max(self.longest_ms[generation], took)

    def __enter__(self) -> GcMeter:
        gc.callbacks.append(self._callback)
        return self

    def __exit__(self, *_: object) -> None:
        gc.callbacks.remove(self._callback)

    def merge(self, other: GcMeter) -> None:
        for n in range(3):
            self.counts[n] += other.counts[n]
            self.longest_ms[n] = max(self.longest_ms[n], other.longest_ms[n])

    def report(self) -> str:
        return ", ".join(
            f"gen {n}: {c}x, longest {ms:.1f} ms"
            for n, (c, ms) in enumerate(zip(self.counts, self.longest_ms, strict=True))
        )


class HandlingMeter:
    """The bot's own time for each command: from the sync response that brings it into
    the bot's process to the answer's send request leaving it (``send_content``), in ms.
    The homeserver's part (delivering the command to the bot's sync, storing the answer)
    is not in it. ``matrix`` is the bot's ``MatrixClient``; only commands whose text is
    ``command`` count."""

    def __init__(self, matrix: Any, command: str) -> None:
        self.handling_ms: list[float] = []
        self._arrived: float | None = None
        nio_client = matrix._client
        sync, send = nio_client.sync, matrix.send_content

        async def timed_sync(*args: Any, **kwargs: Any) -> Any:
            response = await sync(*args, **kwargs)
            rooms = getattr(getattr(response, "rooms", None), "join", {})
            for info in rooms.values():
                if any(getattr(e, "body", None) == command for e in info.timeline.events):
                    self._arrived = time.perf_counter()
            return response

        async def timed_send(*args: Any, **kwargs: Any) -> Any:
            if self._arrived is not None:
                self.handling_ms.append((time.perf_counter() - self._arrived) * 1000)
                self._arrived = None
            return await send(*args, **kwargs)

        nio_client.sync = timed_sync
        matrix.send_content = timed_send

    def take(self) -> list[float]:
        """The times since the last ``take``."""
        taken, self.handling_ms = self.handling_ms, []
        return taken
