"""How an occurrence opens: who is asked and who is absent, the occurrence row, the kickoff
message (with the "nichts Neues" button, or live the open actions and the first turn) and
the questions by direct message.

Whether and when an occurrence opens, and what it needs after that (reminder, notices,
close), is decided in ``runner``; the daily firing itself is in ``kickoff_jobs``.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta

from homeoffice_bot.kernel.delivery import acting_for
from homeoffice_bot.kernel.errors import MatrixError
from homeoffice_bot.kernel.ids import EventID, RoomID, UserID
from homeoffice_bot.kernel.plugins import PluginContext
from homeoffice_bot.standup.config import AnswerChannel, StandupMode
from homeoffice_bot.standup.kickoff_jobs import first_sync
from homeoffice_bot.standup.messages import render_dm_question
from homeoffice_bot.standup.occurrence import NOTHING_NEW, kickoff_markdown, who_is_asked
from homeoffice_bot.standup.questions import questions_for
from homeoffice_bot.standup.settings import StandupSettings
from homeoffice_bot.standup.showrun import RunOfShow
from homeoffice_bot.standup.store import (
    ANY_DIRECT_CHAT,
    NewOccurrence,
    OccurrenceRecord,
    StandupRecord,
    StandupStore,
)
from homeoffice_bot.standup.store_live import LiveStore
from homeoffice_bot.standup.text import Translate
from homeoffice_bot.workday.api import AVAILABILITY

log = logging.getLogger(__name__)

LATE_START_AFTER = timedelta(minutes=1)
"""A kickoff posted later than this after its time says so."""


class KickoffService:
    def __init__(
        self,
        ctx: PluginContext,
        store: StandupStore,
        settings: StandupSettings,
        live: LiveStore,
        show: RunOfShow,
    ) -> None:
        self.ctx = ctx
        self.store = store
        self.settings = settings
        self.live = live
        self.show = show

    async def open(
        self, record: StandupRecord, kickoff_at: datetime, *, adhoc: bool
    ) -> OccurrenceRecord | None:
        """Open the occurrence of the firing at ``kickoff_at`` and post its kickoff; None
        when the stand-up has one on that day already."""
        config, now = record.config, self.ctx.clock.now()
        room = RoomID(config.room_id)
        opened = max(now, kickoff_at)
        day = config.occurrence_day(kickoff_at)
        tr = await self.ctx.tr_for(room)
        bots = [self.ctx.matrix.user_id, *self.settings.bots]
        participants = who_is_asked(config, self.ctx.matrix.members(room), bots)
        absent = await self._absent(config.room_id, participants, day, None if adhoc else opened)
        expected = [user for user in participants if user not in absent]
        order = (
            [] if config.mode is StandupMode.WRITTEN else await self.show.order(record.id, expected)
        )
        questions = questions_for(day, config.previous_standup_day(day), config.questions, tr)
        occurrence = await self.store.create_occurrence(
            NewOccurrence(
                standup_id=record.id, day=day, kickoff_at=kickoff_at, opened_at=opened,
                closes_at=opened + config.window, adhoc=adhoc,
                late_start=not adhoc and opened - kickoff_at > LATE_START_AFTER,
                config=config, questions=questions, participants=participants,
                absent=sorted(absent), speaking_order=order,
            )
        )  # fmt: skip
        if occurrence is None:
            return None
        log.info("stand-up %s opens occurrence %s for %s", record.id, occurrence.id, day)
        await self.post(occurrence)
        return occurrence

    async def _absent(
        self, room_id: str, participants: tuple[str, ...], day: date, at: datetime | None
    ) -> set[str]:
        """Who is not asked: on the stand-up's absence list, or (with ``at``, for scheduled
        kickoffs) not available at ``at`` by the workday component when it runs. An ad-hoc
        ``!standup jetzt`` asks whoever is in the room and not on the absence list."""
        absent = await self.store.absent_on(room_id, day) & set(participants)
        if at is None:
            return absent
        availability = self.ctx.services.get(AVAILABILITY)
        if availability is None:
            return absent
        for user in participants:
            if user in absent:
                continue
            try:
                if not await availability.is_available(UserID(user), at):
                    absent.add(user)
            except Exception:
                log.exception("availability of %s unknown; asking them", user)
        return absent

    async def post(self, occurrence: OccurrenceRecord) -> None:
        """Post the kickoff of an open occurrence (also one a restart finds without it)."""
        await first_sync(self.ctx)
        room = RoomID(occurrence.room_id)
        tr = await self.ctx.tr_for(room)
        config = occurrence.config
        live = config.mode is not StandupMode.WRITTEN
        actions = await self.live.open_actions(occurrence.standup_id, occurrence.id) if live else []
        users = [*occurrence.speaking_order, *occurrence.absent]
        users += [a.owner for a in actions if a.owner]
        names = self.ctx.matrix.names_for(room, [UserID(u) for u in users])
        text = kickoff_markdown(occurrence, tr, names, actions)
        try:  # the same origin whether the firing runs it or a restart resumes it
            with acting_for(f"standup-occurrence:{occurrence.id}:kickoff"):
                event_id = await self.ctx.outbox.send(room, text, alert=live)
                if config.mode is not StandupMode.LIVE:  # the button for "nichts Neues"
                    await self._react(room, event_id, NOTHING_NEW)
        except MatrixError:
            log.exception("stand-up kickoff could not be posted in %s", room)
            return
        await self.store.set_kickoff_event(occurrence.id, event_id)
        if live:
            occurrence = await self.store.occurrence(occurrence.id) or occurrence
            with acting_for(f"standup-occurrence:{occurrence.id}:actions"):
                await self.show.post_open_actions(occurrence, actions, names, tr)
            await self.show.begin(occurrence)
        if config.mode is StandupMode.LIVE:
            return
        by_dm = config.answer_channel is AnswerChannel.DM
        members = set(self.ctx.matrix.members(room))
        for user in occurrence.expected():
            if by_dm or user not in members:  # people added from outside cannot see the thread
                self.ctx.tasks.spawn(self._ask_by_dm(occurrence, user, tr), "standup dm")

    async def _react(self, room: RoomID, event_id: EventID, key: str) -> None:
        try:
            await self.ctx.outbox.react(room, event_id, key)
        except MatrixError:  # e.g. reactions need a power level here: typing still works
            log.warning("could not put the kickoff's button in %s", room)

    async def _ask_by_dm(self, occurrence: OccurrenceRecord, user: str, tr: Translate) -> None:
        config = occurrence.config
        text = render_dm_question(
            config.name, 0, occurrence.questions, occurrence.closes_at, config.tz, tr
        )
        try:
            await self.store.add_dm_prompt(occurrence.id, user, ANY_DIRECT_CHAT)
            with acting_for(f"standup-occurrence:{occurrence.id}:ask:{user}"):
                await self.ctx.outbox.dm(UserID(user), text, alert=True)
        except MatrixError:
            log.exception("could not ask %s by direct message", user)
