"""The bot at organisation scale, against a real local Synapse: a database filled through
the project's own stores at 1k / 10k / 50k people and 100 / 1k / 10k stand-ups, each
figure next to its ratio to the empty database in the same run.

Per level the bot runs as its own process (``homeoffice-bot run``, its modules compiled
once into a cache shared by the run's bots, as the container image ships them): time to
healthy (process start to ``/healthz`` ok) and the CPU used until then, RSS after an idle
time, CPU per idle minute, and the ``!pause`` round trip of a person in a team room.
Then, in this process, the due-time processing: the wake-up when nobody is due, a look
at one due person, and the busiest minute of the next 24 hours. Once per run: the
kickoffs of many rooms at one minute (first and last after the minute, and the same
number of sends by a bare client, the homeserver's share) and publishing many
#DigitalNah offerings (time, largest file).

    .venv/bin/python bench/bench_scale.py                      # everything, 60 s idle
    .venv/bin/python bench/bench_scale.py --quick              # 1k and 10k, 10 s idle,
                                                               # 100 rooms, 1,000 offerings
    .venv/bin/python bench/bench_scale.py --levels 50k --idle 20 --kickoff-rooms 0
    .venv/bin/python bench/bench_scale.py --database postgresql --levels 50k --kickoff-rooms 0

With ``--database postgresql`` each level's database is filled as SQLite, moved with
``migrate-storage`` (every table's count checked) into a PostgreSQL server the bench starts
from the machine's packages, and the bot runs on the moved database.

The people are synthetic (``@p000001:bench.invalid``): a profile with working hours, a
"working" status and one work event each, in a time zone where it is mid-morning while
the bench runs, so that no reminder falls into an idle measurement.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from scale_once import measure_kickoffs, measure_publish
from scale_setup import (
    DATABASE_FILE,
    LEVELS,
    LOOK_SAMPLE,
    TARGETS,
    Level,
    cpu_seconds,
    environment,
    fill,
    mid_morning_zone,
    reply,
    rss_mib,
    until_healthy,
)

from homeoffice_bot.app import App
from homeoffice_bot.devserver import SynapseServer
from homeoffice_bot.devserver.botprocess import BotProcess
from homeoffice_bot.devserver.person import Person
from homeoffice_bot.devserver.postgres import PostgresServer
from homeoffice_bot.devserver.settings import dev_bot_settings
from homeoffice_bot.devserver.synapse import free_port
from homeoffice_bot.kernel.clock import FixedClock
from homeoffice_bot.kernel.ids import RoomID, UserID
from homeoffice_bot.migrate_storage import migrate_storage
from homeoffice_bot.workday.plugin import WorkdayPlugin


class Running:
    """One level's bot as its own process, and a person in a team room with it."""

    def __init__(
        self, server: SynapseServer, level: Level, base: Path, data: Path, database: str | None
    ) -> None:
        self.server, self.level, self.base, self.data = server, level, base, data
        self.database = database
        """A ``postgresql://`` URL, or None for the SQLite file in ``data``."""
        self.bot_id = UserID(server.register_user(f"bench-bot-{level.name}", "pw"))
        self.bot: BotProcess | None = None
        self.anna: Person | None = None
        self.room: RoomID | None = None

    async def start(self) -> tuple[float, float]:
        """Start the process; seconds until ``/healthz`` says ok, and the CPU seconds the
        process used until then (less at the mercy of a loaded machine)."""
        port = free_port()
        env = environment(self.server, self.bot_id, self.base, self.data, port)
        if self.database is not None:
            env["HOMEOFFICE_STORAGE__DATABASE"] = self.database
        self.bot = BotProcess(env, port, self.base / "bot.log")
        started = time.perf_counter()
        await self.bot.start()
        await until_healthy(self.bot)
        return time.perf_counter() - started, cpu_seconds(self.pid)

    @property
    def pid(self) -> int:
        assert self.bot is not None
        assert self.bot.proc is not None
        return self.bot.proc.pid

    async def join(self) -> None:
        """Anna's team room with the bot; her ``!moin`` posts the board."""
        anna_id = self.server.register_user(f"bench-anna-{self.level.name}", "pw")
        self.anna = Person(self.server.url, anna_id, "pw", self.base / "anna")
        await self.anna.start()
        room = await self.anna.client.create_room(
            name="Team", invite=[self.bot_id], encrypted=False
        )
        assert await self.anna.client.wait_member_joined(room, self.bot_id, timeout=60)
        self.room = room
        await reply(self.anna, room, "!moin", self.bot_id, "Guten Morgen")
        for _ in range(3):  # warm-up
            await self.pause()

    async def pause(self) -> float:
        """One ``!pause 15m`` round trip in seconds (then back with ``!zurück``)."""
        assert self.anna is not None
        assert self.room is not None
        took = await reply(self.anna, self.room, "!pause 15m", self.bot_id, "Gute Pause")
        await reply(self.anna, self.room, "!zurück", self.bot_id, "Willkommen zurück")
        return took

    async def idle(self, seconds: float) -> None:
        await asyncio.sleep(2)
        cpu0, t0 = cpu_seconds(self.pid), time.perf_counter()
        await asyncio.sleep(seconds)
        cpu = cpu_seconds(self.pid) - cpu0
        self.level.figures["idle_cpu_pct"] = 100 * cpu / (time.perf_counter() - t0)
        self.level.figures["rss_mib"] = rss_mib(self.pid)

    async def stop(self) -> None:
        if self.anna is not None:
            await self.anna.stop()
            self.anna = None
        if self.bot is not None:
            await self.bot.terminate()
            self.bot = None


