"""Waiting for a personal answer: a ✅ on the command in the team room, the words in the
person's direct chat with the bot."""

from __future__ import annotations

from homeoffice_bot.app import App
from homeoffice_bot.devserver.person import Person
from homeoffice_bot.kernel.commands import CONFIRMED
from homeoffice_bot.kernel.events import Message, Reaction
from homeoffice_bot.kernel.ids import EventID, RoomID


async def confirmed(person: Person, room: RoomID, text: str, bot: App, contains: str) -> Message:
    """Say a command in ``room``; wait for the ✅ on it there and for the bot's direct
    message that contains ``contains``, which is returned."""
    mark = person.mark()
    asked = await person.say(room, text)
    return await confirmation(person, room, asked, bot, contains, mark)


async def confirmation(
    person: Person, room: RoomID, asked: EventID, bot: App, contains: str, since: int
) -> Message:
    me = bot.matrix.user_id
    await person.wait_for(
        Reaction,
        lambda r: r.room_id == room and r.sender == me and r.relates_to == asked
        and r.key == CONFIRMED,
        since=since,
    )  # fmt: skip
    return await person.wait_for(
        Message, lambda m: m.sender == me and m.room_id != room and contains in m.body, since=since
    )


def answers_in_room(person: Person, room: RoomID, asked: EventID, bot: App) -> list[Message]:
    """The bot's messages in ``room`` that answer ``asked``, as ``person`` has seen them."""
    return [
        e for e in person.events
        if isinstance(e, Message) and e.room_id == room and e.sender == bot.matrix.user_id
        and e.reply_to == asked
    ]  # fmt: skip
