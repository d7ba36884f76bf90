"""The two database backends side by side: the command round trip (``!hilfe`` in a plain
room, against a real local Synapse) with the bot on SQLite and on PostgreSQL, interleaved
so that drift hits both alike, and the storage layer's own statement latencies (a
single-row upsert, a lookup by key, a transaction of three statements) on each.

PostgreSQL is a local server started from the machine's packages (like the test harness),
on loopback with durability off: it shows the dialect's and the driver's cost, not a
network's or a disk's.

    .venv/bin/python bench/bench_storage.py [--rounds 40] [--statements 2000]
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import statistics
import tempfile
import time
from pathlib import Path

from bench_commands import percentile, round_trips

from homeoffice_bot.app import App
from homeoffice_bot.devserver import SynapseServer
from homeoffice_bot.devserver.person import Person
from homeoffice_bot.devserver.postgres import PostgresServer
from homeoffice_bot.devserver.settings import dev_bot_settings
from homeoffice_bot.devserver.team import team_room
from homeoffice_bot.kernel.ids import RoomID
from homeoffice_bot.kernel.storage import Database


def summary(samples: list[float], unit: str = "ms") -> str:
    return (
        f"p50 {statistics.median(samples):6.2f} {unit}, p95 {percentile(samples, 0.95):6.2f} "
        f"{unit}, max {max(samples):6.2f} {unit}"
    )


async def statements(target: str | Path, count: int) -> dict[str, list[float]]:
    db = Database(target)
    await db.open()
    await db.migrate("bench", ["CREATE TABLE bench (k TEXT PRIMARY KEY, v TEXT, n INTEGER)"])
    upsert = (
        "INSERT INTO bench(k, v, n) VALUES (?, ?, ?)"
        " ON CONFLICT(k) DO UPDATE SET v = excluded.v, n = bench.n + 1"
    )
    out: dict[str, list[float]] = {"upsert": [], "lookup": [], "transaction": []}
    for n in range(count):
        key = f"k{n % 200}"
        t0 = time.perf_counter()
        await db.execute(upsert, (key, "x" * 40, 0))
        t1 = time.perf_counter()
        await db.fetchone("SELECT v, n FROM bench WHERE k = ?", (key,))
        t2 = time.perf_counter()
        async with db.transaction() as tx:
            await tx.execute(upsert, (key, "y", 0))
            await tx.fetchval("SELECT n FROM bench WHERE k = ?", (key,))
            await tx.execute("UPDATE bench SET v = ? WHERE k = ?", ("z", key))
        t3 = time.perf_counter()
        out["upsert"].append((t1 - t0) * 1000)
        out["lookup"].append((t2 - t1) * 1000)
        out["transaction"].append((t3 - t2) * 1000)
    await db.close()
    return out


async def measure(rounds: int, count: int, base: Path) -> None:
    logging.getLogger("nio").setLevel(logging.ERROR)
    with PostgresServer() as postgres:
        targets: dict[str, str | Path] = {
            "sqlite": base / "bench.sqlite3",
            "postgresql": postgres.create_database("bench"),
        }
        print(f"storage statements, {count} each:")
        for name, target in targets.items():
            for kind, samples in (await statements(target, count)).items():
                print(f"  {name:>10} {kind:>11}: {summary(samples)}")

        server = SynapseServer(base / "synapse")
        await server.start_async()
        try:
            anna_id = server.register_user("bench-anna", "pw")
            anna = Person(server.url, anna_id, "pw", base / "anna")
            await anna.start()
            bots: dict[str, tuple[App, RoomID]] = {}
            for name in targets:
                bot_id = server.register_user(f"bench-{name}", "pw")
                settings = dev_bot_settings(
                    server.url, bot_id, "pw", base / name, web=False, sync_timeout_ms=10_000
                )
                settings.storage.database = str(
                    postgres.create_database("bot") if name == "postgresql" else targets[name]
                )
                started = time.perf_counter()
                bot = App(settings)
                await bot.start()
                await bot.wait_synced()
                print(f"  {name:>10} bot start-up: {(time.perf_counter() - started) * 1000:.0f} ms")
                room = await team_room(anna, bot, [], encrypted=False)
                await anna.ask(room, "!hilfe", bot.matrix.user_id)  # warm-up
                bots[name] = (bot, room)
            samples: dict[str, list[float]] = {name: [] for name in bots}
            for _ in range(rounds // 10 or 1):
                for name, (bot, room) in bots.items():
                    samples[name] += await round_trips(anna, room, bot.matrix.user_id, 10)
            print(f"command round trip, plain room, {len(samples['sqlite'])} each:")
            for name, values in samples.items():
                print(f"  {name:>10}: {summary(values)}")
            ratio = statistics.median(samples["postgresql"]) / statistics.median(samples["sqlite"])
            print(f"  postgresql / sqlite (p50): {ratio:.2f}x")
            for bot, _ in bots.values():
                await bot.stop()
            await anna.stop()
        finally:
            await server.stop_async()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--statements", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="homeoffice-bench-") as tmp:
        asyncio.run(measure(args.rounds, args.statements, Path(tmp)))


if __name__ == "__main__":
    main()
