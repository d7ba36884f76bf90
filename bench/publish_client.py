"""The person who asks in the publishing benchmark, in a process of its own, so that the
round trips count the bot's delays and not the bench's (its garbage collections, its
sync): ``ClientProcess.start`` runs this file, which answers each line on its standard
input with one ``!hilfe`` round trip, its milliseconds printed on a line.

Each round trip is also split by the homeserver's timestamps (the same machine's clock):
``send`` until the command is stored, ``bot`` from there until the bot's answer is
stored (the homeserver handing the command to the bot's sync, the bot, the bot's send),
``back`` from there until the person's sync has the answer."""

from __future__ import annotations

import asyncio
import json
import logging
import sys
import time
from functools import partial
from pathlib import Path

from homeoffice_bot.kernel.events import Message
from homeoffice_bot.kernel.ids import UserID


def is_event(event_id: str, message: Message) -> bool:
    return message.event_id == event_id


async def client(homeserver: str, user_id: str, password: str, workdir: str, room: str,
                 bot: str) -> None:  # fmt: skip
    """The asking person: one ``!hilfe`` round trip for every line on standard input,
    its milliseconds printed on a line."""
    from homeoffice_bot.devserver.person import Person
    from homeoffice_bot.kernel.ids import RoomID

    logging.getLogger("nio").setLevel(logging.ERROR)
    person = Person(homeserver, user_id, password, Path(workdir))
    await person.start()
    print("ready", flush=True)
    while await asyncio.to_thread(sys.stdin.readline):
        mark = person.mark()
        t0, wall = time.perf_counter(), time.time()
        sent = await person.say(RoomID(room), "!hilfe")
        answer = await person.wait_message(RoomID(room), sender=UserID(bot), since=mark)
        total = (time.perf_counter() - t0) * 1000
        arrived = time.time()
        own = await person.wait_for(Message, partial(is_event, sent), since=mark)
        stored, answered = own.server_ts.timestamp(), answer.server_ts.timestamp()
        parts = [(stored - wall) * 1000, (answered - stored) * 1000, (arrived - answered) * 1000]
        print(json.dumps([total, *parts]), flush=True)
    await person.stop()


PARTS = ("send", "bot", "back")


class ClientProcess:
    """``client`` in a subprocess; ``round_trip`` asks it for one and reads the result."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process
        self.parts: list[list[float]] = []
        """Each round trip since ``take_parts``: total, then ms of each of ``PARTS``."""

    @classmethod
    async def start(cls, *args: str) -> ClientProcess:
        process = await asyncio.create_subprocess_exec(
            sys.executable, __file__, json.dumps(args),
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
        )  # fmt: skip
        self = cls(process)
        if await self._line() != "ready":
            raise RuntimeError("the bench's client did not start")
        return self

    async def _line(self) -> str:
        assert self.process.stdout is not None
        return (await asyncio.wait_for(self.process.stdout.readline(), 60)).decode().strip()

    async def round_trip(self) -> float:
        assert self.process.stdin is not None
        self.process.stdin.write(b"go\n")
        await self.process.stdin.drain()
        figures = [float(x) for x in json.loads(await self._line())]
        self.parts.append(figures)
        return figures[0]

    def take_parts(self) -> list[list[float]]:
        parts, self.parts = self.parts, []
        return parts

    async def stop(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        await asyncio.wait_for(self.process.wait(), 30)


if __name__ == "__main__":
    asyncio.run(client(*json.loads(sys.argv[1])))
