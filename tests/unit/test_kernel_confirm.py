"""Personal answers: in a room a ✅ on the command and the words by direct message; in the
direct chat the reply there; a refused reaction does not swallow the words."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, cast

from homeoffice_bot.kernel.command_model import Permission
from homeoffice_bot.kernel.commands import CONFIRMED, CommandContext
from homeoffice_bot.kernel.delivery import Outbox
from homeoffice_bot.kernel.errors import SendError
from homeoffice_bot.kernel.events import Message
from homeoffice_bot.kernel.ids import EventID, RoomID, UserID
from homeoffice_bot.kernel.matrix import RoomState

ANNA = UserID("@anna:example.org")
TEAM = RoomID("!team:example.org")
COMMAND = EventID("$command")


class Recorder:
    """The part of the outbox a confirmation uses, recording each call."""

    def __init__(self, refuse_reactions: bool = False) -> None:
        self.calls: list[tuple[Any, ...]] = []
        self.refuse_reactions = refuse_reactions

    async def react(self, room_id: RoomID, event_id: EventID, key: str) -> EventID:
        if self.refuse_reactions:
            raise SendError("M_FORBIDDEN")
        self.calls.append(("react", room_id, event_id, key))
        return EventID("$reaction")

    async def dm(self, user_id: UserID, markdown: str, **_: object) -> None:
        self.calls.append(("dm", user_id, markdown))

    async def send(self, room_id: RoomID, markdown: str, **kwargs: object) -> EventID:
        self.calls.append(("send", room_id, markdown, kwargs.get("reply_to")))
        return EventID("$answer")


def context(outbox: Recorder, *, direct: bool) -> CommandContext:
    message = Message(TEAM, COMMAND, ANNA, "!pause 15m", datetime(2024, 3, 12, tzinfo=UTC),
                      is_direct=direct)  # fmt: skip
    return CommandContext(
        message=message, lang="de", tr=cast(Any, None), matrix=cast(RoomState, None),
        prefix="!", permission=Permission.MEMBER, outbox=cast(Outbox, outbox),
    )  # fmt: skip


async def test_in_a_room_the_command_gets_a_tick_and_the_words_go_to_the_person() -> None:
    outbox = Recorder()
    await context(outbox, direct=False).confirm_privately("Gute Pause!")
    assert outbox.calls == [("react", TEAM, COMMAND, CONFIRMED), ("dm", ANNA, "Gute Pause!")]


async def test_in_the_direct_chat_it_is_the_reply_there() -> None:
    outbox = Recorder()
    await context(outbox, direct=True).confirm_privately("Gute Pause!")
    assert outbox.calls == [("send", TEAM, "Gute Pause!", COMMAND)]


async def test_a_refused_reaction_still_sends_the_words() -> None:
    outbox = Recorder(refuse_reactions=True)
    await context(outbox, direct=False).confirm_privately("Gute Pause!")
    assert outbox.calls == [("dm", ANNA, "Gute Pause!")]
