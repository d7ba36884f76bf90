"""What every stand-up command handler needs: finding the stand-up, saving a change.

A stand-up's home is its room: it is found in the room a command is typed in, and a change
is saved only for the moderators of that room (``PluginContext.access``)."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from homeoffice_bot.kernel.commands import CommandContext
from homeoffice_bot.kernel.errors import CommandError, PermissionDeniedError
from homeoffice_bot.kernel.escaping import escape_markdown
from homeoffice_bot.kernel.ids import RoomID, UserID
from homeoffice_bot.kernel.plugins import PluginContext
from homeoffice_bot.standup.config import StandupConfig
from homeoffice_bot.standup.runner import Runner
from homeoffice_bot.standup.settings import StandupSettings
from homeoffice_bot.standup.store import StandupRecord, StandupStore
from homeoffice_bot.standup.text import Translate, format_datetime


class HandlerBase:
    def __init__(
        self, plugin: PluginContext, store: StandupStore, runner: Runner, settings: StandupSettings
    ) -> None:
        self.plugin = plugin
        self.store = store
        self.runner = runner
        self.settings = settings

    async def standup(self, ctx: CommandContext, args: Mapping[str, Any]) -> StandupRecord:
        """The stand-up the command means: the named one, or the only one in the room."""
        name = args.get("name")
        records = await self.store.standups_in_room(ctx.room_id)
        if not records:
            raise CommandError("standup.cmd.none_in_room")
        if name is None:
            if len(records) > 1:
                raise CommandError("standup.cmd.which", names=_names(records))
            return records[0]
        for record in records:
            if record.name.casefold() == str(name).casefold():
                return record
        raise CommandError("standup.cmd.unknown", name=str(name), names=_names(records))

    async def change(
        self,
        ctx: CommandContext,
        args: Mapping[str, Any],
        *,
        new_schedule: bool = False,
        **changes: Any,
    ) -> StandupRecord:
        """Save changed settings (validated by ``StandupConfig``), reschedule and confirm.
        ``new_schedule``: the time rule changed, so kickoffs before now no longer count."""
        record = await self.standup(ctx, args)
        config = dataclasses.replace(record.config, **changes)
        return await self.save(ctx, record, config, new_schedule=new_schedule)

    async def save(
        self,
        ctx: CommandContext,
        record: StandupRecord,
        config: StandupConfig,
        *,
        new_schedule: bool = False,
        reply: bool = True,
    ) -> StandupRecord:
        """A stand-up is changed only by the moderators of its own room (the kernel's rule,
        whatever room the command came from)."""
        if not self.plugin.access.moderates(ctx.sender, RoomID(record.room_id)):
            raise PermissionDeniedError("command.denied.moderator", command=f"{ctx.prefix}standup")
        active_since = ctx.message.server_ts if new_schedule else None
        await self.store.save_config(record.id, config, active_since)
        updated = dataclasses.replace(
            record, config=config, active_since=active_since or record.active_since
        )
        await self.runner.schedule_standup(updated)
        if reply:
            await ctx.reply(
                ctx.tr("standup.cmd.updated", name=escape_markdown(config.name))
                + "\n"
                + self.next_line(updated, ctx.tr)
            )
        return updated

    def next_line(self, record: StandupRecord, tr: Translate) -> str:
        if record.config.paused:
            return tr("standup.status.paused")
        upcoming = self.runner.next_kickoff(record)
        if upcoming is None:
            return tr("standup.status.next_none")
        return tr("standup.status.next", when=format_datetime(upcoming, record.config.tz, tr))

    def today(self, ctx: CommandContext, tz: str) -> date:
        """The date of the command in ``tz`` (by the event's server timestamp)."""
        return ctx.message.server_ts.astimezone(ZoneInfo(tz)).date()

    def name_of(self, room_id: RoomID, user_id: str) -> str:
        return escape_markdown(self.plugin.matrix.display_name(room_id, UserID(user_id)))


def _names(records: list[StandupRecord]) -> str:
    return ", ".join(f"name={record.name}" for record in records)
