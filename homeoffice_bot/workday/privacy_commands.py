"""Handlers of !meine-daten (own data as a JSON file by direct message) and
!daten-löschen (delete everything about oneself, after confirmation)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from homeoffice_bot.kernel.commands import CommandContext
from homeoffice_bot.kernel.ids import UserID
from homeoffice_bot.workday.privacy import build_export, export_filename, export_json

if TYPE_CHECKING:
    from homeoffice_bot.workday.service import Workday

EXPORT_MIMETYPE = "application/json"


class PrivacyCommands:
    def __init__(self, wd: Workday) -> None:
        self.wd = wd
        self._pending: dict[UserID, datetime] = {}
        """Deletion requests waiting for confirmation, with their deadline."""

    async def my_data(self, ctx: CommandContext, args: Mapping[str, Any]) -> None:
        wd = self.wd
        now = wd.event_time(ctx.message)
        days = wd.settings.retention_days
        sections = await wd.privacy.export(ctx.sender)
        sections["held_messages"] = await wd.ctx.outbox.held_for(ctx.sender)
        export = build_export(ctx.sender, sections, now, days)
        tr = await wd.person_tr(ctx.sender)
        filename, data = export_filename(ctx.sender, now, tr), export_json(export)
        await wd.ctx.outbox.dm_file(ctx.sender, filename, data, EXPORT_MIMETYPE)
        await wd.ctx.outbox.dm(ctx.sender, tr("privacy.export_sent", days=days))
        if not ctx.message.is_direct:
            await ctx.reply(ctx.tr("privacy.export_by_dm"))

    async def delete_data(self, ctx: CommandContext, args: Mapping[str, Any]) -> None:
        now = self.wd.event_time(ctx.message)
        minutes = self.wd.settings.delete_confirm_minutes
        self._pending[ctx.sender] = now + timedelta(minutes=minutes)
        await ctx.reply(ctx.tr("privacy.delete_confirm", minutes=minutes))

    async def confirm_delete(self, ctx: CommandContext, args: Mapping[str, Any]) -> None:
        now = self.wd.event_time(ctx.message)
        deadline = self._pending.pop(ctx.sender, None)
        if deadline is None or now > deadline:
            await ctx.reply(ctx.tr("privacy.confirm_expired"))
            return
        changed = await self.wd.privacy.delete_person(ctx.sender)
        changed += await self.wd.ctx.outbox.drop_held(ctx.sender)
        await self.wd.board.refresh_for(ctx.sender)
        await self.wd.jobs.reschedule(ctx.sender)
        await ctx.reply(ctx.tr("privacy.deleted" if changed else "privacy.nothing"))
