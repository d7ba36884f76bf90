"""Reports of occurrences from the stored rows: data, Markdown, and edits after the close."""

from __future__ import annotations

import asyncio
import logging

from homeoffice_bot.kernel.errors import MatrixError
from homeoffice_bot.kernel.ids import EventID, RoomID, UserID
from homeoffice_bot.kernel.plugins import PluginContext
from homeoffice_bot.standup.assemble import build_report, everyone
from homeoffice_bot.standup.report import ReportData, render_report
from homeoffice_bot.standup.store import OccurrenceRecord, StandupStore
from homeoffice_bot.standup.text import Translate

log = logging.getLogger(__name__)


class Reports:
    def __init__(self, ctx: PluginContext, store: StandupStore) -> None:
        self.ctx = ctx
        self.store = store
        self.lock = asyncio.Lock()
        """Held while a report is posted or edited, so that edits follow the close."""

    async def data(self, occurrence: OccurrenceRecord) -> ReportData:
        answers = await self.store.answers(occurrence.id)
        notes = await self.store.notes(occurrence.id)
        writers = [a.user_id for a in answers] + [n.user_id for n in notes]
        users = [UserID(u) for u in everyone(occurrence, writers)]
        names = self.ctx.matrix.names_for(RoomID(occurrence.room_id), users)
        return build_report(occurrence, answers, notes, names)

    async def markdown(self, occurrence: OccurrenceRecord, tr: Translate) -> str:
        data = await self.data(occurrence)
        return render_report(data, tr, occurrence.config.report_format)

    async def refresh(self, occurrence_id: int) -> None:
        """Edit the posted report after a late answer, an edit or a redaction."""
        async with self.lock:
            occurrence = await self.store.occurrence(occurrence_id)
            if occurrence is None or occurrence.is_open or occurrence.report_event_id is None:
                return
            tr = await self.ctx.tr_for(RoomID(occurrence.room_id))
            report = await self.markdown(occurrence, tr)
            try:
                await self.ctx.outbox.edit(
                    RoomID(occurrence.report_room_id or occurrence.room_id),
                    EventID(occurrence.report_event_id),
                    report,
                )
            except MatrixError:
                log.exception("report %s could not be edited", occurrence.report_event_id)
