"""What the workday does with ordinary messages and presence events.

* Any message counts as activity (for switching to off automatically after hours);
  Matrix presence does not, and the board does not show it.
* A message in the direct chat is read as plain words (``plain_chat``) unless another
  feature waits for the person's next words there (``kernel.conversations``): words
  understood as a state change it; other words soon after the end-of-day question are the
  wrap-up answer, and otherwise they get examples of what the bot understands.
* A mention of a colleague who is off, on leave or absent gets one kind note per sender and
  off-period, in a thread, and is collected for the colleague's next start — unless the
  room's urgent keyword is in the message (then only its use is logged).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from homeoffice_bot.kernel.conversations import Conversations
from homeoffice_bot.kernel.events import Message
from homeoffice_bot.kernel.ids import UserID
from homeoffice_bot.workday.boundary import is_urgent, reachability, render_off_note
from homeoffice_bot.workday.plain_chat import PlainChat
from homeoffice_bot.workday.taps import BoardTaps
from homeoffice_bot.workday.texts import excerpt

if TYPE_CHECKING:
    from homeoffice_bot.workday.service import Workday

WRAPUP_WINDOW = timedelta(hours=14)
"""How long after the end-of-day question a direct message counts as the answer."""


class MessageHandlers:
    def __init__(
        self,
        wd: Workday,
        plain: PlainChat,
        taps: BoardTaps,
        conversations: Conversations | None,
    ) -> None:
        self.wd = wd
        self.plain = plain
        self.taps = taps
        self.conversations = conversations

    async def on_message(self, message: Message) -> None:
        wd = self.wd
        if message.sender == wd.ctx.matrix.user_id:
            return
        now = wd.event_time(message)
        await wd.store.touch(message.sender, now)
        if message.is_direct:
            await self._direct(message, now)
        elif message.mentions:
            await self._mentions(message, now)

    async def _direct(self, message: Message, now: datetime) -> None:
        """One flow for the direct chat: an open conversation of another feature takes the
        words; else plain words that are a state; else the wrap-up answer; else examples."""
        if message.msgtype != "m.text" or not message.body.strip():
            return
        if await self.taps.waiting_for(message.sender, message.room_id):
            await self.taps.on_message(message)  # the answer to "Bis wann?" after a tap
            return
        if await self.plain.waiting_for(message.sender, message.room_id):
            if not await self.plain.handle(message, now):  # the answer to its own question
                await self.plain.not_understood(message)
            return
        if self.conversations is not None and await self.conversations.waiting_for(
            message.sender, message.room_id
        ):
            return
        if await self.plain.handle(message, now):
            return
        if not await self._wrapup_answer(message, now):
            await self.plain.not_understood(message)

    async def _wrapup_answer(self, message: Message, now: datetime) -> bool:
        wd = self.wd
        asked = await wd.inbox.wrapup_asked_at(message.sender)
        if asked is None or not asked <= now < asked + WRAPUP_WINDOW:
            return False
        text = message.body.strip()
        await wd.inbox.answer_wrapup(message.sender, text, now)
        tr = await wd.person_tr(message.sender)
        await wd.ctx.outbox.send(message.room_id, tr("wrapup.saved"), reply_to=message.event_id)
        return True

    async def _mentions(self, message: Message, now: datetime) -> None:
        wd = self.wd
        bot = wd.ctx.matrix.user_id
        wanted = [u for u in message.mentions if u not in (message.sender, bot)]
        for user in sorted(await wd.store.known(wanted)):
            await self._mention(message, user, now)

    async def _mention(self, message: Message, user: UserID, now: datetime) -> None:
        wd = self.wd
        profile, status, _ = await wd.directory.state(user, now)
        info = reachability(profile.schedule, now, status)
        if not info.off_duty:
            return  # working, or only on a break or briefly away
        room = await wd.store.room(message.room_id)
        if is_urgent(message.body, room.urgent_keyword):
            wd.log.info(
                "urgent keyword used in %s by %s to reach %s outside working time",
                message.room_id,
                message.sender,
                user,
            )
            return
        text = message.body
        for mentioned in message.mentions:  # pills read as names, as people saw them
            text = text.replace(mentioned, wd.ctx.matrix.display_name(message.room_id, mentioned))
        await wd.inbox.collect(
            user, message.sender, message.room_id, message.event_id, excerpt(text), now
        )
        await wd.jobs.reschedule(user)  # the digest is due when they are back
        if not await wd.inbox.claim_off_note(message.sender, user, info.period_key, now):
            return
        matrix = wd.ctx.matrix
        tr = await wd.ctx.tr_for(message.room_id)
        tz = await wd.ctx.rooms.timezone(message.room_id)
        stand_in = matrix.display_name(message.room_id, info.stand_in) if info.stand_in else None
        note = render_off_note(
            matrix.display_name(message.room_id, user), info, now, tz, tr, stand_in
        )
        await wd.ctx.outbox.send(
            message.room_id,
            note,
            thread_root=message.thread_root or message.event_id,
            reply_to=message.event_id,
        )
