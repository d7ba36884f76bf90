"""The run of show of a live stand-up: one turn after the other, each announced in the
kickoff's thread with a prompt that alerts only its speaker.

The speaking time (the window less a reserve for the round's end) is divided among the
speakers still to come whenever a turn starts, so a speaker who hands on early ("weiter",
"next", or the ⏭️ button) leaves the time to the others, and people who join late are
added at the end. A turn ends when its time is up (a scheduler job, or ``due`` called
after the clock moved) or when the speaker hands on; each start and end is claimed in the
database, so a job that fires twice and a button tapped twice change nothing. When the
round closes, the turns are forgotten: the rotation keeps only who opened and who closed
(no per-person speaking times are stored beyond the round).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from datetime import datetime, timedelta

from homeoffice_bot.kernel.errors import MatrixError
from homeoffice_bot.kernel.escaping import escape_markdown
from homeoffice_bot.kernel.formatting import mention
from homeoffice_bot.kernel.ids import EventID, RoomID, UserID
from homeoffice_bot.kernel.plugins import PluginContext
from homeoffice_bot.kernel.schedule_rules import Once
from homeoffice_bot.standup.minutes import OpenAction, describe_action
from homeoffice_bot.standup.rotation import seat_newcomers, todays_order
from homeoffice_bot.standup.store import OccurrenceRecord, StandupStore
from homeoffice_bot.standup.store_live import LiveStore, Turn
from homeoffice_bot.standup.text import Translate, format_length, format_time

log = logging.getLogger(__name__)

HAND_ON = "⏭️"
HAND_ON_KEYS = frozenset({"⏭️", "⏭", "⏩", "👉", "➡️"})
HAND_ON_WORDS = frozenset({"weiter", "next", "nächste", "nächster", "fertig", "done"})
MAX_RESERVE = timedelta(minutes=1)
TICK = "✅"
"""The button under an open action: tapped, the action is done."""

JobId = Callable[[OccurrenceRecord, str], str]


def speaking_ends(opened_at: datetime, closes_at: datetime) -> datetime:
    """When the last turn ends: a minute (at most a tenth of the window) is kept for the
    round's end."""
    return closes_at - min(MAX_RESERVE, (closes_at - opened_at) / 10)


def turn_length(now: datetime, speaking_end: datetime, speakers_left: int) -> timedelta:
    """The time of the turn starting ``now`` when ``speakers_left`` (this one included)
    share what is left of the speaking time."""
    left = max(speaking_end - now, timedelta(0))
    return left / max(speakers_left, 1)


def shown_seconds(length: timedelta) -> int:
    """A turn's length as said: to 15 seconds from a minute on ("8 Minuten 45 Sekunden",
    not "8 Minuten 59 Sekunden")."""
    seconds = length.total_seconds()
    return round(seconds / 15) * 15 if seconds >= 60 else round(seconds)


def is_hand_on(text: str) -> bool:
    return text.strip().strip(".!").casefold() in HAND_ON_WORDS


