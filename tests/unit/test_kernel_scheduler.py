"""The scheduler fires each occurrence once, also across restarts, and catches up."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest

from homeoffice_bot.kernel.clock import FixedClock, SystemClock
from homeoffice_bot.kernel.kernel_schema import MIGRATIONS
from homeoffice_bot.kernel.schedule_rules import Daily, Every, Once
from homeoffice_bot.kernel.scheduler import Scheduler
from homeoffice_bot.kernel.storage import Database
from homeoffice_bot.kernel.tasks import TaskTracker


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = Database(tmp_path / "s.sqlite3")
    await database.open()
    await database.migrate("kernel", MIGRATIONS)
    yield database
    await database.close()


async def test_claim_is_true_once(db: Database) -> None:
    scheduler = Scheduler(db, SystemClock(), TaskTracker())
    assert await scheduler.claim("standup:1@2026-07-15") is True
    assert await scheduler.claim("standup:1@2026-07-15") is False
    assert await scheduler.claim("standup:1@2026-07-16") is True


async def test_once_job_fires_at_its_time_and_only_once(db: Database) -> None:
    tasks = TaskTracker()
    scheduler = Scheduler(db, SystemClock(), tasks)
    scheduler.start()
    fired: list[datetime] = []
    done = asyncio.Event()

    async def job(at: datetime) -> None:
        fired.append(at)
        done.set()

    when = datetime.now(UTC) + timedelta(milliseconds=300)
    await scheduler.schedule("once", Once(when), job)
    await asyncio.wait_for(done.wait(), 5)
    assert fired == [when]
    # Declaring the same job again after it ran (as a restart would) does not run it again.
    await scheduler.schedule("once", Once(when), job)
    await asyncio.sleep(0.3)
    await tasks.drain(1)
    assert fired == [when]
    scheduler.stop()


async def test_missed_daily_firing_within_grace_runs_once_at_start(db: Database) -> None:
    now = datetime(2026, 7, 15, 7, 5, tzinfo=UTC)  # 09:05 in Berlin, a Wednesday
    tasks = TaskTracker()
    fired: list[datetime] = []

    async def job(at: datetime) -> None:
        fired.append(at)

    trigger = Daily(time(9), frozenset(range(1, 6)), "Europe/Berlin")
    for _restart in range(2):
        scheduler = Scheduler(db, FixedClock(now), tasks)
        scheduler.start()
        await scheduler.schedule("kickoff", trigger, job, grace=timedelta(minutes=10))
        await tasks.drain(2)
        scheduler.stop()
    assert fired == [datetime(2026, 7, 15, 7, tzinfo=UTC)]


async def test_missed_firing_beyond_grace_is_skipped(db: Database) -> None:
    now = datetime(2026, 7, 15, 8, 0, tzinfo=UTC)  # an hour after 09:00 Berlin
    tasks = TaskTracker()
    fired: list[datetime] = []

    async def job(at: datetime) -> None:
        fired.append(at)

    scheduler = Scheduler(db, FixedClock(now), tasks)
    scheduler.start()
    await scheduler.schedule(
        "kickoff", Daily(time(9), frozenset(range(1, 6)), "Europe/Berlin"), job,
        grace=timedelta(minutes=10),
    )  # fmt: skip
    await scheduler.schedule("old", Once(now - timedelta(hours=1)), job)
    await tasks.drain(1)
    assert fired == []
    assert scheduler.next_run("kickoff") is not None
    assert "old" not in scheduler.job_ids()
    scheduler.stop()


async def test_interval_jobs_repeat_and_cancel(db: Database) -> None:
    scheduler = Scheduler(db, SystemClock(), TaskTracker())
    scheduler.start()
    count = 0

    async def tick(at: datetime) -> None:
        nonlocal count
        count += 1

    await scheduler.schedule("tick", Every(timedelta(milliseconds=100)), tick)
    await asyncio.sleep(0.55)
    scheduler.cancel("tick")
    seen = count
    await asyncio.sleep(0.3)
    assert seen >= 3
    assert count == seen
    assert scheduler.job_ids() == []
    scheduler.stop()


async def test_a_firing_cut_short_by_a_crash_runs_again_with_the_same_transaction_ids(
    db: Database,
) -> None:
    from homeoffice_bot.kernel.delivery.inbox import acting_for, new_txn_id

    at = datetime(2026, 7, 15, 7, 0, tzinfo=UTC)
    key = f"kickoff@{at.isoformat()}"
    seen: list[str] = []

    async def job(_: datetime) -> None:
        seen.append(new_txn_id())

    # A run that claimed the firing and died before it finished (SIGKILL) ...
    assert await Scheduler(db, SystemClock(), TaskTracker()).claim(key)
    tasks = TaskTracker()
    scheduler = Scheduler(db, FixedClock(at + timedelta(minutes=1)), tasks)
    await scheduler.schedule("kickoff", Once(at), job)  # ... is run again at the next start
    await tasks.drain(1)
    await scheduler.schedule("kickoff", Once(at), job)  # ... and once finished, never again
    await tasks.drain(1)
    assert len(seen) == 1
    with acting_for(key):  # what the interrupted run had queued carries the same ids
        assert seen == [new_txn_id()]
