"""Measurements bench_scale.py makes once per run: the kickoffs of many rooms at one
minute, and publishing many #DigitalNah offerings."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

import aiosqlite
import nio
from scale_setup import DATABASE_FILE, environment, migrated, until_healthy

from homeoffice_bot.devserver import SynapseServer
from homeoffice_bot.devserver.botprocess import BotProcess
from homeoffice_bot.devserver.settings import dev_bot_settings
from homeoffice_bot.devserver.synapse import free_port
from homeoffice_bot.kernel.ids import RoomID, UserID
from homeoffice_bot.kernel.offline import offline_context
from homeoffice_bot.standup.config import StandupConfig
from homeoffice_bot.standup.store import StandupStore

# --------------------------------------------------------------------------- kickoffs


async def bare_client(server: SynapseServer, user_id: str, store: Path) -> nio.AsyncClient:
    await asyncio.to_thread(store.mkdir, parents=True, exist_ok=True)
    config = nio.AsyncClientConfig(store_sync_tokens=False, encryption_enabled=False)
    client = nio.AsyncClient(server.url, user_id, store_path=str(store), config=config)
    response = await client.login("pw", device_name="bench-setup")
    assert isinstance(response, nio.LoginResponse), response
    return client


async def gather_limited(calls: list[Callable[[], Awaitable[Any]]], limit: int) -> list[Any]:
    gate = asyncio.Semaphore(limit)

    async def one(call: Callable[[], Awaitable[Any]]) -> Any:
        async with gate:
            return await call()

    return list(await asyncio.gather(*(one(c) for c in calls)))


async def measure_kickoffs(server: SynapseServer, rooms: int, base: Path) -> dict[str, float]:
    """``rooms`` rooms with a stand-up at the same minute: when the first and the last
    kickoff left (the outbox's record of each send), and how long a bare client needs to
    send as many messages into those rooms (the homeserver's share)."""
    bot_id = server.register_user("bench-bot-kickoff", "pw")
    setup = await bare_client(server, bot_id, base / "setup")
    made = await gather_limited(
        [partial(setup.room_create, name=f"Stand-up {i}") for i in range(rooms)], 8
    )
    room_ids = [r.room_id for r in made if isinstance(r, nio.RoomCreateResponse)]
    assert len(room_ids) == rooms, made[:3]
    data = base / "kickoff-bot"
    data.mkdir(parents=True)
    db = await migrated(data / DATABASE_FILE)
    minute = (datetime.now(UTC) + timedelta(minutes=2)).replace(second=0, microsecond=0)
    try:
        standups = StandupStore(db)
        for room in room_ids:
            config = StandupConfig(
                "team", room, minute.time(), tz="UTC", weekdays=frozenset(range(1, 8))
            )
            await standups.create_standup(config, bot_id, datetime.now(UTC))
    finally:
        await db.close()
    port = free_port()
    bot = BotProcess(environment(server, UserID(bot_id), base, data, port), port, base / "k.log")
    await bot.start()
    figures: dict[str, float] = {}
    try:
        await until_healthy(bot)
        deadline = minute + timedelta(seconds=120)
        sent: list[datetime] = []
        while datetime.now(UTC) < deadline:
            sent = await kickoffs_sent(data / DATABASE_FILE, minute)
            if len(sent) >= rooms:
                break
            await asyncio.sleep(1)
        if sent:
            figures["first_kickoff_s"] = (min(sent) - minute).total_seconds()
            figures["last_kickoff_s"] = (max(sent) - minute).total_seconds()
        figures["kickoffs"] = float(len(sent))
    finally:
        await bot.terminate()
    started = time.perf_counter()
    content = {"msgtype": "m.notice", "body": "Stand-up: Was hast du gestern geschafft?"}
    await gather_limited(
        [partial(setup.room_send, r, "m.room.message", content) for r in room_ids], 8
    )
    figures["synapse_sends_s"] = time.perf_counter() - started
    await setup.close()
    return figures


async def kickoffs_sent(path: Path, minute: datetime) -> list[datetime]:
    """When the kickoff messages sent since ``minute`` were sent: the outbox's record of
    each send whose event is an occurrence's kickoff (a written kickoff's 👍 reaction, a
    send of its own, does not count)."""
    async with aiosqlite.connect(path) as db:
        cursor = await db.execute(
            "SELECT s.sent_at FROM outbox_sent s"
            " JOIN standup_occurrences o ON o.kickoff_event_id = s.event_id"
            " WHERE s.sent_at >= ?",
            (minute.isoformat(),),
        )
        rows = await cursor.fetchall()
    return [datetime.fromisoformat(row[0]).astimezone(UTC) for row in rows]


# --------------------------------------------------------------------------- publishing


async def measure_publish(server: SynapseServer, offerings: int, base: Path) -> dict[str, float]:
    """``offerings`` approved offerings written through the plugin's store, then the page
    and feeds rendered once as ``homeoffice-bot publish`` does."""
    from digitalnah.lifecycle import Action, transition
    from digitalnah.model import Offering, OfferingState
    from digitalnah.offline import publish
    from digitalnah.plugin import DigitalNahPlugin
    from digitalnah.schema import MIGRATIONS as DIGITALNAH_MIGRATIONS
    from digitalnah.store import OfferingStore

    data, out = base / "publish-bot", base / "public"
    data.mkdir(parents=True)
    db = await migrated(data / DATABASE_FILE)
    await db.migrate("digitalnah", DIGITALNAH_MIGRATIONS)
    now = datetime.now(UTC)
    try:
        store = OfferingStore(db)
        for index in range(offerings):
            draft = Offering(
                submitter=UserID(f"@p{index:06d}:bench.invalid"), created_at=now,
                updated_at=now, title=f"Digitales Angebot {index}",
                description="Termine online buchen, ohne Wartezeit im Bürgerbüro. " * 3,
                link=f"https://example.org/angebot/{index}", category="Verwaltung",
                provider="Bürgerbüro", target_group="Alle", source_room_id=RoomID("!r:x"),
                state=OfferingState.PENDING,
            )  # fmt: skip
            saved = await store.commit(draft)
            approved, entry = transition(saved, Action.APPROVE, actor=UserID("@lead:x"), now=now)
            await store.commit(approved, entry)
    finally:
        await db.close()
    settings = dev_bot_settings(
        server.url, "@bench:x", "pw", data, web=False,
        plugins={"enabled": ["digitalnah"], "digitalnah": {"output_dir": str(out)}},
    )  # fmt: skip
    started = time.perf_counter()
    async with offline_context(settings, DigitalNahPlugin) as ctx:
        await publish(ctx)
    elapsed = time.perf_counter() - started
    files = [p for p in out.rglob("*") if p.is_file()]
    largest = max((p.stat().st_size for p in files), default=0)
    return {"publish_s": elapsed, "largest_file_mib": largest / 2**20, "files": float(len(files))}
