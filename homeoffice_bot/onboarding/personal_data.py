"""The onboarding's part of a person's export and deletion: a set-up dialogue they
started and have not finished (which room, which step, the answers so far). Which rooms
were welcomed names nobody."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from homeoffice_bot.kernel.i18n import Catalogue
from homeoffice_bot.kernel.ids import UserID
from homeoffice_bot.kernel.personal_data import Rows, catalogue_titles
from homeoffice_bot.onboarding.store import OnboardingStore


class OnboardingPersonalData:
    def __init__(self, store: OnboardingStore, catalogue: Catalogue) -> None:
        self.store = store
        self.catalogue = catalogue

    async def export_person(self, user: UserID) -> Mapping[str, Rows]:
        rows = await self.store.export(user)
        return {"dialogues": rows} if rows else {}

    async def forget_person(self, user: UserID) -> int:
        return 1 if await self.store.end(user) else 0

    def what_stays(self, lang: str) -> Sequence[str]:
        return ()

    def titles(self, lang: str) -> Mapping[str, str]:
        return catalogue_titles(self.catalogue, lang, "onboarding.privacy", ["dialogues"])
