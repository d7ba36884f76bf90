"""The ``!angebot assistent`` dialogue in a direct chat: one session per person, stored
between messages; when the person confirms, the offering is created and announced for
approval in the review room (its thread is where the outcome is told)."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from digitalnah.assistant import AssistantStatus, AssistantTurn, answer_assistant, start_assistant
from digitalnah.merge import update_offering
from digitalnah.model import Source, new_draft
from digitalnah.replies import render_assistant_turn, render_moderation_message, render_problem
from digitalnah.service import DigitalNah
from digitalnah.store import AssistantSession
from homeoffice_bot.kernel.events import Message
from homeoffice_bot.kernel.i18n import Translator
from homeoffice_bot.kernel.ids import RoomID, UserID

log = logging.getLogger(__name__)


JUST_ENDED = timedelta(minutes=1)
"""A dialogue that the person's last answer ended still counts as waiting this long: the
other features read the same message at the same time."""


class AssistantFlow:
    def __init__(self, dn: DigitalNah) -> None:
        self.dn = dn
        self._ended: dict[UserID, tuple[RoomID, datetime]] = {}

    async def waiting_for(self, user: UserID, room_id: RoomID) -> bool:
        """A conversation (``kernel.conversations``): the person's dialogue runs in this
        direct chat (or has just ended with the message being read), so their words are
        its answers, not plain words."""
        session = await self.dn.store.session(user)
        if session is not None and session.dm_room_id == room_id:
            return True
        ended = self._ended.get(user)
        return (
            ended is not None
            and ended[0] == room_id
            and (self.dn.ctx.clock.now() - ended[1] <= JUST_ENDED)
        )

    async def _tr(self, session: AssistantSession) -> Translator:
        return await self.dn.tr_for(session.origin_room_id or session.dm_room_id)

    async def start(self, user_id: UserID, origin_room: RoomID, now: datetime) -> RoomID:
        """Open (or find) the direct chat and ask the first question; returns the chat."""
        dm = await self.dn.ctx.outbox.direct_room(user_id)
        origin = None if self.dn.ctx.matrix.is_direct(origin_room) else origin_room
        turn = start_assistant()
        session = AssistantSession(user_id, dm, origin, turn.state, now)
        await self.dn.store.save_session(session)
        tr = await self._tr(session)
        text = render_assistant_turn(
            turn, tr, categories=self.dn.categories, language=tr.lang, first=True
        )
        await self.dn.ctx.outbox.send(dm, text)
        return dm

    async def answer(self, message: Message) -> bool:
        """Take ``message`` as the next answer if its sender has a dialogue in this room."""
        session = await self.dn.store.session(message.sender)
        if session is None or session.dm_room_id != message.room_id:
            return False
        tr = await self._tr(session)
        turn = answer_assistant(session.state, message.body, categories=self.dn.categories)
        status = turn.state.status
        if status in (AssistantStatus.DONE, AssistantStatus.CANCELLED):
            self._ended[message.sender] = (message.room_id, self.dn.ctx.clock.now())
        if status is AssistantStatus.DONE:
            await self._submit(session, turn, tr, message.server_ts)
            return True
        if status is AssistantStatus.CANCELLED:
            await self.dn.store.end_session(message.sender)
        else:
            await self.dn.store.save_session(
                AssistantSession(
                    session.user_id, session.dm_room_id, session.origin_room_id, turn.state,
                    message.server_ts,
                )
            )  # fmt: skip
        text = render_assistant_turn(turn, tr, categories=self.dn.categories, language=tr.lang)
        await self.dn.ctx.outbox.send(message.room_id, text)
        return True

    async def _submit(
        self, session: AssistantSession, turn: AssistantTurn, tr: Translator, now: datetime
    ) -> None:
        dn, user = self.dn, session.user_id
        fields = turn.state.fields()
        trial = update_offering(
            new_draft(user, now), fields, actor=user, now=now, categories=dn.categories
        )
        if not trial.complete:  # e.g. the category list changed during the dialogue
            problems = "\n".join(f"- {render_problem(p, tr)}" for p in trial.problems)
            await dn.ctx.outbox.send(session.dm_room_id, problems)
            return
        room = self.review_room(user, session.origin_room_id)
        result = await dn.create(user, fields, now, Source(room_id=room))
        offering = result.offering
        await dn.store.end_session(user)
        if room is not None and result.audit is not None:
            room_tr = await dn.tr_for(room)
            names = dn.names(room, [user])
            text = render_moderation_message(result.audit, offering, room_tr, names=names)
            if text:
                event_id = await dn.ctx.outbox.send(room, text)
                await dn.set_source(offering, room, event_id)
        await dn.ctx.outbox.send(
            session.dm_room_id, tr("digitalnah.assistant.submitted", id=offering.id)
        )

    def review_room(self, user_id: UserID, origin: RoomID | None) -> RoomID | None:
        """Where the new offering is announced: the configured review room, else the room
        the dialogue was started from, else the first watched team room the person is in."""
        dn = self.dn
        if dn.settings.review_room:
            return RoomID(dn.settings.review_room)
        if origin is not None:
            return origin
        matrix = dn.ctx.matrix
        candidates = [RoomID(r) for r in dn.settings.rooms] or sorted(matrix.joined_rooms())
        for room in candidates:
            if not matrix.is_direct(room) and user_id in matrix.members(room):
                return room
        return None
