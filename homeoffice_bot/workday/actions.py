"""What a person's state change does, however it was asked for: a command in a room or
the direct chat (``presence_commands``), plain words in the direct chat, or a tap on the
board. One place for each change: store it, confirm it, bring the boards up to date, and
what follows (the morning message at the start, what was held during a break).

An ``Actor`` says who acted, when (the event's own time), where (a team room, or the
direct chat) and how the confirmation reaches them: the caller decides (a ✅ and a direct
message for a command in a room, a reply in the direct chat).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import TYPE_CHECKING

from homeoffice_bot.kernel.escaping import escape_line as escape_markdown
from homeoffice_bot.kernel.ids import RoomID, UserID
from homeoffice_bot.kernel.localtime import as_utc, local_date
from homeoffice_bot.workday.arbzg import ReminderId, WorkEventKind, assess, render_reminder
from homeoffice_bot.workday.board import render_wrapup_handback
from homeoffice_bot.workday.hours import LeavePeriod, end_of_today
from homeoffice_bot.workday.jobs import ARBZG_HISTORY
from homeoffice_bot.workday.morning import MorningParts, compose, hours_line
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
    Translate,
    format_date,
    format_until,
    format_when,
)

if TYPE_CHECKING:
    from homeoffice_bot.workday.service import Workday

Confirm = Callable[[str], Awaitable[None]]


@dataclass(frozen=True)
class Actor:
    user: UserID
    now: datetime
    """When the person acted: the event's server time, never later than now."""
    room_id: RoomID
    """Where they acted: a team room, or their direct chat with the bot."""
    direct: bool
    tr: Translate
    confirm: Confirm
    """How the words of a confirmation reach the person."""

    @property
    def team_room(self) -> RoomID | None:
        return None if self.direct else self.room_id


