"""The onboarding plugin: the welcome in a new team room and the guided set-up
``!einrichten``, on the same plugin API as every feature. It sets things up through the
stand-up's and the workday's ``api`` services and works with either missing."""

from __future__ import annotations

from pathlib import Path

from homeoffice_bot.kernel.command_model import Command, Permission
from homeoffice_bot.kernel.conversations import CONVERSATIONS
from homeoffice_bot.kernel.plugins import NoSettings, Plugin
from homeoffice_bot.onboarding.dialogue import JOB_PREFIX, SetupDialogue
from homeoffice_bot.onboarding.personal_data import OnboardingPersonalData
from homeoffice_bot.onboarding.schema import MIGRATIONS
from homeoffice_bot.onboarding.store import OnboardingStore
from homeoffice_bot.onboarding.welcome import Welcome


class OnboardingPlugin(Plugin[NoSettings]):
    name = "onboarding"
    migrations = MIGRATIONS
    locales = Path(__file__).parent / "locales"

    async def start(self) -> None:
        ctx = self.ctx
        store = OnboardingStore(ctx.db)
        self.dialogue = SetupDialogue(ctx, store)
        ctx.add_command(setup_command(self.dialogue))
        ctx.on_membership(Welcome(ctx, store).on_membership)
        ctx.on_message(self.dialogue.on_message)
        ctx.on_reaction(self.dialogue.on_reaction)
        conversations = ctx.services.get(CONVERSATIONS)
        if conversations is not None:
            conversations.add(self.dialogue)
        ctx.add_personal_data(OnboardingPersonalData(store, ctx.catalogue))
        await self.dialogue.restore()

    async def stop(self) -> None:
        self.ctx.scheduler.cancel_prefix(JOB_PREFIX)


def setup_command(dialogue: SetupDialogue) -> Command:
    return Command(
        names={"de": ("einrichten",), "en": ("setup", "set-up")},
        help={
            "de": "Richtet Stand-up, Feiertage und Teamübersicht dieses Raums ein: "
            "Schritt für Schritt im Direktchat.",
            "en": "Sets up this room's stand-up, public holidays and team board, step by "
            "step in a direct chat.",
        },
        handler=dialogue.start,
        permission=Permission.MODERATOR,
        examples={"de": ("einrichten",), "en": ("setup",)},
        everyday=True,
    )
