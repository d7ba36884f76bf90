"""The stand-up plugin: wires the pure core to commands, events, the scheduler and storage."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from homeoffice_bot.kernel.conversations import CONVERSATIONS
from homeoffice_bot.kernel.plugins import Plugin
from homeoffice_bot.kernel.schedule_rules import Daily
from homeoffice_bot.standup.api import STANDUP_SETUP
from homeoffice_bot.standup.argtypes import WindowLength
from homeoffice_bot.standup.commands import standup_command
from homeoffice_bot.standup.config import MAX_WINDOW_MINUTES
from homeoffice_bot.standup.events import Intake
from homeoffice_bot.standup.personal_data import StandupPersonalData, purge
from homeoffice_bot.standup.run_commands import RunHandlers
from homeoffice_bot.standup.runner import Runner
from homeoffice_bot.standup.schema import MIGRATIONS
from homeoffice_bot.standup.settings import StandupSettings
from homeoffice_bot.standup.setup_commands import SetupHandlers
from homeoffice_bot.standup.setup_service import GuidedSetup
from homeoffice_bot.standup.store import StandupStore

JOB_PREFIX = "standup:"
"""Every job of the stand-up (``kickoff_jobs.job_prefix`` and the purge) starts with it."""
PURGE_JOB = f"{JOB_PREFIX}purge"
PURGE_GRACE = timedelta(hours=6)


class StandupPlugin(Plugin[StandupSettings]):
    name = "standup"
    settings_model = StandupSettings
    migrations = MIGRATIONS
    locales = Path(__file__).parent / "locales"

    async def start(self) -> None:
        settings: StandupSettings = self.ctx.settings
        self.store = StandupStore(self.ctx.db)
        self.runner = Runner(self.ctx, self.store, settings)
        self.intake = Intake(self.ctx, self.store, self.runner)
        window = WindowLength(settings.min_window_seconds, MAX_WINDOW_MINUTES * 60)
        self.ctx.add_command(
            standup_command(
                SetupHandlers(self.ctx, self.store, self.runner, settings),
                RunHandlers(self.ctx, self.store, self.runner, settings),
                window,
            )
        )
        self.ctx.on_message(self.intake.on_message)
        self.ctx.on_edit(self.intake.on_edit)
        self.ctx.on_redaction(self.intake.on_redaction)
        self.ctx.on_reaction(self.intake.on_reaction)
        self.ctx.on_membership(self.intake.on_membership)
        conversations = self.ctx.services.get(CONVERSATIONS)
        if conversations is not None:  # plain words stay silent while a DM prompt is open
            conversations.add(self.intake)
        self.ctx.add_personal_data(StandupPersonalData(self.ctx.db, self.ctx.catalogue))
        self.ctx.services.provide(
            STANDUP_SETUP, GuidedSetup(self.ctx, self.store, self.runner, settings)
        )
        every_day = frozenset(range(1, 8))
        daily = Daily(settings.purge_at, every_day, self.ctx.bot.default_timezone)
        await self.ctx.scheduler.schedule(PURGE_JOB, daily, self._on_purge, grace=PURGE_GRACE)
        await self.runner.restore()

    async def _on_purge(self, _: datetime) -> None:
        await self.purge()

    async def purge(self) -> dict[str, int]:
        """Delete what is older than the retention (the daily job calls this; tests may)."""
        days = self.ctx.settings.retention_days
        cutoff = self.ctx.clock.now().astimezone(UTC) - timedelta(days=days)
        counts = await purge(self.ctx.db, cutoff)
        self.ctx.logger.info("purged stand-up rows older than %s: %s", cutoff.date(), counts)
        return counts

    async def stop(self) -> None:
        self.runner.kickoffs.stop()  # the kickoffs not yet declared stay so
        self.ctx.scheduler.cancel_prefix(JOB_PREFIX)  # the purge and every stand-up's jobs