class PresenceActions:
    def __init__(self, wd: Workday) -> None:
        self.wd = wd

    async def enter(self, actor: Actor, *, enrol: bool = True) -> Profile:
        """The person's profile; enrolled (and this room noted as theirs) unless the action
        only looks (``enrol=False``): after ``!daten-löschen`` looking must not bring the
        person back."""
        if enrol:
            await self.wd.store.ensure_person(actor.user, actor.now, actor.team_room)
        return await self.wd.directory.profile(actor.user, looking_from=actor.team_room)

    def name(self, actor: Actor, user: UserID) -> str:
        """``user``'s display name where the actor is (in the direct chat: as in the rooms
        they share with the bot)."""
        names_from = None if actor.direct else actor.room_id
        return escape_markdown(self.wd.ctx.matrix.display_name(names_from, user))

    def stand_in(self, actor: Actor, typed: str | None) -> UserID | None:
        """The person ``typed`` names as a stand-in, among the members of the team room
        acted in (in the direct chat: of the rooms the person shares with the bot). Raises
        ``CommandError`` (``workday.error.stand_in_*``) as ``standin.resolve_stand_in``."""
        if typed is None:
            return None
        matrix = self.wd.ctx.matrix
        if actor.direct:
            rooms = [
                r for r in sorted(matrix.joined_rooms())
                if not matrix.is_direct(r) and actor.user in matrix.members(r)
            ]  # fmt: skip
        else:
            rooms = [actor.room_id]
        members: dict[UserID, str] = {}
        for room in rooms:
            for user, name in matrix.names_for(room, matrix.members(room)).items():
                members.setdefault(UserID(user), name)
        return resolve_stand_in(
            typed, actor.user, matrix.user_id, members, or_word=actor.tr("format.or")
        )

    async def boards(self, actor: Actor) -> None:
        """After a change: update the person's boards, and post this room's first one."""
        await self.wd.board.refresh_for(actor.user)
        room = actor.team_room
        if room is not None and (await self.wd.store.room(room)).board_event_id is None:
            await self.wd.board.ensure(room)

    # ------------------------------------------------------------ start and back

    async def start(self, actor: Actor) -> None:
        """The start of the day. Its confirmation is the one morning message (the
        greeting with the day's hours, what is handed back, the collected mentions, the
        rest-time note); what was held back follows."""
        profile = await self.enter(actor)
        user, now = actor.user, actor.now
        await self.wd.change(user, start_work(user, now), WorkEventKind.START, now, boards=False)
        greeting = actor.tr("cmd.start.reply", name=self.name(actor, user))
        parts = await self.morning(profile, now, actor.tr)
        await actor.confirm(compose(parts, greeting) or greeting)
        await self.boards(actor)
        await self.wd.availability.release(user)

    async def morning(self, profile: Profile, now: datetime, tr: Translate) -> MorningParts:
        """The parts of the morning message at the start of a day (``morning.compose``
        puts them together): the day's hours, yesterday's wrap-up answer handed back,
        the collected mentions and the rest-time note. What is handed back, collected or
        noted is taken here, so it is said once; the caller sends the message (as the
        confirmation of the start: an Actor's ``confirm`` must bring these words to the
        person) and then releases what the delivery gate held back."""
        wd, user = self.wd, profile.user
        rest: list[str] = []
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
                    rest.append(render_reminder(reminder, profile.tz, tr))
        answer = await wd.inbox.take_wrapup(user)
        return MorningParts(
            hours=hours_line(end_of_today(profile.schedule, now), now, profile.tz, tr),
            handback=render_wrapup_handback(answer, tr) if answer else None,
            digest=await wd.digest_text(user, tr),
            rest=" ".join(rest) or None,
        )

    async def back(self, actor: Actor) -> None:
        await self.enter(actor)
        user, now = actor.user, actor.now
        await self.wd.change(user, start_work(user, now), WorkEventKind.START, now, boards=False)
        await actor.confirm(actor.tr("cmd.back.reply"))
        await self.boards(actor)
        await self.wd.availability.release(user)  # what was held during the break

    # ------------------------------------------------------------ breaks and away

    async def pause(self, actor: Actor, until: datetime | None) -> None:
        profile = await self.enter(actor)
        user, now = actor.user, actor.now
        await self.wd.change(
            user, take_break(user, now, until), WorkEventKind.BREAK, now, boards=False
        )
        if until is None:
            await actor.confirm(actor.tr("cmd.pause.reply_open"))
        else:
            shown = format_until(until, now, profile.tz, actor.tr)
            await actor.confirm(actor.tr("cmd.pause.reply_until", until=shown))
        await self.boards(actor)

    async def away(
        self,
        actor: Actor,
        until: datetime | None,
        note: str | None,
        note_shared: bool,
        *,
        confirm: Callable[[str], Awaitable[None]] | None = None,
    ) -> None:
        """Away until ``until`` (or open). ``note`` is what is kept; the caller has already
        dropped a private reason typed in a room. The confirmation says whether the note is
        private or shared; ``confirm`` replaces the actor's way of confirming (a command in
        a room whose reason was not kept says more)."""
        profile = await self.enter(actor)
        user, now = actor.user, actor.now
        status = step_away(user, now, until, note, note_shared)
        await self.wd.change(user, status, WorkEventKind.AWAY, now, boards=False)
        text = self.away_text(actor, profile, until)
        if confirm is not None:
            await confirm(text)
        else:
            if note:
                key = "cmd.away.note_shared" if note_shared else "cmd.away.note_private"
                text += " " + actor.tr(key)
            await actor.confirm(text)
        await self.boards(actor)

    def away_text(self, actor: Actor, profile: Profile, until: datetime | None) -> str:
        if until is None:
            return actor.tr("cmd.away.reply_open")
        shown = format_until(until, actor.now, profile.tz, actor.tr)
        return actor.tr("cmd.away.reply_until", until=shown)

    # ------------------------------------------------------------ end of day, leave, absent

    async def off(self, actor: Actor) -> None:
        profile = await self.enter(actor)
        status = finish_day(actor.user, actor.now, profile.schedule)
        await self.wd.change(actor.user, status, WorkEventKind.END, actor.now, boards=False)
        if status.until is None:
            await actor.confirm(actor.tr("cmd.off.reply_open"))
        else:
            when = format_when(status.until, actor.now, profile.tz, actor.tr)
            await actor.confirm(actor.tr("cmd.off.reply", when=when))
        await self.boards(actor)

    async def leave(
        self, actor: Actor, first_day: date, last_day: date, stand_in: UserID | None
    ) -> None:
        """Leave from ``first_day`` to ``last_day`` (not in the past: the caller checked)."""
        profile = await self.enter(actor)
        user, now = actor.user, actor.now
        today = local_date(now, profile.tz)
        await self.wd.store.add_leave(user, LeavePeriod(first_day, last_day, stand_in), now)
        if first_day <= today:
            status = go_on_leave(user, now, today, last_day, stand_in, profile.tz)
            await self.wd.change(user, status, WorkEventKind.END, now, boards=False)
        first, last = format_date(first_day, actor.tr), format_date(last_day, actor.tr)
        if stand_in is None:
            await actor.confirm(actor.tr("cmd.leave.reply", first=first, last=last))
        else:
            name = self.name(actor, stand_in)
            await actor.confirm(
                actor.tr("cmd.leave.reply_stand_in", first=first, last=last, name=name)
            )
        await self.boards(actor)

    async def cancel_leave(self, actor: Actor) -> None:
        """Cancel the person's leave from today on."""
        profile = await self.enter(actor, enrol=False)
        gone = await self.wd.store.delete_leave_from(actor.user, local_date(actor.now, profile.tz))
        if not gone:
            await actor.confirm(actor.tr("cmd.leave.none"))
            return
        status = await self.wd.store.status(actor.user)
        if status is not None and status.state is PresenceState.LEAVE:
            await self.wd.change(actor.user, None, None, actor.now, boards=False)
        first, last = gone[0].first_day, gone[-1].last_day
        await actor.confirm(
            actor.tr(
                "cmd.leave.cancelled",
                first=format_date(first, actor.tr),
                last=format_date(last, actor.tr),
            )
        )
        await self.wd.board.refresh_for(actor.user)

    async def absent(self, actor: Actor) -> None:
        profile = await self.enter(actor)
        status = mark_absent(actor.user, actor.now, profile.tz)
        await self.wd.change(actor.user, status, WorkEventKind.END, actor.now, boards=False)
        await actor.confirm(actor.tr("cmd.absent.reply"))
        await self.boards(actor)

    # ------------------------------------------------------------ until when (a tap's answer)

    async def set_until(self, actor: Actor, since: datetime, until: datetime | None) -> bool:
        """Give the break or absence that began at ``since`` its end (``None``: it stays
        open): the answer to "Bis wann?" after a tap on the board. No new work event:
        the break began with the tap. False when that status is no longer in effect."""
        profile = await self.enter(actor, enrol=False)
        status = await self.wd.store.status(actor.user)
        timed = (PresenceState.BREAK, PresenceState.AWAY)
        if status is None or status.state not in timed or status.since != as_utc(since):
            return False
        if until is not None and until <= status.since:
            until = None
        changed = replace(status, until=until)
        await self.wd.change(actor.user, changed, None, actor.now, boards=False)
        if status.state is PresenceState.BREAK:
            if until is None:
                await actor.confirm(actor.tr("cmd.pause.reply_open"))
            else:
                shown = format_until(until, actor.now, profile.tz, actor.tr)
                await actor.confirm(actor.tr("cmd.pause.reply_until", until=shown))
        else:
            await actor.confirm(self.away_text(actor, profile, until))
        await self.boards(actor)
        return True
