"""Stand-ups against a real local Synapse, in an encrypted team room: how long a kickoff,
an answer's acknowledgement, the report and a late answer's report edit take, for a team
of N people; plus the pure report rendering for a large team.

    .venv/bin/python bench/bench_standup.py [--people 8] [--rounds 3]
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from homeoffice_bot.app import BUILTIN_PLUGINS, App
from homeoffice_bot.devserver import SynapseServer
from homeoffice_bot.devserver.person import Person
from homeoffice_bot.devserver.settings import dev_bot_settings
from homeoffice_bot.devserver.team import team_room
from homeoffice_bot.kernel.events import Edit, Message, Reaction
from homeoffice_bot.kernel.i18n import Catalogue
from homeoffice_bot.kernel.ids import RoomID
from homeoffice_bot.standup.answers import ParsedAnswer
from homeoffice_bot.standup.report import Person as ReportPerson
from homeoffice_bot.standup.report import PersonAnswer, ReportData, render_report

LOCALES = Path(__file__).resolve().parents[1] / "homeoffice_bot" / "standup" / "locales"


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def acknowledges(event_id: str) -> Callable[[Reaction], bool]:
    return lambda reaction: reaction.relates_to == event_id


async def team_round(bot: App, lead: Person, team: list[Person], room: RoomID) -> dict[str, float]:
    """One stand-up: kickoff, everyone but the last answers, close, a late answer."""
    bot_id = bot.matrix.user_id
    watcher = team[0]
    mark = watcher.mark()
    t0 = time.perf_counter()
    await lead.say(room, "!standup jetzt")
    kickoff = await watcher.wait_for(
        Message, lambda m: m.sender == bot_id and m.body.split("\n", 1)[0].endswith("☀️"), 30, mark
    )
    result = {"kickoff": time.perf_counter() - t0}
    acks: list[float] = []
    for person in team[:-1]:
        mark = person.mark()
        t0 = time.perf_counter()
        event = await person.say(room, "1. Akten\n2. Termine\n3. nichts",
                                 thread_root=kickoff.event_id)  # fmt: skip
        await person.wait_for(Reaction, acknowledges(event), 30, mark)
        acks.append(time.perf_counter() - t0)
    result["ack_p50"] = statistics.median(acks)
    result["ack_max"] = max(acks)
    mark = watcher.mark()
    t0 = time.perf_counter()
    await lead.say(room, "!standup beenden")
    report = await watcher.wait_message(room, "### Stand-up", sender=bot_id, since=mark)
    result["report"] = time.perf_counter() - t0
    mark = watcher.mark()
    t0 = time.perf_counter()
    await team[-1].say(room, "Heute: spät dran", thread_root=kickoff.event_id)
    await watcher.wait_for(Edit, lambda e: e.original_event_id == report.event_id, 30, mark)
    result["late_edit"] = time.perf_counter() - t0
    return result


async def measure(n_people: int, rounds: int, base: Path) -> None:
    logging.getLogger("nio").setLevel(logging.ERROR)
    server = SynapseServer(base / "synapse")
    await server.start_async()
    people: list[Person] = []
    try:
        bot_id = server.register_user("bench-bot", "pw")
        settings = dev_bot_settings(server.url, bot_id, "pw", base / "bot", web=False)
        bot = App(settings, builtins=BUILTIN_PLUGINS)
        await bot.start()
        await bot.wait_synced()
        for n in range(n_people + 1):
            mxid = server.register_user(f"bench-p{n}", "pw", displayname=f"Person {n}")
            people.append(Person(server.url, mxid, "pw", base / f"p{n}"))
            await people[-1].start()
        lead, team = people[0], people[1:]
        room = await team_room(lead, bot, team, encrypted=True)
        for command in (
            "!standup einrichten 09:00 mo-fr",
            f"!standup teilnehmer entfernen {lead.user_id}",
        ):
            await lead.ask(room, command, bot.matrix.user_id)
        results = [await team_round(bot, lead, team, room) for _ in range(rounds)]
        print(f"encrypted room, {n_people} people, {rounds} stand-ups (median over rounds):")
        for key in ("kickoff", "ack_p50", "ack_max", "report", "late_edit"):
            print(f"  {key:>9}: {ms(statistics.median(r[key] for r in results))}")
        await bot.stop()
    finally:
        for person in people:
            await person.stop()
        await server.stop_async()


def render_large_report(n_people: int = 50) -> None:
    tr = Catalogue.from_folder(LOCALES).translator("de")
    kickoff = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
    persons = tuple(ReportPerson(f"@p{n}:example.org", f"Person {n}") for n in range(n_people))
    answers = tuple(
        PersonAnswer(p, ParsedAnswer(("Akten " * 20, "Termine " * 20, "Drucker kaputt")),
                     kickoff + timedelta(seconds=n))
        for n, p in enumerate(persons[:-5])
    )  # fmt: skip
    data = ReportData("team", date(2026, 11, 23), "Europe/Berlin", ("A?", "B?", "C?"), persons,
                      answers)  # fmt: skip
    t0 = time.perf_counter()
    for _ in range(20):
        text = render_report(data, tr)
    per = (time.perf_counter() - t0) / 20
    print(f"render_report, {n_people} people: {per * 1000:.1f} ms, {len(text)} characters")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    render_large_report()
    with tempfile.TemporaryDirectory(prefix="homeoffice-bench-") as tmp:
        asyncio.run(measure(args.people, args.rounds, Path(tmp)))


if __name__ == "__main__":
    main()
