"""Incoming answers and notes: thread replies, direct messages, edits and redactions.

- A reply in the kickoff's thread (or a reply to the kickoff) is an answer, in live mode
  a note for the minutes.
- A direct message answers the stand-up that asked the person question by question in
  a direct chat; otherwise the open stand-up the person is asked in (thread mode allows
  DMs too). A room of just the bot and the person counts as a direct chat here, even
  when it was not created as one.
- 👍 under a written kickoff, tapped by a participant, answers "Nichts Neues" until they
  type an answer (which replaces it); taking the tap back withdraws it.
- Edits replace the text, redactions remove the message; after the close the report is
  edited. Lateness is judged by the homeserver's timestamp, so answers typed while the
  bot was down count as on time.
"""

from __future__ import annotations

import logging

from homeoffice_bot.kernel.conversations import CONVERSATIONS
from homeoffice_bot.kernel.errors import MatrixError
from homeoffice_bot.kernel.events import Edit, Membership, Message, Reaction, Redaction
from homeoffice_bot.kernel.ids import RoomID, UserID
from homeoffice_bot.kernel.plugins import PluginContext
from homeoffice_bot.standup.answers import (
    AnswerMessage,
    dm_answer_message,
    is_late,
    next_dm_question,
)
from homeoffice_bot.standup.config import StandupMode
from homeoffice_bot.standup.messages import (
    render_answer_received,
    render_dm_done,
    render_dm_question,
)
from homeoffice_bot.standup.minutes import is_minutes_note
from homeoffice_bot.standup.occurrence import is_nothing_new
from homeoffice_bot.standup.questions import section_keywords
from homeoffice_bot.standup.runner import Runner
from homeoffice_bot.standup.showrun import HAND_ON_KEYS, is_hand_on
from homeoffice_bot.standup.store import AnswerRecord, NoteRecord, OccurrenceRecord, StandupStore
from homeoffice_bot.standup.store_live import LiveStore
from homeoffice_bot.standup.store_taps import TapAnswers

log = logging.getLogger(__name__)

ANSWER_MSGTYPES = frozenset({"m.text", "m.emote"})
TICK_KEYS = frozenset({"✅", "✔️", "☑️", "👍"})


