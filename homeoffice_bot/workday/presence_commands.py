"""Handlers of the presence commands: !moin, !pause, !zurück, !weg, !feierabend,
!urlaub, !abwesend, !status. Each interprets the command at the event's own time.

Private by default: what a command confirms for the person goes to their direct chat,
and the command in a team room gets a ✅ (``confirm_privately``); errors answer where the
command was typed. A private reason typed in a room (``!weg bis 14:00 Arzttermin``) is
not kept: the room's timeline already shows it. The command is removed where the bot may
redact, and the person is told, truthfully, who may have read it and where to write it."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from homeoffice_bot.kernel.argtypes import fold
from homeoffice_bot.kernel.commands import CommandContext
from homeoffice_bot.kernel.errors import CommandError, SendError
from homeoffice_bot.kernel.ids import UserID
from homeoffice_bot.kernel.localtime import local_date
from homeoffice_bot.workday.arbzg import ReminderId, WorkEventKind, assess, render_reminder
from homeoffice_bot.workday.board import render_status, render_wrapup_handback
from homeoffice_bot.workday.hours import LeavePeriod, end_of_today
from homeoffice_bot.workday.jobs import ARBZG_HISTORY
from homeoffice_bot.workday.profiles import Profile
from homeoffice_bot.workday.standin import resolve_stand_in
from homeoffice_bot.workday.states import (
    PresenceState,
    finish_day,
    go_on_leave,
    mark_absent,
    start_work,
    step_away,
    take_break,
)
from homeoffice_bot.workday.texts import (
    escape_markdown,
    format_date,
    format_time,
    format_until,
    format_when,
)
from homeoffice_bot.workday.when import parse_away, parse_leave, parse_until

if TYPE_CHECKING:
    from homeoffice_bot.workday.service import Workday

log = logging.getLogger(__name__)

CANCEL_WORDS = frozenset({"aus", "löschen", "loeschen", "stornieren", "off", "cancel", "delete"})


class PresenceCommands:
    def __init__(self, wd: Workday) -> None:
        self.wd = wd

    async def _enter(self, ctx: CommandContext, *, enrol: bool = True) -> tuple[datetime, Profile]:
        """The command's instant; the person is enrolled and this room noted as theirs.
        A command that only looks (``enrol=False``) stores nothing: after ``!daten-löschen``
        it must not bring the person back."""
        now = self.wd.event_time(ctx.message)
        home = None if ctx.message.is_direct else ctx.room_id
        if enrol:
            await self.wd.store.ensure_person(ctx.sender, now, home)
        return now, await self.wd.directory.profile(ctx.sender, looking_from=home)

    async def _board(self, ctx: CommandContext) -> None:
        """After answering: update the person's boards, and post this room's first one."""
        await self.wd.board.refresh_for(ctx.sender)
        if ctx.message.is_direct:
            return
        if (await self.wd.store.room(ctx.room_id)).board_event_id is None:
            await self.wd.board.ensure(ctx.room_id)

    def _name(self, ctx: CommandContext, user: UserID) -> str:
        return escape_markdown(self.wd.ctx.matrix.display_name(ctx.room_id, user))

    # ------------------------------------------------------------ start and back

    async def start(self, ctx: CommandContext, args: Mapping[str, Any]) -> None:
        now, profile = await self._enter(ctx)
        user = ctx.sender
        await self.wd.change(user, start_work(user, now), WorkEventKind.START, now, boards=False)
        end = end_of_today(profile.schedule, now)
        name = self._name(ctx, user)
        if end is not None and end > now:
            await ctx.confirm_privately(
                ctx.tr("cmd.start.reply_until", name=name, end=format_time(end, profile.tz))
            )
        else:
            await ctx.confirm_privately(ctx.tr("cmd.start.reply", name=name))
        await self._board(ctx)
        await self._morning(profile, now)

    async def _morning(self, profile: Profile, now: datetime) -> None:
        """At the start of a day: the rest-time note, yesterday's wrap-up answer, the
        collected mentions and everything held back."""
        wd, user = self.wd, profile.user
        tr = await wd.person_tr(user)
        if profile.arbzg:
            events = await wd.store.events(user, now - ARBZG_HISTORY)
            day = local_date(now, profile.tz).isoformat()
            result = assess(
                events, now, profile.tz, already_sent=await wd.store.reminders_sent(user, day)
            )
            for reminder in result.due:
                if reminder.id is ReminderId.REST11 and await wd.store.claim_reminder(
                    user, day, reminder.id.value, now
                ):
                    await wd.dm(user, render_reminder(reminder, profile.tz, tr))
        answer = await wd.inbox.take_wrapup(user)
        if answer:
            await wd.dm(user, render_wrapup_handback(answer, tr))
        await wd.digest(user)
        await wd.availability.release(user)

    async def back(self, ctx: CommandContext, args: Mapping[str, Any]) -> None:
        now, _ = await self._enter(ctx)
        await self.wd.change(
            ctx.sender, start_work(ctx.sender, now), WorkEventKind.START, now, boards=False
        )
        await ctx.confirm_privately(ctx.tr("cmd.back.reply"))
        await self._board(ctx)
        await self.wd.availability.release(ctx.sender)  # what was held during the break

    # ------------------------------------------------------------ breaks and away

    async def pause(self, ctx: CommandContext, args: Mapping[str, Any]) -> None:
        now, profile = await self._enter(ctx)
        text = args.get("when")
        until = parse_until(text, now, profile.tz) if text else None
        await self.wd.change(
            ctx.sender, take_break(ctx.sender, now, until), WorkEventKind.BREAK, now, boards=False
        )
        if until is None:
            await ctx.confirm_privately(ctx.tr("cmd.pause.reply_open"))
        else:
            shown = format_until(until, now, profile.tz, ctx.tr)
            await ctx.confirm_privately(ctx.tr("cmd.pause.reply_until", until=shown))
        await self._board(ctx)

    async def away(self, ctx: CommandContext, args: Mapping[str, Any]) -> None:
        now, profile = await self._enter(ctx)
        request = parse_away(args.get("rest") or "", now, profile.tz)
        # A private reason typed in a room is already in the room's timeline: not kept.
        in_room = request.note is not None and not request.note_shared and not ctx.message.is_direct
        note = None if in_room else request.note
        status = step_away(ctx.sender, now, request.until, note, request.note_shared)
        await self.wd.change(ctx.sender, status, WorkEventKind.AWAY, now, boards=False)
        if request.until is None:
            text = ctx.tr("cmd.away.reply_open")
        else:
            shown = format_until(request.until, now, profile.tz, ctx.tr)
            text = ctx.tr("cmd.away.reply_until", until=shown)
        if in_room:  # the answer does not repeat the reason: it would be stored to send it
            if await self._redact(ctx):  # the command is gone: nothing left to react to
                await ctx.outbox.dm(ctx.sender, f"{text} {ctx.tr('cmd.away.reason_removed')}")
            else:
                await ctx.confirm_privately(f"{text} {ctx.tr('cmd.away.reason_in_room')}")
        else:
            if request.note:
                text += " " + ctx.tr(
                    "cmd.away.note_shared" if request.note_shared else "cmd.away.note_private"
                )
            await ctx.confirm_privately(text)
        await self._board(ctx)

    async def _redact(self, ctx: CommandContext) -> bool:
        """Remove the command from the room's timeline, where the bot may."""
        if not ctx.matrix.can_redact_others(ctx.room_id):
            return False
        try:
            await ctx.outbox.redact(ctx.room_id, ctx.message.event_id)
        except SendError as exc:
            log.warning("could not remove a message with a private reason: %s", exc)
            return False
        return True

    # ------------------------------------------------------------ end of day, leave, absent

    async def off(self, ctx: CommandContext, args: Mapping[str, Any]) -> None:
        now, profile = await self._enter(ctx)
        status = finish_day(ctx.sender, now, profile.schedule)
        await self.wd.change(ctx.sender, status, WorkEventKind.END, now, boards=False)
        if status.until is None:
            await ctx.confirm_privately(ctx.tr("cmd.off.reply_open"))
        else:
            when = format_when(status.until, now, profile.tz, ctx.tr)
            await ctx.confirm_privately(ctx.tr("cmd.off.reply", when=when))
        await self._board(ctx)

    async def leave(self, ctx: CommandContext, args: Mapping[str, Any]) -> None:
        text = (args.get("period") or "").strip()
        looking = not text or fold(text) in CANCEL_WORDS
        now, profile = await self._enter(ctx, enrol=not looking)
        today = local_date(now, profile.tz)
        if not text:
            await ctx.confirm_privately(self._leave_list(ctx, profile, today))
            return
        if fold(text) in CANCEL_WORDS:
            await self._cancel_leave(ctx, profile, now)
            return
        request = parse_leave(text, today)
        if request.last_day < today:
            raise CommandError("workday.error.leave_past", text=text)
        stand_in = self._stand_in(ctx, request.stand_in)
        period = LeavePeriod(request.first_day, request.last_day, stand_in)
        await self.wd.store.add_leave(ctx.sender, period, now)
        if request.first_day <= today:
            status = go_on_leave(ctx.sender, now, today, request.last_day, stand_in, profile.tz)
            await self.wd.change(ctx.sender, status, WorkEventKind.END, now, boards=False)
        first, last = format_date(request.first_day, ctx.tr), format_date(request.last_day, ctx.tr)
        if stand_in is None:
            await ctx.confirm_privately(ctx.tr("cmd.leave.reply", first=first, last=last))
        else:
            name = self._name(ctx, stand_in)
            await ctx.confirm_privately(
                ctx.tr("cmd.leave.reply_stand_in", first=first, last=last, name=name)
            )
        await self._board(ctx)

    def _stand_in(self, ctx: CommandContext, typed: str | None) -> UserID | None:
        """The person ``typed`` names, among the members of this team room (in a direct
        chat: of the rooms the sender shares with the bot)."""
        if typed is None:
            return None
        matrix = self.wd.ctx.matrix
        if ctx.message.is_direct:
            rooms = [
                r for r in sorted(matrix.joined_rooms())
                if not matrix.is_direct(r) and ctx.sender in matrix.members(r)
            ]  # fmt: skip
        else:
            rooms = [ctx.room_id]
        members: dict[UserID, str] = {}
        for room in rooms:
            for user, name in matrix.names_for(room, matrix.members(room)).items():
                members.setdefault(UserID(user), name)
        return resolve_stand_in(
            typed, ctx.sender, matrix.user_id, members, or_word=ctx.tr("format.or")
        )

    def _leave_list(self, ctx: CommandContext, profile: Profile, today: date) -> str:
        upcoming = [p for p in profile.schedule.leave if p.last_day >= today]
        if not upcoming:
            return ctx.tr("cmd.leave.none")
        lines = [ctx.tr("cmd.leave.shown")]
        for period in upcoming:
            first, last = (
                format_date(period.first_day, ctx.tr),
                format_date(period.last_day, ctx.tr),
            )
            line = f"- {first} – {last}"
            if period.stand_in:
                line += ctx.tr("board.stand_in", name=self._name(ctx, period.stand_in))
            lines.append(line)
        return "\n".join(lines)

    async def _cancel_leave(self, ctx: CommandContext, profile: Profile, now: datetime) -> None:
        gone = await self.wd.store.delete_leave_from(ctx.sender, local_date(now, profile.tz))
        if not gone:
            await ctx.confirm_privately(ctx.tr("cmd.leave.none"))
            return
        status = await self.wd.store.status(ctx.sender)
        if status is not None and status.state is PresenceState.LEAVE:
            await self.wd.change(ctx.sender, None, None, now, boards=False)
        first, last = gone[0].first_day, gone[-1].last_day
        await ctx.confirm_privately(
            ctx.tr(
                "cmd.leave.cancelled",
                first=format_date(first, ctx.tr),
                last=format_date(last, ctx.tr),
            )
        )
        await self.wd.board.refresh_for(ctx.sender)

    async def absent(self, ctx: CommandContext, args: Mapping[str, Any]) -> None:
        now, profile = await self._enter(ctx)
        status = mark_absent(ctx.sender, now, profile.tz)
        await self.wd.change(ctx.sender, status, WorkEventKind.END, now, boards=False)
        await ctx.confirm_privately(ctx.tr("cmd.absent.reply"))
        await self._board(ctx)

    # ------------------------------------------------------------ status

    async def status(self, ctx: CommandContext, args: Mapping[str, Any]) -> None:
        """``!status``: this room's board. ``!status @x``: x's current state, only where
        everyone who reads the answer shares a team room with x (``team_rooms``); anyone
        else hears what they would hear of a person the bot knows nothing about."""
        now = self.wd.event_time(ctx.message)
        who: UserID | None = args.get("who")
        teams = self.wd.board.teams
        if who is None and ctx.message.is_direct:
            who = ctx.sender  # a direct chat has no board: the person's own state
        elif who is None:
            if not await teams.enabled(ctx.room_id):
                await ctx.reply(ctx.tr("status.room_off"))
                return
            await ctx.reply(await self.wd.board.render(ctx.room_id, now))
            return
        name = self._name(ctx, who)
        direct = ctx.message.is_direct
        if not await teams.may_see(ctx.sender, who, ctx.room_id, direct=direct) or not (
            await self.wd.store.known([who])
        ):
            await ctx.reply(ctx.tr("status.unknown", name=name))
            return
        _, _, presence = await self.wd.directory.state(who, now)
        matrix = self.wd.ctx.matrix
        names_from = None if direct else ctx.room_id  # a direct chat: from the shared rooms
        raw_name = matrix.display_name(names_from, who)
        stand_in = matrix.display_name(names_from, presence.stand_in) if presence.stand_in else None
        tz = await self.wd.ctx.rooms.timezone(ctx.room_id)
        own = who == ctx.sender
        await ctx.reply(render_status(raw_name, presence, now, tz, ctx.tr, stand_in, own=own))
