"""Command round trip against a real local Synapse: a person sends ``!hilfe`` and waits
for the bot's answer, in a plain and in an encrypted room. Reports latency percentiles,
the bot's start-up time (login + first sync) and the process's peak memory.

    .venv/bin/python bench/bench_commands.py [--rounds 50]
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import resource
import statistics
import tempfile
import time
from pathlib import Path

from homeoffice_bot.app import App
from homeoffice_bot.devserver import SynapseServer
from homeoffice_bot.devserver.person import Person
from homeoffice_bot.devserver.settings import dev_bot_settings
from homeoffice_bot.devserver.team import team_room


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def measure(rounds: int, base: Path) -> None:
    logging.getLogger("nio").setLevel(logging.ERROR)  # key-sharing chatter
    server = SynapseServer(base / "synapse")
    await server.start_async()
    try:
        bot_id = server.register_user("bench-bot", "pw")
        anna_id = server.register_user("bench-anna", "pw")
        settings = dev_bot_settings(
            server.url, bot_id, "pw", base / "bot", web=False, sync_timeout_ms=10_000
        )
        started = time.perf_counter()
        bot = App(settings)
        await bot.start()
        await bot.wait_synced()
        startup = time.perf_counter() - started
        anna = Person(server.url, anna_id, "pw", base / "anna")
        await anna.start()
        print(f"bot start-up (login, first sync): {startup * 1000:.0f} ms")
        for encrypted in (False, True):
            room = await team_room(anna, bot, [], encrypted=encrypted)
            await anna.ask(room, "!hilfe", bot.matrix.user_id)  # warm-up: key sharing
            samples: list[float] = []
            for _ in range(rounds):
                t0 = time.perf_counter()
                await anna.ask(room, "!hilfe", bot.matrix.user_id)
                samples.append((time.perf_counter() - t0) * 1000)
            kind = "encrypted" if encrypted else "plain"
            print(
                f"{kind:>9} room, {rounds} round trips: p50 {statistics.median(samples):.0f} ms, "
                f"p95 {percentile(samples, 0.95):.0f} ms, max {max(samples):.0f} ms"
            )
        await anna.stop()
        await bot.stop()
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"peak memory of bot + client process: {peak:.0f} MiB")
    finally:
        await server.stop_async()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=50)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="homeoffice-bench-") as tmp:
        asyncio.run(measure(args.rounds, Path(tmp)))


if __name__ == "__main__":
    main()
