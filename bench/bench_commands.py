"""Command round trip against a real local Synapse: a person sends ``!hilfe`` and waits
for the bot's answer, in a plain and in an encrypted room. Reports latency percentiles,
the ratio of the medians to a bare matrix-nio echo bot on the same homeserver in the same
run (it answers with the same text, without a database, outbox or gate: the price of
"nothing lost, nothing twice"), the bot's start-up time (login + first sync) and the
process's peak memory.

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

import nio

from homeoffice_bot.app import App
from homeoffice_bot.devserver import SynapseServer
from homeoffice_bot.devserver.person import Person
from homeoffice_bot.devserver.settings import dev_bot_settings
from homeoffice_bot.devserver.team import team_room
from homeoffice_bot.kernel.ids import RoomID, UserID


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


class EchoBot:
    """A bare matrix-nio bot: answers every ``!`` message at once with a fixed notice."""

    def __init__(self, homeserver: str, user_id: str, store: Path) -> None:
        store.mkdir(parents=True, exist_ok=True)
        config = nio.AsyncClientConfig(store_sync_tokens=False, encryption_enabled=True)
        self.client = nio.AsyncClient(homeserver, user_id, store_path=str(store), config=config)
        self.answer: dict[str, str] = {"body": "ok"}
        """The content it answers with (the bot's own answer, for a fair comparison)."""
        self._task: asyncio.Task[None] | None = None

    async def start(self, password: str) -> None:
        await self.client.login(password)
        await self.client.sync(timeout=0, full_state=True)
        self.client.add_event_callback(self._on_invite, nio.InviteMemberEvent)
        self.client.add_event_callback(self._on_message, nio.RoomMessageText)
        self._task = asyncio.create_task(self.client.sync_forever(timeout=10_000))

    async def _on_invite(self, room: nio.MatrixRoom, event: nio.InviteMemberEvent) -> None:
        if event.state_key == self.client.user_id:
            await self.client.join(room.room_id)

    async def _on_message(self, room: nio.MatrixRoom, event: nio.RoomMessageText) -> None:
        if event.sender == self.client.user_id or not event.body.startswith("!"):
            return
        content = {"msgtype": "m.notice", **self.answer,
                   "m.relates_to": {"m.in_reply_to": {"event_id": event.event_id}}}  # fmt: skip
        await self.client.room_send(
            room.room_id, "m.room.message", content, ignore_unverified_devices=True
        )

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
        await self.client.close()


async def round_trips(anna: Person, room: RoomID, bot_id: UserID, rounds: int) -> list[float]:
    samples: list[float] = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        await anna.ask(room, "!hilfe", bot_id)
        samples.append((time.perf_counter() - t0) * 1000)
    return samples


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
        echo_id = UserID(server.register_user("bench-echo", "pw"))
        echo = EchoBot(server.url, echo_id, base / "echo")
        await echo.start("pw")
        print(f"bot start-up (login, first sync): {startup * 1000:.0f} ms")
        for encrypted in (False, True):
            room = await team_room(anna, bot, [], encrypted=encrypted)
            echo_room = await anna.client.create_room(
                name="Echo", invite=[echo_id], encrypted=encrypted
            )
            assert await anna.client.wait_member_joined(echo_room, echo_id, timeout=20)
            warm = await anna.ask(room, "!hilfe", bot.matrix.user_id)  # warm-up: key sharing
            echo.answer = {"body": warm.body, "format": "org.matrix.custom.html",
                           "formatted_body": warm.formatted_body or ""}  # fmt: skip
            # the same content, so that only the machinery differs
            await anna.ask(echo_room, "!hilfe", echo_id)
            samples: list[float] = []
            baseline: list[float] = []
            for _ in range(rounds // 10 or 1):  # interleaved, so that drift hits both alike
                samples += await round_trips(anna, room, bot.matrix.user_id, 10)
                baseline += await round_trips(anna, echo_room, echo_id, 10)
            kind = "encrypted" if encrypted else "plain"
            ratio = statistics.median(samples) / statistics.median(baseline)
            print(
                f"{kind:>9} room, {len(samples)} round trips: p50 "
                f"{statistics.median(samples):.0f} ms, p95 {percentile(samples, 0.95):.0f} ms, "
                f"max {max(samples):.0f} ms; bare nio echo bot p50 "
                f"{statistics.median(baseline):.0f} ms; ratio {ratio:.2f}x (target <= 1.10x)"
            )
        await echo.stop()
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
