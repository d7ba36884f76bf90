"""Plain words in the direct chat: "Mittagspause bis 13 Uhr", "bin zurück", "Feierabend".

A message in the person's direct chat with the bot that is not a command is read by
``plain_words.understand`` unless another feature waits for the person's next words there
(``kernel.conversations``). What is understood runs the same ``PresenceActions`` method as
the command, and the bot says in words what it understood, with an undo offer: "rückgängig"
(or "undo"), or a tap on the ↩️ the bot puts on its confirmation, restores what was before
(kept until the next change, at most ``KEEP``). Words with two readings get a question with
one-tap choices (1️⃣/2️⃣, or "1"/"2" typed); while it is open it is a conversation, so
nothing else takes the answer. A problem is named with an example; words it does not
understand get the closest examples, never a guess. Whether such words are the wrap-up
answer instead is the caller's decision (``events``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from homeoffice_bot.kernel.errors import CommandError
from homeoffice_bot.kernel.events import Message, Reaction
from homeoffice_bot.kernel.ids import EventID, RoomID, UserID
from homeoffice_bot.workday import plain_replies as replies
from homeoffice_bot.workday.actions import Actor, PresenceActions
from homeoffice_bot.workday.plain_words import (
    Ambiguous,
    Away,
    Back,
    Break,
    Intent,
    Leave,
    Off,
    Problem,
    Start,
    Understood,
    closest,
    understand,
)
from homeoffice_bot.workday.store_plain import Before, Choice, PlainStore
from homeoffice_bot.workday.texts import Translate

if TYPE_CHECKING:
    from homeoffice_bot.workday.service import Workday

KEEP = timedelta(minutes=30)
"""How long an undo offer and an open question last."""


class PlainChat:
    def __init__(self, wd: Workday, actions: PresenceActions) -> None:
        self.wd = wd
        self.actions = actions
        self.store = PlainStore(wd.ctx.db)

    # ------------------------------------------------------------ the conversation

    async def waiting_for(self, user: UserID, room_id: RoomID) -> bool:
        """An open question in ``room_id`` takes the person's next words there."""
        question = await self.store.question(user)
        return (
            question is not None
            and question.room_id == room_id
            and self.wd.now() - question.asked_at <= KEEP
        )

    # ------------------------------------------------------------ words

    async def handle(self, message: Message, now: datetime) -> bool:
        """Read a direct message; ``False`` when it was not understood and nothing was
        answered (the caller may take it as the wrap-up answer, or show examples)."""
        user, room, text = message.sender, message.room_id, message.body.strip()
        question = await self.store.question(user)
        if question is not None and question.room_id == room:
            index = replies.typed_choice(text)
            if index is not None and now - question.asked_at <= KEEP:
                await self._choose(user, room, index, now, message.event_id)
                return True
            await self.store.take_question(user)  # other words: the question is left behind
        if replies.is_undo(text):
            await self.undo(user, room, now, message.event_id)
            return True
        profile = await self.wd.directory.profile(user)
        reading = understand(text, now, profile.tz)
        tr = await self._tr(user)
        actor = self._actor(user, room, now, tr)
        if isinstance(reading, Understood):
            await self.apply(actor, reading.intent, message.event_id)
        elif isinstance(reading, Ambiguous):
            choices = tuple(_choice(intent) for intent in reading.readings[:2])
            await self.ask(actor, choices, reply_to=message.event_id)
        elif isinstance(reading, Problem):
            await self._say(room, replies.problem(reading, text, tr), message.event_id)
        else:
            return False
        return True

    async def not_understood(self, message: Message) -> None:
        tr = await self._tr(message.sender)
        examples = replies.not_understood(closest(message.body)[:3], tr)
        await self._say(message.room_id, examples, message.event_id)

    async def apply(self, actor: Actor, intent: Intent, reply_to: EventID | None) -> None:
        """Do what was understood, as the command would, and confirm it with the undo
        offer. The action's own confirmation is replaced by what was understood, except
        after a start: its words are the morning message (hours, hand-back, digest)."""
        wd, user = self.wd, actor.user
        said: list[str] = []

        async def keep(text: str) -> None:
            said.append(text)

        actor = replace(actor, confirm=keep)
        before = await wd.store.status(user)
        leave_before = tuple(await wd.store.leave(user)) if isinstance(intent, Leave) else None
        profile = await self.actions.enter(actor, enrol=False)
        event_before = await self.store.last_event_id(user)
        stand_in_name: str | None = None
        try:
            if isinstance(intent, Start):
                await self.actions.start(actor)
            elif isinstance(intent, Back):
                await self.actions.back(actor)
            elif isinstance(intent, Off):
                await self.actions.off(actor)
            elif isinstance(intent, Break):
                await self.actions.pause(actor, intent.until)
            elif isinstance(intent, Away):
                await self.actions.away(actor, intent.until, intent.reason, False)
            else:
                stand_in = self.actions.stand_in(actor, intent.stand_in)
                if stand_in is not None:
                    stand_in_name = self.actions.name(actor, stand_in)
                await self.actions.leave(actor, intent.first_day, intent.last_day, stand_in)
        except CommandError as exc:
            await self._say(actor.room_id, actor.tr(exc.key, **exc.params), reply_to)
            return
        after = await wd.store.status(user)
        set_since = after.since if after is not None and after != before else None
        event_after = await self.store.last_event_id(user)
        recorded = event_after if event_after != event_before else None
        await self.store.keep_undo(
            user, actor.room_id, Before(before, set_since, leave_before, recorded), actor.now
        )
        what = replies.describe(intent, actor.now, profile.tz, actor.tr, stand_in_name)
        parts = [actor.tr("plain.understood", what=what)]
        if isinstance(intent, Start):  # the start's words carry the morning message
            parts += said
        text = "\n\n".join([*parts, actor.tr("plain.undo_hint")])
        event = await self._say(actor.room_id, text, reply_to)
        await self.store.set_undo_event(user, event)
        await wd.ctx.outbox.react(actor.room_id, event, replies.UNDO_KEY)

    async def undo(self, user: UserID, room: RoomID, now: datetime, reply_to: EventID) -> None:
        tr = await self._tr(user)
        row = await self.store.undo(user)
        if row is None or now - row.changed_at > KEEP:
            await self._say(room, tr("plain.undo_none"), reply_to)
            return
        current = await self.wd.store.status(user)
        if row.before.set_since is not None and (
            current is None or current.since != row.before.set_since
        ):
            await self.store.drop_undo(user)
            await self._say(room, tr("plain.undo_stale"), reply_to)
            return
        if not await self.store.take_undo(user):
            return  # a reply and a tap at once: the first one undoes
        if row.before.event is not None:
            await self.store.drop_event(user, row.before.event)
        if row.before.leave is not None:
            await self.store.restore_leave(user, row.before.leave, now)
        if row.before.set_since is not None:
            await self.wd.change(user, row.before.status, None, now)
        else:
            await self.wd.board.refresh_for(user)
            await self.wd.jobs.reschedule(user)
        await self._say(room, tr("plain.undone"), reply_to)

    # ------------------------------------------------------------ questions

    async def ask(
        self,
        actor: Actor,
        choices: tuple[Choice, ...],
        *,
        reply_to: EventID | None,
        send: Callable[[str], Awaitable[EventID]] | None = None,
    ) -> None:
        """Ask which of two readings is meant; the bot's 1️⃣/2️⃣ on the question are the
        answers (typed "1"/"2" too, in the direct chat)."""
        profile = await self.actions.enter(actor, enrol=False)
        text = replies.question(choices, actor.now, profile.tz, actor.tr, direct=actor.direct)
        await self.store.ask(actor.user, actor.room_id, choices, actor.now)
        if send is not None:
            event = await send(text)
        else:
            event = await self._say(actor.room_id, text, reply_to)
        await self.store.set_question_event(actor.user, event)
        for key in replies.CHOICE_KEYS:
            await self.wd.ctx.outbox.react(actor.room_id, event, key)

    async def _choose(
        self, user: UserID, room: RoomID, index: int, now: datetime, reply_to: EventID
    ) -> None:
        question = await self.store.question(user)
        if question is None or question.room_id != room or index >= len(question.choices):
            return
        if not await self.store.take_question(user):
            return  # answered twice at once: the first answer counts
        choice = question.choices[index]
        direct = self.wd.ctx.matrix.is_direct(room)
        intent: Intent = (
            Break(choice.until) if choice.kind == "break" else Away(choice.until, choice.note)
        )
        if direct:
            tr = await self._tr(user)
            await self.apply(self._actor(user, room, now, tr), intent, reply_to)
            return
        tr = await self.wd.ctx.tr_for(room)

        async def confirm(text: str) -> None:
            await self.wd.ctx.outbox.dm(user, text)

        actor = Actor(user, now, room, False, tr, confirm)
        if choice.kind == "break":
            await self.actions.pause(actor, choice.until)
        else:
            await self.actions.away(actor, choice.until, None, False)

    # ------------------------------------------------------------ reactions

    async def on_reaction(self, reaction: Reaction) -> None:
        if reaction.sender == self.wd.ctx.matrix.user_id:
            return
        now = min(reaction.server_ts, self.wd.now())
        if reaction.key in replies.UNDO_KEYS:
            row = await self.store.undo(reaction.sender)
            if row is not None and row.event_id == reaction.relates_to:
                await self.undo(reaction.sender, reaction.room_id, now, reaction.relates_to)
            return
        if reaction.key in replies.CHOICE_KEYS:
            question = await self.store.question(reaction.sender)
            if (
                question is not None
                and question.event_id == reaction.relates_to
                and now - question.asked_at <= KEEP
            ):
                index = replies.CHOICE_KEYS.index(reaction.key)
                await self._choose(
                    reaction.sender, reaction.room_id, index, now, reaction.relates_to
                )

    # ------------------------------------------------------------ helpers

    async def _tr(self, user: UserID) -> Translate:
        return await self.wd.person_tr(user)

    def _actor(self, user: UserID, room: RoomID, now: datetime, tr: Translate) -> Actor:
        async def keep_quiet(text: str) -> None:
            """The confirmation says what was understood instead (``apply``)."""

        return Actor(user, now, room, True, tr, keep_quiet)

    async def _say(self, room: RoomID, text: str, reply_to: EventID | None) -> EventID:
        return await self.wd.ctx.outbox.send(room, text, reply_to=reply_to)


def _choice(intent: Intent) -> Choice:
    if isinstance(intent, Break) and intent.until is not None:
        return Choice("break", intent.until)
    if isinstance(intent, Away) and intent.until is not None:
        return Choice("away", intent.until, intent.reason)
    raise ValueError(f"no choice for {intent!r}")