async def started(running: Running, starts: int) -> None:
    """Time to healthy (and the CPU used until then): the best and the median of a first
    start and ``starts - 1`` restarts; the last start keeps running."""
    walls, cpus, loads = [], [], []
    for n in range(starts):
        if n:
            await running.stop()
        wall, cpu = await running.start()
        walls.append(wall)
        cpus.append(cpu)
        loads.append(os.getloadavg()[0])
    running.level.figures["healthy_s"] = min(walls)
    running.level.figures["healthy_median_s"] = statistics.median(walls)
    running.level.figures["healthy_cpu_s"] = min(cpus)
    running.level.figures["healthy_cpu_median_s"] = statistics.median(cpus)
    running.level.figures["load_min"] = min(loads)
    running.level.figures["load_max"] = max(loads)


async def measure_due(
    server: SynapseServer, level: Level, data: Path, database: str | None
) -> None:
    """In this process, on the filled database: a wake-up with nobody due, a look per due
    person (a sample made due now), and the busiest minute of the next day."""
    bot_id = f"@bench-bot-{level.name}:{server.server_name}"
    clock = FixedClock(datetime.now(UTC))
    settings = dev_bot_settings(server.url, bot_id, "pw", data, web=False)
    if database is not None:
        storage = settings.storage.model_copy(update={"database": database})
        settings = settings.model_copy(update={"storage": storage})
    app = App(settings, clock=clock)
    await app.start()
    try:
        await app.wait_synced()
        plugin = app.plugins["workday"]
        assert isinstance(plugin, WorkdayPlugin)
        store = plugin.workday.store

        async def timed(action: Callable[[], Awaitable[None]]) -> float:
            started = time.perf_counter()
            await action()
            return time.perf_counter() - started

        await plugin.tick()
        idle = [await timed(plugin.tick) for _ in range(20)]
        level.figures["due_idle_ms"] = statistics.median(idle) * 1000
        sample = [UserID(f"@p{i:06d}:bench.invalid") for i in range(min(LOOK_SAMPLE, level.people))]
        if sample:
            for user in sample:
                await store.set_due(user, clock.now())
            level.figures["due_look_ms"] = await timed(plugin.tick) * 1000 / len(sample)
        busiest = await app.db.fetchone(
            "SELECT substr(due_at, 1, 16) AS minute, COUNT(*) AS n FROM workday_people"
            " WHERE due_at IS NOT NULL AND due_at < ? GROUP BY minute ORDER BY n DESC LIMIT 1",
            ((clock.now() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),),
        )
        wakes = await app.db.fetchval(
            "SELECT COUNT(DISTINCT substr(due_at, 1, 16)) FROM workday_people"
            " WHERE due_at IS NOT NULL AND due_at < ?",
            ((clock.now() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),),
        )
        level.figures["busiest_minute_people"] = float(busiest["n"]) if busiest else 0.0
        level.figures["wakeups_per_day"] = float(wakes or 0)
    finally:
        await app.stop()


# --------------------------------------------------------------------------- report