class RunOfShow:
    def __init__(
        self, ctx: PluginContext, store: StandupStore, live: LiveStore, job_id: JobId
    ) -> None:
        self.ctx = ctx
        self.store = store
        self.live = live
        self.job_id = job_id

    async def order(self, standup_id: int, expected: list[str]) -> list[str]:
        """Today's speaking order from the rotation (newcomers get a seat first)."""
        seats = await self.live.seats(standup_id)
        await self.live.add_seats(standup_id, seat_newcomers(seats, sorted(expected)))
        return todays_order(await self.live.seats(standup_id), expected)

    async def end_round(self, occurrence: OccurrenceRecord, now: datetime) -> None:
        """The rotation learns who opened and who closed the round."""
        ends = await self.opener_and_closer(occurrence.id)
        if ends is not None:
            await self.live.record_round(occurrence.standup_id, ends[0], ends[1], now)

    async def begin(self, occurrence: OccurrenceRecord) -> None:
        """The turns of the speaking order, and the first one's prompt."""
        await self.live.add_turns(occurrence.id, occurrence.speaking_order)
        await self._start_next(occurrence)

    async def resume(self, occurrence: OccurrenceRecord) -> None:
        """After a restart: the running turn's end job (or the next turn, when none runs)."""
        turns = await self.live.turns(occurrence.id)
        running = next((t for t in turns if t.running), None)
        if running is not None:
            await self._schedule_end(occurrence, running)
        elif turns and occurrence.kickoff_event_id is not None:
            await self._start_next(occurrence)

    async def due(self, occurrence_id: int) -> None:
        """End the running turn when its time is up (by the injected clock)."""
        occurrence = await self.store.occurrence(occurrence_id)
        if occurrence is None or not occurrence.is_open:
            return
        running = next((t for t in await self.live.turns(occurrence_id) if t.running), None)
        if running is None or running.ends_at is None:
            return
        if running.ends_at <= self.ctx.clock.now():
            await self._end(occurrence, running)

    async def hand_on(self, occurrence: OccurrenceRecord, user: str) -> bool:
        """The speaker ``user`` hands on early; False when it is not their turn."""
        if not occurrence.is_open:
            return False
        running = next((t for t in await self.live.turns(occurrence.id) if t.running), None)
        if running is None or running.user_id != user:
            return False
        await self._end(occurrence, running)
        return True

    async def skip(self, occurrence: OccurrenceRecord) -> bool:
        """The moderation ends the running turn (``!standup weiter``); False without one."""
        running = next((t for t in await self.live.turns(occurrence.id) if t.running), None)
        if not occurrence.is_open or running is None:
            return False
        await self._end(occurrence, running)
        return True

    async def add_late(self, occurrence: OccurrenceRecord, user: str) -> None:
        """Someone who joins while the round runs speaks at the end."""
        turns = await self.live.turns(occurrence.id)
        if not occurrence.is_open or not turns or any(t.user_id == user for t in turns):
            return
        await self.live.add_turns(occurrence.id, [user])
        if all(t.ended_at is not None for t in turns):  # the round was through: go on
            await self._start_next(occurrence)

    async def turn_of_prompt(self, event_id: str) -> tuple[OccurrenceRecord, Turn] | None:
        found = await self.live.turn_by_prompt(event_id)
        if found is None:
            return None
        occurrence = await self.store.occurrence(found[0])
        return None if occurrence is None else (occurrence, found[1])

    async def opener_and_closer(self, occurrence_id: int) -> tuple[str, str] | None:
        started = [t for t in await self.live.turns(occurrence_id) if t.started_at is not None]
        return (started[0].user_id, started[-1].user_id) if started else None

    async def post_open_actions(
        self,
        occurrence: OccurrenceRecord,
        actions: list[OpenAction],
        names: Mapping[str, str],
        tr: Translate,
    ) -> None:
        """One message per open action in the thread, with a ✅ button to tick it off."""
        for action in actions:
            owner = names.get(action.owner, action.owner) if action.owner else None
            text = tr(
                "standup.minutes.open_item",
                action=describe_action(action.text, owner, action.due, tr, escape_markdown),
            )
            try:
                root = EventID(occurrence.kickoff_event_id or "")
                event_id = await self.ctx.outbox.send(
                    RoomID(occurrence.room_id), text, thread_root=root
                )
                await self.live.add_action_post(event_id, action.id)
                await self.ctx.outbox.react(RoomID(occurrence.room_id), event_id, TICK)
            except MatrixError:
                log.exception("open action %s could not be posted", action.id)

    def closing_text(
        self, occurrence: OccurrenceRecord, ended_by: str | None, early: bool, tr: Translate
    ) -> str:
        if not early or ended_by is None:
            return tr("standup.live.closed")
        names = self.ctx.matrix.names_for(RoomID(occurrence.room_id), [UserID(ended_by)])
        return tr("standup.live.ended_early", name=escape_markdown(names.get(ended_by, ended_by)))

    # ---------------------------------------------------------------- turns

    async def _end(self, occurrence: OccurrenceRecord, turn: Turn) -> None:
        if not await self.live.claim_end(occurrence.id, turn.position, self.ctx.clock.now()):
            return
        self.ctx.scheduler.cancel(self.job_id(occurrence, f"turn{turn.position}"))
        await self._start_next(occurrence)

    async def _start_next(self, occurrence: OccurrenceRecord) -> None:
        turns = await self.live.turns(occurrence.id)
        if any(t.running for t in turns):
            return
        waiting = [t for t in turns if t.started_at is None]
        if not waiting:
            if turns:
                await self._round_done(occurrence)
            return
        now = self.ctx.clock.now()
        end = speaking_ends(occurrence.opened_at, occurrence.closes_at)
        if end <= now:  # a latecomer after the speaking time: what is left of the window
            end = occurrence.closes_at
        length = turn_length(now, end, len(waiting))
        turn = waiting[0]
        if not await self.live.claim_start(occurrence.id, turn.position, now, now + length):
            return
        following = waiting[1].user_id if len(waiting) > 1 else None
        tr = await self.ctx.tr_for(RoomID(occurrence.room_id))
        text = self._prompt(occurrence, turn.user_id, following, now + length, length, tr)
        event_id = await self._send(occurrence, text, alert=True)
        if event_id is not None:
            await self.live.set_prompt(occurrence.id, turn.position, event_id)
            try:
                await self.ctx.outbox.react(RoomID(occurrence.room_id), event_id, HAND_ON)
            except MatrixError:
                log.exception("no hand-on button on %s", event_id)
        started = Turn(turn.position, turn.user_id, now, now + length, None, event_id)
        await self._schedule_end(occurrence, started)

    def _prompt(
        self,
        occurrence: OccurrenceRecord,
        speaker: str,
        following: str | None,
        until: datetime,
        length: timedelta,
        tr: Translate,
    ) -> str:
        tz = occurrence.config.tz
        lines = [
            tr(
                "standup.turn.now",
                speaker=mention(speaker),
                length=format_length(shown_seconds(length), tr),
                time=format_time(until, tz),
            )
        ]
        if following is not None:
            name = self.ctx.matrix.names_for(RoomID(occurrence.room_id), [UserID(following)])
            lines.append(
                tr("standup.turn.next", name=escape_markdown(name.get(following, following)))
            )
        else:
            lines.append(tr("standup.turn.last"))
        lines.append(tr("standup.turn.hint", button=HAND_ON))
        return "\n".join(lines)

    async def _round_done(self, occurrence: OccurrenceRecord) -> None:
        tr = await self.ctx.tr_for(RoomID(occurrence.room_id))
        text = tr("standup.turn.done", time=format_time(occurrence.closes_at, occurrence.config.tz))
        await self._send(occurrence, text)

    async def _schedule_end(self, occurrence: OccurrenceRecord, turn: Turn) -> None:
        if turn.ends_at is None:
            return
        await self.ctx.scheduler.schedule(
            self.job_id(occurrence, f"turn{turn.position}"),
            Once(turn.ends_at),
            self._due_job(occurrence.id),
            grace=max(occurrence.closes_at - turn.ends_at, timedelta(seconds=1)),
        )

    def _due_job(self, occurrence_id: int) -> Callable[[datetime], Awaitable[None]]:
        async def run(at: datetime) -> None:
            await self.due(occurrence_id)

        return run

    async def _send(
        self, occurrence: OccurrenceRecord, text: str, *, alert: bool = False
    ) -> EventID | None:
        root = occurrence.kickoff_event_id
        try:
            return await self.ctx.outbox.send(
                RoomID(occurrence.room_id), text,
                thread_root=EventID(root) if root else None, alert=alert,
            )  # fmt: skip
        except MatrixError:
            log.exception("turn message could not be sent to %s", occurrence.room_id)
            return None
