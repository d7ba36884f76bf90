"""The scheduler fires each occurrence once, also across restarts, and catches up."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest

from homeoffice_bot.kernel.clock import FixedClock, SystemClock
from homeoffice_bot.kernel.kernel_schema import MIGRATIONS
from homeoffice_bot.kernel.schedule_rules import Daily, Every, Once
from homeoffice_bot.kernel.scheduler import MAX_SLEEP, Scheduler
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
    clock = FixedClock(datetime(2026, 7, 15, 7, 0, tzinfo=UTC))
    tasks = TaskTracker()
    scheduler = Scheduler(db, clock, tasks)
    scheduler.start()
    fired: list[datetime] = []
    done = asyncio.Event()

    async def job(at: datetime) -> None:
        fired.append(at)
        done.set()

    when = clock.now() + timedelta(minutes=5)
    await scheduler.schedule("once", Once(when), job)
    clock.advance(timedelta(minutes=4, seconds=59))
    assert await scheduler.run_due() == 0
    assert fired == []
    clock.advance(timedelta(seconds=1))  # the moved clock wakes the scheduler
    await asyncio.wait_for(done.wait(), 5)
    assert fired == [when]
    # Declaring the same job again after it ran (as a restart would) does not run it again.
    await scheduler.schedule("once", Once(when), job)
    await tasks.drain(1)
    assert await scheduler.run_due() == 0
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
    clock = FixedClock(datetime(2026, 7, 15, 7, 0, tzinfo=UTC))
    scheduler = Scheduler(db, clock, TaskTracker())
    scheduler.start()
    seen: list[datetime] = []

    async def tick(at: datetime) -> None:
        seen.append(at)

    await scheduler.schedule("tick", Every(timedelta(seconds=30)), tick)
    for _ in range(3):
        clock.advance(timedelta(seconds=30))
        assert await scheduler.run_due() == 1
    clock.advance(timedelta(minutes=5))  # a jump fires once, not ten times
    assert await scheduler.run_due() == 1
    assert len(seen) == 4
    scheduler.cancel("tick")
    clock.advance(timedelta(minutes=1))
    assert await scheduler.run_due() == 0
    assert len(seen) == 4
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


async def test_a_daily_job_follows_the_moved_clock_each_day(db: Database) -> None:
    clock = FixedClock(datetime(2026, 7, 15, 6, 0, tzinfo=UTC))  # 08:00 in Berlin
    scheduler = Scheduler(db, clock, TaskTracker())
    fired: list[datetime] = []

    async def job(at: datetime) -> None:
        fired.append(at)

    daily = Daily(time(9), frozenset(range(1, 8)), "Europe/Berlin")
    await scheduler.schedule("kickoff", daily, job)
    clock.advance(timedelta(hours=1))
    assert await scheduler.run_due() == 1
    clock.advance(timedelta(days=1))
    assert await scheduler.run_due() == 1
    assert fired == [datetime(2026, 7, 15, 7, tzinfo=UTC), datetime(2026, 7, 16, 7, tzinfo=UTC)]
    assert scheduler.next_run("kickoff") == datetime(2026, 7, 17, 7, tzinfo=UTC)


async def test_jobs_declared_before_the_start_wait_for_it(db: Database) -> None:
    clock = FixedClock(datetime(2026, 7, 15, 7, 0, tzinfo=UTC))
    scheduler = Scheduler(db, clock, TaskTracker())
    fired = asyncio.Event()

    async def job(at: datetime) -> None:
        fired.set()

    await scheduler.schedule("soon", Once(clock.now() + timedelta(seconds=1)), job)
    clock.advance(timedelta(seconds=2))
    assert not scheduler.running
    scheduler.start()
    await asyncio.wait_for(fired.wait(), 5)
    scheduler.stop()


async def test_reschedule_moves_one_job_and_keeps_its_function_and_grace(db: Database) -> None:
    clock = FixedClock(datetime(2026, 7, 15, 7, 0, tzinfo=UTC))
    scheduler = Scheduler(db, clock, TaskTracker())
    fired: list[datetime] = []

    async def wake(at: datetime) -> None:
        fired.append(at)

    assert scheduler.reschedule("due", Once(clock.now())) is False
    await scheduler.schedule("due", Once(clock.now() + timedelta(hours=1)), wake)
    for minutes in (50, 40, 30, 20, 10):  # the earliest due time keeps moving closer
        assert scheduler.reschedule("due", Once(clock.now() + timedelta(minutes=minutes)))
    assert scheduler.next_run("due") == clock.now() + timedelta(minutes=10)
    assert scheduler.job_count == 1
    clock.advance(timedelta(minutes=30))  # twenty minutes late: beyond the grace of ten
    assert await scheduler.run_due() == 0
    assert fired == []
    await scheduler.schedule("due", Once(clock.now() + timedelta(minutes=5)), wake)
    assert scheduler.reschedule("due", Once(clock.now() + timedelta(minutes=1)))
    clock.advance(timedelta(minutes=1, seconds=30))
    assert await scheduler.run_due() == 1
    assert fired == [clock.now() - timedelta(seconds=30)]
    assert scheduler.reschedule("due", Once(clock.now())) is False  # fired: no longer declared


async def spin(until: Callable[[], bool]) -> None:
    """Let other tasks run until ``until()`` holds (no real time passes between checks)."""
    for _ in range(10_000):
        if until():
            return
        await asyncio.sleep(0)
    raise AssertionError("never happened")


async def test_many_firings_at_one_minute_run_bounded_in_order_and_each_once(
    db: Database,
) -> None:
    clock = FixedClock(datetime(2026, 7, 15, 6, 59, tzinfo=UTC))
    scheduler = Scheduler(db, clock, TaskTracker(), max_concurrent=4)
    started: list[str] = []
    prepared = asyncio.Event()

    def kickoff(room: str) -> Callable[[datetime], Awaitable[None]]:
        async def run(at: datetime) -> None:
            started.append(room)
            await prepared.wait()

        return run

    nine = Daily(time(9), frozenset(range(1, 6)), "Europe/Berlin")
    rooms = [f"room{i:03}" for i in range(300)]
    for room in rooms:
        await scheduler.schedule(f"standup:{room}:kickoff", nine, kickoff(room))
    clock.advance(timedelta(minutes=1))
    firing = asyncio.create_task(scheduler.run_due())
    await spin(lambda: len(started) == 4)
    # the first four take the slots (each records its firing first, so on PostgreSQL, whose
    # statements run side by side, they may begin in another order); the others wait
    assert sorted(started) == rooms[:4]
    assert scheduler.slots.waiting == 296
    prepared.set()
    assert await firing == 300
    assert sorted(started) == rooms
    assert scheduler.slots.peak == 4
    done = await db.fetchval("SELECT COUNT(*) FROM occurrences WHERE done_at IS NOT NULL")
    assert done == 300
    for room in rooms:  # a restart within the grace time declares them again: nothing runs
        await scheduler.schedule(f"standup:{room}:kickoff", nine, kickoff(room))
    assert await scheduler.run_due() == 0
    await spin(lambda: scheduler.slots.busy == 0 and scheduler.slots.waiting == 0)
    assert len(started) == 300


async def test_an_interval_job_still_running_is_not_started_again(db: Database) -> None:
    clock = FixedClock(datetime(2026, 7, 15, 7, 0, tzinfo=UTC))
    scheduler = Scheduler(db, clock, TaskTracker())
    release = asyncio.Event()
    runs = 0

    async def slow(at: datetime) -> None:
        nonlocal runs
        runs += 1
        await release.wait()

    await scheduler.schedule("tick", Every(timedelta(minutes=1)), slow)
    clock.advance(timedelta(minutes=1))
    first = asyncio.create_task(scheduler.run_due())
    await spin(lambda: runs == 1)
    clock.advance(timedelta(minutes=1))
    assert await scheduler.run_due() == 0
    release.set()
    assert await first == 1
    assert runs == 1


async def test_a_wake_up_that_is_not_recorded_leaves_no_occurrences(db: Database) -> None:
    clock = FixedClock(datetime(2026, 7, 15, 7, 0, tzinfo=UTC))
    scheduler = Scheduler(db, clock, TaskTracker())
    fired: list[datetime] = []

    async def wake(at: datetime) -> None:
        fired.append(at)

    first = clock.now() + timedelta(minutes=3)
    await scheduler.schedule("due", Once(first), wake, record=False)
    clock.advance(timedelta(minutes=3))
    assert await scheduler.run_due() == 1
    await scheduler.schedule("due", Once(first), wake, record=False)  # again, within grace
    await spin(lambda: len(fired) == 2)  # not recorded: it runs again
    assert scheduler.reschedule("due", Once(clock.now() + timedelta(minutes=1))) is False
    await scheduler.schedule("due", Once(clock.now() + timedelta(minutes=1)), wake, record=False)
    assert scheduler.reschedule("due", Once(clock.now() + timedelta(minutes=2)))
    clock.advance(timedelta(minutes=2))
    assert await scheduler.run_due() == 1
    assert fired == [first, first, first + timedelta(minutes=2)]
    assert await db.fetchval("SELECT COUNT(*) FROM occurrences") == 0


async def test_a_clock_that_jumps_over_several_days_runs_the_latest_firing_once(
    db: Database,
) -> None:
    clock = FixedClock(datetime(2026, 7, 13, 6, 0, tzinfo=UTC))  # Monday, 08:00 in Berlin
    scheduler = Scheduler(db, clock, TaskTracker())
    fired: list[datetime] = []

    async def job(at: datetime) -> None:
        fired.append(at)

    await scheduler.schedule(
        "kickoff", Daily(time(9), frozenset(range(1, 6)), "Europe/Berlin"), job
    )
    clock.set(datetime(2026, 7, 15, 7, 5, tzinfo=UTC))  # Wednesday 09:05, within the grace
    assert await scheduler.run_due() == 1
    assert fired == [datetime(2026, 7, 15, 7, tzinfo=UTC)]
    assert scheduler.next_run("kickoff") == datetime(2026, 7, 16, 7, tzinfo=UTC)


async def test_jobs_declared_in_bulk_fire_like_jobs_declared_one_by_one(db: Database) -> None:
    now = datetime(2026, 7, 15, 7, 5, tzinfo=UTC)  # 09:05 in Berlin, a Wednesday
    clock = FixedClock(now)
    tasks = TaskTracker()
    fired: list[tuple[str, datetime]] = []

    def job(name: str) -> Callable[[datetime], Awaitable[None]]:
        async def run(at: datetime) -> None:
            fired.append((name, at))

        return run

    nine = Daily(time(9), frozenset(range(1, 6)), "Europe/Berlin")
    eight = Daily(time(8), frozenset(range(1, 6)), "Europe/Berlin")
    ten = Daily(time(10), frozenset(range(1, 6)), "Europe/Berlin")
    scheduler = Scheduler(db, clock, tasks)
    await scheduler.schedule("c", Every(timedelta(hours=1)), job("old c"))
    scheduler.schedule_many(
        [
            ("a", nine, job("a")),  # missed five minutes ago: within the grace, runs now
            ("b", Daily(time(9), frozenset(range(1, 6)), "Europe/Berlin"), job("b")),
            ("c", ten, job("c")),  # replaces the earlier job of that id
            ("d", eight, job("d")),  # an hour ago: beyond the grace
            ("e", Once(now + timedelta(minutes=50)), job("e")),
        ],
        grace=timedelta(minutes=10),
    )
    await tasks.drain(2)
    assert sorted(fired) == [("a", nine_at := datetime(2026, 7, 15, 7, tzinfo=UTC)), ("b", nine_at)]
    assert scheduler.job_ids() == ["a", "b", "c", "d", "e"]
    assert scheduler.next_run("a") == scheduler.next_run("b") == nine_at + timedelta(days=1)
    assert scheduler.next_run("c") == datetime(2026, 7, 15, 8, tzinfo=UTC)
    assert scheduler.next_run("d") == datetime(2026, 7, 16, 6, tzinfo=UTC)
    clock.set(datetime(2026, 7, 15, 8, tzinfo=UTC))  # 10:00 in Berlin
    assert await scheduler.run_due() == 2
    assert sorted(fired)[2:] == [
        ("c", datetime(2026, 7, 15, 8, tzinfo=UTC)), ("e", now + timedelta(minutes=50))
    ]  # fmt: skip


async def test_a_job_declared_in_bulk_wakes_a_running_scheduler(db: Database) -> None:
    scheduler = Scheduler(db, SystemClock(), TaskTracker())
    scheduler.start()
    fired = asyncio.Event()

    async def job(at: datetime) -> None:
        fired.set()

    for _ in range(2):  # the loop goes to sleep (for MAX_SLEEP) with nothing declared
        await asyncio.sleep(0)
    soon = datetime.now(UTC) + timedelta(milliseconds=200)
    scheduler.schedule_many([("soon", Once(soon), job)])
    await asyncio.wait_for(fired.wait(), MAX_SLEEP / 2)
    scheduler.stop()
