"""The workday plugin: presence, planned breaks, working hours, end-of-day boundaries and
ArbZG notes, wired to Matrix, the database and the scheduler.

Other components get ``homeoffice_bot.workday.api.Availability`` from
``ctx.services.get(Availability)``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from homeoffice_bot.kernel.command_model import Command, Handler
from homeoffice_bot.kernel.commands import CommandContext
from homeoffice_bot.kernel.conversations import CONVERSATIONS
from homeoffice_bot.kernel.delivery import ATTENTION
from homeoffice_bot.kernel.plugins import Plugin
from homeoffice_bot.workday.actions import PresenceActions
from homeoffice_bot.workday.api import AVAILABILITY, TEAM_SETUP
from homeoffice_bot.workday.commands import build_commands
from homeoffice_bot.workday.events import MessageHandlers
from homeoffice_bot.workday.plain_chat import PlainChat
from homeoffice_bot.workday.presence_commands import PresenceCommands
from homeoffice_bot.workday.privacy import WorkdayPersonalData
from homeoffice_bot.workday.privacy_commands import PrivacyCommands
from homeoffice_bot.workday.schema import MIGRATIONS
from homeoffice_bot.workday.service import Workday
from homeoffice_bot.workday.settings import WorkdaySettings
from homeoffice_bot.workday.settings_commands import SettingsCommands
from homeoffice_bot.workday.taps import BoardTaps
from homeoffice_bot.workday.team_setup import TeamSetupService


class WorkdayPlugin(Plugin[WorkdaySettings]):
    name = "workday"
    settings_model = WorkdaySettings
    migrations = MIGRATIONS
    locales = Path(__file__).parent / "locales"

    workday: Workday

    async def start(self) -> None:
        ctx = self.ctx
        self.workday = wd = Workday(ctx, ctx.settings)
        presence = PresenceCommands(wd)
        plain = PlainChat(wd, presence.actions)
        presence.plain = plain
        taps = BoardTaps(wd, PresenceActions(wd))
        conversations = ctx.services.get(CONVERSATIONS)
        if conversations is not None:
            conversations.add(plain)
            conversations.add(taps)
        for command in build_commands(
            ctx.catalogue, presence, SettingsCommands(wd), PrivacyCommands(wd)
        ):
            ctx.add_command(_rescheduling(command, wd))
        # One flow for the direct chat: the answer to "Bis wann?", plain words, the
        # wrap-up answer (``events``); taps.on_message is called from there.
        handlers = MessageHandlers(wd, plain, taps, conversations)
        ctx.on_message(handlers.on_message)
        ctx.on_reaction(plain.on_reaction)
        ctx.on_reaction(taps.on_reaction)
        ctx.on_redaction(taps.on_redaction)
        ctx.on_membership(wd.board.on_membership)
        ctx.services.provide(AVAILABILITY, wd.availability)
        ctx.services.provide(ATTENTION, wd.availability)
        ctx.services.provide(TEAM_SETUP, TeamSetupService(wd))
        ctx.add_personal_data(WorkdayPersonalData(wd))
        await wd.availability.hand_over_held()
        await wd.jobs.start()

    async def stop(self) -> None:
        self.workday.jobs.stop()

    async def tick(self) -> None:
        """Do what is due now (the wake-up at the earliest due time calls this; tests
        may too)."""
        await self.workday.jobs.tick()

    async def purge(self) -> dict[str, int]:
        """Delete what is older than the retention (the daily job calls this)."""
        return await self.workday.jobs.purge()


def _rescheduling(command: Command, wd: Workday) -> Command:
    """The command, recomputing the sender's due time after each use (whatever it
    changed: status, hours, zone, holidays, break plan, ArbZG notes, leave)."""
    handler = command.handler
    subcommands = tuple(_rescheduling(sub, wd) for sub in command.subcommands)
    if handler is None:
        return replace(command, subcommands=subcommands)
    wrapped: Handler = _after(handler, wd)
    return replace(command, handler=wrapped, subcommands=subcommands)


def _after(handler: Handler, wd: Workday) -> Handler:
    async def run(ctx: CommandContext, args: Mapping[str, Any]) -> None:
        try:
            await handler(ctx, args)
        finally:
            await wd.jobs.reschedule(ctx.sender)

    return run
