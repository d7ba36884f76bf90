"""Scheduled jobs on APScheduler 3, derived from database rows and fired once.

Components (re)declare their jobs from their own rows at start and whenever a row
changes: ``schedule(job_id, trigger, func)`` replaces a job of the same id. Every firing
of a Daily or Once job is recorded in the ``occurrences`` table under
``<job_id>@<scheduled instant>`` before the job runs and marked done when it has
finished (its messages are in the outbox by then), so a restart never runs a finished
firing again, while one cut short by a crash runs again at start, within the job's grace
time — its sends carry the firing as their origin, so what it had queued is not queued
twice. A firing missed while the bot was down is run once at start if it is still within
the job's grace time.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.date import DateTrigger
from apscheduler.triggers.interval import IntervalTrigger

from homeoffice_bot.kernel.clock import Clock
from homeoffice_bot.kernel.delivery.inbox import acting_for
from homeoffice_bot.kernel.schedule_rules import Daily, Every, Once, Trigger, last_fire
from homeoffice_bot.kernel.storage import Database
from homeoffice_bot.kernel.tasks import TaskTracker

log = logging.getLogger(__name__)

JobFunc = Callable[[datetime], Awaitable[None]]
"""A job gets the instant it was scheduled for (UTC)."""

_WEEKDAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _apscheduler_trigger(trigger: Trigger) -> CronTrigger | DateTrigger | IntervalTrigger:
    if isinstance(trigger, Daily):
        days = ",".join(_WEEKDAY_NAMES[d - 1] for d in sorted(trigger.weekdays))
        return CronTrigger(
            day_of_week=days,
            hour=trigger.at.hour,
            minute=trigger.at.minute,
            second=trigger.at.second,
            timezone=ZoneInfo(trigger.tz),
        )
    if isinstance(trigger, Once):
        return DateTrigger(run_date=trigger.at, timezone=UTC)
    return IntervalTrigger(seconds=trigger.interval.total_seconds(), timezone=UTC)


class Scheduler:
    def __init__(self, db: Database, clock: Clock, tasks: TaskTracker) -> None:
        self._db = db
        self._clock = clock
        self._tasks = tasks
        self._scheduler = AsyncIOScheduler(timezone=UTC)
        self._triggers: dict[str, Trigger] = {}
        self._firing: set[str] = set()

    def start(self) -> None:
        self._scheduler.start()

    def stop(self) -> None:
        if self._scheduler.running:
            self._scheduler.shutdown(wait=False)

    @property
    def job_count(self) -> int:
        return len(self._triggers)

    def job_ids(self, prefix: str = "") -> list[str]:
        return sorted(job_id for job_id in self._triggers if job_id.startswith(prefix))

    def next_run(self, job_id: str) -> datetime | None:
        job = self._scheduler.get_job(job_id)
        if job is None or job.next_run_time is None:
            return None
        next_time: datetime = job.next_run_time
        return next_time.astimezone(UTC)

    async def claim(self, key: str) -> bool:
        """Record an occurrence; True only for the first claim of ``key``, ever."""
        rowid = await self._db.fetchval(
            "INSERT INTO occurrences(key, fired_at) VALUES (?, ?)"
            " ON CONFLICT(key) DO NOTHING RETURNING key",
            (key, self._clock.now().isoformat()),
        )
        return rowid is not None

    async def _begin(self, key: str) -> bool:
        """Start a firing: True unless it finished before or is running now."""
        if key in self._firing:
            return False
        first = await self.claim(key)
        if not first:
            done = await self._db.fetchval("SELECT done_at FROM occurrences WHERE key = ?", (key,))
            if done is not None:
                return False
            log.info("firing %s was cut short before; running it again", key)
        self._firing.add(key)
        return True

    async def _end(self, key: str) -> None:
        self._firing.discard(key)
        await self._db.execute(
            "UPDATE occurrences SET done_at = ? WHERE key = ?", (self._clock.now().isoformat(), key)
        )

    async def schedule(
        self,
        job_id: str,
        trigger: Trigger,
        func: JobFunc,
        *,
        grace: timedelta = timedelta(minutes=10),
    ) -> None:
        """Add or replace a job; run a firing missed within ``grace`` now, once."""
        self.cancel(job_id)
        now = self._clock.now()
        self._triggers[job_id] = trigger
        if isinstance(trigger, Once) and trigger.at <= now:
            if now - trigger.at <= grace:
                self._tasks.spawn(self._fire(job_id, trigger, func, trigger.at), f"job {job_id}")
            else:
                self._triggers.pop(job_id)
            return
        self._scheduler.add_job(
            self._run,
            _apscheduler_trigger(trigger),
            args=(job_id, trigger, func),
            id=job_id,
            misfire_grace_time=int(grace.total_seconds()),
            coalesce=True,
            max_instances=1,
            replace_existing=True,
        )
        if isinstance(trigger, Daily):
            missed = last_fire(trigger, now)
            if missed is not None and now - missed <= grace:
                self._tasks.spawn(self._fire(job_id, trigger, func, missed), f"job {job_id}")

    def cancel(self, job_id: str) -> None:
        self._triggers.pop(job_id, None)
        if self._scheduler.get_job(job_id) is not None:
            self._scheduler.remove_job(job_id)

    def cancel_prefix(self, prefix: str) -> None:
        for job_id in self.job_ids(prefix):
            self.cancel(job_id)

    async def _run(self, job_id: str, trigger: Trigger, func: JobFunc) -> None:
        now = self._clock.now()
        if isinstance(trigger, Daily):
            scheduled = last_fire(trigger, now + timedelta(seconds=1)) or now
        elif isinstance(trigger, Once):
            scheduled = trigger.at
            self._triggers.pop(job_id, None)
        else:
            scheduled = now
        # A tracked task, shielded from APScheduler's shutdown (which cancels running jobs):
        # stopping the bot drains a running job like an event handler.
        task = self._tasks.spawn(self._fire(job_id, trigger, func, scheduled), f"job {job_id}")
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.shield(task)

    async def _fire(self, job_id: str, trigger: Trigger, func: JobFunc, at: datetime) -> None:
        key = f"{job_id}@{at.isoformat()}"
        once = not isinstance(trigger, Every)
        if once and not await self._begin(key):
            log.debug("job %s at %s already ran", job_id, at)
            return
        try:
            with acting_for(key):
                await func(at)
        except asyncio.CancelledError:  # stopped midway: the next start runs it again
            self._firing.discard(key)
            raise
        except Exception:
            log.exception("job %s failed", job_id)
        if once:
            await self._end(key)
