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
from datetime import date
from typing import TYPE_CHECKING, Any

from homeoffice_bot.kernel.argtypes import fold
from homeoffice_bot.kernel.commands import CommandContext
from homeoffice_bot.kernel.errors import CommandError, SendError
from homeoffice_bot.kernel.escaping import escape_line as escape_markdown
from homeoffice_bot.kernel.ids import UserID
from homeoffice_bot.kernel.localtime import local_date
from homeoffice_bot.workday.actions import Actor, PresenceActions
from homeoffice_bot.workday.board import render_status
from homeoffice_bot.workday.plain_leave import parse_leave_words
from homeoffice_bot.workday.profiles import Profile
from homeoffice_bot.workday.store_plain import Choice
from homeoffice_bot.workday.texts import (
    format_date,
)
from homeoffice_bot.workday.when import TwoReadings, parse_away, parse_until

if TYPE_CHECKING:
    from homeoffice_bot.workday.plain_chat import PlainChat
    from homeoffice_bot.workday.service import Workday

log = logging.getLogger(__name__)

CANCEL_WORDS = frozenset({"aus", "löschen", "loeschen", "stornieren", "off", "cancel", "delete"})


class PresenceCommands:
    """The commands; what each change does is in ``actions`` (plain words and taps on
    the board do the same)."""

    def __init__(self, wd: Workday) -> None:
        self.wd = wd
        self.actions = PresenceActions(wd)
        self.plain: PlainChat | None = None
        """Asks about two readings (``!pause 13``); set by the plugin."""

    def _actor(self, ctx: CommandContext) -> Actor:
        return Actor(
            user=ctx.sender,
            now=self.wd.event_time(ctx.message),
            room_id=ctx.room_id,
            direct=ctx.message.is_direct,
            tr=ctx.tr,
            confirm=ctx.confirm_privately,
        )

    def _name(self, ctx: CommandContext, user: UserID) -> str:
        return escape_markdown(self.wd.ctx.matrix.display_name(ctx.room_id, user))

    # ------------------------------------------------------------ start and back

    async def start(self, ctx: CommandContext, args: Mapping[str, Any]) -> None:
        await self.actions.start(self._actor(ctx))

    async def back(self, ctx: CommandContext, args: Mapping[str, Any]) -> None:
        await self.actions.back(self._actor(ctx))

    # ------------------------------------------------------------ breaks and away

    async def pause(self, ctx: CommandContext, args: Mapping[str, Any]) -> None:
        actor = self._actor(ctx)
        text = args.get("when")
        profile = await self.actions.enter(actor, enrol=False)
        try:
            until = parse_until(text, actor.now, profile.tz) if text else None
        except TwoReadings as exc:
            await self._ask(ctx, actor, "break", exc)
            return
        await self.actions.pause(actor, until)

    async def away(self, ctx: CommandContext, args: Mapping[str, Any]) -> None:
        actor = self._actor(ctx)
        profile = await self.actions.enter(actor, enrol=False)
        try:
            request = parse_away(args.get("rest") or "", actor.now, profile.tz)
        except TwoReadings as exc:
            await self._ask(ctx, actor, "away", exc)
            return
        # A private reason typed in a room is already in the room's timeline: not kept.
        in_room = request.note is not None and not request.note_shared and not actor.direct
        if not in_room:
            await self.actions.away(actor, request.until, request.note, request.note_shared)
            return

        async def confirm(text: str) -> None:
            # The answer does not repeat the reason: it would be stored to send it.
            if await self._redact(ctx):  # the command is gone: nothing left to react to
                await ctx.outbox.dm(ctx.sender, f"{text} {ctx.tr('cmd.away.reason_removed')}")
            else:
                await ctx.confirm_privately(f"{text} {ctx.tr('cmd.away.reason_in_room')}")

        await self.actions.away(actor, request.until, None, False, confirm=confirm)

    async def _ask(self, ctx: CommandContext, actor: Actor, kind: str, exc: TwoReadings) -> None:
        """``!pause 13``: 13 minutes or until 13 o'clock? A question with one tap each
        (in a room without the plain-words part: the message that asks for the form)."""
        if self.plain is None:
            raise exc
        choices = tuple(Choice(kind, until) for until in exc.readings)
        await self.plain.ask(actor, choices, reply_to=ctx.message.event_id, send=ctx.reply)

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
        await self.actions.off(self._actor(ctx))

    async def leave(self, ctx: CommandContext, args: Mapping[str, Any]) -> None:
        actor = self._actor(ctx)
        text = (args.get("period") or "").strip()
        if text and self.plain is not None:  # leave changed by command: no undo of older words
            await self.plain.store.drop_undo(ctx.sender)
        if fold(text) in CANCEL_WORDS:
            await self.actions.cancel_leave(actor)
            return
        profile = await self.actions.enter(actor, enrol=False)
        today = local_date(actor.now, profile.tz)
        if not text:
            await ctx.confirm_privately(self._leave_list(ctx, profile, today))
            return
        request = parse_leave_words(text, today)
        if request.last_day < today:
            raise CommandError("workday.error.leave_past", text=text)
        stand_in = self.actions.stand_in(actor, request.stand_in)
        await self.actions.leave(actor, request.first_day, request.last_day, stand_in)

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

    async def absent(self, ctx: CommandContext, args: Mapping[str, Any]) -> None:
        await self.actions.absent(self._actor(ctx))

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
