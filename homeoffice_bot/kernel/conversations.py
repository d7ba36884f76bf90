"""Who is waiting for a person's next words in their direct chat.

Several features talk with a person in the direct chat: the stand-up asks its questions
there, #DigitalNah's assistant collects an offering, the set-up dialogue asks the team
lead, a tap on the board asks "bis wann?". Each registers a ``Conversation`` with the
service ``CONVERSATIONS``. Plain words in the direct chat ("Feierabend", "bin zurück")
are read only when no conversation waits for the person there, so that an answer to a
question is never also taken as a change of state, and never answered twice.
"""

from __future__ import annotations

from typing import Protocol

from homeoffice_bot.kernel.ids import RoomID, UserID
from homeoffice_bot.kernel.services import ServiceKey


class Conversation(Protocol):
    async def waiting_for(self, user: UserID, room_id: RoomID) -> bool:
        """Whether this conversation takes the person's next message in ``room_id``."""
        ...


class Conversations:
    def __init__(self) -> None:
        self._open: list[Conversation] = []

    def add(self, conversation: Conversation) -> None:
        self._open.append(conversation)

    async def waiting_for(
        self, user: UserID, room_id: RoomID, *, besides: Conversation | None = None
    ) -> bool:
        """Whether a conversation (other than ``besides``) waits for the person's words."""
        for conversation in self._open:
            if conversation is not besides and await conversation.waiting_for(user, room_id):
                return True
        return False


CONVERSATIONS: ServiceKey[Conversations] = ServiceKey("kernel.conversations")
