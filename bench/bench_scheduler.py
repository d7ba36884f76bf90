"""The scheduler at organisation scale, against a real local Synapse.

1. Start-up: time to healthy (start + first sync) with N stand-ups in the database, as a
   ratio to the same bot with none; plus declaring N Daily jobs in the scheduler alone.
2. Kickoffs: R rooms with a stand-up at the same minute. The clock is moved to the minute;
   for each room the bench notes when its kickoff was handed to the outbox (the bot's own
   share: preparation) and when the homeserver had it (the Synapse-bound part follows).

    .venv/bin/python bench/bench_scheduler.py [--standups 10000] [--rooms 1000]

The functions ``fill_standups``, ``time_to_healthy`` and ``kickoff_latency`` are meant to
be called from other benchmarks as well.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import statistics
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from typing import Any

from homeoffice_bot.app import App
from homeoffice_bot.devserver import SynapseServer
from homeoffice_bot.devserver.settings import dev_bot_settings
from homeoffice_bot.kernel.clock import FixedClock
from homeoffice_bot.kernel.ids import RoomID
from homeoffice_bot.kernel.schedule_rules import Daily
from homeoffice_bot.kernel.scheduler import Scheduler
from homeoffice_bot.kernel.storage import Database
from homeoffice_bot.kernel.tasks import TaskTracker
from homeoffice_bot.standup.config import StandupConfig
from homeoffice_bot.standup.schema import MIGRATIONS as STANDUP_MIGRATIONS
from homeoffice_bot.standup.store import StandupStore

TUESDAY_6 = datetime(2026, 12, 1, 5, 0, tzinfo=UTC)  # 06:00 in Berlin
ZONES = ("Europe/Berlin", "Europe/Vienna", "Europe/Zurich", "Europe/Luxembourg")


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


async def fill_standups(
    db_path: Path, count: int, *, rooms: list[RoomID] | None = None, at: clock_time | None = None
) -> None:
    """``count`` stand-ups through the stand-up store (one per room of ``rooms`` if given,
    else in made-up rooms), at ``at`` or spread over the morning and a few zones."""
    db = Database(db_path)
    await db.open()
    try:
        await db.migrate("standup", STANDUP_MIGRATIONS)
        store = StandupStore(db)
        for index in range(count):
            room = rooms[index] if rooms is not None else f"!bench{index}:localhost"
            kickoff = at or clock_time(8 + index % 3, (index * 5) % 60)
            config = StandupConfig(
                name="team", room_id=room, at=kickoff, tz=ZONES[index % len(ZONES)]
            )
            await store.create_standup(config, "@lead:localhost", TUESDAY_6 - timedelta(days=7))
    finally:
        await db.close()


async def time_to_healthy(bot: App) -> float:
    """Seconds from ``start()`` until the first sync is through and the bot is healthy."""
    t0 = time.perf_counter()
    await bot.start()
    await bot.wait_synced(timeout=300)
    elapsed = time.perf_counter() - t0
    status, _ = await bot.health()
    assert status == "ok", status
    return elapsed


async def declare_daily_jobs(count: int) -> float:
    """Seconds to declare ``count`` Daily jobs in a scheduler of its own (no database use)."""
    with tempfile.TemporaryDirectory() as folder:
        db = Database(Path(folder) / "s.sqlite3")
        scheduler = Scheduler(db, FixedClock(TUESDAY_6), TaskTracker())

        async def job(at: datetime) -> None:
            return None

        t0 = time.perf_counter()
        for index in range(count):
            trigger = Daily(
                clock_time(8 + index % 3, (index * 5) % 60),
                frozenset(range(1, 6)),
                ZONES[index % len(ZONES)],
            )
            await scheduler.schedule(f"standup:{index}:kickoff", trigger, job)
        return time.perf_counter() - t0


@dataclass
class Kickoffs:
    queued: dict[str, float]
    """Per room: seconds after the minute at which its kickoff was handed to the outbox."""
    sent: dict[str, float]
    """Per room: seconds after the minute at which the homeserver had its kickoff."""
    peak: int
    limit: int


async def kickoff_latency(bot: App, clock: FixedClock, minute: datetime, rooms: int) -> Kickoffs:
    """Move ``clock`` to ``minute`` and wait for ``rooms`` kickoffs to be sent."""
    queued: dict[str, float] = {}
    sent: dict[str, float] = {}
    outbox_send = bot.outbox.send
    t0 = 0.0
    all_sent = asyncio.Event()

    async def timed_send(room_id: RoomID, markdown: str, **kwargs: Any) -> Any:
        kickoff = markdown.split("\n", 1)[0].endswith(("☀️", "🎥"))
        if kickoff:
            queued[room_id] = time.perf_counter() - t0
        event_id = await outbox_send(room_id, markdown, **kwargs)
        if kickoff:
            sent[room_id] = time.perf_counter() - t0
            if len(sent) >= rooms:
                all_sent.set()
        return event_id

    bot.outbox.send = timed_send  # type: ignore[method-assign]
    try:
        t0 = time.perf_counter()
        clock.set(minute)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(all_sent.wait(), 600)
    finally:
        bot.outbox.send = outbox_send  # type: ignore[method-assign]
    slots = bot.scheduler.slots
    return Kickoffs(queued, sent, slots.peak, slots.limit)


async def measure(standups: int, rooms: int, base: Path) -> None:
    logging.getLogger("nio").setLevel(logging.ERROR)
    declared = await declare_daily_jobs(standups)
    print(f"declaring {standups} Daily jobs in the scheduler alone: {ms(declared)}")
    server = SynapseServer(base / "synapse")
    await server.start_async()
    try:
        bot_id = server.register_user("bench-bot", "pw")

        def settings(folder: str) -> Any:
            return dev_bot_settings(server.url, bot_id, "pw", base / folder, web=False,
                                    encryption=False)  # fmt: skip

        first = App(settings("start"), clock=FixedClock(TUESDAY_6))
        await time_to_healthy(first)  # login, device, empty database
        await first.stop()
        empty = App(settings("start"), clock=FixedClock(TUESDAY_6))
        empty_s = await time_to_healthy(empty)
        await empty.stop()
        await fill_standups(base / "start" / "homeoffice.sqlite3", standups)
        full = App(settings("start"), clock=FixedClock(TUESDAY_6))
        full_s = await time_to_healthy(full)
        jobs = full.scheduler.job_count
        await full.stop()
        print(f"time to healthy, empty database: {ms(empty_s)}")
        print(f"time to healthy, {standups} stand-ups ({jobs} jobs): {ms(full_s)} "
              f"({full_s / empty_s:.2f}× empty)")  # fmt: skip

        clock = FixedClock(TUESDAY_6)
        bot = App(settings("kickoff"), clock=clock)
        await time_to_healthy(bot)
        t0 = time.perf_counter()
        room_ids = [await bot.matrix.create_room(name=f"Team {i}") for i in range(rooms)]
        print(f"(created {rooms} rooms in {time.perf_counter() - t0:.0f} s)")
        await bot.stop()
        await fill_standups(
            base / "kickoff" / "homeoffice.sqlite3", rooms, rooms=room_ids, at=clock_time(9)
        )
        minute = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)  # 09:00 in Berlin
        clock = FixedClock(minute - timedelta(seconds=30))
        bot = App(settings("kickoff"), clock=clock)
        await time_to_healthy(bot)
        result = await kickoff_latency(bot, clock, minute, rooms)
        await bot.stop()
        synapse = [result.sent[room] - result.queued[room] for room in result.sent]
        queued, sent = sorted(result.queued.values()), sorted(result.sent.values())
        print(f"{rooms} kickoffs at one minute ({len(result.sent)} sent; "
              f"at most {result.peak} of {result.limit} firings at once):")  # fmt: skip
        if result.sent:
            print(f"  first kickoff queued {ms(queued[0])}, sent {ms(sent[0])}"
                  " after the minute")  # fmt: skip
            print(f"  last kickoff queued {ms(queued[-1])} (the bot's own share), "
                  f"sent {ms(sent[-1])}")  # fmt: skip
            print(f"  queued → sent (Synapse-bound, per kickoff): median "
                  f"{ms(statistics.median(synapse))}, max {ms(max(synapse))}")  # fmt: skip
    finally:
        await server.stop_async()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--standups", type=int, default=10_000)
    parser.add_argument("--rooms", type=int, default=1_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        asyncio.run(measure(args.standups, args.rooms, Path(folder)))


if __name__ == "__main__":
    main()
