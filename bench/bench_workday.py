"""Workday against a real local Synapse, in an encrypted team room: how long from
``!pause 15m`` to the bot's answer (a direct message) and to the edited board, from a
mention of someone who is off to the kind note, and how long a wake-up takes with many
people enrolled (the first looks at everyone, who are new and due at once; later ones only
at whoever is due).

    .venv/bin/python bench/bench_workday.py [--rounds 20] [--people 200]
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import statistics
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from homeoffice_bot.app import App
from homeoffice_bot.devserver import SynapseServer
from homeoffice_bot.devserver.person import Person
from homeoffice_bot.devserver.settings import dev_bot_settings
from homeoffice_bot.devserver.team import team_room
from homeoffice_bot.kernel.clock import FixedClock
from homeoffice_bot.kernel.events import Edit, Message
from homeoffice_bot.kernel.ids import UserID
from homeoffice_bot.workday.arbzg import WorkEventKind
from homeoffice_bot.workday.plugin import WorkdayPlugin
from homeoffice_bot.workday.states import start_work

BERLIN = ZoneInfo("Europe/Berlin")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def summary(name: str, samples: list[float]) -> str:
    return (
        f"{name}: p50 {statistics.median(samples):.0f} ms, "
        f"p95 {percentile(samples, 0.95):.0f} ms, max {max(samples):.0f} ms (n={len(samples)})"
    )


async def measure(rounds: int, enrolled: int, base: Path) -> None:
    logging.getLogger("nio").setLevel(logging.ERROR)
    logging.getLogger("apscheduler").setLevel(logging.ERROR)
    server = SynapseServer(base / "synapse")
    await server.start_async()
    try:
        bot_id = server.register_user("bench-bot", "pw")
        clock = FixedClock(datetime(2024, 3, 12, 10, tzinfo=BERLIN))
        settings = dev_bot_settings(
            server.url, bot_id, "pw", base / "bot", web=False,
            plugins={"workday": {"tick_seconds": 3600}},
        )  # fmt: skip
        bot = App(settings, clock=clock)
        await bot.start()
        await bot.wait_synced()
        plugin = bot.plugins["workday"]
        assert isinstance(plugin, WorkdayPlugin)
        names = ("lead", "anna", "ben")
        people = {
            n: Person(
                server.url,
                server.register_user(f"bench-{n}", "pw", displayname=n.capitalize()),
                "pw",
                base / n,
            )
            for n in names
        }
        for person in people.values():
            await person.start()
        lead, anna, ben = (people[n] for n in names)
        room = await team_room(lead, bot, [anna, ben], encrypted=True)
        me = bot.matrix.user_id

        async def pause_round() -> tuple[float, float]:
            mark = anna.mark()
            t0 = time.perf_counter()

            async def answer() -> float:
                await anna.wait_for(  # the confirmation comes by direct message
                    Message, lambda m: m.sender == me and m.is_direct and "Gute Pause" in m.body,
                    since=mark,
                )  # fmt: skip
                return time.perf_counter() - t0

            async def board() -> float:
                if _has_board(anna, me, before=mark):
                    await anna.wait_for(Edit, lambda e: "Anna — Pause" in e.new_body, since=mark)
                else:
                    await anna.wait_message(room, "Teamübersicht · Stand", sender=me, since=mark)
                return time.perf_counter() - t0

            await anna.say(room, "!pause 15m")
            answered, edited = await asyncio.gather(answer(), board())
            mark = anna.mark()
            await anna.say(room, "!zurück")
            await anna.wait_for(Edit, lambda e: "Anna — Im Dienst" in e.new_body, since=mark)
            return answered * 1000, edited * 1000

        await pause_round()  # warm-up: key sharing, the board is posted
        answers, boards = [], []
        for _ in range(rounds):
            answered, board = await pause_round()
            answers.append(answered)
            boards.append(board)
        print(summary("!pause 15m → answer", answers))
        print(summary("!pause 15m → board edited", boards))

        mark = ben.mark()
        await ben.say(room, "!feierabend")
        await ben.wait_for(
            Message, lambda m: m.sender == me and m.is_direct and "Feierabend" in m.body,
            since=mark,
        )  # fmt: skip
        notes = []
        for index in range(rounds):
            sender = lead if index % 2 else anna
            mark = sender.mark()
            t0 = time.perf_counter()
            text = f"{ben.user_id} Frage {index}"
            await sender.say_mentioning(room, text, ben.user_id, "Ben")
            note = sender.wait_message(room, "außer Dienst", sender=me, since=mark)
            if index < 2:  # one note per sender and off-period
                await note
                notes.append((time.perf_counter() - t0) * 1000)
            else:
                note.close()
        print(summary("mention of someone off → note", notes))

        store = plugin.workday.store
        now = clock.now()
        for index in range(enrolled):
            user = UserID(f"@synthetic{index}:bench")
            await store.ensure_person(user, now, room)
            await store.set_status(start_work(user, now - timedelta(hours=5)))
            await store.add_event(user, now - timedelta(hours=5), WorkEventKind.START)
        ticks = []
        for minute in range(5):
            clock.set(now + timedelta(minutes=minute + 1))
            t0 = time.perf_counter()
            await plugin.tick()
            ticks.append((time.perf_counter() - t0) * 1000)
        print(summary(f"wake-up with {enrolled + 3} people enrolled", ticks))
        for person in people.values():
            await person.stop()
        await bot.stop()
    finally:
        await server.stop_async()


def _has_board(person: Person, bot: str, before: int) -> bool:
    return any(
        isinstance(e, Message) and e.sender == bot and "Teamübersicht · Stand" in e.body
        for e in person.events[:before]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--people", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="homeoffice-bench-") as tmp:
        asyncio.run(measure(args.rounds, args.people, Path(tmp)))


if __name__ == "__main__":
    main()
