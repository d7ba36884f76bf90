"""Command handlers that configure a stand-up (moderators only)."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from datetime import date, timedelta
from datetime import time as dt_time
from typing import Any

from homeoffice_bot.kernel.commands import CommandContext
from homeoffice_bot.kernel.dateargs import DateRangeSpec, DateSpec
from homeoffice_bot.kernel.errors import CommandError
from homeoffice_bot.kernel.escaping import escape_markdown
from homeoffice_bot.kernel.formatting import people_list
from homeoffice_bot.kernel.ids import RoomID
from homeoffice_bot.standup.argtypes import OFF_WORDS
from homeoffice_bot.standup.calendar import holiday_name, validate_region
from homeoffice_bot.standup.command_base import HandlerBase
from homeoffice_bot.standup.config import (
    DEFAULT_NAME,
    MAX_QUESTIONS,
    AnswerChannel,
    ReportFormat,
    ReportTarget,
    StandupConfig,
    StandupMode,
    validate_timezone,
)
from homeoffice_bot.standup.live import validate_call_link
from homeoffice_bot.standup.messages import render_no_standup
from homeoffice_bot.standup.tandem import DEFAULT_TANDEM_NAME
from homeoffice_bot.standup.text import format_clock, format_date, format_dates

MAX_CLOSURE_DAYS = 366
MAX_TANDEM_DAYS = 62
TANDEM_TIME = dt_time(9, 0)
WORKDAYS = frozenset({1, 2, 3, 4, 5})


class SetupHandlers(HandlerBase):
    async def setup(self, ctx: CommandContext, args: Mapping[str, Any]) -> None:
        name = args.get("name") or DEFAULT_NAME
        existing = {r.name for r in await self.store.standups_in_room(ctx.room_id)}
        if name in existing:
            raise CommandError("standup.cmd.exists", name=name)
        region: str | None
        try:
            region = validate_region(self.plugin.bot.default_holiday_region)
        except ValueError:
            region = None
        config = StandupConfig(
            name,
            ctx.room_id,
            args["time"],
            tz=await self.plugin.rooms.timezone(ctx.room_id),
            weekdays=args.get("days") or WORKDAYS,
            window_seconds=max(600, self.settings.min_window_seconds),
            region=region,
        )
        record = await self.store.create_standup(config, ctx.sender, ctx.message.server_ts)
        if record is None:
            raise CommandError("standup.cmd.exists", name=name)
        await self.runner.schedule_standup(record)
        await ctx.reply(
            ctx.tr("standup.cmd.setup_done", name=escape_markdown(name))
            + "\n"
            + self.next_line(record, ctx.tr)
            + "\n"
            + ctx.tr("standup.cmd.setup_hint")
        )

    async def tandem(self, ctx: CommandContext, args: Mapping[str, Any]) -> None:
        """``!standup tandem @person bis 12.12.``: a daily live briefing of two."""
        partner = str(args["user"])
        if partner == ctx.sender:
            raise CommandError("standup.tandem.self")
        tz = await self.plugin.rooms.timezone(ctx.room_id)
        today = self.today(ctx, tz)
        spec: DateSpec = args["until"]
        last = spec.resolve(today, future=True)
        shown = format_date(last, ctx.tr)
        if last < today:
            raise CommandError("standup.tandem.past", date=shown)
        if (last - today).days >= MAX_TANDEM_DAYS:
            raise CommandError("standup.tandem.too_long", max=MAX_TANDEM_DAYS)
        name = args.get("name") or DEFAULT_TANDEM_NAME
        config = StandupConfig(
            name,
            ctx.room_id,
            TANDEM_TIME,
            tz=tz,
            weekdays=WORKDAYS,
            window_seconds=600,
            mode=StandupMode.LIVE,
            reminder_percent=None,
            pair=frozenset({ctx.sender, partner}),
            last_day=last,
        )
        record = await self.store.create_standup(config, ctx.sender, ctx.message.server_ts)
        if record is None:
            raise CommandError("standup.cmd.exists", name=name)
        await self.runner.schedule_standup(record)
        names = [self.name_of(ctx.room_id, user) for user in sorted(config.pair)]
        await ctx.reply(
            ctx.tr(
                "standup.tandem.done_setup",
                name=escape_markdown(name),
                names=people_list(names, ctx.tr),
                time=format_clock(TANDEM_TIME),
                date=shown,
            )
            + "\n"
            + ctx.tr("standup.tandem.setup_hint", name=escape_markdown(name))
            + self._not_in_room(ctx, partner)
        )

    def _not_in_room(self, ctx: CommandContext, user: str) -> str:
        """A hint when the partner is not in the room yet (they would not see the thread)."""
        if user in self.plugin.matrix.members(ctx.room_id):
            return ""
        return "\n" + ctx.tr("standup.tandem.invite", name=self.name_of(ctx.room_id, user))

    async def time(self, ctx: CommandContext, args: Mapping[str, Any]) -> None:
        await self.change(ctx, args, at=args["time"], new_schedule=True)

    async def days(self, ctx: CommandContext, args: Mapping[str, Any]) -> None:
        await self.change(ctx, args, weekdays=args["days"], new_schedule=True)

    async def timezone(self, ctx: CommandContext, args: Mapping[str, Any]) -> None:
        await self.change(ctx, args, tz=validate_timezone(args["zone"]), new_schedule=True)

    async def window(self, ctx: CommandContext, args: Mapping[str, Any]) -> None:
        await self.change(ctx, args, window_seconds=args["length"])

    async def mode(self, ctx: CommandContext, args: Mapping[str, Any]) -> None:
        mode = StandupMode(args["mode"])
        record = await self.change(ctx, args, mode=mode)
        if mode is not StandupMode.WRITTEN and record.config.call_link is None:
            await ctx.reply(ctx.tr("standup.cmd.link_missing"))

    async def answers(self, ctx: CommandContext, args: Mapping[str, Any]) -> None:
        await self.change(ctx, args, answer_channel=AnswerChannel(args["channel"]))

    async def report_format(self, ctx: CommandContext, args: Mapping[str, Any]) -> None:
        await self.change(ctx, args, report_format=ReportFormat(args["format"]))

    async def report_target(self, ctx: CommandContext, args: Mapping[str, Any]) -> None:
        await self.change(ctx, args, report_target=ReportTarget(args["target"]))

    async def report_times(self, ctx: CommandContext, args: Mapping[str, Any]) -> None:
        await self.change(ctx, args, report_times=args["switch"] == "on")

    async def report_late(self, ctx: CommandContext, args: Mapping[str, Any]) -> None:
        await self.change(ctx, args, report_late=args["switch"] == "on")

    async def report_missing(self, ctx: CommandContext, args: Mapping[str, Any]) -> None:
        await self.change(ctx, args, report_missing_names=args["how"] == "names")

    async def reminder(self, ctx: CommandContext, args: Mapping[str, Any]) -> None:
        percent = int(args["percent"])
        changes: dict[str, Any] = {"reminder_percent": percent or None}
        if args.get("who") is not None:
            changes["mass_mention"] = args["who"] == "room"
        await self.change(ctx, args, **changes)

    async def region(self, ctx: CommandContext, args: Mapping[str, Any]) -> None:
        code = str(args["region"])
        await self.change(ctx, args, region=None if code.casefold() in OFF_WORDS else
                          validate_region(code))  # fmt: skip

    async def link(self, ctx: CommandContext, args: Mapping[str, Any]) -> None:
        url = str(args["url"])
        await self.change(ctx, args, call_link=None if url.casefold() in OFF_WORDS else
                          validate_call_link(url))  # fmt: skip

    async def pause(self, ctx: CommandContext, args: Mapping[str, Any]) -> None:
        record = await self.standup(ctx, args)
        config = _with(record.config, paused=True)
        await self.save(ctx, record, config, reply=False)
        await ctx.reply(ctx.tr("standup.cmd.paused", name=escape_markdown(record.name)))

    async def resume(self, ctx: CommandContext, args: Mapping[str, Any]) -> None:
        record = await self.standup(ctx, args)
        config = _with(record.config, paused=False)
        record = await self.save(ctx, record, config, new_schedule=True, reply=False)
        upcoming = self.next_line(record, ctx.tr)
        await ctx.reply(ctx.tr("standup.cmd.resumed", name=escape_markdown(record.name),
                               when=upcoming))  # fmt: skip

    async def delete(self, ctx: CommandContext, args: Mapping[str, Any]) -> None:
        record = await self.standup(ctx, args)
        self.runner.unschedule(record.id)
        await self.store.delete_standup(record.id)
        await ctx.reply(ctx.tr("standup.cmd.deleted", name=escape_markdown(record.name)))

    # ---------------------------------------------------------------- days off

    async def skip(self, ctx: CommandContext, args: Mapping[str, Any]) -> None:
        record = await self.standup(ctx, args)
        config = record.config
        spec: DateSpec | None = args.get("date")
        today = self.today(ctx, config.tz)
        day = spec.resolve(today, future=True) if spec is not None else today
        reason = config.skip_reason(day)
        if reason is not None:
            holiday = holiday_name(day, config.region, ctx.lang)
            await ctx.reply(render_no_standup(day, reason, ctx.tr, holiday))
            return
        await self.save(ctx, record, _with(config, skipped=config.skipped | {day}), reply=False)
        await ctx.reply(ctx.tr("standup.cmd.skipped", name=escape_markdown(record.name),
                               date=format_date(day, ctx.tr)))  # fmt: skip

    async def unskip(self, ctx: CommandContext, args: Mapping[str, Any]) -> None:
        record = await self.standup(ctx, args)
        config = record.config
        spec: DateSpec = args["date"]
        day = spec.resolve(self.today(ctx, config.tz), future=True)
        await self.save(ctx, record, _with(config, skipped=config.skipped - {day}), reply=False)
        await ctx.reply(ctx.tr("standup.cmd.unskipped", name=escape_markdown(record.name),
                               date=format_date(day, ctx.tr)))  # fmt: skip

    async def closure(self, ctx: CommandContext, args: Mapping[str, Any]) -> None:
        await self._closures(ctx, args, add=True)

    async def closure_remove(self, ctx: CommandContext, args: Mapping[str, Any]) -> None:
        await self._closures(ctx, args, add=False)

    async def _closures(self, ctx: CommandContext, args: Mapping[str, Any], *, add: bool) -> None:
        record = await self.standup(ctx, args)
        config = record.config
        spec: DateRangeSpec = args["dates"]
        first, last = spec.resolve(self.today(ctx, config.tz), future=True)
        days = _days(first, last)
        closures = config.closures | days if add else config.closures - days
        await self.save(ctx, record, _with(config, closures=closures), reply=False)
        key = "standup.cmd.closure_added" if add else "standup.cmd.closure_removed"
        if last == first:
            await ctx.reply(ctx.tr(key, date=format_date(first, ctx.tr)))
        else:
            await ctx.reply(ctx.tr(key + "_range", dates=format_dates(days, ctx.tr)))

    # ---------------------------------------------------------------- questions

    async def questions_list(self, ctx: CommandContext, args: Mapping[str, Any]) -> None:
        record = await self.standup(ctx, args)
        await ctx.reply(self._questions_text(record.config, ctx))

    def _questions_text(self, config: StandupConfig, ctx: CommandContext) -> str:
        if not config.questions:
            lines = [ctx.tr("standup.status.questions_default")]
            lines += [
                f"{n}\\. {q}"
                for n, q in enumerate(
                    (ctx.tr("standup.question.done_yesterday"), ctx.tr("standup.question.next"),
                     ctx.tr("standup.question.blockers")), 1,
                )
            ]  # fmt: skip
        else:
            lines = [ctx.tr("standup.status.questions_custom", count=len(config.questions))]
            lines += [f"{n}\\. {escape_markdown(q)}" for n, q in enumerate(config.questions, 1)]
        return "\n".join(lines)

    async def questions_set(self, ctx: CommandContext, args: Mapping[str, Any]) -> None:
        await self._set_questions(ctx, args, tuple(args["questions"]))

    async def questions_add(self, ctx: CommandContext, args: Mapping[str, Any]) -> None:
        record = await self.standup(ctx, args)
        current = record.config.questions or self._default_questions(ctx)
        if len(current) >= MAX_QUESTIONS:
            raise CommandError("standup.error.questions_count", max=MAX_QUESTIONS)
        await self._set_questions(ctx, args, (*current, str(args["question"])))

    async def questions_remove(self, ctx: CommandContext, args: Mapping[str, Any]) -> None:
        record = await self.standup(ctx, args)
        current = record.config.questions or self._default_questions(ctx)
        number = int(args["number"])
        if number > len(current):
            raise CommandError("standup.cmd.no_such_question", number=number, count=len(current))
        await self._set_questions(ctx, args, current[: number - 1] + current[number:])

    async def questions_reset(self, ctx: CommandContext, args: Mapping[str, Any]) -> None:
        await self._set_questions(ctx, args, None)

    def _default_questions(self, ctx: CommandContext) -> tuple[str, ...]:
        return (ctx.tr("standup.question.done_last"), ctx.tr("standup.question.next"),
                ctx.tr("standup.question.blockers"))  # fmt: skip

    async def _set_questions(
        self, ctx: CommandContext, args: Mapping[str, Any], questions: tuple[str, ...] | None
    ) -> None:
        record = await self.standup(ctx, args)
        config = _with(record.config, questions=questions or None)
        await self.save(ctx, record, config, reply=False)
        await ctx.reply(ctx.tr("standup.cmd.updated", name=escape_markdown(config.name))
                        + "\n" + self._questions_text(config, ctx))  # fmt: skip

    # ---------------------------------------------------------------- people

    async def participants_list(self, ctx: CommandContext, args: Mapping[str, Any]) -> None:
        record = await self.standup(ctx, args)
        bots = [self.plugin.matrix.user_id, *self.settings.bots]
        asked = record.config.participants(self.plugin.matrix.members(ctx.room_id), bots)
        names = people_list((self.name_of(ctx.room_id, user) for user in asked), ctx.tr) or "–"
        text = ctx.tr("standup.cmd.participants", standup=escape_markdown(record.name),
                      names=names)  # fmt: skip
        if record.config.observers:
            observers = people_list(
                (self.name_of(ctx.room_id, u) for u in sorted(record.config.observers)), ctx.tr
            )
            text += "\n" + ctx.tr("standup.status.observers", names=observers)
        await ctx.reply(text)

    async def participant_add(self, ctx: CommandContext, args: Mapping[str, Any]) -> None:
        await self._people(ctx, args, "participant_added")

    async def participant_remove(self, ctx: CommandContext, args: Mapping[str, Any]) -> None:
        await self._people(ctx, args, "participant_removed")

    async def observer_add(self, ctx: CommandContext, args: Mapping[str, Any]) -> None:
        await self._people(ctx, args, "observer_added")

    async def observer_remove(self, ctx: CommandContext, args: Mapping[str, Any]) -> None:
        await self._people(ctx, args, "observer_removed")

    async def _people(self, ctx: CommandContext, args: Mapping[str, Any], action: str) -> None:
        record = await self.standup(ctx, args)
        config, user = record.config, str(args["user"])
        add, remove, observers = (
            config.participants_add,
            config.participants_remove,
            config.observers,
        )
        members = set(self.plugin.matrix.members(RoomID(ctx.room_id)))
        if action == "participant_added":
            add = add | {user} if user not in members else add
            remove, observers = remove - {user}, observers - {user}
        elif action == "participant_removed":
            add = add - {user}
            remove = remove | {user} if user in members else remove
        elif action == "observer_added":
            add, observers = add - {user}, observers | {user}
        else:
            observers = observers - {user}
        config = _with(config, participants_add=add, participants_remove=remove,
                       observers=observers)  # fmt: skip
        await self.save(ctx, record, config, reply=False)
        await ctx.reply(ctx.tr(f"standup.cmd.{action}", name=self.name_of(ctx.room_id, user),
                               standup=escape_markdown(record.name)))  # fmt: skip


def _with(config: StandupConfig, **changes: Any) -> StandupConfig:
    return dataclasses.replace(config, **changes)


def _days(first: date, last: date) -> frozenset[date]:
    count = (last - first).days + 1
    if count > MAX_CLOSURE_DAYS:
        raise CommandError("standup.cmd.closure_too_long", max=MAX_CLOSURE_DAYS)
    return frozenset(first + timedelta(days=n) for n in range(count))
