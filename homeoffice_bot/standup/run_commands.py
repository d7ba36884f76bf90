"""Command handlers around running stand-ups: now, status, report, export, absences."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date
from typing import Any

from homeoffice_bot.kernel.command_model import Permission
from homeoffice_bot.kernel.commands import CommandContext
from homeoffice_bot.kernel.dateargs import DateRangeSpec, DateSpec
from homeoffice_bot.kernel.errors import CommandError
from homeoffice_bot.kernel.i18n import plural
from homeoffice_bot.kernel.ids import UserID
from homeoffice_bot.standup.command_base import HandlerBase
from homeoffice_bot.standup.export import export_csv, export_markdown
from homeoffice_bot.standup.occurrence import report_details
from homeoffice_bot.standup.runner import AlreadyRunningError
from homeoffice_bot.standup.store import StandupRecord
from homeoffice_bot.standup.text import format_date, format_short_date, format_time

MAX_EXPORT_DAYS = 400


class RunHandlers(HandlerBase):
    async def now(self, ctx: CommandContext, args: Mapping[str, Any]) -> None:
        record = await self.standup(ctx, args)
        try:
            await self.runner.open_now(record)
        except AlreadyRunningError:
            raise CommandError("standup.cmd.already_running", name=record.name) from None

    async def end(self, ctx: CommandContext, args: Mapping[str, Any]) -> None:
        """Close the running stand-up now: the report follows at once."""
        record = await self.standup(ctx, args)
        running = await self.store.open_occurrence_of(record.id)
        if running is None:
            raise CommandError("standup.cmd.not_running", name=record.name)
        await self.runner.close(running.id, ended_by=ctx.sender)

    async def next_speaker(self, ctx: CommandContext, args: Mapping[str, Any]) -> None:
        """Hand on to the next speaker of the running live round (someone dropped out)."""
        record = await self.standup(ctx, args)
        running = await self.store.open_occurrence_of(record.id)
        if running is None:
            raise CommandError("standup.cmd.not_running", name=record.name)
        if not await self.runner.show.skip(running):
            raise CommandError("standup.cmd.no_turn", name=record.name)
        await ctx.outbox.react(ctx.room_id, ctx.message.event_id, "✅")

    async def status(self, ctx: CommandContext, args: Mapping[str, Any]) -> None:
        records = await self.store.standups_in_room(ctx.room_id)
        if args.get("name") is not None or len(records) == 1:
            records = [await self.standup(ctx, args)]
        if not records:
            raise CommandError("standup.cmd.none_in_room")
        parts = [await self._status_of(ctx, record) for record in records]
        absences = await self._absences_text(ctx, records[0].config.tz)
        await ctx.reply("\n\n".join([*parts, absences] if absences else parts))

    async def _status_of(self, ctx: CommandContext, record: StandupRecord) -> str:
        config = record.config
        names = self.plugin.matrix.names_for(
            ctx.room_id,
            [UserID(u) for u in (*config.participants_add, *config.participants_remove,
                                 *config.observers, *config.pair)],
        )  # fmt: skip
        text = config.describe(max(ctx.message.server_ts, record.active_since), ctx.tr, names)
        running = await self.store.open_occurrence_of(record.id)
        if running is not None:
            answered = {a.user_id for a in await self.store.answers(running.id)}
            expected = running.expected()
            text += "\n" + ctx.tr(
                "standup.cmd.running",
                time=format_time(running.closes_at, config.tz),
                answered=len(answered & set(expected)),
                expected=len(expected),
            )
        return text

    async def _absences_text(self, ctx: CommandContext, tz: str) -> str:
        absences = await self.store.absences_from(ctx.room_id, self.today(ctx, tz))
        if not absences:
            return ""
        lines = [ctx.tr("standup.cmd.absences")]
        for absence in absences:
            period = format_short_date(absence.first_day, ctx.tr)
            if absence.last_day != absence.first_day:
                period += "–" + format_short_date(absence.last_day, ctx.tr)
            lines.append(f"- {self.name_of(ctx.room_id, absence.user_id)}: {period}")
        return "\n".join(lines)

    async def report(self, ctx: CommandContext, args: Mapping[str, Any]) -> None:
        record = await self.standup(ctx, args)
        spec: DateSpec | None = args.get("date")
        day = spec.resolve(self.today(ctx, record.config.tz)) if spec is not None else None
        occurrence = await self.store.latest_occurrence(record.id, day)
        if occurrence is None:
            shown = format_date(day or self.today(ctx, record.config.tz), ctx.tr)
            raise CommandError("standup.cmd.report_none", name=record.name, date=shown)
        await ctx.reply(await self.runner.reports.markdown(occurrence, ctx.tr))

    async def export(self, ctx: CommandContext, args: Mapping[str, Any]) -> None:
        record = await self.standup(ctx, args)
        spec: DateRangeSpec = args["dates"]
        first, last = spec.resolve(self.today(ctx, record.config.tz))
        if (last - first).days >= MAX_EXPORT_DAYS:
            raise CommandError("standup.cmd.export_too_long", max=MAX_EXPORT_DAYS)
        occurrences = await self.store.occurrences_between(record.id, first, last)
        start, end = format_date(first, ctx.tr), format_date(last, ctx.tr)
        if not occurrences:
            raise CommandError("standup.cmd.export_empty", name=record.name, start=start, end=end)
        details = report_details(record.config)  # today's settings, for every round in it
        reports = [
            replace(await self.runner.reports.data(occurrence), details=details)
            for occurrence in occurrences
        ]
        stem = f"standup-{record.name}-{first.isoformat()}-{last.isoformat()}"
        markdown = export_markdown(reports, ctx.tr, record.config.report_format)
        await ctx.outbox.upload(ctx.room_id, f"{stem}.md", markdown.encode(), "text/markdown")
        csv_text = export_csv(reports, details)
        await ctx.outbox.upload(ctx.room_id, f"{stem}.csv", csv_text.encode(), "text/csv")
        done = plural(ctx.tr, "standup.cmd.export_done", len(reports), start=start, end=end)
        await ctx.reply(done)

    # ---------------------------------------------------------------- absences

    async def absent(self, ctx: CommandContext, args: Mapping[str, Any]) -> None:
        user, first, last = await self._absence_args(ctx, args)
        await self.store.add_absence(ctx.room_id, user, first, last, ctx.sender)
        await ctx.reply(ctx.tr("standup.cmd.absence_added", name=self.name_of(ctx.room_id, user),
                               period=self._period(ctx, first, last)))  # fmt: skip

    async def present(self, ctx: CommandContext, args: Mapping[str, Any]) -> None:
        user, first, last = await self._absence_args(ctx, args, until_far=True)
        removed = await self.store.remove_absences(ctx.room_id, user, first, last)
        key = "standup.cmd.absence_removed" if removed else "standup.cmd.absence_none"
        await ctx.reply(ctx.tr(key, name=self.name_of(ctx.room_id, user)))

    async def _absence_args(
        self, ctx: CommandContext, args: Mapping[str, Any], *, until_far: bool = False
    ) -> tuple[str, date, date]:
        user = str(args.get("user") or ctx.sender)
        if user != ctx.sender and ctx.permission < Permission.MODERATOR:
            raise CommandError("standup.cmd.absence_others")
        tz = await self.plugin.rooms.timezone(ctx.room_id)
        today = self.today(ctx, tz)
        spec: DateRangeSpec | None = args.get("dates")
        if spec is None:
            return user, today, date.max if until_far else today
        first, last = spec.resolve(today, future=True)
        return user, first, last

    def _period(self, ctx: CommandContext, first: date, last: date) -> str:
        if first == last:
            return ctx.tr("standup.cmd.on_day", date=format_date(first, ctx.tr))
        return ctx.tr("standup.cmd.from_to", start=format_date(first, ctx.tr),
                      end=format_date(last, ctx.tr))  # fmt: skip
