"""Reports of occurrences from the stored rows: data, Markdown, and edits after the close."""

from __future__ import annotations

import asyncio
import logging

from homeoffice_bot.kernel.errors import MatrixError
from homeoffice_bot.kernel.ids import EventID, RoomID, UserID
from homeoffice_bot.kernel.plugins import PluginContext
from homeoffice_bot.standup.minutes import user_ids_in
from homeoffice_bot.standup.occurrence import build_report, everyone
from homeoffice_bot.standup.report import ReportData, render_report
from homeoffice_bot.standup.store import OccurrenceRecord, StandupStore
from homeoffice_bot.standup.store_live import LiveStore
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
        writers += [user for note in notes for user in user_ids_in(note.text)]
        users = [UserID(u) for u in everyone(occurrence, writers)]
        names = self.ctx.matrix.names_for(RoomID(occurrence.room_id), users)
        return build_report(occurrence, answers, notes, names)

    async def keep_actions(self, occurrence: OccurrenceRecord) -> None:
        """Store the actions of the minutes, so that the next kickoffs list them until
        they are ticked off."""
        data = await self.data(occurrence)
        await LiveStore(self.store.db).add_actions(
            occurrence.standup_id, occurrence.id, data.minutes
        )

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
            await self.keep_actions(occurrence)
            report = await self.markdown(occurrence, tr)
            try:
                await self.ctx.outbox.edit(
                    RoomID(occurrence.report_room_id or occurrence.room_id),
                    EventID(occurrence.report_event_id),
                    report,
                )
            except MatrixError:
                log.exception("report %s could not be edited", occurrence.report_event_id)
