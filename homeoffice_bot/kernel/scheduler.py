"""Scheduled jobs, derived from database rows, fired once, following the injected Clock.

Components (re)declare their jobs from their own rows at start and whenever a row
changes: ``schedule(job_id, trigger, func)`` replaces a job of the same id, and
``reschedule(job_id, trigger)`` moves one to a new time. Both cost O(log n) (timetable.py)
and look at no other job; jobs with equal Daily rules share one trigger and its computed
times (``FireTimes``). ``schedule_many`` declares many jobs in one pass (the kickoffs of
ten thousand stand-ups at start): one clock reading, one wake-up.

Every firing of a Daily or Once job is recorded in the ``occurrences`` table under
``<job_id>@<scheduled instant>`` before the job runs and marked done when it has
finished (its messages are in the outbox by then), so a restart never runs a finished
firing again, while one cut short by a crash runs again at start, within the job's grace
time — its sends carry the firing as their origin, so what it had queued is not queued
twice. A firing missed while the bot was down is run once at start if it is still within
the job's grace time.

Firings due at the same time run a few at a time (slots.py), earliest first; a firing
gives up its slot while it waits for the homeserver, so one room's kickoff never waits
for the preparation of all the others. Every jobs (the delivery tick) take no slot and
never overlap themselves.

Time is the Clock's: the scheduler sleeps until the clock should reach the next instant
(at most ``MAX_SLEEP`` seconds, so a wall clock that jumps is noticed), and a test clock
that is moved (``FixedClock.advance``) wakes it at once; ``run_due()`` fires what is due
and waits for it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from homeoffice_bot.kernel.clock import Clock, MovableClock
from homeoffice_bot.kernel.delivery.inbox import acting_for
from homeoffice_bot.kernel.schedule_rules import Daily, Every, FireTimes, Once, Trigger
from homeoffice_bot.kernel.slots import Slots
from homeoffice_bot.kernel.storage import Database
from homeoffice_bot.kernel.tasks import TaskTracker
from homeoffice_bot.kernel.timetable import Timetable

log = logging.getLogger(__name__)

JobFunc = Callable[[datetime], Awaitable[None]]
"""A job gets the instant it was scheduled for (UTC)."""

DEFAULT_GRACE = timedelta(minutes=10)
MAX_CONCURRENT_FIRINGS = 8
"""Firings that prepare at the same time; more wait their turn, in order."""
MAX_SLEEP = 30.0
"""The longest the scheduler sleeps without looking at the clock again (seconds)."""


@dataclass
class _Job:
    trigger: Trigger
    func: JobFunc
    grace: timedelta
    record: bool = True
    """Daily and Once firings are recorded as occurrences and run once; False for a job
    whose firing may run twice without harm (a wake-up that looks at due rows)."""
    running: bool = False
    """An Every job's previous run has not finished: the next tick is skipped."""


