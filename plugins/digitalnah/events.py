"""What the plugin does with ordinary chat events.

- A message with #DigitalNah in a watched room becomes a draft; the bot answers in its
  thread with what it understood and what is missing.
- The submitter completes it by replying in that thread (or replying to the bot's answer)
  or by editing the original message; an edit of an approved offering sends it back to
  review.
- ✅ from a moderator on the original message or on a bot message about the offering
  approves it. A member's ✅ does not; the member is told so once (ever), after that the
  bot keeps quiet — people use ✅ as "+1" too.
- Deleting the original message (submitter or moderator) withdraws the offering.
- In a direct chat with a running ``!angebot assistent`` the message is the next answer.
- A tip, completing reply or edit longer than ``MAX_MESSAGE_LENGTH`` changes nothing and
  is answered with the length message (a reply quoting all of it would be refused by the
  homeserver, and the person would hear nothing).
"""

from __future__ import annotations

import logging

from digitalnah.assistant_flow import AssistantFlow
from digitalnah.extract import (
    contains_hashtag,
    extract_from_message,
    parse_completion,
    parse_field_lines,
)
from digitalnah.lifecycle import Action, is_approval_reaction
from digitalnah.model import Offering, OfferingState, Problem, Source
from digitalnah.replies import person, render_problem
from digitalnah.service import DigitalNah
from digitalnah.store import EventRole
from digitalnah.validate import message_length_problem, missing_fields
from homeoffice_bot.kernel.errors import CommandError, MatrixError
from homeoffice_bot.kernel.events import Edit, Message, Reaction, Redaction
from homeoffice_bot.kernel.ids import EventID, RoomID, UserID

log = logging.getLogger(__name__)

_CLOSED = (OfferingState.WITHDRAWN, OfferingState.ENDED)
MEMBER_TICK_NOTE = "digitalnah.member-tick-note:"
"""Occurrence key prefix: a member is told once that their ✅ does not approve."""


