"""Scheduled work, derived from rows: expiring states, reminders, held messages, purge.

Each person who uses the workday has a due time (``workday_people.due_at``, indexed):
the next moment something about them may change, computed by ``due.next_due`` whenever
something about them changes and after each look. One ``Once`` job wakes the bot at the
earliest due time; it looks at the people who are due (``look``: expiry, planned break,
ArbZG notes, end-of-day reminder, switching to off, the digest), computes their next
due time and updates the boards they are on. Nobody else is visited. Each reminder is
claimed per person and day in ``workday_reminders_sent``, so it happens once even across
restarts; a daily job deletes what is older than the retention.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from homeoffice_bot.kernel.ids import RoomID, UserID
from homeoffice_bot.kernel.localtime import local_date
from homeoffice_bot.kernel.schedule_rules import Daily, Once
from homeoffice_bot.workday.arbzg import (
    ReminderId,
    WorkEvent,
    WorkEventKind,
    assess,
    render_reminder,
)
from homeoffice_bot.workday.boundary import auto_off_at, render_day_end_reminder
from homeoffice_bot.workday.breaks import planned_break_at
from homeoffice_bot.workday.due import (
    ARBZG_HISTORY,
    PLANNED_BREAK_LATE,
    DueFacts,
    DueRules,
    current_day,
    needed_days,
    next_due,
    plan_key,
)
from homeoffice_bot.workday.hours import end_of_today, next_workday_start
from homeoffice_bot.workday.privacy import purge_cutoff
from homeoffice_bot.workday.profiles import Directory, Profile
from homeoffice_bot.workday.states import (
    DAY_BOUND,
    PersonStatus,
    PresenceState,
    expires_at,
    start_work,
    take_break,
)
from homeoffice_bot.workday.store import WorkdayStore
from homeoffice_bot.workday.store_inbox import InboxStore
from homeoffice_bot.workday.texts import format_time

if TYPE_CHECKING:
    from homeoffice_bot.workday.service import Workday

__all__ = ["ARBZG_HISTORY", "PLANNED_BREAK_LATE", "Jobs", "read_due_time"]

DUE_JOB = "workday.due"
PURGE_JOB = "workday.purge"
BATCH = 200
"""People looked at per database read while many are due at once."""


class Jobs:
    def __init__(self, wd: Workday) -> None:
        self.wd = wd
        self._lock = asyncio.Lock()
        self._armed: datetime | None = None
        self._looking: set[UserID] = set()
        self._changed: set[UserID] = set()
        """People something happened to while being looked at: computed again after."""
        settings = wd.settings
        self.rules = DueRules(settings.day_end_lead, settings.auto_off_grace, settings.arbzg_lead)

    async def start(self) -> None:
        """Declare the jobs (rebuilt from rows on every start)."""
        scheduler = self.wd.ctx.scheduler
        every_day = frozenset(range(1, 8))
        purge = Daily(self.wd.settings.purge_at, every_day, self.wd.directory.default_tz)
        await scheduler.schedule(PURGE_JOB, purge, self._on_purge, grace=timedelta(hours=6))
        await self._arm_earliest()

    def stop(self) -> None:
        self.wd.ctx.scheduler.cancel_prefix("workday.")
        self._armed = None

    async def _on_purge(self, _: datetime) -> None:
        await self.purge()

    async def _on_due(self, _: datetime) -> None:
        self._armed = None
        await self.tick()

    async def purge(self) -> dict[str, int]:
        cutoff = purge_cutoff(self.wd.now(), self.wd.settings.retention_days)
        counts = await self.wd.privacy.purge(cutoff)
        self.wd.log.info("purged workday rows older than %s: %s", cutoff.date(), counts)
        return counts

    # ------------------------------------------------------------ due times

    async def reschedule(self, user: UserID) -> None:
        """Something about the person changed: compute their next due time and wake for
        it (during a look at them: once more when the look is done)."""
        if user in self._looking:
            self._changed.add(user)
            return
        now = self.wd.now()
        due = await self.due_time(user, now)
        await self.wd.store.set_due(user, due)
        await self._arm(due)

    async def reschedule_room(self, room_id: RoomID) -> None:
        """A team default changed: everyone whose team room it is gets a look now."""
        now = self.wd.now()
        await self.wd.store.mark_room_due(room_id, now)
        await self._arm(now)

    async def due_time(
        self, user: UserID, now: datetime, profile: Profile | None = None
    ) -> datetime | None:
        """The person's next due moment at ``now``, from their rows."""
        wd = self.wd
        return await read_due_time(wd.store, wd.inbox, wd.directory, self.rules, user, now, profile)

    async def _arm(self, due: datetime | None) -> None:
        """Wake at ``due`` unless an earlier wake-up is set already."""
        if due is None or (self._armed is not None and self._armed <= due):
            return
        self._armed = max(due, self.wd.now())
        await self.wd.ctx.scheduler.schedule(
            DUE_JOB, Once(self._armed), self._on_due, grace=timedelta(days=1)
        )

    async def _arm_earliest(self) -> None:
        self._armed = None
        self.wd.ctx.scheduler.cancel(DUE_JOB)
        await self._arm(await self.wd.store.earliest_due())

    async def tick(self) -> None:
        """Look at everyone who is due now (the wake-up calls this; tests may too)."""
        wd = self.wd
        async with self._lock:
            now = wd.now()
            looked: set[UserID] = set()
            while batch := [u for u in await wd.store.due(now, BATCH) if u not in looked]:
                for user in batch:
                    self._looking.add(user)
                    profile = None
                    try:
                        profile = await self.look(user, now)
                    except Exception:
                        wd.log.exception("workday look failed for a person")
                    try:
                        await self._set_next_due(user, now, profile)
                    finally:
                        self._looking.discard(user)
                        looked.add(user)  # once per wake-up, whatever happened
                    if user in self._changed:
                        self._changed.discard(user)
                        await self.reschedule(user)
            if looked:
                await wd.board.refresh_people(looked)
            await self._arm_earliest()

    async def _set_next_due(self, user: UserID, now: datetime, profile: Profile | None) -> None:
        """After a look at ``now``: the next due time, always later than ``now`` (a
        person whose look failed is looked at again after ``tick_seconds``)."""
        retry = now + timedelta(seconds=self.wd.settings.tick_seconds)
        try:
            due = await self.due_time(user, now, profile)
        except Exception:
            self.wd.log.exception("could not compute a person's due time")
            due = retry
        if due is not None and due <= now:
            due = retry  # nothing a look can do now: not again at once
        await self.wd.store.set_due(user, due)

    async def look(self, user: UserID, now: datetime) -> Profile | None:
        """Everything due for one person at ``now``: the end of a timed status, planned
        break, ArbZG notes, end-of-day reminder, switching to off, collected mentions.
        Returns the person's profile (``None``: they do not use the workday)."""
        wd = self.wd
        profile = await wd.directory.profile(user)  # a look changes no profile
        if not profile.known:
            return None
        await self._expire(profile, now)
        _, status, presence = await wd.directory.state(user, now, profile)
        if status is not None and presence.explicit and presence.state in DAY_BOUND:
            await self._person(profile, status, presence.state, now)
        if await wd.inbox.has_mentions(user) and await wd.availability.is_available(user, now):
            await wd.digest(user)  # at work again without !moin (or turned off: forgotten)
        return profile

    async def _expire(self, profile: Profile, now: datetime) -> None:
        """End a timed state that is over. A break or absence that ends means back at
        work (recorded for the ArbZG notes); other states give way to the schedule."""
        user = profile.user
        status = await self.wd.store.status(user)
        if status is None:
            return
        end = expires_at(status, profile.tz)
        if end is None or end > now:
            return
        if status.state in (PresenceState.BREAK, PresenceState.AWAY) and status.until:
            await self.wd.store.set_status(start_work(user, status.until))
            await self.wd.store.add_event(user, status.until, WorkEventKind.START)
        else:
            await self.wd.store.clear_status(user)

    async def _person(
        self, profile: Profile, status: PersonStatus, state: PresenceState, now: datetime
    ) -> None:
        """Reminders are for people who said they are working (or on a break, away)."""
        if await self._auto_off(profile, status, now):
            return
        if state is PresenceState.WORKING:
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
        key = plan_key(start, profile.tz)
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
        day = current_day(events, profile.tz)
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
        """The end-of-day reminder with the wrap-up question, unless the person turned it
        off (``!erinnerungen feierabend aus``)."""
        lead = self.wd.settings.day_end_lead
        end = end_of_today(profile.schedule, now)
        if not profile.reminders.dayend:
            return
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


async def read_due_time(
    store: WorkdayStore,
    inbox: InboxStore,
    directory: Directory,
    rules: DueRules,
    user: UserID,
    now: datetime,
    profile: Profile | None = None,
) -> datetime | None:
    """A person's next due moment at ``now``: their rows read (``profile`` when read
    already), ``due.next_due`` applied (``None`` for someone who does not use the
    workday)."""
    profile, status, presence = await directory.state(user, now, profile)
    if not profile.known:
        return None
    events: tuple[WorkEvent, ...] = ()
    if presence.explicit and presence.state is PresenceState.WORKING and profile.arbzg:
        events = tuple(await store.events(user, now - ARBZG_HISTORY))
    sent = {
        day: frozenset(await store.reminders_sent(user, day))
        for day in sorted(needed_days(profile, events, now))
    }
    has_mentions = await inbox.has_mentions(user)
    return next_due(DueFacts(profile, status, events, sent, has_mentions), now, rules)
