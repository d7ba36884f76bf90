"""Handlers of the settings commands: !arbeitszeit (own and team), !kernzeit, !zeitzone,
!feiertage, !pause plan, !arbzg, !erinnerungen, !dringend, !übersicht. Nothing here shows
another person's hours.

A person's own settings are answered privately (``confirm_privately``: a ✅ in the room,
the words in the direct chat); the team's settings are answered in the room."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from homeoffice_bot.kernel.argtypes import fold
from homeoffice_bot.kernel.commands import CommandContext
from homeoffice_bot.kernel.errors import CommandError, ParseError
from homeoffice_bot.kernel.escaping import escape_line as escape_markdown
from homeoffice_bot.workday.breaks import format_break_plans, parse_break_plans
from homeoffice_bot.workday.hours import (
    canonical_spec,
    format_working_hours,
    parse_working_hours,
    validate_region,
    validate_timezone,
)
from homeoffice_bot.workday.profiles import PROFILE_TZ, Profile, Reminders
from homeoffice_bot.workday.texts import Translate

if TYPE_CHECKING:
    from homeoffice_bot.workday.service import Workday

OFF_WORDS = frozenset({"aus", "keine", "löschen", "loeschen", "off", "none", "delete"})
RESET_WORDS = frozenset({"standard", "zurücksetzen", "zuruecksetzen", "default", "reset"})
MAX_KEYWORD = 40
REMINDER_KINDS: dict[str, tuple[str, ...]] = {
    "dayend": ("feierabend", "tagesende", "end-of-day", "endofday", "evening", "wrap-up"),
    "standup": ("standup", "stand-up", "morgenrunde"),
    "digest": ("sammlung", "erwähnungen", "erwaehnungen", "digest", "mentions"),
}
ALL_WORDS = frozenset({"alle", "all"})
ON_WORDS = frozenset({"an", "ein", "on"})
REMINDER_OFF_WORDS = frozenset({"aus", "off"})


def parse_reminder_choice(text: str) -> tuple[tuple[str, ...], bool | None]:
    """``feierabend aus`` → (("dayend",), False); ``aus`` or ``alle aus`` → all three;
    a kind without on/off → (kinds, None): show them. Words in any order; an unknown
    word is refused with examples (ParseError)."""
    kinds: list[str] = []
    switch: bool | None = None
    for word in text.split():
        folded = fold(word)
        kind = next((k for k, words in REMINDER_KINDS.items() if folded in words), None)
        if kind is not None:
            kinds.append(kind)
        elif folded in ALL_WORDS:
            kinds.extend(REMINDER_KINDS)
        elif folded in ON_WORDS | REMINDER_OFF_WORDS and switch is None:
            switch = folded in ON_WORDS
        else:
            raise ParseError("reminders.unknown", text=word[:MAX_KEYWORD])
    if not kinds and switch is not None:
        kinds = list(REMINDER_KINDS)
    return tuple(dict.fromkeys(kinds)), switch


def _text(args: Mapping[str, Any], name: str) -> str:
    return str(args.get(name) or "").strip()


class SettingsCommands:
    def __init__(self, wd: Workday) -> None:
        self.wd = wd

    async def _enter(self, ctx: CommandContext, *, enrol: bool) -> Profile:
        """The person's profile; enrolled only when the command changes something (after
        ``!daten-löschen`` a command that only looks must not bring them back)."""
        home = None if ctx.message.is_direct else ctx.room_id
        if enrol:
            await self.wd.store.ensure_person(ctx.sender, self.wd.event_time(ctx.message), home)
        return await self.wd.directory.profile(ctx.sender, looking_from=home)

    async def _changed(self, ctx: CommandContext) -> None:
        """Hours, zones and holidays change derived states: bring the boards up to date."""
        await self.wd.board.refresh_for(ctx.sender)

    # ------------------------------------------------------------ working hours

    async def hours(self, ctx: CommandContext, args: Mapping[str, Any]) -> None:
        text = _text(args, "spec")
        profile = await self._enter(ctx, enrol=bool(text))
        if fold(text) in RESET_WORDS:
            await self.wd.store.set_person(ctx.sender, "hours", None)
            profile = await self.wd.directory.profile(ctx.sender)
            await self._changed(ctx)
        elif text:
            hours = parse_working_hours(text)
            if hours.is_empty:
                raise CommandError("workday.error.spec_empty", text=text)
            await self.wd.store.set_person(ctx.sender, "hours", canonical_spec(hours))
            await self._changed(ctx)
            shown = format_working_hours(hours, ctx.tr)
            await ctx.confirm_privately(ctx.tr("cmd.hours.saved", hours=shown, tz=profile.tz))
            return
        await ctx.confirm_privately(await self._describe(ctx, profile))

    async def _describe(self, ctx: CommandContext, profile: Profile) -> str:
        shown = format_working_hours(profile.schedule.hours, ctx.tr)
        lines = [ctx.tr("cmd.hours.shown", hours=shown, tz=profile.tz)]
        if profile.hours_source != "own":
            lines.append(ctx.tr(f"cmd.hours.source_{profile.hours_source}"))
        if profile.schedule.core is not None:
            core = format_working_hours(profile.schedule.core, ctx.tr)
            lines.append(ctx.tr("cmd.hours.core_shown", hours=core))
        if profile.schedule.region:
            lines.append(ctx.tr("cmd.hours.region_shown", region=profile.schedule.region))
        return "\n".join(lines)

    async def team_hours(self, ctx: CommandContext, args: Mapping[str, Any]) -> None:
        text = _text(args, "spec")
        tz = await self.wd.ctx.rooms.timezone(ctx.room_id)
        if fold(text) in RESET_WORDS | OFF_WORDS:
            await self.wd.store.set_room(ctx.room_id, "team_hours", None)
            await self.wd.jobs.reschedule_room(ctx.room_id)
            await self.wd.board.refresh(ctx.room_id)
            shown = format_working_hours(self.wd.settings.hours, ctx.tr)
            await ctx.reply(ctx.tr("cmd.hours.team_reset", hours=shown))
            return
        if not text:
            room = await self.wd.store.room(ctx.room_id)
            hours = parse_working_hours(room.team_hours) if room.team_hours else None
            shown = format_working_hours(hours or self.wd.settings.hours, ctx.tr)
            await ctx.reply(ctx.tr("cmd.hours.team_saved", hours=shown, tz=tz))
            return
        hours = parse_working_hours(text)
        if hours.is_empty:
            raise CommandError("workday.error.spec_empty", text=text)
        await self.wd.store.set_room(ctx.room_id, "team_hours", canonical_spec(hours))
        await self.wd.jobs.reschedule_room(ctx.room_id)
        await self.wd.board.refresh(ctx.room_id)
        shown = format_working_hours(hours, ctx.tr)
        await ctx.reply(ctx.tr("cmd.hours.team_saved", hours=shown, tz=tz))

    async def core(self, ctx: CommandContext, args: Mapping[str, Any]) -> None:
        text = _text(args, "spec")
        if fold(text) in OFF_WORDS:
            await self.wd.store.set_room(ctx.room_id, "core_hours", None)
            await self.wd.jobs.reschedule_room(ctx.room_id)
            await ctx.reply(ctx.tr("cmd.hours.core_cleared"))
            return
        if not text:
            room = await self.wd.store.room(ctx.room_id)
            if room.core_hours is None:
                await ctx.reply(ctx.tr("cmd.hours.core_none"))
            else:
                shown = format_working_hours(parse_working_hours(room.core_hours), ctx.tr)
                await ctx.reply(ctx.tr("cmd.hours.core_saved", hours=shown))
            return
        hours = parse_working_hours(text)
        await self.wd.store.set_room(ctx.room_id, "core_hours", canonical_spec(hours))
        await self.wd.jobs.reschedule_room(ctx.room_id)
        await ctx.reply(ctx.tr("cmd.hours.core_saved", hours=format_working_hours(hours, ctx.tr)))

    async def timezone(self, ctx: CommandContext, args: Mapping[str, Any]) -> None:
        """``!zeitzone Europe/Berlin`` sets the person's own zone (it wins over the
        ``m.tz`` of their Matrix profile); ``!zeitzone standard`` removes it again;
        without a word: the zone and where it comes from (the profile read afresh)."""
        text = _text(args, "zone")
        if text and fold(text) not in RESET_WORDS:
            zone = validate_timezone(text)
            await self._enter(ctx, enrol=True)
            await self.wd.store.set_person(ctx.sender, "tz", zone)
            await self._changed(ctx)
            await ctx.confirm_privately(ctx.tr("cmd.hours.tz_saved", tz=zone))
            return
        await self.wd.ctx.matrix.profile_field(ctx.sender, PROFILE_TZ, fresh=True)
        profile = await self._enter(ctx, enrol=False)  # removing one's own enrols nobody
        if text and profile.tz_source == "own":
            await self.wd.store.set_person(ctx.sender, "tz", None)
            profile = await self.wd.directory.profile(ctx.sender)
            await self._changed(ctx)
        await ctx.confirm_privately(ctx.tr(f"timezone_source.{profile.tz_source}", tz=profile.tz))

    async def holidays(self, ctx: CommandContext, args: Mapping[str, Any]) -> None:
        text = _text(args, "region")
        profile = await self._enter(ctx, enrol=bool(text))
        if fold(text) in RESET_WORDS:
            await self.wd.store.set_person(ctx.sender, "region", None)
            profile = await self.wd.directory.profile(ctx.sender)
            await self._changed(ctx)
        elif text:
            region = validate_region(text)
            await self.wd.store.set_person(ctx.sender, "region", region)
            await self._changed(ctx)
            await ctx.confirm_privately(ctx.tr("cmd.hours.region_saved", region=region))
            return
        region = profile.schedule.region or "—"
        await ctx.confirm_privately(ctx.tr("cmd.hours.region_shown", region=region))

    async def team_holidays(self, ctx: CommandContext, args: Mapping[str, Any]) -> None:
        text = _text(args, "region")
        if fold(text) in RESET_WORDS | OFF_WORDS:
            await self.wd.store.set_room(ctx.room_id, "region", None)
            await self.wd.jobs.reschedule_room(ctx.room_id)
            region = self.wd.directory.default_region
        elif text:
            region = validate_region(text)
            await self.wd.store.set_room(ctx.room_id, "region", region)
            await self.wd.jobs.reschedule_room(ctx.room_id)
        else:
            room = await self.wd.store.room(ctx.room_id)
            region = room.region or self.wd.directory.default_region
        await self.wd.board.refresh(ctx.room_id)
        await ctx.reply(ctx.tr("cmd.hours.region_saved", region=region))

    # ------------------------------------------------------------ breaks, notes, keyword

    async def break_plan(self, ctx: CommandContext, args: Mapping[str, Any]) -> None:
        text = _text(args, "spec")
        profile = await self._enter(ctx, enrol=bool(text))
        if fold(text) in OFF_WORDS:
            await self.wd.store.set_person(ctx.sender, "break_plan", None)
            await ctx.confirm_privately(ctx.tr("cmd.pause_plan.cleared"))
        elif text:
            plans = parse_break_plans(text)
            await self.wd.store.set_person(ctx.sender, "break_plan", " ".join(text.split()))
            shown = format_break_plans(plans, ctx.tr)
            await ctx.confirm_privately(ctx.tr("cmd.pause_plan.saved", plans=shown))
        else:
            shown = format_break_plans(profile.plans, ctx.tr)
            await ctx.confirm_privately(ctx.tr("cmd.pause_plan.shown", plans=shown))

    async def arbzg(self, ctx: CommandContext, args: Mapping[str, Any]) -> None:
        choice = args.get("switch")
        profile = await self._enter(ctx, enrol=choice is not None)
        enabled = profile.arbzg if choice is None else choice == "on"
        if choice is not None:
            await self.wd.store.set_person(ctx.sender, "arbzg", int(enabled))
        await ctx.confirm_privately(ctx.tr("arbzg.enabled" if enabled else "arbzg.disabled"))

    async def reminders(self, ctx: CommandContext, args: Mapping[str, Any]) -> None:
        """``!erinnerungen [feierabend|standup|sammlung|alle] [an|aus]``: which reminders
        the person wants; without on/off, how they are now."""
        kinds, switch = parse_reminder_choice(_text(args, "choice"))
        profile = await self._enter(ctx, enrol=switch is not None)
        if switch is not None:
            for kind in kinds:
                await self.wd.store.set_person(ctx.sender, f"remind_{kind}", int(switch))
            await self.wd.jobs.reschedule(ctx.sender)
            profile = await self.wd.directory.profile(ctx.sender)
        shown = kinds if kinds and switch is None else tuple(REMINDER_KINDS)
        await ctx.confirm_privately(describe_reminders(profile.reminders, shown, ctx.tr))

    async def urgent(self, ctx: CommandContext, args: Mapping[str, Any]) -> None:
        text = _text(args, "keyword")
        if fold(text) in OFF_WORDS:
            await self.wd.store.set_room(ctx.room_id, "urgent_keyword", None)
            await ctx.reply(ctx.tr("cmd.urgent.cleared"))
            return
        if not text:
            room = await self.wd.store.room(ctx.room_id)
            if room.urgent_keyword is None:
                await ctx.reply(ctx.tr("cmd.urgent.none"))
            else:
                keyword = escape_markdown(room.urgent_keyword)
                await ctx.reply(ctx.tr("cmd.urgent.saved", keyword=keyword))
            return
        if len(text) > MAX_KEYWORD or len(text.split()) > 1:
            raise CommandError("workday.error.keyword", text=text[:MAX_KEYWORD])
        await self.wd.store.set_room(ctx.room_id, "urgent_keyword", text)
        await ctx.reply(ctx.tr("cmd.urgent.saved", keyword=escape_markdown(text)))

    # ------------------------------------------------------------ the room's workday

    async def board(self, ctx: CommandContext, args: Mapping[str, Any]) -> None:
        """``!übersicht an|aus|automatisch``: whether this room has the workday on (a
        board, and ``!status @name`` for its members); without a word, how it is now."""
        teams = self.wd.board.teams
        choice = args.get("switch")
        if choice is not None:
            value = None if choice == "auto" else choice == "on"
            await teams.store.set_workday(ctx.room_id, value)
            await self.wd.board.refresh(ctx.room_id, create=True)
        setting = await teams.setting(ctx.room_id)
        if setting is not None:
            await ctx.reply(ctx.tr("cmd.board.on" if setting else "cmd.board.off"))
            return
        enabled = await teams.enabled(ctx.room_id)
        servers = ", ".join(sorted(teams.own_servers()))
        key = "cmd.board.auto_on" if enabled else "cmd.board.auto_off"
        await ctx.reply(ctx.tr(key, servers=escape_markdown(servers)))


def describe_reminders(reminders: Reminders, kinds: tuple[str, ...], tr: Translate) -> str:
    """``Deine Erinnerungen:`` and a line per kind with an, aus (in words)."""
    lines = [tr("reminders.title")]
    for kind in kinds:
        state = tr("reminders.on" if getattr(reminders, kind) else "reminders.off")
        lines.append(tr("reminders.line", name=tr(f"reminders.kind_{kind}"), state=state))
    lines.append(tr("reminders.change"))
    return "\n".join(lines)