class ChatHandlers:
    def __init__(self, dn: DigitalNah, assistant: AssistantFlow) -> None:
        self.dn = dn
        self.assistant = assistant

    def _from_bot(self, sender: UserID) -> bool:
        return sender == self.dn.ctx.matrix.user_id

    # ------------------------------------------------------------ messages

    async def on_message(self, message: Message) -> None:
        if self._from_bot(message.sender):
            return
        if message.is_direct and await self.assistant.answer(message):
            return
        store = self.dn.store
        related = message.thread_root or message.reply_to
        if related is not None:
            roles = [EventRole.THREAD] if message.thread_root else [EventRole.REPLY]
            offering = await store.by_event(related, roles, submitter=message.sender)
            if offering is not None and not contains_hashtag(message.body):
                await self._complete(offering, message)
                return
        if (
            message.msgtype != "m.notice"  # other bots' notices are no tips
            and self.dn.watches(message.room_id)
            and contains_hashtag(message.body)
        ):
            await self._new_tip(message)

    async def _new_tip(self, message: Message) -> None:
        dn = self.dn
        too_long = message_length_problem(message.body)
        if too_long is not None:
            thread = message.thread_root or message.event_id
            await self._refuse(message.room_id, thread, message.event_id, too_long)
            return
        image = message.media_url if message.msgtype == "m.image" else None
        extracted = extract_from_message(message.body, dn.categories)
        result = await dn.create(
            message.sender,
            extracted,
            message.server_ts,
            Source(message.room_id, message.event_id, image),
            thread_root=message.thread_root,
        )
        await dn.reply_draft(result, reply_to=message.event_id)

    async def _complete(self, offering: Offering, message: Message) -> None:
        """A reply by the submitter: ``Feld: Wert`` lines, or plain text answering what
        is missing. Chat about a complete offering is left alone."""
        if offering.state in _CLOSED or offering.id is None:
            return
        too_long = message_length_problem(message.body, reply=True)
        if too_long is not None:
            tr = await self.dn.tr_for(offering.source_room_id)
            await self.dn.say_in_thread(
                offering, render_problem(too_long, tr), reply_to=message.event_id
            )
            return
        missing = missing_fields(offering)
        extracted = parse_completion(message.body, missing, self.dn.categories)
        if not extracted.values and (not missing or not extracted.free_text.strip()):
            return
        result = await self.dn.update(offering.id, extracted, message.sender, message.server_ts)
        await self.dn.reply_draft(result, reply_to=message.event_id, unplaced=extracted.free_text)

    async def _refuse(
        self, room: RoomID, thread_root: EventID, reply_to: EventID, problem: Problem
    ) -> None:
        """Answer a message that became no offering, in its thread."""
        tr = await self.dn.tr_for(room)
        try:
            await self.dn.ctx.outbox.send(
                room, render_problem(problem, tr), thread_root=thread_root, reply_to=reply_to
            )
        except MatrixError:
            log.exception("could not answer %s", reply_to)

    # ------------------------------------------------------------ edits

    async def on_edit(self, edit: Edit) -> None:
        if self._from_bot(edit.sender):
            return
        dn = self.dn
        offering = await dn.store.by_event(edit.original_event_id, [EventRole.SOURCE])
        too_long = message_length_problem(edit.new_body)
        if offering is None:
            if dn.watches(edit.room_id) and contains_hashtag(edit.new_body):
                if too_long is not None:
                    original = edit.original_event_id
                    await self._refuse(edit.room_id, original, original, too_long)
                    return
                extracted = extract_from_message(edit.new_body, dn.categories)
                source = Source(edit.room_id, edit.original_event_id)
                result = await dn.create(edit.sender, extracted, edit.server_ts, source)
                await dn.reply_draft(result, reply_to=edit.original_event_id)
            return
        if edit.sender != offering.submitter or offering.id is None:
            return
        if offering.state in _CLOSED:
            return
        if too_long is not None:
            tr = await dn.tr_for(offering.source_room_id)
            await dn.say_in_thread(
                offering, render_problem(too_long, tr), reply_to=edit.original_event_id
            )
            return
        prefix = dn.ctx.bot.command_prefix
        body = edit.new_body
        if body.lstrip().startswith(prefix):  # an edited ``!angebot neu …``
            first, _, others = body.lstrip().partition("\n")
            same_line = first.split(maxsplit=2)[2:]  # what follows "!angebot neu"
            extracted = parse_field_lines("\n".join([*same_line, others]))
        else:
            extracted = extract_from_message(body, dn.categories)
        result = await dn.update(offering.id, extracted, edit.sender, edit.server_ts)
        if result.changed or result.audit is not None:
            await dn.reply_draft(result, reply_to=edit.original_event_id)

    # ------------------------------------------------------------ reactions

    async def on_reaction(self, reaction: Reaction) -> None:
        if self._from_bot(reaction.sender) or not is_approval_reaction(reaction.key):
            return
        dn = self.dn
        offering = await dn.store.by_event(reaction.relates_to)
        if offering is None or offering.id is None:
            return
        if not dn.may_moderate(reaction.sender, offering):
            await self._member_tick(offering, reaction)
            return
        if offering.state is OfferingState.APPROVED:
            return
        try:
            await dn.decide(offering.id, Action.APPROVE, reaction.sender, reaction.server_ts)
        except CommandError as error:
            tr = await dn.tr_for(offering.source_room_id)
            await dn.say_in_thread(offering, tr(error.key, **error.params))

    async def _member_tick(self, offering: Offering, reaction: Reaction) -> None:
        dn = self.dn
        if not await dn.ctx.scheduler.claim(MEMBER_TICK_NOTE + reaction.sender):
            return
        tr = await dn.tr_for(reaction.room_id)
        name = person(reaction.sender, dn.names(reaction.room_id, [reaction.sender]))
        note = tr("digitalnah.moderation.not_moderator_reaction", name=name)
        await dn.say_in_thread(offering, note)

    # ------------------------------------------------------------ redactions

    async def on_redaction(self, redaction: Redaction) -> None:
        dn = self.dn
        offering = await dn.store.by_event(redaction.redacts, [EventRole.SOURCE])
        if offering is None or offering.id is None or offering.state in _CLOSED:
            return
        if redaction.sender != offering.submitter and not dn.may_moderate(
            redaction.sender, offering
        ):
            return
        try:
            await dn.decide(offering.id, Action.WITHDRAW, redaction.sender, redaction.server_ts)
        except CommandError as error:
            log.info("offering %s not withdrawn on redaction: %s", offering.id, error.key)