class Intake:
    def __init__(self, ctx: PluginContext, store: StandupStore, runner: Runner) -> None:
        self.ctx = ctx
        self.store = store
        self.runner = runner
        self.live = LiveStore(store.db)
        self.taps = TapAnswers(store.db)

    async def on_message(self, message: Message) -> None:
        if message.msgtype not in ANSWER_MSGTYPES or message.sender == self.ctx.matrix.user_id:
            return
        root = message.thread_root or message.reply_to
        if root is not None:
            occurrence = await self.store.occurrence_by_kickoff(root)
            if occurrence is not None and occurrence.room_id == message.room_id:
                await self._in_thread(occurrence, message)
                return
        if self._privately(message) and not await self.store.standups_in_room(message.room_id):
            # a question another feature asked here (the set-up, "Bis wann?") takes the
            # answer: it is not also a stand-up answer
            others = self.ctx.services.get(CONVERSATIONS)
            if others is None or not await others.waiting_for(
                message.sender, message.room_id, besides=self
            ):
                await self._direct(message)

    async def waiting_for(self, user: UserID, room_id: RoomID) -> bool:
        """A conversation (``kernel.conversations``): while a round that asks the person is
        open (question by question in this direct chat, or a written round that takes
        direct messages), their words in the direct chat are its answers."""
        matrix = self.ctx.matrix
        if not (matrix.is_direct(room_id) or matrix.direct_partner(room_id) == user):
            return False
        prompted = await self.store.dm_prompted_occurrence(room_id, user)
        occurrence = await self.store.occurrence(prompted) if prompted is not None else None
        if occurrence is not None and occurrence.is_open:
            return True
        if await self.store.standups_in_room(room_id):
            return False
        return await self._open_for(user) is not None

    def _privately(self, message: Message) -> bool:
        """A direct chat, or any room of just the bot and the sender (a room someone made
        for talking to the bot, without the direct-chat flag): the answer is theirs alone."""
        return message.is_direct or self.ctx.matrix.direct_partner(message.room_id) == (
            message.sender
        )

    async def on_edit(self, edit: Edit) -> None:
        occurrence_id = await self.store.edit_message(
            edit.original_event_id, edit.sender, edit.new_body
        )
        if occurrence_id is not None:
            await self.runner.reports.refresh(occurrence_id)

    async def on_redaction(self, redaction: Redaction) -> None:
        occurrence_id = await self.store.remove_message(redaction.redacts)
        if occurrence_id is not None:
            await self.runner.reports.refresh(occurrence_id)

    async def on_membership(self, membership: Membership) -> None:
        """Someone joins the room while a live round runs: they speak at the end (if the
        stand-up asks them)."""
        if membership.membership != "join" or membership.prev_membership == "join":
            return
        bots = [self.ctx.matrix.user_id, *self.runner.settings.bots]
        for record in await self.store.standups_in_room(membership.room_id):
            occurrence = await self.store.open_occurrence_of(record.id)
            if occurrence is None or occurrence.config.mode is StandupMode.WRITTEN:
                continue
            if membership.user_id in record.config.participants([membership.user_id], bots):
                await self.runner.show.add_late(occurrence, membership.user_id)

    async def on_reaction(self, reaction: Reaction) -> None:
        """⏭️ under a turn prompt hands on (by its speaker); ✅ under an open action, or
        under the note that gave it, ticks it off."""
        if reaction.sender == self.ctx.matrix.user_id:
            return
        if is_nothing_new(reaction.key) and await self._nothing_new(reaction):
            return
        if reaction.key in HAND_ON_KEYS:
            found = await self.runner.show.turn_of_prompt(reaction.relates_to)
            if found is not None and found[0].room_id == reaction.room_id:
                await self.runner.show.hand_on(found[0], reaction.sender)
            return
        if reaction.key in TICK_KEYS:
            await self.live.tick_action(reaction.relates_to, reaction.sender, reaction.server_ts)

    async def _nothing_new(self, reaction: Reaction) -> bool:
        """👍 under a written kickoff: a participant's answer "Nichts Neues" (unless they
        answered already); taking it back is a redaction (``on_redaction``). False when
        the reaction is not under a kickoff."""
        occurrence = await self.store.occurrence_by_kickoff(reaction.relates_to)
        if occurrence is None or occurrence.room_id != reaction.room_id:
            return False
        if occurrence.config.mode is StandupMode.LIVE:
            return True
        if reaction.sender not in occurrence.participants:
            return True  # the same people as for typed answers that count
        tr = await self.ctx.tr_for(reaction.room_id)
        answer = AnswerRecord(
            reaction.event_id, occurrence.id, reaction.sender, reaction.room_id,
            tr("standup.tap.answer"), None, reaction.server_ts,
            is_late(reaction.server_ts, occurrence.closes_at),
        )  # fmt: skip
        if await self.taps.add(answer) and not occurrence.is_open:
            await self.runner.reports.refresh(occurrence.id)
        return True

    # ---------------------------------------------------------------- thread

    async def _in_thread(self, occurrence: OccurrenceRecord, message: Message) -> None:
        mode = occurrence.config.mode
        if mode is not StandupMode.WRITTEN and occurrence.is_open:
            if is_hand_on(message.body):  # the speaker's word, not part of the minutes
                await self.runner.show.hand_on(occurrence, message.sender)
                return
            if message.sender in occurrence.participants:
                await self.runner.show.add_late(occurrence, message.sender)
        if mode is StandupMode.LIVE or (mode is StandupMode.BOTH and is_minutes_note(message.body)):
            note = NoteRecord(
                message.event_id, occurrence.id, message.sender, message.body, message.server_ts
            )
            if await self.store.add_note(note) and not occurrence.is_open:
                await self.runner.reports.refresh(occurrence.id)
            return
        if await self._chat_after_close(occurrence, message):
            return
        late = is_late(message.server_ts, occurrence.closes_at)
        answer = AnswerRecord(
            message.event_id, occurrence.id, message.sender, message.room_id, message.body,
            None, message.server_ts, late,
        )  # fmt: skip
        if not await self.store.add_answer(answer):
            return
        await self.taps.drop(occurrence.id, message.sender)  # a typed answer replaces a tap
        tr = await self.ctx.tr_for(message.room_id)
        # 🕒 under an answer in the room is a lateness mark for everyone to see: only
        # where the room turned lateness marks on (the person's direct chat is private)
        shown_late = late and (occurrence.config.report_late or message.is_direct)
        await self._react(message, render_answer_received(tr, late=shown_late))
        if not occurrence.is_open:
            await self.runner.reports.refresh(occurrence.id)

    async def _chat_after_close(self, occurrence: OccurrenceRecord, message: Message) -> bool:
        """After the report, a message from someone who already answered ("Danke!") is
        conversation, not an answer; they can still edit their answer. Only a first answer
        counts then (late, unless the server received it in time)."""
        if occurrence.is_open or not is_late(message.server_ts, occurrence.closes_at):
            return False
        return bool(await self.store.answers_of(occurrence.id, message.sender))

    # ---------------------------------------------------------------- direct messages

    async def _direct(self, message: Message) -> None:
        prompted_id = await self.store.dm_prompted_occurrence(message.room_id, message.sender)
        occurrence = await self.store.occurrence(prompted_id) if prompted_id is not None else None
        prompted = occurrence is not None
        if occurrence is None or not occurrence.is_open:
            occurrence = await self._open_for(message.sender) or occurrence
            prompted = prompted and occurrence is not None and occurrence.id == prompted_id
        if occurrence is None or await self._chat_after_close(occurrence, message):
            return
        await self.taps.drop(occurrence.id, message.sender)  # a typed answer replaces a tap
        earlier = [a.message() for a in await self.store.answers_of(occurrence.id, message.sender)]
        n_questions = len(occurrence.questions)
        keywords = section_keywords(occurrence.config.questions)
        complete_before = bool(earlier) and next_dm_question(earlier, n_questions, keywords) is None
        if prompted:
            parsed = dm_answer_message(
                message.event_id, message.body, message.server_ts, earlier, n_questions, keywords
            )
        else:
            parsed = AnswerMessage(message.event_id, message.body, message.server_ts)
        late = is_late(message.server_ts, occurrence.closes_at)
        answer = AnswerRecord(
            message.event_id, occurrence.id, message.sender, message.room_id, message.body,
            parsed.question_index, message.server_ts, late,
        )  # fmt: skip
        if not await self.store.add_answer(answer):
            return
        await self._acknowledge_dm(occurrence, message, [*earlier, parsed], prompted,
                                   complete_before)  # fmt: skip
        if not occurrence.is_open:
            await self.runner.reports.refresh(occurrence.id)

    async def _open_for(self, user_id: str) -> OccurrenceRecord | None:
        """The latest open written stand-up that asks ``user_id``."""
        candidates = [
            occurrence
            for occurrence in await self.store.open_occurrences()
            if user_id in occurrence.expected() and occurrence.config.mode is not StandupMode.LIVE
        ]
        return candidates[-1] if candidates else None

    async def _acknowledge_dm(
        self,
        occurrence: OccurrenceRecord,
        message: Message,
        messages: list[AnswerMessage],
        prompted: bool,
        complete_before: bool,
    ) -> None:
        config = occurrence.config
        tr = await self.ctx.tr_for(RoomID(occurrence.room_id))
        upcoming = next_dm_question(
            messages, len(occurrence.questions), section_keywords(config.questions)
        )
        if complete_before or (not prompted and messages[:-1]):
            late = is_late(message.server_ts, occurrence.closes_at)
            await self._react(message, render_answer_received(tr, late=late))
        elif prompted and upcoming is not None:
            text = render_dm_question(
                config.name, upcoming, occurrence.questions, occurrence.closes_at, config.tz, tr
            )
            await self._send(message.room_id, text)
        else:
            await self._send(message.room_id, render_dm_done(config.name, tr))

    async def _react(self, message: Message, key: str) -> None:
        try:
            await self.ctx.outbox.react(message.room_id, message.event_id, key)
        except MatrixError:
            log.exception("could not acknowledge %s", message.event_id)

    async def _send(self, room: RoomID, text: str) -> None:
        try:
            await self.ctx.outbox.send(room, text)
        except MatrixError:
            log.exception("could not answer in %s", room)
