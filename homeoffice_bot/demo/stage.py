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
