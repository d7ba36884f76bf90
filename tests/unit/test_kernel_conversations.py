"""Who waits for a person's next words in the direct chat: any registered conversation,
or any but the one asking (the stand-up's intake leaves an answer to another's question)."""

from __future__ import annotations

from dataclasses import dataclass, field

from homeoffice_bot.kernel.conversations import Conversations
from homeoffice_bot.kernel.ids import RoomID, UserID

ANNA = UserID("@anna:example.org")
DM = RoomID("!dm:example.org")


@dataclass
class Asking:
    waiting: set[tuple[UserID, RoomID]] = field(default_factory=set)

    async def waiting_for(self, user: UserID, room_id: RoomID) -> bool:
        return (user, room_id) in self.waiting


async def test_nobody_waits_without_a_conversation() -> None:
    assert not await Conversations().waiting_for(ANNA, DM)


async def test_a_conversation_that_waits_is_seen_unless_it_is_the_one_asking() -> None:
    conversations = Conversations()
    setup, standup = Asking({(ANNA, DM)}), Asking({(ANNA, DM)})
    conversations.add(setup)
    conversations.add(standup)
    assert await conversations.waiting_for(ANNA, DM)
    assert await conversations.waiting_for(ANNA, DM, besides=standup)  # the set-up asks
    setup.waiting.clear()
    assert not await conversations.waiting_for(ANNA, DM, besides=standup)
    assert not await conversations.waiting_for(UserID("@ben:example.org"), DM)
