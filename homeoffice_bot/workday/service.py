"""The workday's running parts, shared by commands, event handlers and jobs.

``Workday`` owns the stores, the directory of profiles, the board, the availability
service and the jobs; ``change`` is the one way a person's status changes (status row,
work event for the ArbZG notes, boards, the person's due time).
"""

from __future__ import annotations

from datetime import datetime

from homeoffice_bot.kernel.events import Message
from homeoffice_bot.kernel.i18n import Translator
from homeoffice_bot.kernel.ids import UserID
from homeoffice_bot.kernel.localtime import local_date
from homeoffice_bot.kernel.plugins import PluginContext
from homeoffice_bot.workday.arbzg import WorkEventKind
from homeoffice_bot.workday.board import MentionItem, digest_markdown, render_wrapup_handback
from homeoffice_bot.workday.board_service import BoardService
from homeoffice_bot.workday.boundary_service import AvailabilityService
from homeoffice_bot.workday.jobs import Jobs
from homeoffice_bot.workday.morning import MorningParts, compose
from homeoffice_bot.workday.profiles import PROFILE_TZ, Directory
from homeoffice_bot.workday.settings import WorkdaySettings
from homeoffice_bot.workday.states import PersonStatus
from homeoffice_bot.workday.store import WorkdayStore
from homeoffice_bot.workday.store_inbox import InboxStore
from homeoffice_bot.workday.store_privacy import PrivacyStore
from homeoffice_bot.workday.texts import Translate


class Workday:
    def __init__(self, ctx: PluginContext, settings: WorkdaySettings) -> None:
        self.ctx = ctx
        self.settings = settings
        self.log = ctx.logger
        self.store = WorkdayStore(ctx.db)
        self.inbox = InboxStore(ctx.db)
        self.privacy = PrivacyStore(ctx.db)
        self.directory = Directory(
            self.store,
            settings,
            ctx.bot.default_timezone,
            ctx.bot.default_holiday_region,
            profile_tz=self.profile_tz,
        )
        self.board = BoardService(self)
        self.availability = AvailabilityService(self)
        self.jobs = Jobs(self)

    async def profile_tz(self, user: UserID) -> str | None:
        """The ``m.tz`` field of the person's Matrix profile (the kernel caches it)."""
        return await self.ctx.matrix.profile_field(user, PROFILE_TZ)

    def now(self) -> datetime:
        return self.ctx.clock.now()

    def event_time(self, message: Message) -> datetime:
        """When a message happened: its server time, but never later than now."""
        return min(message.server_ts, self.now())

    async def person_tr(self, user: UserID) -> Translator:
        """The translator for messages to a person: their team room's language."""
        person = await self.store.person(user)
        if person is not None and person.home_room is not None:
            return await self.ctx.tr_for(person.home_room)
        return self.ctx.translator(self.ctx.bot.default_language)

    async def change(
        self,
        user: UserID,
        status: PersonStatus | None,
        kind: WorkEventKind | None,
        at: datetime,
        *,
        boards: bool = True,
    ) -> None:
        """Set (or clear) a person's status, record the work event, update the boards
        (``boards=False``: the caller does, e.g. after answering)."""
        if status is None:
            await self.store.clear_status(user)
        else:
            await self.store.set_status(status)
        if kind is not None:
            await self.store.add_event(user, at, kind)
        if boards:
            await self.board.refresh_for(user)
        await self.jobs.reschedule(user)

    async def dm(self, user: UserID, markdown: str) -> None:
        """A private message from the bot, held outside the person's working time."""
        await self.availability.deliver(user, markdown)

    async def digest_text(self, user: UserID, tr: Translate | None = None) -> str | None:
        """The mentions collected while the person was away, as one message, taken (they
        are not handed over twice); None when there are none. A person who turned the
        digest off (``!erinnerungen sammlung aus``) gets None, and what was collected is
        forgotten."""
        mentions = await self.inbox.mentions(user)
        if not mentions:
            return None
        profile = await self.directory.profile(user)
        if not profile.reminders.digest:
            await self.inbox.take_mentions(m.id for m in mentions)
            return None
        matrix = self.ctx.matrix
        items = [
            MentionItem(
                sender_name=matrix.display_name(m.room_id, m.sender),
                room_name=matrix.room_name(m.room_id),
                link=matrix.event_link(m.room_id, m.event_id),
                text=m.excerpt,
                at=m.at,
            )
            for m in mentions
        ]
        text = digest_markdown(items, self.now(), profile.tz, tr or await self.person_tr(user))
        if text is None or not await self.inbox.take_mentions(m.id for m in mentions):
            return None
        return text

    async def digest(self, user: UserID) -> bool:
        """Send the person the mentions collected while they were away (once), when they
        are at work again without saying so (``!moin`` puts them into its morning
        message). At the start of a day, yesterday's wrap-up answer comes with them, so
        that the morning is one message."""
        tr = await self.person_tr(user)
        text = await self.digest_text(user, tr)
        if text is None:
            return False
        handback = None
        asked = await self.inbox.wrapup_asked_at(user)
        if asked is not None:
            tz = (await self.directory.profile(user)).tz
            if local_date(asked, tz) < local_date(self.now(), tz):
                answer = await self.inbox.take_wrapup(user)
                handback = render_wrapup_handback(answer, tr) if answer else None
        await self.ctx.outbox.dm(
            user, compose(MorningParts(handback=handback, digest=text)) or text
        )
        return True
