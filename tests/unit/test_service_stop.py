"""Stopping lets running work finish: a scheduled job that is running when the bot stops is
drained like an event handler, not cut off when the database closes."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from homeoffice_bot.kernel.clock import SystemClock
from homeoffice_bot.kernel.kernel_schema import MIGRATIONS
from homeoffice_bot.kernel.schedule_rules import Every
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


async def test_a_running_job_is_drained_after_the_scheduler_stops(
    db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    tasks = TaskTracker()
    scheduler = Scheduler(db, SystemClock(), tasks)
    scheduler.start()
    started = asyncio.Event()
    finished: list[datetime] = []

    async def slow_job(at: datetime) -> None:
        started.set()
        await asyncio.sleep(0.3)
        await db.execute("INSERT INTO occurrences(key, fired_at) VALUES ('slow', ?)", (str(at),))
        finished.append(at)

    await scheduler.schedule("slow", Every(timedelta(milliseconds=200)), slow_job)
    await asyncio.wait_for(started.wait(), 5)
    assert tasks.running == 1
    scheduler.stop()
    await tasks.drain(timeout=5)
    assert len(finished) == 1
    assert await db.fetchval("SELECT count(*) FROM occurrences WHERE key = 'slow'") == 1
    assert [r.getMessage() for r in caplog.records if r.levelname == "ERROR"] == []
