"""The daily kickoff job of every stand-up (``standup:<id>:kickoff``).

At start the kickoffs due soon (within ``FIRST_WITHIN``, or missed within their grace
time) are declared before the bot reports healthy; the others, ten thousand in a large
organisation, right after the first sync, which is never more than ``FIRST_SYNC_TIMEOUT``
later (a minute, much less than ``FIRST_WITHIN``), so no kickoff is missed. A stand-up
whose kickoff is declared or cancelled in between (a command changed it) keeps that.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterable
from datetime import datetime, time, timedelta

from homeoffice_bot.kernel.plugins import PluginContext
from homeoffice_bot.kernel.schedule_rules import Daily, last_fire, next_fire
from homeoffice_bot.standup.records import KickoffRule

log = logging.getLogger(__name__)

FIRST_WITHIN = timedelta(minutes=10)
"""Kickoffs due within this time after the start are declared before the bot is healthy."""
FIRST_SYNC_TIMEOUT = 60.0
"""Seconds the later kickoffs wait for the first sync at most."""

Fire = Callable[[int, datetime], Awaitable[None]]
"""The kickoff of a stand-up (its id) for the firing at an instant."""


async def first_sync(ctx: PluginContext) -> None:
    """Wait for the first sync after start (rooms, members, the backlog of answers), at
    most ``FIRST_SYNC_TIMEOUT``."""
    try:
        await asyncio.wait_for(ctx.matrix.synced.wait(), FIRST_SYNC_TIMEOUT)
    except TimeoutError:
        log.warning("no sync within %s s; the stand-up goes on anyway", FIRST_SYNC_TIMEOUT)


def job_prefix(standup_id: int) -> str:
    return f"standup:{standup_id}:"


def kickoff_job_id(standup_id: int) -> str:
    return f"{job_prefix(standup_id)}kickoff"


def split_due_soon(
    rules: Iterable[KickoffRule], now: datetime, grace: timedelta, within: timedelta = FIRST_WITHIN
) -> tuple[list[KickoffRule], list[KickoffRule]]:
    """(soon, later): soon are the rules whose next firing comes within ``within`` after
    ``now`` or whose latest firing was within ``grace`` before it (it runs at once); equal
    rules are looked at once."""
    verdicts: dict[tuple[time, frozenset[int], str], bool] = {}
    soon: list[KickoffRule] = []
    later: list[KickoffRule] = []
    for rule in rules:
        key = (rule.at, rule.weekdays, rule.tz)
        verdict = verdicts.get(key)
        if verdict is None:
            trigger = Daily(*key)
            upcoming, missed = next_fire(trigger, now), last_fire(trigger, now)
            verdict = verdicts[key] = (upcoming is not None and upcoming - now <= within) or (
                missed is not None and now - missed <= grace
            )
        (soon if verdict else later).append(rule)
    return soon, later


class KickoffJobs:
    def __init__(self, ctx: PluginContext, fire: Fire, grace: timedelta) -> None:
        self.ctx = ctx
        self.fire = fire
        self.grace = grace
        self._changed: set[int] = set()
        """Stand-ups whose kickoff was declared or cancelled since the start."""
        self._later: asyncio.Task[None] | None = None

    def restore(self, rules: Iterable[KickoffRule]) -> None:
        """Declare the kickoffs due soon now and the others after the first sync."""
        running = [rule for rule in rules if not rule.paused]
        soon, later = split_due_soon(running, self.ctx.clock.now(), self.grace)
        self._declare(soon)
        if later:
            self._later = self.ctx.tasks.spawn(self._after_sync(later), "standup kickoffs")

    async def _after_sync(self, rules: list[KickoffRule]) -> None:
        try:
            await asyncio.wait_for(self.ctx.matrix.synced.wait(), FIRST_SYNC_TIMEOUT)
        except TimeoutError:
            log.warning("no sync within %s s; declaring the kickoffs anyway", FIRST_SYNC_TIMEOUT)
        self._declare(rule for rule in rules if rule.standup_id not in self._changed)

    def _declare(self, rules: Iterable[KickoffRule]) -> None:
        self.ctx.scheduler.schedule_many(
            (
                (kickoff_job_id(rule.standup_id), Daily(rule.at, rule.weekdays, rule.tz),
                 self._job(rule.standup_id))
                for rule in rules
            ),
            grace=self.grace,
        )  # fmt: skip

    async def schedule(self, rule: KickoffRule) -> None:
        """Declare (or, paused, cancel) one stand-up's kickoff after a change."""
        self._changed.add(rule.standup_id)
        job_id = kickoff_job_id(rule.standup_id)
        if rule.paused:
            self.ctx.scheduler.cancel(job_id)
            return
        await self.ctx.scheduler.schedule(
            job_id,
            Daily(rule.at, rule.weekdays, rule.tz),
            self._job(rule.standup_id),
            grace=self.grace,
        )

    def unschedule(self, standup_id: int) -> None:
        """Cancel every job of a stand-up (it was deleted)."""
        self._changed.add(standup_id)
        self.ctx.scheduler.cancel_prefix(job_prefix(standup_id))

    def stop(self) -> None:
        if self._later is not None:
            self._later.cancel()

    def _job(self, standup_id: int) -> Callable[[datetime], Awaitable[None]]:
        async def run(at: datetime) -> None:
            await self.fire(standup_id, at)

        return run
