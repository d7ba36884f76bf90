"""The garbage collector after the start: what the start built is frozen, once, after the
first sync (homeoffice_bot.kernel.memory), by ``homeoffice-bot run``."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from homeoffice_bot import cli
from homeoffice_bot.kernel import memory
from homeoffice_bot.kernel.tasks import TaskTracker
from homeoffice_bot.settings import Settings


@pytest.fixture(autouse=True)
def _unfreeze() -> Iterator[None]:
    """The test process's objects go back to the collector afterwards."""
    yield
    gc.unfreeze()


class Started:
    """An object of the start, and one that is garbage already (a cycle)."""

    def __init__(self) -> None:
        self.me = self


def test_the_freeze_takes_the_living_objects_out_of_the_collector_and_collects_first() -> None:
    kept = Started()
    Started()  # garbage: a cycle nobody refers to
    assert any(o is kept for o in gc.get_objects())
    assert memory.freeze_start_up() > 0
    assert not any(o is kept for o in gc.get_objects()), "the living object is frozen"
    assert not any(isinstance(o, Started) and o is not kept for o in gc.get_objects())
    after_start = Started()
    assert any(o is after_start for o in gc.get_objects()), "new objects are collected"


async def test_the_freeze_waits_for_the_start() -> None:
    started = asyncio.Event()
    task = asyncio.create_task(memory.freeze_when(started))
    await asyncio.sleep(0)
    assert not task.done()
    assert gc.get_freeze_count() == 0
    started.set()
    assert await task > 0
    assert gc.get_freeze_count() > 0


class FakeApp:
    """What ``homeoffice-bot run`` uses of the App: it syncs once, then is asked to stop."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.active = SimpleNamespace(held=True, lost=asyncio.Event())
        self.matrix = SimpleNamespace(synced=asyncio.Event())
        self.tasks = TaskTracker()
        self.sync_error = None
        self.stopped = asyncio.Event()

    def request_stop(self) -> None:
        self.stopped.set()

    async def start(self) -> None:
        self.matrix.synced.clear()

    async def run_until_stopped(self) -> None:
        self.matrix.synced.set()  # the first sync
        for _ in range(10):
            await asyncio.sleep(0)
        self.request_stop()
        await self.stopped.wait()

    async def stop(self) -> None:
        await self.tasks.drain(timeout=1)


async def test_run_freezes_once_after_the_first_sync(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import homeoffice_bot.app

    calls: list[bool] = []

    def freeze() -> int:
        calls.append(apps[0].matrix.synced.is_set())
        return 1

    apps: list[FakeApp] = []

    def make(settings: Settings) -> FakeApp:
        apps.append(FakeApp(settings))
        return apps[0]

    monkeypatch.setattr(homeoffice_bot.app, "App", make)
    monkeypatch.setattr(memory, "freeze_start_up", freeze)
    settings: Any = SimpleNamespace(matrix=SimpleNamespace(user_id="@bot:example.org"))
    assert await cli._run(settings) == 0
    assert calls == [True], "frozen once, after the first sync"
