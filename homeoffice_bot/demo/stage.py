"""The stage a demo scene plays on: the bot, a team room, people, and a transcript."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from homeoffice_bot.app import App
from homeoffice_bot.devserver.person import Person
from homeoffice_bot.kernel.events import Message, Reaction
from homeoffice_bot.kernel.ids import EventID, RoomID

BERLIN = ZoneInfo("Europe/Berlin")


@dataclass
class Stage:
    bot: App
    room: RoomID
    people: dict[str, Person]
    """By first name: lead (the team lead, moderator), anna, ben."""
    names: dict[str, str]
    out: Callable[[str], None] = print
    seen: set[str] = field(default_factory=set)

    def narrate(self, text: str) -> None:
        self.out("")
        self.out(f"── {text} ──")

    def _line(self, when: datetime, who: str, body: str, indent: str = "") -> None:
        stamp = when.astimezone(BERLIN).strftime("%H:%M")
        lines = body.strip().splitlines() or [""]
        self.out(f"{indent}[{stamp}] {who}: {lines[0]}")
        pad = indent + " " * (len(stamp) + len(who) + 5)
        for line in lines[1:]:
            for wrapped in textwrap.wrap(line, 100) or [""]:
                self.out(pad + wrapped)

    def show(self, message: Message) -> None:
        if message.event_id in self.seen:
            return
        self.seen.add(message.event_id)
        who = self.names.get(message.sender, message.sender)
        indent = "    ↳ " if message.thread_root else ""
        if message.sender == self.bot.matrix.user_id:
            who = "🤖 " + who
        body = message.body
        for user_id, name in self.names.items():  # mention pills arrive as user ids
            body = body.replace(user_id, name)
        self._line(message.server_ts, who, body, indent)

    async def say(
        self,
        name: str,
        text: str,
        *,
        room: RoomID | None = None,
        thread_root: EventID | None = None,
        replies: int = 1,
        timeout: float = 20,
    ) -> list[Message]:
        """``name`` says ``text``; show it and the bot's next ``replies`` messages."""
        person = self.people[name]
        room = room or self.room
        mark = person.mark()
        event_id = await person.say(room, text, thread_root=thread_root)
        own = await person.wait_for(Message, lambda m: m.event_id == event_id, since=mark)
        self.show(own)
        return await self.expect(name, replies, room=room, since=mark, timeout=timeout)

    async def say_personal(
        self, name: str, text: str, contains: str = "", *, timeout: float = 20
    ) -> Message:
        """``name`` says a personal command in the team room: show it, the bot's ✅ on it
        there and the words it sends by direct message (which are returned)."""
        person = self.people[name]
        bot = self.bot.matrix.user_id
        mark = person.mark()
        event_id = await person.say(self.room, text)
        self.show(await person.wait_for(Message, lambda m: m.event_id == event_id, since=mark))
        await person.wait_for(
            Reaction, lambda r: r.sender == bot and r.relates_to == event_id, timeout, mark
        )
        self.out("    ✅ (die Reaktion des Bots unter der Nachricht)")
        words = await person.wait_for(
            Message,
            lambda m: m.sender == bot and m.room_id != self.room and contains in m.body,
            timeout,
            mark,
        )
        self.out(f"    ✉ Direktnachricht an {self.names.get(person.user_id, name)}:")
        self.show(words)
        return words

    async def direct(self, name: str) -> RoomID:
        """``name``'s direct chat with the bot (opened by them if there is none yet)."""
        person = self.people[name]
        bot = self.bot.matrix.user_id
        room = await person.client.direct_room(bot)
        await person.client.wait_member_joined(room, bot, timeout=20)
        return room

    async def write_direct(self, name: str, text: str, contains: str = "") -> Message:
        """``name`` writes plain words (no command) in the direct chat with the bot; show
        them and the bot's answer that contains ``contains`` (which is returned)."""
        person = self.people[name]
        bot = self.bot.matrix.user_id
        room = await self.direct(name)
        mark = person.mark()
        event_id = await person.say(room, text)
        own = await person.wait_for(Message, lambda m: m.event_id == event_id, since=mark)
        self.out(f"    ✉ {self.names.get(person.user_id, name)} an den Bot (Direktnachricht):")
        self.show(own)
        answer = await person.wait_for(
            Message,
            lambda m: m.sender == bot and m.room_id == room and contains in m.body,
            20,
            mark,
        )
        self.show(answer)
        return answer

    async def tap(
        self, name: str, event_id: EventID, key: str, what: str, contains: str
    ) -> Message:
        """``name`` taps the bot's reaction ``key`` under a message in the team room (or
        their direct chat); show it and the words the bot sends by direct message."""
        person = self.people[name]
        bot = self.bot.matrix.user_id
        mark = person.mark()
        await person.react(self.room_of(event_id), event_id, key)
        who = self.names.get(person.user_id, name)
        self.out(f"    👆 {who} tippt {key} an ({what})")
        words = await person.wait_for(
            Message,
            lambda m: m.sender == bot and m.room_id != self.room and contains in m.body,
            20,
            mark,
        )
        self.out(f"    ✉ Direktnachricht an {who}:")
        self.show(words)
        return words

    def room_of(self, event_id: EventID) -> RoomID:
        """The room of a message the stage has seen (the team room if it has not)."""
        for person in self.people.values():
            for event in person.events:
                if isinstance(event, Message) and event.event_id == event_id:
                    return event.room_id
        return self.room

    async def expect(
        self,
        name: str,
        count: int = 1,
        *,
        room: RoomID | None = None,
        since: int | None = None,
        timeout: float = 20,
    ) -> list[Message]:
        """Wait until ``name`` has seen ``count`` new bot messages (in ``room`` if given)."""
        person = self.people[name]
        start = person.mark() if since is None else since
        got: list[Message] = []
        bot = self.bot.matrix.user_id
        for _ in range(count):

            def new(m: Message) -> bool:
                return (
                    m.sender == bot
                    and (room is None or m.room_id == room)
                    and m.event_id not in self.seen
                )

            message = await person.wait_for(Message, new, timeout, start)
            got.append(message)
            self.show(message)
        return got
