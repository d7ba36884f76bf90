"""The welcome: when the bot joins a team room (not a direct chat), one short notice says
what it does, that its messages are notices, and how the team lead starts the set-up.
Once per room: a room is remembered once welcomed, across restarts and re-invitations."""

from __future__ import annotations

from homeoffice_bot.kernel.events import Membership
from homeoffice_bot.kernel.plugins import PluginContext
from homeoffice_bot.onboarding.store import OnboardingStore


class Welcome:
    def __init__(self, ctx: PluginContext, store: OnboardingStore) -> None:
        self.ctx = ctx
        self.store = store

    async def on_membership(self, event: Membership) -> None:
        matrix = self.ctx.matrix
        if event.user_id != matrix.user_id or event.membership != "join":
            return
        if event.prev_membership == "join" or matrix.is_direct(event.room_id):
            return
        if await self.store.welcomed(event.room_id):
            return
        tr = await self.ctx.tr_for(event.room_id)
        await self.ctx.outbox.send(
            event.room_id, tr("onboarding.welcome", prefix=self.ctx.bot.command_prefix)
        )
        # Recorded after the send: a restart in between handles the join again, and the
        # outbox sends the same message only once (its transaction id comes from the event).
        await self.store.mark_welcomed(event.room_id, self.ctx.clock.now())
