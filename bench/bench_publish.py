"""#DigitalNah publishing at scale: 10,000 approved offerings (written through the
plugin's own store) published into the output directory.

Reports the publish time, the number of files and the largest one, how late the event
loop's 10 ms ticks came while publishing ran (the bot's own delay for anything it does
meanwhile), and, with ``--synapse``, the command round trip (``!hilfe``) against a real
local Synapse while the bot publishes, next to the same round trip while it is idle.

    .venv/bin/python bench/bench_publish.py [--offerings 10000]
    .venv/bin/python bench/bench_publish.py --synapse [--webhook] [--cycles 3] [--rounds 10]

With ``--synapse`` idle round trips and round trips while publishing come in turns
(``--cycles``), each set with its percentiles, and the event loop's lag in both; with
``--webhook`` the bot also posts every publish to a local webhook (its payload is built
by the render worker).

``publish_figures`` and ``fill`` can be called from other benchmarks (bench_scale.py).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import statistics
import sys
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


class StepMeter:
    """The longest single step of the event loop (one callback or task step) while it is
    entered, in the main thread's CPU time: how long the bot's own code holds the loop,
    however busy the machine is (a wall-clock lag also counts the time the process
    waited for a core)."""

    def __init__(self) -> None:
        self.longest_ms = 0.0
        self.longest_what = ""
        """What ran in the longest step (the callback or task, shortened)."""
        self._original = asyncio.events.Handle._run

    def __enter__(self) -> StepMeter:
        original, meter = self._original, self

        def run(handle: asyncio.Handle) -> None:
            before = time.thread_time()
            try:
                original(handle)
            finally:
                took = (time.thread_time() - before) * 1000
                if took > meter.longest_ms:
                    meter.longest_ms, meter.longest_what = took, repr(handle)[:160]

        asyncio.events.Handle._run = run  # type: ignore[method-assign]
        return self

    def __exit__(self, *_: object) -> None:
        asyncio.events.Handle._run = self._original  # type: ignore[method-assign]


@dataclass
class PublishFigures:
    seconds: float
    files: int
    largest_name: str
    largest_bytes: int
    lag_ms: list[float] = field(default_factory=list)
    """How late each 10 ms tick of the event loop came while publishing ran."""
    round_trips_ms: list[float] = field(default_factory=list)
    longest_step_ms: float = 0.0
    """The longest step of the event loop in CPU time (``StepMeter``)."""
    longest_step_what: str = ""

    def report(self) -> str:
        lag = self.lag_ms or [0.0]
        text = (
            f"publish: {self.seconds:.2f} s, {self.files} files, largest {self.largest_name} "
            f"{self.largest_bytes / 1024:.0f} KiB (target < 1 MB); event-loop lag while "
            f"publishing: p50 {statistics.median(lag):.1f} ms, p99 {percentile(lag, 0.99):.1f} "
            f"ms, max {max(lag):.1f} ms; longest loop step {self.longest_step_ms:.1f} ms CPU"
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
    publish: Callable[[], Awaitable[object]] | None = None,
) -> PublishFigures:
    """Publish once (``publish_files``, or ``publish``: the bot's own way, webhook and
    all) while the loop's lag (and, with ``during``, round trips in ms) is measured; the
    largest file is looked up in ``out_dir`` afterwards."""
    loop = asyncio.get_running_loop()
    started = time.perf_counter()
    task = asyncio.create_task(
        publish() if publish is not None else publish_files(store, site, out_dir, now=NOW)
    )
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

    with StepMeter() as steps:
        await asyncio.gather(task, ticks(), commands())
    seconds = time.perf_counter() - started
    sizes = await asyncio.to_thread(file_sizes, out_dir)
    largest = max(sizes, key=sizes.__getitem__)
    return PublishFigures(
        seconds, len(sizes), largest, sizes[largest], lag, trips, steps.longest_ms,
        steps.longest_what,
    )  # fmt: skip


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


async def lag_while(work: Awaitable[list[float]]) -> tuple[list[float], list[float]]:
    """``work``'s result, and how late the event loop's 10 ms ticks came meanwhile."""
    loop = asyncio.get_running_loop()
    task = asyncio.ensure_future(work)
    lag: list[float] = []
    while not task.done():
        before = loop.time()
        await asyncio.sleep(0.01)
        lag.append((loop.time() - before - 0.01) * 1000)
    return await task, lag


def spread(values: list[float]) -> str:
    return (
        f"p50 {statistics.median(values):.0f}, p90 {percentile(values, 0.9):.0f}, "
        f"max {max(values):.0f} ms"
    )


RECEIVER = """
import sys
from aiohttp import web

async def take(request):
    size = len(await request.read())
    print(size, flush=True)
    return web.Response(status=204)

