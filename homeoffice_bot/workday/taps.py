"""Taps on the board: the bot's own reactions under each board message are buttons.

- A new board message gets 🟢 ☕ 🚶 🌙 once (``BoardService``).
- A member's tap on today's board of a room with the workday on changes their own state
  through ``PresenceActions``; the words of the confirmation go to their direct chat (the
  tap itself is visible). A tap by anyone else, on an older board, or in a room with the
  workday off does nothing.
- Removing the tap restores the status from before it, as long as nothing else changed
  the state since (the tap's work event is taken back too).
- A break or "kurz weg" is open at once; the direct chat asks "Bis wann?" with one-tap
  answers (1️⃣ 15 min, 2️⃣ 30 min, 3️⃣ 1 h, 🔓 open) or a typed time. While the question
  is open it is a ``Conversation``: plain words in the direct chat stay silent.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from homeoffice_bot.kernel.argtypes import shown
from homeoffice_bot.kernel.errors import MatrixError, ParseError
from homeoffice_bot.kernel.escaping import escape_line as escape_markdown
from homeoffice_bot.kernel.events import Message, Reaction, Redaction
from homeoffice_bot.kernel.ids import RoomID, UserID
from homeoffice_bot.kernel.localtime import as_utc, local_date
from homeoffice_bot.workday.actions import Actor, PresenceActions
from homeoffice_bot.workday.arbzg import WorkEventKind
from homeoffice_bot.workday.board import render_status
from homeoffice_bot.workday.buttons import (
    CHOICE_STATE,
    TIMED,
    UNTIL_BUTTONS,
    Choice,
    UntilAnswer,
    choice_for,
    question_text,
    until_button,
    until_from_button,
    until_from_text,
)
from homeoffice_bot.workday.states import PresenceState
from homeoffice_bot.workday.store_taps import Tap, TapStore, UntilQuestion
from homeoffice_bot.workday.texts import Translate

if TYPE_CHECKING:
    from homeoffice_bot.workday.service import Workday

QUESTION_OPEN = timedelta(minutes=30)
"""How long "Bis wann?" waits for an answer (the break stays open without one)."""

EVENT_KIND = {
    Choice.START: WorkEventKind.START,
    Choice.BREAK: WorkEventKind.BREAK,
    Choice.AWAY: WorkEventKind.AWAY,
    Choice.OFF: WorkEventKind.END,
}


class BoardTaps:
    def __init__(self, wd: Workday, actions: PresenceActions) -> None:
        self.wd = wd
        self.actions = actions
        self.store = TapStore(wd.ctx.db)

    # ------------------------------------------------------------ events

    async def on_reaction(self, reaction: Reaction) -> None:
        if reaction.sender == self.wd.ctx.matrix.user_id:
            return
        choice = choice_for(reaction.key)
        if choice is not None:
            await self._board_tap(reaction, choice)
            return
        button = until_button(reaction.key)
        if button is None:
            return
        question = await self.store.question_by_event(reaction.relates_to)
        if question is None or question.user != reaction.sender:
            return
        if question.room_id != reaction.room_id:
            return
        now = min(reaction.server_ts, self.wd.now())
        await self._answer(question, until_from_button(button, question.since, now), now)

    async def on_redaction(self, redaction: Redaction) -> None:
        tap = await self.store.take_tap(redaction.redacts)
        if tap is None:
            return
        wd = self.wd
        current = await wd.store.status(tap.user)
        if current is None or current.state is not tap.state or current.since != as_utc(tap.at):
            return  # something else changed the state since: nothing to undo
        now = min(redaction.server_ts, wd.now())
        if tap.event_kind is not None:
            await self.store.take_work_event(tap.user, tap.at, tap.event_kind)
        question = await self.store.question(tap.user)
        if question is not None and question.since == as_utc(tap.at):
            await self.store.close_question(tap.user, question.event_id)
        await wd.change(tap.user, tap.previous, None, now)
        tr = await wd.ctx.tr_for(tap.room_id)
        _, _, presence = await wd.directory.state(tap.user, now)
        tz = (await wd.directory.profile(tap.user)).tz
        name = wd.ctx.matrix.display_name(tap.room_id, tap.user)
        status = render_status(name, presence, now, tz, tr, own=True)
        await wd.ctx.outbox.dm(tap.user, f"{tr('buttons.undone')} {status}")

    async def on_message(self, message: Message) -> None:
        """A typed answer to "Bis wann?" in the direct chat."""
        if not message.is_direct or message.sender == self.wd.ctx.matrix.user_id:
            return
        now = self.wd.event_time(message)
        question = await self._open_question(message.sender, message.room_id, now)
        if question is None:
            return
        tz = (await self.wd.directory.profile(message.sender)).tz
        try:
            answer = until_from_text(message.body, now, tz)
        except ParseError:
            tr = await self.wd.ctx.tr_for(question.team_room)
            text = tr("buttons.until_unclear", text=escape_markdown(shown(message.body)))
            await self.wd.ctx.outbox.send(message.room_id, text, reply_to=message.event_id)
            return
        await self._answer(question, answer, now)

    async def waiting_for(self, user: UserID, room_id: RoomID) -> bool:
        """The ``Conversation``: "Bis wann?" waits for the person's answer there."""
        return await self._open_question(user, room_id, self.wd.now()) is not None

    # ------------------------------------------------------------ a tap on the board

    async def _board_tap(self, reaction: Reaction, choice: Choice) -> None:
        wd = self.wd
        board = await wd.board.store.board(reaction.room_id)
        room = reaction.room_id
        if board.event_id != reaction.relates_to or board.day is None:
            return  # not this room's board (an older one, or another message)
        now = min(reaction.server_ts, wd.now())
        if board.day != local_date(now, await wd.ctx.rooms.timezone(room)):
            return  # yesterday's board
        if not await wd.board.teams.enabled(room):
            return
        if reaction.sender not in wd.ctx.matrix.members(room):
            return
        user = reaction.sender
        previous = await wd.store.status(user)
        _, _, presence = await wd.directory.state(user, now)
        tr = await wd.ctx.tr_for(room)
        said: list[str] = []

        async def confirm(text: str) -> None:
            if choice in TIMED:
                said.append(text)  # sent with the question, in one message
            else:
                await wd.ctx.outbox.dm(user, text)

        actor = Actor(user=user, now=now, room_id=room, direct=False, tr=tr, confirm=confirm)
        tap = Tap(
            reaction.event_id, user, room, reaction.relates_to, reaction.key, now,
            CHOICE_STATE[choice], previous, EVENT_KIND[choice].value,
        )  # fmt: skip
        if choice is Choice.START:
            if presence.state in (PresenceState.BREAK, PresenceState.AWAY):
                await self.actions.back(actor)
            else:
                await self.actions.start(actor)
        elif choice is Choice.BREAK:
            await self.actions.pause(actor, None)
        elif choice is Choice.AWAY:
            await self.actions.away(actor, None, None, False)
        else:
            await self.actions.off(actor)
        # recorded after the change: a tap whose handling a crash cut short is handled
        # again (its sends keep their transaction ids) instead of being lost
        await self.store.add_tap(tap)
        await wd.jobs.reschedule(user)
        if choice in TIMED:
            await self._ask(actor, tr, " ".join(said), CHOICE_STATE[choice])

    async def _ask(self, actor: Actor, tr: Translate, said: str, state: PresenceState) -> None:
        outbox = self.wd.ctx.outbox
        direct = await outbox.direct_room(actor.user)
        event_id = await outbox.send(direct, question_text(tr, said))
        await self.store.ask(
            UntilQuestion(actor.user, direct, event_id, actor.room_id, state, actor.now,
                          actor.now)
        )  # fmt: skip
        for button in UNTIL_BUTTONS:
            try:
                await outbox.react(direct, event_id, button.key)
            except MatrixError:
                self.wd.log.warning("could not offer the answers to 'Bis wann?'")
                return

    # ------------------------------------------------------------ "Bis wann?"

    async def _open_question(
        self, user: UserID, room_id: RoomID, now: datetime
    ) -> UntilQuestion | None:
        question = await self.store.question(user)
        if question is None or question.room_id != room_id:
            return None
        if now >= question.asked_at + QUESTION_OPEN:
            return None
        status = await self.wd.store.status(user)
        if status is None or status.state is not question.state:
            return None
        if status.since != question.since or status.until is not None:
            return None
        return question

    async def _answer(self, question: UntilQuestion, answer: UntilAnswer, now: datetime) -> None:
        if not await self.store.close_question(question.user, question.event_id):
            return  # answered before
        wd = self.wd
        tr = await wd.ctx.tr_for(question.team_room)

        async def confirm(text: str) -> None:
            await wd.ctx.outbox.dm(question.user, text)

        actor = Actor(
            user=question.user, now=now, room_id=question.team_room, direct=False, tr=tr,
            confirm=confirm,
        )  # fmt: skip
        if not await self.actions.set_until(actor, question.since, answer.until):
            return
        await wd.jobs.reschedule(question.user)
