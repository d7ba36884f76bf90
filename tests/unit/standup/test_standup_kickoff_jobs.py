"""The daily kickoffs at start: those due soon before the bot is healthy, the others
after the first sync, and a stand-up changed in between keeps its change."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

from homeoffice_bot.kernel.clock import FixedClock
from homeoffice_bot.kernel.kernel_schema import MIGRATIONS as KERNEL_MIGRATIONS
from homeoffice_bot.kernel.plugins import PluginContext, Services
from homeoffice_bot.kernel.scheduler import Scheduler
from homeoffice_bot.kernel.storage import Database
from homeoffice_bot.kernel.tasks import TaskTracker
from homeoffice_bot.standup.kickoff_jobs import KickoffJobs, kickoff_job_id, split_due_soon
from homeoffice_bot.standup.records import KickoffRule

NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)  # Monday 09:00 in Berlin
WEEK = frozenset(range(1, 8))
GRACE = timedelta(minutes=30)


def rule(standup_id: int, at: time, *, paused: bool = False) -> KickoffRule:
    return KickoffRule(standup_id, at, WEEK, "Europe/Berlin", paused)


def test_due_soon_are_the_next_ten_minutes_and_the_firings_missed_within_the_grace() -> None:
    rules = [
        rule(1, time(9, 0, 30)),  # in half a minute
        rule(2, time(9, 10)),  # in ten minutes
        rule(3, time(8, 31)),  # missed 29 minutes ago: runs at once
        rule(4, time(9, 11)),  # in eleven minutes
        rule(5, time(8, 29)),  # missed 31 minutes ago: beyond the grace, tomorrow
        rule(6, time(9, 0, 30)),  # the same rule as the first
    ]
    soon, later = split_due_soon(rules, NOW, GRACE)
    assert [r.standup_id for r in soon] == [1, 2, 3, 6]
    assert [r.standup_id for r in later] == [4, 5]
    soon, later = split_due_soon(rules, NOW, timedelta(0))
    assert [r.standup_id for r in soon] == [1, 2, 6]


async def test_kickoffs_not_due_soon_are_declared_after_the_first_sync(tmp_path: Path) -> None:
    db = Database(tmp_path / "db.sqlite3")
    await db.open()
    await db.migrate("kernel", KERNEL_MIGRATIONS)
    clock = FixedClock(NOW)
    tasks = TaskTracker()
    scheduler = Scheduler(db, clock, tasks)
    matrix = SimpleNamespace(synced=asyncio.Event())
    ctx = PluginContext(
        name="standup", settings=None, bot=None, db=db, scheduler=scheduler,
        matrix=cast(Any, matrix), outbox=cast(Any, None), clock=clock, tasks=tasks,
        rooms=cast(Any, None), catalogue=cast(Any, None), services=Services(),
        data_dir=tmp_path, logger=logging.getLogger("test"),
    )  # fmt: skip
    fired: list[tuple[int, datetime]] = []

    async def fire(standup_id: int, at: datetime) -> None:
        fired.append((standup_id, at))

    jobs = KickoffJobs(ctx, fire, GRACE)
    jobs.restore([
        rule(1, time(9, 0, 30)), rule(2, time(15)), rule(3, time(16)), rule(4, time(17)),
        rule(5, time(9, 1), paused=True),
    ])  # fmt: skip
    assert scheduler.job_ids() == [kickoff_job_id(1)]
    await jobs.schedule(rule(2, time(14)))  # changed by a command before the first sync
    jobs.unschedule(3)  # deleted
    await jobs.schedule(rule(4, time(17), paused=True))  # paused
    matrix.synced.set()
    await tasks.drain(2)
    assert scheduler.job_ids() == [kickoff_job_id(1), kickoff_job_id(2)]
    assert scheduler.next_run(kickoff_job_id(2)) == datetime(2026, 11, 23, 13, tzinfo=UTC)
    clock.set(datetime(2026, 11, 23, 8, 0, 31, tzinfo=UTC))
    assert await scheduler.run_due() == 1
    assert fired == [(1, datetime(2026, 11, 23, 8, 0, 30, tzinfo=UTC))]
    await db.close()
