"""#DigitalNah publishing at scale: 10,000 approved offerings (written through the
plugin's own store) published into the output directory.

Reports the publish time, the number of files and the largest one, how late the event
loop's 10 ms ticks came while publishing ran (the bot's own delay for anything it does
meanwhile), and, with ``--synapse``, the command round trip (``!hilfe``) against a real
local Synapse while the bot publishes, next to the same round trip while it is idle.

    .venv/bin/python bench/bench_publish.py [--offerings 10000]
    .venv/bin/python bench/bench_publish.py --synapse [--webhook] [--cycles 12] [--rounds 30]

With ``--synapse`` idle round trips and round trips while publishing come in turns
(``--cycles``), each set with its percentiles, and the event loop's lag in both. The idle
sets are about as large as those while publishing (``--rounds``), because the slowest of
a larger set is slower by chance alone: the homeserver on a shared machine now and then
takes a few hundred milliseconds, idle or not. With
``--webhook`` the bot also posts every publish to a local webhook (its payload is built
by the render worker). Before each publish one offering changes, so that every publish
has something new to send. The person who asks (the bench's Matrix client) runs in a
process of its own, so that the round trips count the bot's delays, not the bench's
(its garbage collections, its sync); ``--client-in-process`` puts it back into the
bot's process, as the bench was before.

``publish_figures`` and ``fill`` can be called from other benchmarks (bench_scale.py).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import gc
import logging
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from loop_meters import GcMeter, HandlingMeter, StepMeter
from publish_client import PARTS, ClientProcess

from digitalnah.model import DEFAULT_CATEGORIES, Offering, OfferingState
from digitalnah.publisher import Published, publish_files
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
    longest_step_ms: float = 0.0
    """The longest step of the event loop in CPU time (``StepMeter``)."""
    longest_step_what: str = ""
    collections: GcMeter = field(default_factory=GcMeter)
    """The garbage collector's pauses in this process while publishing."""
    written: int | None = None
    """How many of the files the publish wrote (the others had not changed)."""

    def report(self) -> str:
        lag = self.lag_ms or [0.0]
        wrote = f" ({self.written} written)" if self.written is not None else ""
        text = (
            f"publish: {self.seconds:.2f} s, {self.files} files{wrote}, largest "
            f"{self.largest_name} {self.largest_bytes / 1024:.0f} KiB (target < 1 MB); "
            f"event-loop lag while publishing: p50 {statistics.median(lag):.1f} ms, "
            f"p99 {percentile(lag, 0.99):.1f} ms, max {max(lag):.1f} ms; "
            f"longest loop step {self.longest_step_ms:.1f} ms CPU; "
            f"garbage collections {self.collections.report()}"
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

    with StepMeter() as steps, GcMeter() as collections:
        result, *_ = await asyncio.gather(task, ticks(), commands())
    seconds = time.perf_counter() - started
    sizes = await asyncio.to_thread(file_sizes, out_dir)
    largest = max(sizes, key=sizes.__getitem__)
    written = result.written if isinstance(result, Published) else None
    return PublishFigures(
        seconds, len(sizes), largest, sizes[largest], lag, trips, steps.longest_ms,
        steps.longest_what, collections, written,
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
        f"p99 {percentile(values, 0.99):.0f}, max {max(values):.0f} ms"
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


async def with_synapse(
    count: int, rounds: int, cycles: int, hook: bool, base: Path, *, in_process: bool,
    freeze: bool, output_dir: Path | None,
) -> None:  # fmt: skip
    """Idle round trips and round trips while the bot publishes, in turns (``cycles``
    times each), so that a machine's drift hits both alike."""
    from homeoffice_bot.app import App
    from homeoffice_bot.devserver import SynapseServer
    from homeoffice_bot.devserver.person import Person
    from homeoffice_bot.devserver.settings import dev_bot_settings
    from homeoffice_bot.devserver.synapse import free_port
    from homeoffice_bot.devserver.team import team_room
    from homeoffice_bot.kernel.memory import freeze_when

    logging.getLogger("nio").setLevel(logging.ERROR)
    server = SynapseServer(base / "synapse")
    await server.start_async()
    hook_port = free_port()
    receiver = await webhook_receiver(hook_port) if hook else None
    try:
        bot_id = server.register_user("bench-bot", "pw")
        anna_id = server.register_user("bench-anna", "pw")
        own: dict[str, object] = {"debounce_seconds": 0.1}
        if output_dir is not None:
            own["output_dir"] = str(output_dir)
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
        if freeze:  # as ``homeoffice-bot run`` does
            bot.tasks.spawn(freeze_when(bot.matrix.synced), "freeze the start's objects (gc)")
        await bot.wait_synced()
        anna = Person(server.url, anna_id, "pw", base / "anna")
        await anna.start()
        room = await team_room(anna, bot, [], encrypted=False)
        asker: ClientProcess | None = None
        if not in_process:  # the same account and device, from now on in its own process
            await anna.stop()
            asker = await ClientProcess.start(
                server.url, anna_id, "pw", str(base / "anna"), room, bot.matrix.user_id
            )

        async def round_trip() -> float:
            if asker is not None:
                return await asker.round_trip()
            t0 = time.perf_counter()
            await anna.ask(room, "!hilfe", bot.matrix.user_id)
            return (time.perf_counter() - t0) * 1000

        await round_trip()  # warm-up
        handling = HandlingMeter(bot.matrix, "!hilfe")

        async def idle_rounds() -> list[float]:
            return [await round_trip() for _ in range(rounds)]

        dn = bot.plugins["digitalnah"].dn  # type: ignore[attr-defined]
        await dn.publisher.flush()  # the publish every start does, out of the way

        async def change(cycle: int) -> None:
            """One offering changes, so that the webhook has something new to send."""
            first = await dn.store.get(1)
            title = f"Digitales Angebot Nummer 1, Stand {cycle}"
            await dn.store.commit(dataclasses.replace(first, title=title))

        async def publish() -> Published:
            result: Published = await dn.publish_now()
            if dn.webhook is not None:
                await dn.webhook.wait(timeout=120)
            return result

        idle_parts: list[list[float]] = []
        busy_parts: list[list[float]] = []
        idle, busy, idle_lag, busy_lag = [], [], [], []
        idle_handling: list[float] = []
        busy_handling: list[float] = []
        idle_step = busy_step = 0.0
        busy_what = ""
        idle_gc, busy_gc = GcMeter(), GcMeter()
        for cycle in range(cycles):
            with StepMeter() as steps, GcMeter() as collections:
                trips, lag = await lag_while(idle_rounds())
            idle_step = max(idle_step, steps.longest_ms)
            idle_gc.merge(collections)
            idle_parts += asker.take_parts() if asker is not None else []
            idle_handling += handling.take()
            idle += trips
            idle_lag += lag
            await change(cycle)
            figures = await publish_figures(
                dn.store, dn.site(), dn.out_dir, during=round_trip, publish=publish
            )
            busy += figures.round_trips_ms
            busy_lag += figures.lag_ms
            busy_gc.merge(figures.collections)
            busy_parts += asker.take_parts() if asker is not None else []
            busy_handling += handling.take()
            if figures.longest_step_ms > busy_step:
                busy_step, busy_what = figures.longest_step_ms, figures.longest_step_what
            print(f"cycle {cycle + 1}: {figures.report()}", flush=True)
        print(f"event-loop lag idle: {spread(idle_lag)}; while publishing: {spread(busy_lag)}")
        shared = " (the bot and the bench's client share the loop)" if in_process else ""
        print(f"longest loop step (CPU) idle: {idle_step:.1f} ms; while publishing: "
              f"{busy_step:.1f} ms{shared}: {busy_what}")  # fmt: skip
        print(f"garbage collections in the bot's process idle: {idle_gc.report()}; "
              f"while publishing: {busy_gc.report()}")  # fmt: skip
        print(f"round trip idle ({len(idle)}): {spread(idle)}")
        print(f"round trip while publishing ({len(busy)}): {spread(busy)}")
        print(f"the bot's own time per command (its sync brought it -> its answer leaves) "
              f"idle: {spread(idle_handling)}; while publishing: {spread(busy_handling)}; "
              f"delay max {max(busy_handling) - max(idle_handling):+.0f} ms, slowest while "
              f"publishing {max(busy_handling) - statistics.median(idle_handling):+.0f} ms "
              f"over the idle median (target <= 100 ms)")  # fmt: skip
        for label, parts in (("idle", idle_parts), ("while publishing", busy_parts)):
            if parts:
                split = "; ".join(
                    f"{name} {spread([p[n] for p in parts])}" for n, name in enumerate(PARTS, 1)
                )
                print(f"round trip {label}, by the homeserver's timestamps: {split}")
        for worst in sorted(busy_parts, reverse=True)[:3]:
            split = ", ".join(f"{name} {ms:.0f}" for name, ms in zip(PARTS, worst[1:], strict=True))
            print(f"a slowest round trip while publishing: {worst[0]:.0f} ms ({split} ms)")
        p50 = statistics.median(busy) - statistics.median(idle)
        p90 = percentile(busy, 0.9) - percentile(idle, 0.9)
        p99 = percentile(busy, 0.99) - percentile(idle, 0.99)
        print(
            f"delay while publishing: p50 {p50:+.0f} ms, p90 {p90:+.0f} ms, p99 {p99:+.0f} ms, "
            f"max {max(busy) - max(idle):+.0f} ms against the idle max (target <= 100 ms)"
        )
        before = time.thread_time()  # at the end: a collection resets the collector's counts
        gc.collect()
        print(f"a full garbage collection of the bot's process: "
              f"{(time.thread_time() - before) * 1000:.0f} ms CPU, {len(gc.get_objects())} "
              f"objects tracked, {gc.get_freeze_count()} frozen")  # fmt: skip
        if asker is not None:
            await asker.stop()
        else:
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
    parser.add_argument(
        "--rounds", type=int, default=30,
        help="idle round trips per cycle (about as many as come while one publish runs)",
    )  # fmt: skip
    parser.add_argument("--cycles", type=int, default=12, help="idle and publishing in turns")
    parser.add_argument("--webhook", action="store_true", help="with a local webhook")
    parser.add_argument(
        "--client-in-process", action="store_true",
        help="the asking client in the bot's process (as the bench was before)",
    )  # fmt: skip
    parser.add_argument(
        "--no-freeze", action="store_true",
        help="leave out the bot's gc.freeze() after its start (homeoffice_bot.kernel.memory)",
    )  # fmt: skip
    parser.add_argument(
        "--output-dir", type=Path,
        help="where the bot publishes (default: its data folder; e.g. on /dev/shm to take "
        "the disk out of the measurement)",
    )  # fmt: skip
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        if args.synapse:
            asyncio.run(
                with_synapse(
                    args.offerings, args.rounds, args.cycles, args.webhook, Path(tmp),
                    in_process=args.client_in_process, freeze=not args.no_freeze,
                    output_dir=args.output_dir,
                )
            )  # fmt: skip
        else:
            asyncio.run(offline(args.offerings, Path(tmp)))


if __name__ == "__main__":
    main()
