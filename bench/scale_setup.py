"""Helpers of bench_scale.py: the levels, filling a database through the project's
stores, and the bot as its own process."""

from __future__ import annotations

import asyncio
import logging
import os
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, available_timezones

from homeoffice_bot.devserver import SynapseServer
from homeoffice_bot.devserver.botprocess import BotProcess, bot_environment
from homeoffice_bot.devserver.person import Person
from homeoffice_bot.kernel.events import Message
from homeoffice_bot.kernel.ids import RoomID, UserID
from homeoffice_bot.kernel.kernel_schema import MIGRATIONS as KERNEL_MIGRATIONS
from homeoffice_bot.kernel.storage import Database
from homeoffice_bot.standup.config import StandupConfig
from homeoffice_bot.standup.schema import MIGRATIONS as STANDUP_MIGRATIONS
from homeoffice_bot.standup.store import StandupStore
from homeoffice_bot.workday.arbzg import WorkEventKind
from homeoffice_bot.workday.due import DueRules
from homeoffice_bot.workday.hours import canonical_spec, parse_working_hours
from homeoffice_bot.workday.jobs import read_due_time
from homeoffice_bot.workday.profiles import Directory
from homeoffice_bot.workday.schema import MIGRATIONS as WORKDAY_MIGRATIONS
from homeoffice_bot.workday.settings import WorkdaySettings
from homeoffice_bot.workday.states import start_work
from homeoffice_bot.workday.store import WorkdayStore
from homeoffice_bot.workday.store_inbox import InboxStore

DATABASE_FILE = "homeoffice.sqlite3"
LEVELS = {"empty": (0, 0), "1k": (1_000, 100), "10k": (10_000, 1_000), "50k": (50_000, 10_000)}
TARGETS = "targets at 50k: !pause <= 1.2x empty, idle CPU <= 2 %, healthy <= 1.5 s, RSS <= 150 MB"
HOURS = "mo-so 08:00-16:30"
LOOK_SAMPLE = 1_000
"""People made due at once to time a look per person."""
log = logging.getLogger("bench")


@dataclass
class Level:
    name: str
    people: int
    standups: int
    figures: dict[str, float] = field(default_factory=dict)


# --------------------------------------------------------------------------- filling


def mid_morning_zone(now: datetime) -> str:
    """An IANA zone where it is between 09:00 and 11:00 now (people are at work, the next
    reminder is hours away); Europe/Berlin when it is already."""
    candidates = ["Europe/Berlin", *sorted(available_timezones())]
    for name in candidates:
        if name.startswith(("Etc/", "SystemV/")) or "/" not in name:
            continue
        try:
            local = now.astimezone(ZoneInfo(name))
        except (ValueError, KeyError):
            continue
        if 9 <= local.hour < 11:
            return name
    return "Europe/Berlin"


async def migrated(path: Path) -> Database:
    db = Database(path)
    await db.open()
    await db.migrate("kernel", KERNEL_MIGRATIONS)
    await db.migrate("workday", WORKDAY_MIGRATIONS)
    await db.migrate("standup", STANDUP_MIGRATIONS)
    return db


async def fill(data_dir: Path, level: Level, now: datetime, zone: str) -> None:
    """People with a profile, a "working" status and a work event, their due times, and
    stand-ups (at an evening time, so that none starts during the bench)."""
    db = await migrated(data_dir / DATABASE_FILE)
    try:
        settings = WorkdaySettings()
        store, inbox = WorkdayStore(db), InboxStore(db)
        directory = Directory(store, settings, zone, "DE-NW")
        rules = DueRules(settings.day_end_lead, settings.auto_off_grace, settings.arbzg_lead)
        hours = canonical_spec(parse_working_hours(HOURS))
        since = now - timedelta(hours=1)
        for index in range(level.people):
            user = UserID(f"@p{index:06d}:bench.invalid")
            await store.ensure_person(user, since, None)
            await store.set_person(user, "tz", zone)
            await store.set_person(user, "hours", hours)
            await store.set_status(start_work(user, since))
            await store.add_event(user, since, WorkEventKind.START)
            due = await read_due_time(store, inbox, directory, rules, user, now)
            await store.set_due(user, due)
        standups = StandupStore(db)
        evening = (now.astimezone(ZoneInfo(zone)) + timedelta(hours=10)).time()
        at = clock_time(evening.hour, evening.minute)
        for index in range(level.standups):
            room = f"!s{index:06d}:bench.invalid"
            config = StandupConfig("team", room, at, tz=zone)
            await standups.create_standup(config, "@p000000:bench.invalid", now)
    finally:
        await db.close()


# --------------------------------------------------------------------------- process


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def until_healthy(bot: BotProcess, timeout: float = 300) -> None:
    assert bot.proc is not None
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        if bot.proc.returncode is not None:
            raise RuntimeError(f"the bot exited:\n{bot.log_tail()}")
        if await bot.healthz() is not None:
            return
        await asyncio.sleep(0.02)
    raise RuntimeError(f"the bot did not become healthy:\n{bot.log_tail()}")


async def reply(person: Person, room: RoomID, text: str, bot: UserID, contains: str) -> float:
    """Seconds from saying ``text`` to the bot's answer that contains ``contains``: a reply
    in the room, or for a personal command the words in the direct chat (the room gets a
    ✅)."""
    mark = person.mark()
    started = time.perf_counter()
    asked = await person.say(room, text)
    await person.wait_for(
        Message,
        lambda m: (
            m.sender == bot and contains in m.body and (m.reply_to == asked or m.room_id != room)
        ),
        timeout=60,
        since=mark,
    )
    return time.perf_counter() - started


def environment(server: SynapseServer, bot_id: str, base: Path, data: Path, port: int) -> Any:
    """The bot's environment. Its modules are compiled once into a cache shared by the
    run's bots (``PYTHONPYCACHEPREFIX``), as the container image ships them compiled: an
    editable checkout with ``PYTHONDONTWRITEBYTECODE`` would otherwise compile the whole
    package again at every start (about 0.4 s of CPU)."""
    password = base / "password"
    password.write_text("pw")
    env = bot_environment(
        server.url, bot_id, password, data, port,
        HOMEOFFICE_MATRIX__SYNC_TIMEOUT_MS="30000",  # as in production: idle is idle
        HOMEOFFICE_LOGGING__LEVEL="WARNING",
        PYTHONPYCACHEPREFIX=str(base.parent / "pycache"),
    )  # fmt: skip
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env
