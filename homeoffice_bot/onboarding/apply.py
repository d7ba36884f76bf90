"""Applying a finished set-up through the other features' services (their ``api``
modules): the stand-up, the room's holiday region, the board."""

from __future__ import annotations

from homeoffice_bot.kernel.ids import RoomID
from homeoffice_bot.kernel.plugins import PluginContext
from homeoffice_bot.onboarding.steps import NO_REGION, Step, time_of, weekdays_of
from homeoffice_bot.onboarding.store import Dialogue
from homeoffice_bot.onboarding.texts import Outcome
from homeoffice_bot.standup.api import STANDUP_SETUP, StandupPlan
from homeoffice_bot.workday.api import TEAM_SETUP


async def detected_region(ctx: PluginContext, room_id: RoomID) -> tuple[str, str | None]:
    """The region the room uses now and where it comes from (``room``/``bot``, as the
    workday decides it); without the workday, the bot's default."""
    team = ctx.services.get(TEAM_SETUP)
    if team is None:
        return ctx.bot.default_holiday_region, "bot"
    found = await team.holiday_region(room_id)
    return found.code, found.source


async def apply_setup(ctx: PluginContext, dialogue: Dialogue, values: dict[str, str]) -> Outcome:
    """Set up what the lead chose. ``ValueError`` for a value a feature refuses."""
    room_id = dialogue.room_id
    region = values[Step.REGION]
    team = ctx.services.get(TEAM_SETUP)
    if team is not None and region != NO_REGION:
        region = await team.set_holiday_region(room_id, region)
    standups = ctx.services.get(STANDUP_SETUP)
    name: str | None = None
    created, upcoming, tz = False, None, await ctx.rooms.timezone(room_id)
    if standups is not None:
        plan = StandupPlan(
            room_id=room_id,
            at=time_of(values[Step.TIME]),
            weekdays=weekdays_of(values[Step.DAYS]),
            region=None if region == NO_REGION else region,
            lead=dialogue.user_id,
            include_lead=values[Step.INCLUDE_LEAD] == "yes",
            answers_by_dm=values[Step.ANSWERS] == "dm",
            at_ts=ctx.clock.now(),
        )
        planned = await standups.set_up(plan)
        name, created, upcoming, tz = (
            planned.name,
            planned.created,
            planned.next_kickoff,
            planned.tz,
        )
    board: bool | None = None
    if team is not None and values[Step.BOARD] == "yes":
        board = await team.post_board(room_id)
    return Outcome(
        room_name=ctx.matrix.room_name(room_id),
        standup_name=name,
        standup_created=created,
        next_kickoff=upcoming,
        tz=tz,
        workday=team is not None,
        board_posted=board,
    )