class Scheduler:
    def __init__(
        self,
        db: Database,
        clock: Clock,
        tasks: TaskTracker,
        *,
        max_concurrent: int = MAX_CONCURRENT_FIRINGS,
    ) -> None:
        self._db = db
        self._clock = clock
        self._tasks = tasks
        self._jobs: dict[str, _Job] = {}
        self._table = Timetable()
        self._times = FireTimes()
        self.slots = Slots(max_concurrent)
        self._firing: set[str] = set()
        self._wakeup = asyncio.Event()
        self._loop_task: asyncio.Task[None] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    # ---------------------------------------------------------------- lifecycle

    def start(self) -> None:
        """Start firing (jobs declared before wait until now: a start is declared paused)."""
        if self._loop_task is not None:
            return
        self._loop = asyncio.get_running_loop()
        self._loop_task = self._loop.create_task(self._run_loop(), name="scheduler")
        if isinstance(self._clock, MovableClock):
            self._clock.watch(self._wake)

    def stop(self) -> None:
        """Stop firing; firings already running are tracked tasks and drain with the rest."""
        if isinstance(self._clock, MovableClock):
            self._clock.unwatch(self._wake)
        if self._loop_task is not None:
            self._loop_task.cancel()
            self._loop_task = None

    @property
    def running(self) -> bool:
        return self._loop_task is not None

    # ---------------------------------------------------------------- queries

    @property
    def job_count(self) -> int:
        return len(self._jobs)

    @property
    def firings_waiting(self) -> int:
        """Firings that are due and wait for a slot."""
        return self.slots.waiting

    def job_ids(self, prefix: str = "") -> list[str]:
        return sorted(job_id for job_id in self._jobs if job_id.startswith(prefix))

    def next_run(self, job_id: str) -> datetime | None:
        return self._table.when(job_id)

    # ---------------------------------------------------------------- declaring jobs

    async def schedule(
        self,
        job_id: str,
        trigger: Trigger,
        func: JobFunc,
        *,
        grace: timedelta = DEFAULT_GRACE,
        record: bool = True,
    ) -> None:
        """Add or replace a job; run a firing missed within ``grace`` now, once.
        ``record=False``: its firings are not written to the occurrences table and take
        no slot (for a wake-up whose work is idempotent and whose time changes often)."""
        self._put(job_id, _Job(trigger, func, grace, record), self._clock.now())

    def schedule_many(
        self,
        jobs: Iterable[tuple[str, Trigger, JobFunc]],
        *,
        grace: timedelta = DEFAULT_GRACE,
        record: bool = True,
    ) -> None:
        """``schedule`` for each of ``jobs`` (job id, trigger, function), all at the same
        ``now``: what is missed within ``grace`` runs once, as with ``schedule``. Equal
        Daily triggers are looked at once (ten thousand kickoffs share a few rules)."""
        now = self._clock.now()
        earliest = self._table.next_due()
        # per rule: the shared trigger, its next firing, and its last one if that was
        # missed within the grace time (it runs now)
        rules: dict[Daily, tuple[Daily, datetime | None, datetime | None]] = {}
        for job_id, trigger, func in jobs:
            if not isinstance(trigger, Daily):
                self._put(job_id, _Job(trigger, func, grace, record), now, wake=False)
                continue
            rule = rules.get(trigger)
            if rule is None:
                shared = self._times.shared(trigger)
                missed = self._times.last(shared, now)
                if missed is not None and now - missed > grace:
                    missed = None
                rule = rules[trigger] = (shared, self._times.next(shared, now), missed)
            shared, upcoming, missed = rule
            self.cancel(job_id)
            job = _Job(shared, func, grace, record)
            if upcoming is not None:
                self._jobs[job_id] = job
                self._table.set(job_id, upcoming)
            if missed is not None:
                self._spawn(job_id, job, missed)
        after = self._table.next_due()
        if after is not None and (earliest is None or after < earliest):
            self._wake()

    def reschedule(self, job_id: str, trigger: Trigger) -> bool:
        """Move a declared job to a new trigger, keeping its function and grace: as cheap
        as a dictionary update, for a job whose time changes often. False when no job of
        that id is declared (a Once job that has fired is no longer declared)."""
        job = self._jobs.get(job_id)
        if job is None:
            return False
        self._put(job_id, _Job(trigger, job.func, job.grace, job.record), self._clock.now())
        return True

    def cancel(self, job_id: str) -> None:
        self._jobs.pop(job_id, None)
        self._table.discard(job_id)

    def cancel_prefix(self, prefix: str) -> None:
        """Cancel every job whose id starts with ``prefix``: one pass over the ids."""
        for job_id in [job_id for job_id in self._jobs if job_id.startswith(prefix)]:
            self.cancel(job_id)

    def _put(self, job_id: str, job: _Job, now: datetime, *, wake: bool = True) -> None:
        self.cancel(job_id)
        trigger = job.trigger
        if isinstance(trigger, Once):
            if trigger.at <= now:
                if now - trigger.at <= job.grace:
                    self._spawn(job_id, job, trigger.at)
                return
            self._jobs[job_id] = job
            self._set(job_id, trigger.at, wake)
            return
        if isinstance(trigger, Every):
            self._jobs[job_id] = job
            self._set(job_id, now + trigger.interval, wake)
            return
        job.trigger = trigger = self._times.shared(trigger)
        upcoming = self._times.next(trigger, now)
        if upcoming is not None:
            self._jobs[job_id] = job
            self._set(job_id, upcoming, wake)
        missed = self._times.last(trigger, now)
        if missed is not None and now - missed <= job.grace:
            self._spawn(job_id, job, missed)

    def _set(self, job_id: str, when: datetime, wake: bool = True) -> None:
        if self._loop_task is None or not wake:  # nothing to wake (yet, or now)
            self._table.set(job_id, when)
            return
        earliest = self._table.next_due()
        self._table.set(job_id, when)
        if earliest is None or when < earliest:
            self._wake()

    # ---------------------------------------------------------------- firing

    def _wake(self) -> None:
        if self._loop is None:
            return
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is self._loop:
            self._wakeup.set()
        else:  # moved from another thread
            self._loop.call_soon_threadsafe(self._wakeup.set)

    async def _run_loop(self) -> None:
        while True:
            self._wakeup.clear()
            now = self._clock.now()
            try:
                self._fire_due(now)
            except Exception:  # never stop firing because of one job
                log.exception("the scheduler could not fire what was due at %s", now)
            earliest = self._table.next_due()
            delay = MAX_SLEEP
            if earliest is not None:
                delay = min(MAX_SLEEP, max(0.001, (earliest - now).total_seconds()))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wakeup.wait(), delay)

    def _fire_due(self, now: datetime) -> list[asyncio.Task[Any]]:
        started: list[asyncio.Task[Any]] = []
        for job_id, at in self._table.pop_due(now):
            job = self._jobs.get(job_id)
            if job is None:
                continue
            trigger = job.trigger
            if isinstance(trigger, Once):
                del self._jobs[job_id]
            elif isinstance(trigger, Every):
                later = at + trigger.interval
                self._table.set(job_id, later if later > now else now + trigger.interval)
            else:  # a clock that jumped over several firings runs the latest of them
                at = max(at, self._times.last(trigger, now) or at)
                upcoming = self._times.next(trigger, now)
                if upcoming is None:
                    del self._jobs[job_id]
                else:
                    self._table.set(job_id, upcoming)
            if isinstance(trigger, Every):
                if job.running:
                    continue
            elif now - at > job.grace:
                log.warning("job %s missed its firing at %s (beyond its grace)", job_id, at)
                continue
            started.append(self._spawn(job_id, job, now if isinstance(trigger, Every) else at))
        return started

    async def run_due(self) -> int:
        """Fire what is due now and wait until those firings have finished (for tests that
        move the clock); returns how many were started."""
        started = self._fire_due(self._clock.now())
        if started:
            await asyncio.wait(started)
        return len(started)

    def _spawn(self, job_id: str, job: _Job, at: datetime) -> asyncio.Task[Any]:
        return self._tasks.spawn(self._fire(job_id, job, at), f"job {job_id}")

    async def _fire(self, job_id: str, job: _Job, at: datetime) -> None:
        if isinstance(job.trigger, Every) or not job.record:
            job.running = True
            try:
                await job.func(at)
            except Exception:
                log.exception("job %s failed", job_id)
            finally:
                job.running = False
            return
        async with self.slots.hold():
            await self._fire_once(job_id, job.func, at)

    async def _fire_once(self, job_id: str, func: JobFunc, at: datetime) -> None:
        key = f"{job_id}@{at.isoformat()}"
        if not await self._begin(key):
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
        await self._end(key)

    # ---------------------------------------------------------------- occurrences

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
