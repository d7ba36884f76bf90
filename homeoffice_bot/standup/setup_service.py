"""The stand-up's part of the guided set-up (``homeoffice_bot.standup.api.StandupSetup``):
one call creates the room's stand-up, or changes the one it has, and schedules it."""

from __future__ import annotations

import dataclasses

from homeoffice_bot.kernel.plugins import PluginContext
from homeoffice_bot.standup.api import PlannedStandup, StandupPlan
from homeoffice_bot.standup.calendar import validate_region
from homeoffice_bot.standup.config import DEFAULT_NAME, AnswerChannel, StandupConfig
from homeoffice_bot.standup.runner import Runner
from homeoffice_bot.standup.settings import StandupSettings
from homeoffice_bot.standup.store import StandupRecord, StandupStore


class GuidedSetup:
    def __init__(
        self, ctx: PluginContext, store: StandupStore, runner: Runner, settings: StandupSettings
    ) -> None:
        self.ctx = ctx
        self.store = store
        self.runner = runner
        self.settings = settings

    async def set_up(self, plan: StandupPlan) -> PlannedStandup:
        region = validate_region(plan.region) if plan.region is not None else None
        channel = AnswerChannel.DM if plan.answers_by_dm else AnswerChannel.THREAD
        existing = await self._existing(plan)
        if existing is None:
            config = StandupConfig(
                DEFAULT_NAME,
                plan.room_id,
                plan.at,
                tz=await self.ctx.rooms.timezone(plan.room_id),
                weekdays=plan.weekdays,
                window_seconds=max(600, self.settings.min_window_seconds),
                region=region,
                answer_channel=channel,
                participants_remove=frozenset() if plan.include_lead else frozenset({plan.lead}),
            )
            record = await self.store.create_standup(config, plan.lead, plan.at_ts)
            if record is None:  # created in the meantime: change that one
                existing = await self._existing(plan)
        if existing is not None:
            remove = set(existing.config.participants_remove)
            if plan.include_lead:
                remove.discard(plan.lead)
            else:
                remove.add(plan.lead)
            config = dataclasses.replace(
                existing.config, at=plan.at, weekdays=plan.weekdays, region=region,
                answer_channel=channel, participants_remove=frozenset(remove), paused=False,
            )  # fmt: skip
            await self.store.save_config(existing.id, config, plan.at_ts)
            record = dataclasses.replace(existing, config=config, active_since=plan.at_ts)
        assert record is not None
        await self.runner.schedule_standup(record)
        return PlannedStandup(
            record.name, existing is None, self.runner.next_kickoff(record), record.config.tz
        )

    async def _existing(self, plan: StandupPlan) -> StandupRecord | None:
        """The room's stand-up to change: the one named "team", else the only one."""
        records = await self.store.standups_in_room(plan.room_id)
        named = [r for r in records if r.name == DEFAULT_NAME]
        if named:
            return named[0]
        return records[0] if len(records) == 1 else None
