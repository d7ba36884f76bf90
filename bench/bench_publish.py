"""#DigitalNah publishing at scale: 10,000 approved offerings (written through the
plugin's own store) published into the output directory.

Reports the publish time, the number of files and the largest one, how late the event
loop's 10 ms ticks came while publishing ran (the bot's own delay for anything it does
meanwhile), and, with ``--synapse``, the command round trip (``!hilfe``) against a real
local Synapse while the bot publishes, next to the same round trip while it is idle.

    .venv/bin/python bench/bench_publish.py [--offerings 10000] [--synapse] [--rounds 30]

``publish_figures`` and ``fill`` can be called from other benchmarks (bench_scale.py).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from digitalnah.model import DEFAULT_CATEGORIES, Offering, OfferingState
from digitalnah.publisher import publish_files
from digitalnah.render import SiteSettings
from digitalnah.schema import MIGRATIONS
from digitalnah.store import OfferingStore
from homeoffice_bot.kernel.ids import UserID
from homeoffice_bot.kernel.storage import Database

NOW = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
DESCRIPTION = (
    "Termine rund um die Uhr online buchen, ohne Wartezeit im Bürgerbüro. Die Bestätigung "
    "kommt per E-Mail, eine Erinnerung am Vortag; absagen geht mit einem Klick."
)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] if ordered else 0.0


async def fill(db: Database, count: int) -> None:
    """``count`` approved offerings spread over the default categories."""
    await db.migrate("digitalnah", MIGRATIONS)
    store = OfferingStore(db)
    for n in range(1, count + 1):
        at = NOW - timedelta(minutes=count - n)
        await store.commit(
            Offering(
                submitter=UserID("@anna:example.org"),
                created_at=at,
                updated_at=at,
                title=f"Digitales Angebot Nummer {n}",
                description=DESCRIPTION,
                link=f"https://stadt.example.org/angebote/{n}",
                category=DEFAULT_CATEGORIES[n % len(DEFAULT_CATEGORIES)],
                provider="Bürgeramt",
                target_group="alle",
                contact="buergeramt@example.org",
                tags=("Termine", "Online"),
                state=OfferingState.APPROVED,
                approved_at=at,
            )
        )


@dataclass
class PublishFigures:
    seconds: float
    files: int
    largest_name: str
    largest_bytes: int
    lag_ms: list[float] = field(default_factory=list)
    """How late each 10 ms tick of the event loop came while publishing ran."""
    round_trips_ms: list[float] = field(default_factory=list)

    def report(self) -> str:
        lag = self.lag_ms or [0.0]
        text = (
            f"publish: {self.seconds:.2f} s, {self.files} files, largest {self.largest_name} "
            f"{self.largest_bytes / 1024:.0f} KiB (target < 1 MB); event-loop lag while "
            f"publishing: p50 {statistics.median(lag):.1f} ms, p99 {percentile(lag, 0.99):.1f} "
            f"ms, max {max(lag):.1f} ms"
        )
        if self.round_trips_ms:
            trips = self.round_trips_ms
            text += (
                f"\ncommand round trips while publishing ({len(trips)}): p50 "
                f"{statistics.median(trips):.0f} ms, max {max(trips):.0f} ms"
            )
        return text


def file_sizes(out_dir: Path) -> dict[str, int]:
    return {p.name: p.stat().st_size for p in out_dir.iterdir() if not p.name.startswith(".")}


async def publish_figures(
    store: OfferingStore,
    site: SiteSettings,
    out_dir: Path,
    *,
    during: Callable[[], Awaitable[float]] | None = None,
) -> PublishFigures:
    """Publish once while the loop's lag (and, with ``during``, round trips in ms) is
    measured; the largest file is looked up in ``out_dir`` afterwards."""
    loop = asyncio.get_running_loop()
    started = time.perf_counter()
    task = asyncio.create_task(publish_files(store, site, out_dir, now=NOW))
    lag: list[float] = []
    trips: list[float] = []

    async def ticks() -> None:
        while not task.done():
            before = loop.time()
            await asyncio.sleep(0.01)
            lag.append((loop.time() - before - 0.01) * 1000)

    async def commands() -> None:
        while during is not None and not task.done():
            trips.append(await during())

    await asyncio.gather(task, ticks(), commands())
    seconds = time.perf_counter() - started
    sizes = await asyncio.to_thread(file_sizes, out_dir)
    largest = max(sizes, key=sizes.__getitem__)
    return PublishFigures(seconds, len(sizes), largest, sizes[largest], lag, trips)


async def offline(count: int, base: Path) -> None:
    db = Database(base / "publish.sqlite3")
    await db.open()
    try:
        started = time.perf_counter()
        await fill(db, count)
        print(f"filled {count} offerings in {time.perf_counter() - started:.1f} s")
        site = SiteSettings(base_url="https://stadt.example.org")
        store = OfferingStore(db)
        for attempt in ("first", "again"):
            figures = await publish_figures(store, site, base / "public")
            print(f"{attempt}: {figures.report()}")
    finally:
        await db.close()


async def with_synapse(count: int, rounds: int, base: Path) -> None:
    from homeoffice_bot.app import App
    from homeoffice_bot.devserver import SynapseServer
    from homeoffice_bot.devserver.person import Person
    from homeoffice_bot.devserver.settings import dev_bot_settings
    from homeoffice_bot.devserver.team import team_room

    logging.getLogger("nio").setLevel(logging.ERROR)
    server = SynapseServer(base / "synapse")
    await server.start_async()
    try:
        bot_id = server.register_user("bench-bot", "pw")
        anna_id = server.register_user("bench-anna", "pw")
        plugins = {"enabled": ["digitalnah"], "digitalnah": {"debounce_seconds": 0.1}}
        settings = dev_bot_settings(
            server.url, bot_id, "pw", base / "bot", plugins=plugins, sync_timeout_ms=10_000
        )
        (base / "bot").mkdir(parents=True, exist_ok=True)
        db = Database(base / "bot" / "homeoffice.sqlite3")
        await db.open()
        await fill(db, count)
        await db.close()
        bot = App(settings)
        await bot.start()
        await bot.wait_synced()
        anna = Person(server.url, anna_id, "pw", base / "anna")
        await anna.start()
        room = await team_room(anna, bot, [], encrypted=False)
        await anna.ask(room, "!hilfe", bot.matrix.user_id)  # warm-up

        async def round_trip() -> float:
            t0 = time.perf_counter()
            await anna.ask(room, "!hilfe", bot.matrix.user_id)
            return (time.perf_counter() - t0) * 1000

        dn = bot.plugins["digitalnah"].dn  # type: ignore[attr-defined]
        await dn.publisher.flush()  # the publish every start does, out of the way
        idle = [await round_trip() for _ in range(rounds)]
        figures = await publish_figures(dn.store, dn.site(), dn.out_dir, during=round_trip)
        print(figures.report())
        busy = figures.round_trips_ms
        print(
            f"round trip idle ({len(idle)}): p50 {statistics.median(idle):.0f} ms, max "
            f"{max(idle):.0f} ms; delay while publishing: p50 "
            f"{statistics.median(busy) - statistics.median(idle):+.0f} ms, max "
            f"{max(busy) - statistics.median(idle):+.0f} ms (target <= 100 ms)"
        )
        await anna.stop()
        await bot.stop()
    finally:
        await server.stop_async()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--offerings", type=int, default=10_000)
    parser.add_argument("--synapse", action="store_true")
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        if args.synapse:
            asyncio.run(with_synapse(args.offerings, args.rounds, Path(tmp)))
        else:
            asyncio.run(offline(args.offerings, Path(tmp)))


if __name__ == "__main__":
    main()
