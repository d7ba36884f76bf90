"""Scheduled work, derived from rows: expiring states, reminders, held messages, purge.

One periodic ``tick`` looks at every person who uses the workday and does what is due
at that instant; each reminder is claimed per person and day in
``workday_reminders_sent``, so it happens once even across restarts. A ``Once`` job at
the next end of a break or absence makes expiry precise between ticks; a daily job
deletes what is older than the retention.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from homeoffice_bot.kernel.schedule_rules import Daily, Every, Once
from homeoffice_bot.workday.arbzg import (
    ReminderId,
    WorkEvent,
    WorkEventKind,
    assess,
    render_reminder,
    split_workdays,
)
from homeoffice_bot.workday.boundary import auto_off_at, render_day_end_reminder
from homeoffice_bot.workday.breaks import planned_break_at
from homeoffice_bot.workday.hours import end_of_today, next_workday_start
from homeoffice_bot.workday.localtime import local_date
from homeoffice_bot.workday.privacy import purge_cutoff
from homeoffice_bot.workday.profiles import Profile
from homeoffice_bot.workday.states import (
    DAY_BOUND,
    PersonStatus,
    PresenceState,
    expires_at,
    start_work,
    take_break,
)
from homeoffice_bot.workday.store import PersonRow
from homeoffice_bot.workday.texts import format_time

if TYPE_CHECKING:
    from homeoffice_bot.workday.service import Workday

TICK_JOB = "workday.tick"
EXPIRY_JOB = "workday.expiry"
PURGE_JOB = "workday.purge"
ARBZG_HISTORY = timedelta(hours=40)
"""Work events looked at for the ArbZG notes: today and the previous working day."""
PLANNED_BREAK_LATE = timedelta(minutes=10)
"""A planned break noticed later than this after its start is skipped."""


class Jobs:
    def __init__(self, wd: Workday) -> None:
        self.wd = wd
        self._tick_lock = asyncio.Lock()

    async def start(self) -> None:
        """Declare the jobs (rebuilt from rows on every start)."""
        scheduler = self.wd.ctx.scheduler
        interval = timedelta(seconds=self.wd.settings.tick_seconds)
        await scheduler.schedule(TICK_JOB, Every(interval), self._on_tick)
        every_day = frozenset(range(1, 8))
        purge = Daily(self.wd.settings.purge_at, every_day, self.wd.directory.default_tz)
        await scheduler.schedule(PURGE_JOB, purge, self._on_purge, grace=timedelta(hours=6))
        await self.schedule_expiry()

    def stop(self) -> None:
        self.wd.ctx.scheduler.cancel_prefix("workday.")

    async def _on_tick(self, _: datetime) -> None:
        await self.tick()

    async def _on_purge(self, _: datetime) -> None:
        await self.purge()

    async def _on_expiry(self, _: datetime) -> None:
        async with self._tick_lock:
            if await self.expire(self.wd.now()):
                await self.wd.board.refresh_all()
        await self.schedule_expiry()

    async def schedule_expiry(self) -> None:
        """A Once job at the next end of a break, absence or other timed status (at once
        for one that already ended, e.g. a break typed while the bot was offline)."""
        ends = [s.until for s in (await self.wd.store.statuses()).values() if s.until]
        if ends:
            await self.wd.ctx.scheduler.schedule(
                EXPIRY_JOB, Once(min(ends)), self._on_expiry, grace=timedelta(hours=1)
            )
        else:
            self.wd.ctx.scheduler.cancel(EXPIRY_JOB)

    async def purge(self) -> dict[str, int]:
        cutoff = purge_cutoff(self.wd.now(), self.wd.settings.retention_days)
        counts = await self.wd.privacy.purge(cutoff)
        self.wd.log.info("purged workday rows older than %s: %s", cutoff.date(), counts)
        return counts

    async def tick(self) -> None:
        """Everything that is due now: expiries, planned breaks, ArbZG notes, end-of-day
        reminders, switching to off, held messages and digests, boards."""
        async with self._tick_lock:
            wd = self.wd
            now = wd.now()
            await self.expire(now)
            for person in await wd.store.people():
                try:
                    await self._person(person, now)
                except Exception:
                    wd.log.exception("workday tick failed for a person")
            await self._digests(now)
            await wd.board.refresh_all()
        await self.schedule_expiry()

    async def expire(self, now: datetime) -> bool:
        """End timed states that are over. A break or absence that ends means back at
        work (recorded for the ArbZG notes); other states give way to the schedule."""
        changed = False
        for user, status in (await self.wd.store.statuses()).items():
            profile = await self.wd.directory.profile(user)
            end = expires_at(status, profile.tz)
            if end is None or end > now or await self.wd.store.status(user) != status:
                continue  # not over, or the person set a new status meanwhile
            if status.state in (PresenceState.BREAK, PresenceState.AWAY) and status.until:
                await self.wd.store.set_status(start_work(user, status.until))
                await self.wd.store.add_event(user, status.until, WorkEventKind.START)
            else:
                await self.wd.store.clear_status(user)
            changed = True
        return changed

    async def _person(self, person: PersonRow, now: datetime) -> None:
        wd = self.wd
        profile, status, presence = await wd.directory.state(person.user_id, now)
        if status is None or not presence.explicit:
            return  # reminders are for people who said they are working
        if presence.state not in DAY_BOUND or await self._auto_off(profile, status, now):
            return
        if presence.state is PresenceState.WORKING:
            await self._planned_break(profile, status, now)
            if profile.arbzg:
                await self._arbzg(profile, now)
        await self._day_end(profile, now)

    async def _planned_break(self, profile: Profile, status: PersonStatus, now: datetime) -> None:
        occurrence = planned_break_at(profile.plans, profile.tz, now, profile.schedule)
        if occurrence is None or now - occurrence[0] > PLANNED_BREAK_LATE:
            return
        start, end = occurrence
        day = local_date(start, profile.tz).isoformat()
        key = f"plan@{format_time(start, profile.tz)}"
        if not await self.wd.store.claim_reminder(profile.user, day, key, now):
            return
        tr = await self.wd.person_tr(profile.user)
        await self.wd.dm(profile.user, tr("breaks.reminder", until=format_time(end, profile.tz)))
        since = max(start, status.since)  # the break began as planned, not when noticed
        planned = take_break(profile.user, since, end)  # after the note: a break holds messages
        await self.wd.change(profile.user, planned, WorkEventKind.BREAK, since)

    async def _arbzg(self, profile: Profile, now: datetime) -> None:
        wd = self.wd
        events = await wd.store.events(profile.user, now - ARBZG_HISTORY)
        day = _current_day(events, profile.tz)
        if day is None:
            return
        result = assess(
            events,
            now,
            profile.tz,
            already_sent=await wd.store.reminders_sent(profile.user, day),
            lead=wd.settings.arbzg_lead,
            planned_end=end_of_today(profile.schedule, now),
        )
        claimed: set[ReminderId] = set()
        for reminder_id in sorted(result.settled - {ReminderId.REST11}):
            if await wd.store.claim_reminder(profile.user, day, reminder_id.value, now):
                claimed.add(reminder_id)
        tr = await wd.person_tr(profile.user)
        for reminder in result.due:
            if reminder.id in claimed:
                await wd.dm(profile.user, render_reminder(reminder, profile.tz, tr))

    async def _day_end(self, profile: Profile, now: datetime) -> None:
        lead = self.wd.settings.day_end_lead
        end = end_of_today(profile.schedule, now)
        if lead <= timedelta() or end is None or not end - lead <= now < end:
            return
        day = local_date(now, profile.tz).isoformat()
        if not await self.wd.store.claim_reminder(profile.user, day, "dayend", now):
            return
        ask = self.wd.settings.wrapup_question
        tr = await self.wd.person_tr(profile.user)
        await self.wd.dm(profile.user, render_day_end_reminder(end, profile.tz, tr, ask))
        if ask:
            await self.wd.inbox.ask_wrapup(profile.user, now)

    async def _auto_off(self, profile: Profile, status: PersonStatus, now: datetime) -> bool:
        """Switch to off a grace time after the end of working hours when inactive."""
        wd = self.wd
        at = auto_off_at(
            profile.schedule, status, now, profile.last_active, wd.settings.auto_off_grace
        )
        if at is None:
            return False
        day = local_date(at, profile.tz).isoformat()
        if await wd.store.status(profile.user) != status:
            return False  # the person just set a new status
        if not await wd.store.claim_reminder(profile.user, day, "autooff", now):
            return False
        until = next_workday_start(profile.schedule, at)
        off = PersonStatus(profile.user, PresenceState.OFF, at, until)
        await wd.change(profile.user, off, WorkEventKind.END, at)
        tr = await wd.person_tr(profile.user)
        await wd.dm(profile.user, tr("endofday.auto_off", time=format_time(at, profile.tz)))
        return True

    async def _digests(self, now: datetime) -> None:
        """Hand collected mentions to people whose working time has begun."""
        waiting = {m.recipient for m in await self.wd.inbox.mentions()}
        for user in sorted(waiting):
            if await self.wd.availability.is_available(user, now):
                await self.wd.digest(user)


def _current_day(events: Sequence[WorkEvent], tz: str) -> str | None:
    """The current working day's key (local date of its first start; None: not begun),
    the same as ``Assessment.day_key``."""
    days = split_workdays(events, tz)
    return local_date(days[-1][0].at, tz).isoformat() if days else None
