"""The life of one stand-up occurrence: when it opens, its reminder and time-box notices,
its close and report. How it opens (who is asked, the kickoff message) is ``kickoff_service``.

Jobs (ids under ``standup:<id>:``) are derived from rows: the daily kickoff from the
stand-up's configuration, the reminder/notices/close of an open occurrence from the
occurrence row, so a restart carries an open stand-up on. The kernel scheduler records
every firing under ``<job id>@<instant>``: a kickoff is never posted twice, and one
missed while the bot was down is posted once within the grace time. The occurrence row
itself is unique per stand-up and day, and the state open/closed guards the report.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from homeoffice_bot.kernel.delivery import acting_for
from homeoffice_bot.kernel.errors import MatrixError
from homeoffice_bot.kernel.ids import EventID, RoomID, UserID
from homeoffice_bot.kernel.plugins import PluginContext
from homeoffice_bot.kernel.schedule_rules import Once
from homeoffice_bot.standup.config import AnswerChannel, ReportTarget, StandupMode
from homeoffice_bot.standup.kickoff_jobs import KickoffJobs, first_sync, job_prefix
from homeoffice_bot.standup.kickoff_service import KickoffService
from homeoffice_bot.standup.live import render_timebox_notice, timebox_notices
from homeoffice_bot.standup.messages import render_reminder
from homeoffice_bot.standup.occurrence import not_answered
from homeoffice_bot.standup.records import KickoffRule, kickoff_rule
from homeoffice_bot.standup.remind import wanting_reminder
from homeoffice_bot.standup.report_service import Reports
from homeoffice_bot.standup.settings import StandupSettings
from homeoffice_bot.standup.showrun import RunOfShow
from homeoffice_bot.standup.store import OccurrenceRecord, StandupRecord, StandupStore
from homeoffice_bot.standup.store_live import LiveStore
from homeoffice_bot.standup.tandem import TandemSummary
from homeoffice_bot.workday.api import AVAILABILITY

log = logging.getLogger(__name__)

CLOSE_GRACE = timedelta(days=2)


def _occurrence_job(occurrence: OccurrenceRecord, what: str) -> str:
    return f"{job_prefix(occurrence.standup_id)}occ:{occurrence.id}:{what}"


def kickoff_skip(record: StandupRecord, at: datetime) -> str | None:
    """Why the daily firing at ``at`` opens no occurrence, or None when it opens one:
    "paused", "before_setup" (the schedule was set or changed after ``at``), or the
    calendar's ``SkipReason`` (weekday, holiday, closure, skipped), or "period_over"
    after a tandem's last day."""
    config = record.config
    if config.paused:
        return "paused"
    if at < record.active_since:
        return "before_setup"
    if config.last_day is not None and config.occurrence_day(at) > config.last_day:
        return "period_over"
    reason = config.skip_reason(config.occurrence_day(at))
    return None if reason is None else reason.value


class AlreadyRunningError(Exception):
    """The stand-up has an open occurrence."""