ROWS = (
    ("healthy_s", "time to healthy (best start)", "s", 2),
    ("healthy_median_s", "time to healthy (median start)", "s", 2),
    ("healthy_cpu_s", "CPU until healthy (least)", "s", 2),
    ("healthy_cpu_median_s", "CPU until healthy (median)", "s", 2),
    ("rss_mib", "RSS after idle", "MiB", 0),
    ("idle_cpu_pct", "CPU while idle", "% of a core", 2),
    ("pause_ms", "!pause round trip (median)", "ms", 0),
    ("due_idle_ms", "due check, nobody due", "ms", 2),
    ("due_look_ms", "look at one due person", "ms", 2),
    ("busiest_minute_people", "people due in the busiest minute", "", 0),
    ("wakeups_per_day", "wake-ups in the next 24 h", "", 0),
)


def report(levels: list[Level], idle: float) -> str:
    empty = next((lv for lv in levels if lv.people == 0 and lv.standups == 0), None)
    head = ["figure", "unit", *(f"{lv.name} ({lv.people:,} p, {lv.standups:,} s)" for lv in levels)]
    lines = [head]
    for key, label, unit, digits in ROWS:
        row = [label, unit]
        for lv in levels:
            value = lv.figures.get(key)
            if value is None:
                row.append("–")
                continue
            text = f"{value:,.{digits}f}"
            base = empty.figures.get(key) if empty is not None and lv is not empty else None
            if key == "pause_ms" and lv is not empty:
                base = lv.figures.get("pause_empty_ms")  # measured interleaved
            if base and key not in ("busiest_minute_people", "wakeups_per_day"):
                text += f" ({value / base:.2f}x)"
            row.append(text)
        lines.append(row)
    widths = [max(len(r[i]) for r in lines) for i in range(len(head))]
    out = [" | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in lines]
    out.insert(1, "-+-".join("-" * w for w in widths))
    loads = [v for lv in levels for k, v in lv.figures.items() if k.startswith("load_")]
    notes = [
        f"CPU and RSS over {idle:.0f} s idle (CPU per idle minute: the % times 0.6 s).",
        f"Load average (1 min) at the starts: {min(loads, default=0):.1f}"
        f"–{max(loads, default=0):.1f}.",
        "Time to healthy: process start to /healthz ok, over a first start and restarts;",
        "CPU until healthy: the process's CPU seconds by then (less at the mercy of a loaded",
        "machine). !pause: its ratio is to the empty database's bot, measured interleaved.",
        "Due check and look: in this process, on the level's database (see the docstring).",
    ]
    return "\n".join([*out, "", *notes, TARGETS])


async def measure_level(
    server: SynapseServer,
    level: Level,
    base: Path,
    now: datetime,
    zone: str,
    args: argparse.Namespace,
    baseline: Running | None,
    postgres: PostgresServer | None,
) -> Running | None:
    """Fill, start, idle and ``!pause`` one level; the empty level's bot is returned to
    keep running as the baseline (``baseline`` is None for it)."""
    work = base / level.name
    data = work / "bot"
    data.mkdir(parents=True)
    began = time.perf_counter()
    await fill(data, level, now, zone)
    print(f"{level.name}: filled {level.people:,} people, {level.standups:,} "
          f"stand-ups in {time.perf_counter() - began:.0f} s", flush=True)  # fmt: skip
    database = None
    if postgres is not None:
        database = await asyncio.to_thread(postgres.create_database, f"bench_{level.name}")
        began = time.perf_counter()
        counts = await migrate_storage(data / DATABASE_FILE, database)
        print(f"{level.name}: moved {sum(counts.values()):,} rows of {len(counts)} tables to"
              f" PostgreSQL in {time.perf_counter() - began:.0f} s, every count equal",
              flush=True)  # fmt: skip
    running = Running(server, level, work, data, database)
    try:
        await started(running, args.starts)
        await running.join()
        await running.idle(args.idle)
        if baseline is None:  # the empty database keeps running alongside
            level.figures["pause_ms"] = 1000 * statistics.median(
                [await running.pause() for _ in range(args.rounds)]
            )
            return running
        mine, empty = [], []
        for _ in range(args.rounds):  # interleaved, so that drift hits both alike
            mine.append(await running.pause())
            empty.append(await baseline.pause())
        level.figures["pause_ms"] = 1000 * statistics.median(mine)
        level.figures["pause_empty_ms"] = 1000 * statistics.median(empty)
    except BaseException:
        await running.stop()
        raise
    await running.stop()
    await measure_due(server, level, data, database)
    return baseline


async def measure_or_report(what: str, measuring: Awaitable[dict[str, float]]) -> dict[str, float]:
    """The figures, or none (and the error said) when the measurement failed."""
    try:
        return await measuring
    except Exception as exc:
        print(f"{what}: failed: {exc!r}", flush=True)
        return {}


async def run(args: argparse.Namespace, base: Path) -> None:
    logging.getLogger("nio").setLevel(logging.ERROR)
    logging.getLogger("apscheduler").setLevel(logging.ERROR)
    server = SynapseServer(base / "synapse")
    await server.start_async()
    postgres = PostgresServer() if args.database == "postgresql" else None
    if postgres is not None:
        await asyncio.to_thread(postgres.start)
    try:
        names = ["empty", *(n for n in args.levels if n != "empty")]
        levels = [Level(n, *LEVELS[n]) for n in names]
        now = datetime.now(UTC)
        zone = mid_morning_zone(now)
        print(f"people's time zone: {zone} (local {now.astimezone(ZoneInfo(zone)):%H:%M})")
        baseline: Running | None = None
        try:
            for level in levels:
                try:
                    baseline = await measure_level(
                        server, level, base, now, zone, args, baseline, postgres
                    )
                except Exception as exc:  # one level failing leaves the others' figures
                    print(f"{level.name}: failed: {exc!r}", flush=True)
                    if baseline is None:
                        break  # nothing to compare with
                print(f"{level.name}: {level.figures}", flush=True)
        finally:
            if baseline is not None:
                await baseline.stop()
        if baseline is not None:
            await measure_due(server, levels[0], base / levels[0].name / "bot", baseline.database)
        print(f"\ndatabase: {args.database}")
        print(report(levels, args.idle))
        if args.kickoff_rooms:
            k = await measure_or_report(
                "kickoffs", measure_kickoffs(server, args.kickoff_rooms, base / "kickoffs")
            )
            nan = float("nan")
            if k:
                print(
                    f"\nkickoffs of {args.kickoff_rooms:,} rooms at one minute: "
                    f"{k.get('kickoffs', 0):,.0f} sent; "
                    f"first {k.get('first_kickoff_s', nan):.2f} s, "
                    f"last {k.get('last_kickoff_s', nan):.2f} s after the minute; "
                    f"a bare client sends as many in {k['synapse_sends_s']:.2f} s (8 at a time)"
                )
        if args.offerings:
            p = await measure_or_report(
                "publishing", measure_publish(server, args.offerings, base / "publish")
            )
            if p:
                print(
                    f"publishing {args.offerings:,} offerings: {p['publish_s']:.2f} s, "
                    f"{p['files']:.0f} files, largest {p['largest_file_mib']:.2f} MiB"
                )
    finally:
        if postgres is not None:
            await asyncio.to_thread(postgres.stop)
        await server.stop_async()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--levels",
        type=lambda s: s.split(","),
        default=["1k", "10k", "50k"],
        help="comma-separated: 1k,10k,50k (the empty database always runs)",
    )
    parser.add_argument("--idle", type=float, default=60.0, help="idle seconds per level")
    parser.add_argument(
        "--database", choices=("sqlite", "postgresql"), default="sqlite",
        help="the bot's database (postgresql: moved there with migrate-storage)",
    )  # fmt: skip
    parser.add_argument("--rounds", type=int, default=10, help="!pause round trips per level")
    parser.add_argument("--starts", type=int, default=2,
                        help="starts per level for the time to healthy")  # fmt: skip
    parser.add_argument("--kickoff-rooms", type=int, default=1_000, help="0: skip")
    parser.add_argument("--offerings", type=int, default=10_000, help="0: skip")
    parser.add_argument("--quick", action="store_true",
                        help="1k and 10k, 10 s idle, 100 rooms, 1,000 offerings")  # fmt: skip
    args = parser.parse_args()
    if args.quick:
        args.levels, args.idle, args.kickoff_rooms, args.offerings = ["1k", "10k"], 10.0, 100, 1000
    unknown = [n for n in args.levels if n not in LEVELS]
    if unknown:
        parser.error(f"unknown level {', '.join(unknown)}; choose from {', '.join(LEVELS)}")
    with tempfile.TemporaryDirectory(prefix="homeoffice-bench-") as tmp:
        asyncio.run(run(args, Path(tmp)))


if __name__ == "__main__":
    main()
