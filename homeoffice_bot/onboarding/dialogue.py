"""The guided set-up ``!einrichten``: typed by the moderation in a team room, held in the
lead's direct chat, one question at a time, then applied.

The dialogue is a row (``onboarding_dialogues``): its step, the answers so far and the
question waiting, so that it goes on after a restart. While it waits it is a
``Conversation`` (kernel.conversations): the lead's next words in the direct chat are its
answer, and nobody else reads them. "abbrechen"/"cancel" ends it; without an answer it
ends after ``TIMEOUT``. Each step is a one-tap choice (the bot's reactions on the
question) or a short typed answer; a wrong one gets a reply with an example.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from homeoffice_bot.kernel.commands import CONFIRMED, CommandContext
from homeoffice_bot.kernel.errors import CommandError, MatrixError, SendError
from homeoffice_bot.kernel.escaping import escape_line
from homeoffice_bot.kernel.events import Message, Reaction
from homeoffice_bot.kernel.ids import RoomID, UserID
from homeoffice_bot.kernel.plugins import PluginContext
from homeoffice_bot.kernel.schedule_rules import Once
from homeoffice_bot.onboarding.apply import apply_setup, detected_region
from homeoffice_bot.onboarding.steps import (
    ORDER,
    AnswerError,
    Answers,
    Step,
    by_reaction,
    is_cancel,
    next_step,
    read_answer,
)
from homeoffice_bot.onboarding.store import Dialogue, OnboardingStore
from homeoffice_bot.onboarding.texts import question, reaction_keys, summary

TIMEOUT = timedelta(hours=2)
"""Without an answer for this long, the set-up ends (and nothing changes)."""
TIMEOUT_GRACE = timedelta(days=7)
"""A timeout missed while the bot was down still ends the dialogue, once."""
JOB_PREFIX = "onboarding:timeout:"
DM_JOIN_TIMEOUT = 60.0
"""How long the first question waits for the lead to join a direct chat just opened."""


class SetupDialogue:
    def __init__(self, ctx: PluginContext, store: OnboardingStore) -> None:
        self.ctx = ctx
        self.store = store

    @property
    def prefix(self) -> str:
        return self.ctx.bot.command_prefix

    # ---------------------------------------------------------------- the conversation

    async def waiting_for(self, user: UserID, room_id: RoomID) -> bool:
        dialogue = await self.store.dialogue(user)
        return dialogue is not None and dialogue.dm_room_id == room_id

    # ---------------------------------------------------------------- start

    async def start(self, cmd: CommandContext, args: Mapping[str, Any]) -> None:
        """``!einrichten`` in a team room (its moderation only: the declaration says so)."""
        if cmd.message.is_direct or self.ctx.matrix.is_direct(cmd.room_id):
            raise CommandError("onboarding.only_in_room", prefix=self.prefix)
        lead, now = cmd.sender, self.ctx.clock.now()
        dm_room = await self.ctx.outbox.direct_room(lead)
        previous = await self.store.dialogue(lead)
        region, source = await detected_region(self.ctx, cmd.room_id)
        dialogue = Dialogue(lead, cmd.room_id, dm_room, cmd.lang, ORDER[0], Answers(), region,
                            None, now, now + TIMEOUT)  # fmt: skip
        await self.store.save(dialogue)
        try:
            await self.ctx.outbox.react(cmd.room_id, cmd.message.event_id, CONFIRMED)
        except SendError as exc:
            self.ctx.logger.warning("could not react to !einrichten in %s: %s", cmd.room_id, exc)
        replaced = previous.room_id if previous and previous.room_id != cmd.room_id else None
        # A direct chat just opened is joined in a later sync: the questions wait for it in
        # a task of their own, not in this handler (which holds up the sync).
        self.ctx.tasks.spawn(self._open(dialogue, source, replaced), "onboarding: first question")

    async def _open(
        self, dialogue: Dialogue, region_source: str | None, replaced: RoomID | None = None
    ) -> None:
        """The introduction and the first question, once the lead is in the direct chat
        (so that an encrypted chat's keys reach them)."""
        lead, dm_room, matrix = dialogue.user_id, dialogue.dm_room_id, self.ctx.matrix
        if not matrix.has_joined(dm_room, lead):
            await matrix.wait_member_joined(dm_room, lead, DM_JOIN_TIMEOUT)
        tr = await self.ctx.tr_for(dialogue.room_id)
        if replaced is not None:
            room = escape_line(matrix.room_name(replaced))
            await self.ctx.outbox.send(dm_room, tr("onboarding.replaced", room=room))
        room_name = escape_line(matrix.room_name(dialogue.room_id))
        await self.ctx.outbox.send(
            dm_room, tr("onboarding.intro", room=room_name, count=len(ORDER))
        )
        await self._ask(dialogue, region_source)

    async def _ask(self, dialogue: Dialogue, region_source: str | None = None) -> None:
        """Post the dialogue's question with its choices as reactions; remember it."""
        tr = await self.ctx.tr_for(dialogue.room_id)
        if dialogue.step is Step.REGION and region_source is None:
            code, region_source = await detected_region(self.ctx, dialogue.room_id)
            if code != dialogue.region_default:  # changed meanwhile: no reason to give
                region_source = None
        text = question(dialogue.step, tr, region_default=dialogue.region_default,
                        region_source=region_source, prefix=self.prefix)  # fmt: skip
        event_id = await self.ctx.outbox.send(dialogue.dm_room_id, text)
        dialogue = dataclasses.replace(dialogue, question_event_id=event_id)
        await self.store.save(dialogue)
        await self._schedule_timeout(dialogue)
        for key in reaction_keys(dialogue.step, dialogue.region_default):
            try:
                await self.ctx.outbox.react(dialogue.dm_room_id, event_id, key)
            except SendError as exc:  # the typed answers still work
                self.ctx.logger.warning("could not add a choice to a question: %s", exc)
                break

    # ---------------------------------------------------------------- answers

    async def on_message(self, message: Message) -> None:
        dialogue = await self.store.dialogue(message.sender)
        if dialogue is None or dialogue.dm_room_id != message.room_id:
            return
        tr = await self.ctx.tr_for(dialogue.room_id)
        if is_cancel(message.body):
            if await self.store.end(message.sender):
                self.ctx.scheduler.cancel(JOB_PREFIX + message.sender)
                await self._reply(message, tr("onboarding.cancelled", prefix=self.prefix))
            return
        try:
            value = read_answer(dialogue.step, message.body, dialogue.region_default)
        except AnswerError as exc:
            await self._reply(message, tr(exc.key, text=_quoted(exc.text)))
            return
        await self._take(dialogue, value)

    async def on_reaction(self, reaction: Reaction) -> None:
        if reaction.sender == self.ctx.matrix.user_id:
            return
        dialogue = await self.store.dialogue(reaction.sender)
        if (
            dialogue is None
            or dialogue.dm_room_id != reaction.room_id
            or dialogue.question_event_id != reaction.relates_to
        ):
            return
        value = by_reaction(dialogue.step, reaction.key, dialogue.region_default)
        if value is not None:
            await self._take(dialogue, value)

    async def _reply(self, message: Message, text: str) -> None:
        await self.ctx.outbox.send(message.room_id, text, reply_to=message.event_id)

    async def _take(self, dialogue: Dialogue, value: str) -> None:
        """Keep the answer; ask the next question, or apply it all after the last."""
        answers = dialogue.answers.with_(dialogue.step, value)
        following = next_step(dialogue.step)
        if following is None:
            await self._finish(dataclasses.replace(dialogue, answers=answers))
            return
        now = self.ctx.clock.now()
        moved = dataclasses.replace(dialogue, step=following, answers=answers,
                                    question_event_id=None, expires_at=now + TIMEOUT)  # fmt: skip
        await self.store.save(moved)
        await self._ask(moved)

    async def _finish(self, dialogue: Dialogue) -> None:
        if not await self.store.end(dialogue.user_id):
            return  # finished already (a tap and a typed answer at once)
        self.ctx.scheduler.cancel(JOB_PREFIX + dialogue.user_id)
        tr = await self.ctx.tr_for(dialogue.room_id)
        values = dict(dialogue.answers.values)
        try:
            outcome = await apply_setup(self.ctx, dialogue, values)
        except (ValueError, MatrixError):
            self.ctx.logger.exception("the set-up of %s failed", dialogue.room_id)
            await self.ctx.outbox.send(dialogue.dm_room_id,
                                       tr("onboarding.failed", prefix=self.prefix))  # fmt: skip
            return
        text = summary(values, outcome, tr, self.prefix)
        await self.ctx.outbox.send(dialogue.dm_room_id, text)

    # ---------------------------------------------------------------- timeouts

    async def restore(self) -> None:
        """After a start: every dialogue's timeout, and the question of one that stopped
        before its question was out."""
        for dialogue in await self.store.dialogues():
            await self._schedule_timeout(dialogue)
            if dialogue.question_event_id is None:
                work = (
                    self._ask(dialogue) if dialogue.answers.values else self._open(dialogue, None)
                )
                self.ctx.tasks.spawn(work, "onboarding: question after a restart")

    async def _schedule_timeout(self, dialogue: Dialogue) -> None:
        user, expires = dialogue.user_id, dialogue.expires_at

        async def expire(_: datetime) -> None:
            await self._expire(user, expires)

        if expires + TIMEOUT_GRACE < self.ctx.clock.now():  # long past: end it now
            await self._expire(user, expires)
            return
        await self.ctx.scheduler.schedule(
            JOB_PREFIX + user, Once(expires), expire, grace=TIMEOUT_GRACE, record=False
        )

    async def _expire(self, user: UserID, expires: datetime) -> None:
        dialogue = await self.store.dialogue(user)
        if dialogue is None or dialogue.expires_at != expires:
            return  # answered (or restarted) in the meantime
        if not await self.store.end(user):
            return
        tr = await self.ctx.tr_for(dialogue.room_id)
        room = escape_line(self.ctx.matrix.room_name(dialogue.room_id))
        text = tr("onboarding.expired", room=room, prefix=self.prefix)
        await self.ctx.outbox.send(dialogue.dm_room_id, text)


def _quoted(text: str) -> str:
    return escape_line(" ".join(text.split()))