class Runner:
    def __init__(self, ctx: PluginContext, store: StandupStore, settings: StandupSettings) -> None:
        self.ctx = ctx
        self.store = store
        self.settings = settings
        self.reports = Reports(ctx, store)
        self.live = LiveStore(store.db)
        self.show = RunOfShow(ctx, store, self.live, _occurrence_job)
        self.tandem = TandemSummary(ctx, store, self.live)
        self.kickoff_service = KickoffService(ctx, store, settings, self.live, self.show)
        grace = timedelta(minutes=settings.kickoff_grace_minutes)
        self.kickoffs = KickoffJobs(ctx, self.scheduled_kickoff, grace)

    # ---------------------------------------------------------------- schedules

    async def restore(self) -> None:
        """At start: the daily jobs of every stand-up (those not due soon after the first
        sync, ``kickoff_jobs``), and everything an open occurrence still needs. Whatever is
        due runs after the first sync, when the bot knows its rooms again and answers
        typed while it was down have been taken in."""
        self.kickoffs.restore(await self.store.kickoff_rules())
        now = self.ctx.clock.now()
        for occurrence in await self.store.open_occurrences():
            if occurrence.closes_at <= now:
                self.ctx.tasks.spawn(self.close(occurrence.id), "standup close")
                continue
            if occurrence.kickoff_event_id is None:
                self.ctx.tasks.spawn(self.kickoff_service.post(occurrence), "standup kickoff")
            await self._schedule_occurrence(occurrence)
            if occurrence.config.mode is not StandupMode.WRITTEN:
                await self.show.resume(occurrence)

    async def schedule_standup(self, record: StandupRecord) -> None:
        await self.schedule_kickoff(kickoff_rule(record))

    async def schedule_kickoff(self, rule: KickoffRule) -> None:
        await self.kickoffs.schedule(rule)

    def next_kickoff(self, record: StandupRecord) -> datetime | None:
        return record.config.next_kickoff(max(self.ctx.clock.now(), record.active_since))

    def unschedule(self, standup_id: int) -> None:
        self.kickoffs.unschedule(standup_id)

    async def _schedule_occurrence(self, occurrence: OccurrenceRecord) -> None:
        config, scheduler = occurrence.config, self.ctx.scheduler
        oid, closes = occurrence.id, occurrence.closes_at
        await scheduler.schedule(
            _occurrence_job(occurrence, "close"), Once(closes), self._job(self.close, oid),
            grace=CLOSE_GRACE,
        )  # fmt: skip
        remind_at = config.reminder_at(occurrence.opened_at)
        if (
            remind_at is not None
            and config.mode is not StandupMode.LIVE
            and not occurrence.reminded
        ):
            await scheduler.schedule(
                _occurrence_job(occurrence, "remind"), Once(remind_at),
                self._job(self.remind, oid), grace=closes - remind_at,
            )  # fmt: skip
        if config.mode is not StandupMode.WRITTEN:
            for notice in timebox_notices(occurrence.opened_at, config.window_minutes):
                if notice.minutes_left == 0:
                    continue
                await scheduler.schedule(
                    _occurrence_job(occurrence, f"timebox{notice.minutes_left}"),
                    Once(notice.at), self._notice_job(oid, notice.minutes_left),
                    grace=closes - notice.at,
                )  # fmt: skip

    @staticmethod
    def _job(
        func: Callable[[int], Awaitable[None]], occurrence_id: int
    ) -> Callable[[datetime], Awaitable[None]]:
        async def run(at: datetime) -> None:
            await func(occurrence_id)

        return run

    def _notice_job(
        self, occurrence_id: int, minutes: int
    ) -> Callable[[datetime], Awaitable[None]]:
        async def run(at: datetime) -> None:
            await self.timebox_notice(occurrence_id, minutes)

        return run

    # ---------------------------------------------------------------- kickoff

    async def scheduled_kickoff(self, standup_id: int, at: datetime) -> None:
        await first_sync(self.ctx)
        record = await self.store.standup(standup_id)
        if record is None:
            return
        day = record.config.occurrence_day(at)
        reason = kickoff_skip(record, at)
        if reason is not None:
            log.info("stand-up %s: no kickoff on %s (%s)", standup_id, day, reason)
            if reason == "period_over":  # the last day had no round: the summary now
                await self.tandem.post(record)
            return
        if await self.store.has_occurrence_on(standup_id, day):
            return
        running = await self.store.open_occurrence_of(standup_id)
        if running is not None:
            if running.closes_at > self.ctx.clock.now():
                log.info("stand-up %s: still running, no second kickoff", standup_id)
                return
            await self.close(running.id)
        await self._open(record, at, adhoc=False)

    async def open_now(self, record: StandupRecord) -> OccurrenceRecord:
        """An ad-hoc occurrence (``!standup jetzt``); raises AlreadyRunningError."""
        running = await self.store.open_occurrence_of(record.id)
        if running is not None:
            if running.closes_at > self.ctx.clock.now():
                raise AlreadyRunningError(record.name)
            await self.close(running.id)
        occurrence = await self._open(record, self.ctx.clock.now(), adhoc=True)
        assert occurrence is not None, "ad-hoc occurrences are never duplicates"
        return occurrence

    async def _open(
        self, record: StandupRecord, kickoff_at: datetime, *, adhoc: bool
    ) -> OccurrenceRecord | None:
        occurrence = await self.kickoff_service.open(record, kickoff_at, adhoc=adhoc)
        if occurrence is not None:
            await self._schedule_occurrence(occurrence)
        return occurrence

    # ---------------------------------------------------------------- during the window

    async def remind(self, occurrence_id: int) -> None:
        await first_sync(self.ctx)
        occurrence = await self.store.occurrence(occurrence_id)
        if occurrence is None or not occurrence.is_open:
            return
        if not await self.store.claim_reminder(occurrence_id):
            return
        missing = not_answered(occurrence, await self.store.answers(occurrence_id))
        config, room = occurrence.config, RoomID(occurrence.room_id)
        if not config.mass_mention:
            missing = await wanting_reminder(self.ctx.services.get(AVAILABILITY), missing)
        if not missing:
            return
        tr = await self.ctx.tr_for(room)
        if config.answer_channel is AnswerChannel.DM:
            prompts = await self.store.dm_prompts(occurrence_id)
            for user in missing:
                text = render_reminder(config.name, [user], occurrence.closes_at, config.tz, tr)
                if prompts.get(user) is not None:
                    await self.ctx.outbox.dm(UserID(user), text, alert=True)
            return
        text = render_reminder(
            config.name, missing, occurrence.closes_at, config.tz, tr,
            mass_mention=config.mass_mention,
        )  # fmt: skip
        await self._send(
            room, text, occurrence.kickoff_event_id, mention_room=config.mass_mention, alert=True
        )

    async def timebox_notice(self, occurrence_id: int, minutes_left: int) -> None:
        await first_sync(self.ctx)
        occurrence = await self.store.occurrence(occurrence_id)
        if occurrence is None or not occurrence.is_open:
            return
        tr = await self.ctx.tr_for(RoomID(occurrence.room_id))
        notice = next(
            n for n in timebox_notices(occurrence.opened_at, occurrence.config.window_minutes)
            if n.minutes_left == minutes_left
        )  # fmt: skip
        await self._send(
            RoomID(occurrence.room_id),
            render_timebox_notice(notice, tr),
            occurrence.kickoff_event_id,
        )

    async def _send(
        self,
        room: RoomID,
        text: str,
        thread_root: str | None = None,
        *,
        mention_room: bool = False,
        alert: bool = False,
    ) -> None:
        try:
            await self.ctx.outbox.send(
                room,
                text,
                thread_root=EventID(thread_root) if thread_root else None,
                mention_room=mention_room,
                alert=alert,
            )
        except MatrixError:
            log.exception("stand-up message could not be sent to %s", room)

    # ---------------------------------------------------------------- close and report

    async def close(self, occurrence_id: int, ended_by: str | None = None) -> None:
        """Post the report (once) and end the window; closed early (``!standup beenden``
        by ``ended_by``), the window ends now, so that answers after it count as late."""
        await first_sync(self.ctx)
        async with self.reports.lock:
            occurrence = await self.store.occurrence(occurrence_id)
            if occurrence is None or not occurrence.is_open:
                return
            self.ctx.scheduler.cancel_prefix(_occurrence_job(occurrence, ""))
            config, room = occurrence.config, RoomID(occurrence.room_id)
            tr = await self.ctx.tr_for(room)
            root = occurrence.kickoff_event_id
            report = await self.reports.markdown(occurrence, tr)
            in_thread = config.report_target is ReportTarget.THREAD and root is not None
            now = self.ctx.clock.now()
            early = ended_by is not None and now < occurrence.closes_at
            if config.mode is not StandupMode.WRITTEN:  # the rotation counts the round once:
                await self.show.end_round(occurrence, now)  # its turns are gone after it
                await self.live.forget_turns(occurrence_id)
                await self.reports.keep_actions(occurrence)
            # the same origin whichever way the window closes, also after a restart
            with acting_for(f"standup-occurrence:{occurrence_id}:close"):
                if config.mode is not StandupMode.WRITTEN:
                    closing = self.show.closing_text(occurrence, ended_by, early, tr)
                    await self._send(room, closing, root)
                event_id = await self.ctx.outbox.send(
                    room, report, thread_root=EventID(root) if in_thread and root else None
                )
                for observer in sorted(config.observers - set(self.ctx.matrix.members(room))):
                    await self.ctx.outbox.dm(UserID(observer), report)
            await self.store.mark_closed(
                occurrence_id, room, event_id, now, min(now, occurrence.closes_at)
            )
            if early:
                await self.live.mark_ended_early(occurrence_id)
        log.info("stand-up occurrence %s closed", occurrence_id)
        await self.tandem.after_close(occurrence)
