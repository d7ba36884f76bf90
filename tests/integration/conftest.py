"""Fixtures for integration tests: a bot running in-process and people at Matrix clients."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from homeoffice_bot.app import BUILTIN_PLUGINS, App
from homeoffice_bot.devserver import SynapseServer, UserFactory
from homeoffice_bot.devserver.botprocess import BotProcess, bot_environment
from homeoffice_bot.devserver.person import Person
from homeoffice_bot.devserver.settings import dev_bot_settings
from homeoffice_bot.devserver.synapse import free_port

pytestmark = pytest.mark.integration

_counter = itertools.count()
BotFactory = Callable[..., Awaitable[App]]
PersonFactory = Callable[..., Awaitable[Person]]


@pytest.fixture
def bot_account(make_user: UserFactory) -> tuple[str, str]:
    return make_user("bot", displayname="Homeoffice-Bot")


@pytest.fixture
async def start_bot(
    synapse: SynapseServer, bot_account: tuple[str, str], tmp_path: Path
) -> AsyncIterator[BotFactory]:
    """``await start_bot(**settings)`` starts the bot (again, after ``app.stop()``) on the
    same account and data dir; everything still running is stopped at the end."""
    running: list[App] = []

    async def start(
        bot: dict[str, Any] | None = None,
        plugins: dict[str, Any] | None = None,
        builtins: tuple[str, ...] = BUILTIN_PLUGINS,
        encryption: bool = True,
        **app_kwargs: Any,
    ) -> App:
        mxid, password = bot_account
        settings = dev_bot_settings(
            synapse.url, mxid, password, tmp_path / "bot", bot=bot, plugins=plugins,
            encryption=encryption,
        )  # fmt: skip
        app = App(settings, builtins=builtins, **app_kwargs)
        await app.start()
        await app.wait_synced()
        running.append(app)
        return app

    yield start
    for app in running:
        if not app._stopped.is_set():
            await app.stop()


@pytest.fixture
async def own_synapse(tmp_path: Path) -> AsyncIterator[SynapseServer]:
    """A homeserver of the test's own, which it may stop and start again."""
    server = SynapseServer(tmp_path / "synapse")
    await server.start_async()
    yield server
    await server.stop_async()


@pytest.fixture
async def bot_process(
    synapse: SynapseServer, make_user: UserFactory, tmp_path: Path
) -> AsyncIterator[BotProcess]:
    """`homeoffice-bot run` as a process on a fresh account, configured only through
    HOMEOFFICE_* variables and a password file; killed at the end."""
    mxid, password = make_user("servicebot", displayname="Homeoffice-Bot")
    secrets_dir = tmp_path / "secrets"
    secrets_dir.mkdir()
    password_file = secrets_dir / "matrix_password"
    password_file.write_text(password + "\n", encoding="utf-8")
    port = free_port()
    env = bot_environment(synapse.url, mxid, password_file, tmp_path / "data", port)
    process = BotProcess(env, port, tmp_path / "bot.log")
    yield process
    await process.kill()


@pytest.fixture
async def people(
    synapse: SynapseServer, make_user: UserFactory, tmp_path: Path
) -> AsyncIterator[PersonFactory]:
    """``await people("anna")`` registers and starts a person at a client."""
    started: list[Person] = []

    async def make(name: str = "person", displayname: str | None = None) -> Person:
        mxid, password = make_user(name, displayname=displayname or name.capitalize())
        person = Person(synapse.url, mxid, password, tmp_path / f"{name}-{next(_counter)}")
        await person.start()
        started.append(person)
        return person

    yield make
    for person in started:
        await person.stop()