app = web.Application(client_max_size=2**30)
app.router.add_post("/hook", take)
web.run_app(app, host="127.0.0.1", port=int(sys.argv[1]), print=None)
"""


async def webhook_receiver(port: int) -> asyncio.subprocess.Process:
    """A webhook endpoint in a process of its own (reading 7 MiB bodies in the bench's
    process would show up as the bot's delay); it prints each body's size."""
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-c", RECEIVER, str(port), stdout=asyncio.subprocess.PIPE
    )
    for _ in range(200):
        with contextlib.suppress(OSError):
            _, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.close()
            return process
        await asyncio.sleep(0.05)
    raise RuntimeError("the webhook receiver did not start")


async def with_synapse(count: int, rounds: int, cycles: int, hook: bool, base: Path) -> None:
    """Idle round trips and round trips while the bot publishes, in turns (``cycles``
    times each), so that a machine's drift hits both alike."""
    from homeoffice_bot.app import App
    from homeoffice_bot.devserver import SynapseServer
    from homeoffice_bot.devserver.person import Person
    from homeoffice_bot.devserver.settings import dev_bot_settings
    from homeoffice_bot.devserver.synapse import free_port
    from homeoffice_bot.devserver.team import team_room

    logging.getLogger("nio").setLevel(logging.ERROR)
    server = SynapseServer(base / "synapse")
    await server.start_async()
    hook_port = free_port()
    receiver = await webhook_receiver(hook_port) if hook else None
    try:
        bot_id = server.register_user("bench-bot", "pw")
        anna_id = server.register_user("bench-anna", "pw")
        own: dict[str, object] = {"debounce_seconds": 0.1}
        if receiver is not None:
            own.update(
                webhook_url=f"http://127.0.0.1:{hook_port}/hook", webhook_secret="bench-secret"
            )
        plugins = {"enabled": ["digitalnah"], "digitalnah": own}
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

        async def idle_rounds() -> list[float]:
            return [await round_trip() for _ in range(rounds)]

        dn = bot.plugins["digitalnah"].dn  # type: ignore[attr-defined]
        await dn.publisher.flush()  # the publish every start does, out of the way

        async def publish() -> None:
            await dn.publish_now()
            if dn.webhook is not None:
                await dn.webhook.wait(timeout=120)

        idle, busy, idle_lag, busy_lag = [], [], [], []
        idle_step = busy_step = 0.0
        busy_what = ""
        for cycle in range(cycles):
            with StepMeter() as steps:
                trips, lag = await lag_while(idle_rounds())
            idle_step = max(idle_step, steps.longest_ms)
            idle += trips
            idle_lag += lag
            figures = await publish_figures(
                dn.store, dn.site(), dn.out_dir, during=round_trip, publish=publish
            )
            busy += figures.round_trips_ms
            busy_lag += figures.lag_ms
            if figures.longest_step_ms > busy_step:
                busy_step, busy_what = figures.longest_step_ms, figures.longest_step_what
            print(f"cycle {cycle + 1}: {figures.report()}", flush=True)
        print(f"event-loop lag idle: {spread(idle_lag)}; while publishing: {spread(busy_lag)}")
        print(f"longest loop step (CPU) idle: {idle_step:.1f} ms; while publishing: "
              f"{busy_step:.1f} ms (the bot and the bench's client share the loop): "
              f"{busy_what}")  # fmt: skip
        print(f"round trip idle ({len(idle)}): {spread(idle)}")
        print(f"round trip while publishing ({len(busy)}): {spread(busy)}")
        p50 = statistics.median(busy) - statistics.median(idle)
        p90 = percentile(busy, 0.9) - percentile(idle, 0.9)
        print(
            f"delay while publishing: p50 {p50:+.0f} ms, p90 {p90:+.0f} ms, max "
            f"{max(busy) - max(idle):+.0f} ms against the idle max (target <= 100 ms)"
        )
        await anna.stop()
        await bot.stop()
    finally:
        if receiver is not None:
            receiver.terminate()
            sizes, _ = await receiver.communicate()
            bodies = [int(line) for line in sizes.split()]
            print(f"webhook bodies received: {len(bodies)}, largest "
                  f"{max(bodies, default=0) / 2**20:.1f} MiB")  # fmt: skip
        await server.stop_async()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--offerings", type=int, default=10_000)
    parser.add_argument("--synapse", action="store_true")
    parser.add_argument("--rounds", type=int, default=10, help="idle round trips per cycle")
    parser.add_argument("--cycles", type=int, default=3, help="idle and publishing in turns")
    parser.add_argument("--webhook", action="store_true", help="with a local webhook")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        if args.synapse:
            asyncio.run(
                with_synapse(args.offerings, args.rounds, args.cycles, args.webhook, Path(tmp))
            )
        else:
            asyncio.run(offline(args.offerings, Path(tmp)))


if __name__ == "__main__":
    main()
