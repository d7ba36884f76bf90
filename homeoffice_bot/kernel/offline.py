"""Plugin subcommands of the command line: work on the bot's data without a Matrix login.

A plugin declares them with ``Plugin.cli_commands()`` (``plugins.CliCommand``). For
``homeoffice-bot <name>`` the host loads the settings, checks that the plugin is enabled,
validates its section as ``run`` does, opens the bot's database (refusing when the bot has
never started on it, and leaving no empty file behind), runs the plugin's migrations and
calls ``await command.run(ctx, args)`` with an ``OfflineContext``: what a running plugin
gets that makes sense without Matrix. The database file name, the plugin's data folder and
the base URL for links are the host's to decide; a plugin never recomputes them.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic

from pydantic import BaseModel
from typing_extensions import TypeVar

from homeoffice_bot.kernel.errors import ConfigError, StorageError
from homeoffice_bot.kernel.i18n import KERNEL_LOCALES, Catalogue, Translator, component_catalogue
from homeoffice_bot.kernel.plugins import CliCommand, Plugin, plugin_data_dir, plugin_settings
from homeoffice_bot.kernel.storage import Database, describe
from homeoffice_bot.kernel.web import local_address
from homeoffice_bot.settings import BotSettings, Settings, StorageSettings, WebSettings

SettingsT = TypeVar("SettingsT", bound=BaseModel, default=BaseModel, covariant=True)


@dataclass(frozen=True)
class OfflineContext(Generic[SettingsT]):
    """What the host gives a plugin's CLI subcommand."""

    name: str
    settings: SettingsT
    """The plugin's own settings (``[plugins.<name>]``), validated by its model."""
    bot: BotSettings
    db: Database
    """The bot's database, open, with the plugin's migrations applied."""
    data_dir: Path
    """The plugin's own folder in the data folder (as ``PluginContext.data_dir``); it may
    not exist yet when the bot never ran with the plugin."""
    base_url: str
    """The bot's web address for links, without a trailing slash: ``web.public_url`` when
    configured, else the address the web server is configured to listen on."""
    catalogue: Catalogue
    logger: logging.Logger

    def translator(self, lang: str) -> Translator:
        return self.catalogue.translator(lang)


def offline_base_url(web: WebSettings) -> str:
    """``PluginContext.base_url()`` without a running web server."""
    return (web.public_url or local_address(web.bind, web.port)).rstrip("/")


@contextlib.asynccontextmanager
async def existing_database(storage: StorageSettings) -> AsyncIterator[Database]:
    """The bot's database, open; StorageError when the bot has never started on it (an
    SQLite file that opening created is removed again)."""
    target = storage.database_target
    fresh = isinstance(target, Path) and not target.is_file()
    password = storage.database_password
    db = Database(target, password=password.get_secret_value() if password else None)
    await db.open()
    try:
        if not await db.fetchval("SELECT COUNT(*) FROM schema_versions"):
            await db.close()
            if fresh:  # opening made an empty file: leave nothing behind
                for suffix in ("", "-wal", "-shm"):
                    await asyncio.to_thread(Path(f"{target}{suffix}").unlink, missing_ok=True)
            raise StorageError(f"no database at {describe(target)}: start the bot once first")
        yield db
    finally:
        await db.close()


def check_enabled(settings: Settings, cls: type[Plugin], builtins: Sequence[type[Plugin]]) -> None:
    if cls not in builtins and cls.name not in settings.plugins.enabled:
        raise ConfigError("plugins.enabled", f"the {cls.name} plugin is not enabled")


@contextlib.asynccontextmanager
async def offline_context(
    settings: Settings, cls: type[Plugin]
) -> AsyncIterator[OfflineContext[Any]]:
    """The context for ``cls``'s subcommands: its settings validated (ConfigError naming
    the key), the database open (StorageError when there is none yet) and migrated."""
    own = plugin_settings(cls, settings.plugins.section(cls.name))
    kernel = Catalogue.from_folder(KERNEL_LOCALES)
    catalogue = component_catalogue(cls.locales) if cls.locales else kernel
    async with existing_database(settings.storage) as db:
        await db.migrate(cls.name, cls.migrations)
        yield OfflineContext(
            name=cls.name,
            settings=own,
            bot=settings.bot,
            db=db,
            data_dir=plugin_data_dir(settings.data_dir, cls.name),
            base_url=offline_base_url(settings.web),
            catalogue=catalogue,
            logger=logging.getLogger(f"homeoffice_bot.plugins.{cls.name}"),
        )


async def run_cli_command(
    settings: Settings, cls: type[Plugin], command: CliCommand, args: argparse.Namespace
) -> int:
    """Run a plugin's subcommand on a freshly built ``OfflineContext``; its exit code."""
    async with offline_context(settings, cls) as ctx:
        return int(await command.run(ctx, args))
