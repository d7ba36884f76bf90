"""What the plugin does with offerings, shared by the chat handlers and the commands:
create and update them from what people wrote, take moderation decisions (with the
permission check and the audit trail), talk in an offering's thread, publish.

Every change goes through ``self.lock`` (read, decide, write), so a ✅ and a command
arriving at the same moment in different rooms cannot overwrite each other.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from digitalnah.debounce import Debounce
from digitalnah.delivery import WebhookSender
from digitalnah.extract import ExtractedFields
from digitalnah.lifecycle import MODERATOR_ACTIONS, Action, transition
from digitalnah.merge import MergeResult, update_offering
from digitalnah.model import AuditEntry, Offering, OfferingState, Source, new_draft
from digitalnah.publisher import (
    DebouncedPublisher,
    Published,
    output_dir,
    publish_files,
    site_settings,
)
from digitalnah.render import SiteSettings
from digitalnah.replies import render_decision, render_draft_reply
from digitalnah.settings import DigitalNahSettings
from digitalnah.store import EventRole, OfferingStore
from digitalnah.validate import validate_offering
from digitalnah.webhook import RetryPolicy
from homeoffice_bot.kernel.errors import CommandError, MatrixError
from homeoffice_bot.kernel.i18n import Translator
from homeoffice_bot.kernel.ids import EventID, RoomID, UserID
from homeoffice_bot.kernel.plugins import PluginContext

log = logging.getLogger(__name__)


class DigitalNah:
    def __init__(self, ctx: PluginContext, settings: DigitalNahSettings) -> None:
        self.ctx = ctx
        self.settings = settings
        self.store = OfferingStore(ctx.db)
        self.lock = asyncio.Lock()
        self.out_dir = output_dir(settings, ctx.data_dir)
        self.publisher = DebouncedPublisher(
            self.publish_now,
            Debounce(
                timedelta(seconds=settings.debounce_seconds),
                timedelta(seconds=settings.max_wait_seconds),
            ),
            ctx.tasks.spawn,
        )
        self.webhook: WebhookSender | None = None
        if settings.webhook_url:
            policy = RetryPolicy(
                tuple(settings.webhook_retry_seconds), settings.webhook_timeout_seconds
            )
            self.webhook = WebhookSender(
                self.store, settings.webhook_url, settings.secret, policy, ctx.tasks.spawn
            )

    # ------------------------------------------------------------ basics

    @property
    def categories(self) -> Sequence[str]:
        return self.settings.categories

    def site(self) -> SiteSettings:
        return site_settings(self.settings, self.ctx.base_url())

    def page_url(self, offering: Offering | None = None) -> str:
        site = self.site()
        return site.offering_url(offering) if offering is not None else site.page_url

    def watches(self, room_id: RoomID) -> bool:
        return not self.settings.rooms or room_id in self.settings.rooms

    def may_moderate(self, user_id: UserID, offering: Offering) -> bool:
        """Moderators of the offering's source room (its home; the kernel's rule, never
        the room a command is typed in), the configured moderators (CDOs) and bot admins."""
        if user_id in self.settings.moderators:
            return True
        return self.ctx.access.moderates(user_id, offering.source_room_id, beyond_room=True)

    def may_see(self, user_id: UserID, offering: Offering) -> bool:
        """Whether ``user_id`` may see an offering that is not published, and who submitted
        any offering and its audit trail: the submitter and its moderators only."""
        return user_id == offering.submitter or self.may_moderate(user_id, offering)

    def is_public(self, offering: Offering) -> bool:
        """Published: on the page and in the feeds for everyone."""
        return offering.state is OfferingState.APPROVED

    async def visible_offering(self, offering_id: int, user_id: UserID) -> Offering:
        """The offering if ``user_id`` may see it; else the very refusal a number nobody
        used gets, so that a refusal tells nothing about what exists."""
        found = await self.store.get(offering_id)
        if found is None or not (self.is_public(found) or self.may_see(user_id, found)):
            raise CommandError("digitalnah.error.not_found", id=offering_id)
        return found

    async def tr_for(self, room_id: RoomID | None) -> Translator:
        if room_id is None:
            return self.ctx.translator(self.ctx.bot.default_language)
        return await self.ctx.tr_for(room_id)

    def names(self, room_id: RoomID | None, users: Iterable[str]) -> dict[str, str]:
        return self.ctx.matrix.names_for(room_id, [UserID(u) for u in users])

    async def offering(self, offering_id: int) -> Offering:
        found = await self.store.get(offering_id)
        if found is None:
            raise CommandError("digitalnah.error.not_found", id=offering_id)
        return found

    # ------------------------------------------------------------ changes

    async def create(
        self,
        submitter: UserID,
        extracted: ExtractedFields,
        now: datetime,
        source: Source,
        *,
        thread_root: EventID | None = None,
    ) -> MergeResult:
        """A new offering from what ``submitter`` wrote. Its source message is recorded,
        and the thread it is discussed in: the source's own, or ``thread_root`` when the
        source was posted inside a thread."""
        draft = new_draft(submitter, now, source)
        async with self.lock:
            existing = await self.store.all()
            result = update_offering(
                draft, extracted, actor=submitter, now=now, categories=self.categories,
                existing=existing,
            )  # fmt: skip
            events = []
            if source.event_id is not None and source.room_id is not None:
                events.append((source.event_id, source.room_id, EventRole.SOURCE))
                thread = thread_root or source.event_id
                events.append((thread, source.room_id, EventRole.THREAD))
            saved = await self.store.commit(result.offering, result.audit, events)
        self.publisher.changed()
        assert saved.id is not None
        return result.with_id(saved.id)

    async def update(
        self, offering_id: int, extracted: ExtractedFields, actor: UserID, now: datetime
    ) -> MergeResult:
        """Merge what was written into the offering (an edit sends it back to review)."""
        async with self.lock:
            offering = await self.offering(offering_id)
            existing = await self.store.all()
            result = update_offering(
                offering, extracted, actor=actor, now=now, categories=self.categories,
                existing=existing,
            )  # fmt: skip
            if result.changed or result.audit is not None:
                await self.store.commit(result.offering, result.audit)
        if result.changed or result.audit is not None:
            self.publisher.changed()
        return result

    async def set_source(self, offering: Offering, room_id: RoomID, event_id: EventID) -> Offering:
        """Make ``event_id`` (e.g. the bot's announcement) the offering's thread root."""
        async with self.lock:
            current = await self.offering(offering.id or 0)
            updated = dataclasses.replace(current, source_room_id=room_id, source_event_id=event_id)
            events = [(event_id, room_id, role) for role in (EventRole.SOURCE, EventRole.THREAD)]
            return await self.store.commit(updated, None, events)

    async def decide(
        self, offering_id: int, action: Action, actor: UserID, now: datetime, reason: str = ""
    ) -> tuple[Offering, AuditEntry]:
        """Approve, reject, ask for changes, withdraw or end, if ``actor`` may; the
        decision goes into the audit trail and the offering's thread."""
        async with self.lock:
            offering = await self.visible_offering(offering_id, actor)
            moderator = self.may_moderate(actor, offering)
            if action in MODERATOR_ACTIONS and not moderator:
                raise CommandError("digitalnah.error.not_moderator")
            if action is Action.WITHDRAW and actor != offering.submitter and not moderator:
                raise CommandError("digitalnah.error.not_yours", id=offering_id)
            complete = not validate_offering(offering, self.categories)
            updated, entry = transition(
                offering, action, actor=actor, now=now, reason=reason, complete=complete
            )
            await self.store.commit(updated, entry)
        self.publisher.changed()
        await self.announce_decision(updated, entry)
        return updated, entry

    # ------------------------------------------------------------ talking

    async def say_in_thread(
        self, offering: Offering, markdown: str, *, reply_to: EventID | None = None
    ) -> EventID | None:
        """Post in the offering's thread (or, without one, to the submitter directly)
        and remember the message as the offering's (a ✅ on it approves)."""
        outbox = self.ctx.outbox
        thread = await self.store.thread_of(offering.id) if offering.id is not None else None
        try:
            if thread is not None:
                room, root = thread
                event_id = await outbox.send(room, markdown, thread_root=root, reply_to=reply_to)
            else:
                room = await outbox.direct_room(offering.submitter)
                event_id = await outbox.send(room, markdown)
        except MatrixError:
            log.exception("could not post about offering %s", offering.id)
            return None
        if offering.id is not None:
            await self.store.link(offering.id, event_id, room, EventRole.REPLY)
        return event_id

    async def reply_draft(
        self, result: MergeResult, *, reply_to: EventID | None = None, unplaced: str = ""
    ) -> EventID | None:
        offering = result.offering
        tr = await self.tr_for(offering.source_room_id)
        text = render_draft_reply(
            result, tr, categories=self.categories, language=tr.lang, unplaced_text=unplaced
        )
        return await self.say_in_thread(offering, text, reply_to=reply_to)

    async def announce_decision(self, offering: Offering, entry: AuditEntry) -> None:
        tr = await self.tr_for(offering.source_room_id)
        names = self.names(offering.source_room_id, [entry.actor, offering.submitter])
        page = self.page_url(offering) if offering.state is OfferingState.APPROVED else ""
        text = render_decision(entry, offering, tr, page_url=page, names=names)
        if text:
            await self.say_in_thread(offering, text)

    # ------------------------------------------------------------ publishing

    async def publish_now(self) -> Published:
        site = self.site()
        now = self.ctx.clock.now()
        result = await publish_files(
            self.store,
            site,
            self.out_dir,
            now=now,
            template_dir=self.settings.template_dir,
            page_size=self.settings.page_size,
            webhook=self.webhook is not None,
        )
        if self.webhook is not None and result.payload is not None:
            await self.webhook.offer_payload(result.payload)
        return result

    async def stop(self) -> None:
        await self.publisher.flush()
        if self.webhook is not None:
            await self.webhook.wait(timeout=2)
            await self.webhook.cancel()
