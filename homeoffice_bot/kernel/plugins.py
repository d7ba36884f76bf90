"""The plugin API. Built-in features (workday, standup) use it just as optional plugins do.

A plugin is a subclass of ``Plugin`` that declares its name, settings model, migrations
and catalogue folder. The host builds one ``PluginContext`` per plugin and injects what
the plugin may use: command registration, event subscriptions, the scheduler, the
database, the Matrix account, languages, a clock, web routes, shared services, a logger,
Prometheus metrics. A plugin that stores anything about a person registers a
``PersonalDataSource`` (``add_personal_data``) so that the person's export and deletion
reach it.

Optional plugins are found through the entry point group ``homeoffice_bot.plugins`` and
in configured plugin folders (``*.py`` files or packages defining Plugin subclasses).
A plugin that fails to load, start or stop is logged and left out; it never stops the bot.

A plugin may add subcommands to ``homeoffice-bot`` (``cli_commands``): they run without a
Matrix login, on an ``OfflineContext`` that the host builds (homeoffice_bot.kernel.offline).
"""

from __future__ import annotations

import argparse
import importlib.metadata
import importlib.util
import logging
import sys
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Generic

from aiohttp import web
from pydantic import BaseModel, ConfigDict, ValidationError
from typing_extensions import TypeVar

from homeoffice_bot.kernel.access import Access, nobody_but_admins
from homeoffice_bot.kernel.clock import Clock
from homeoffice_bot.kernel.command_model import Command
from homeoffice_bot.kernel.delivery import Outbox
from homeoffice_bot.kernel.errors import ConfigError
from homeoffice_bot.kernel.events import Edit, Membership, Message, Presence, Reaction, Redaction
from homeoffice_bot.kernel.i18n import Catalogue, Translator
from homeoffice_bot.kernel.ids import RoomID
from homeoffice_bot.kernel.matrix import RoomState
from homeoffice_bot.kernel.metrics import Metrics
from homeoffice_bot.kernel.personal_data import PersonalDataSource
from homeoffice_bot.kernel.rooms import RoomSettings
from homeoffice_bot.kernel.scheduler import Scheduler
from homeoffice_bot.kernel.services import Services
from homeoffice_bot.kernel.storage import Database, MigrationStep
from homeoffice_bot.kernel.tasks import TaskTracker
from homeoffice_bot.settings import BotSettings

if TYPE_CHECKING:
    from homeoffice_bot.kernel.offline import OfflineContext

log = logging.getLogger(__name__)

ENTRY_POINT_GROUP = "homeoffice_bot.plugins"
E = TypeVar("E")
SettingsT = TypeVar("SettingsT", bound=BaseModel, default=BaseModel, covariant=True)
"""A plugin's settings model; plain ``PluginContext`` means ``PluginContext[BaseModel]``."""
EventHandler = Callable[[E], Awaitable[None]]


class NoSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")


@dataclass
class Subscriptions:
    """Event handlers by kind; each runs as its own task for every event."""

    message: list[EventHandler[Message]] = field(default_factory=list)
    edit: list[EventHandler[Edit]] = field(default_factory=list)
    reaction: list[EventHandler[Reaction]] = field(default_factory=list)
    redaction: list[EventHandler[Redaction]] = field(default_factory=list)
    membership: list[EventHandler[Membership]] = field(default_factory=list)
    presence: list[EventHandler[Presence]] = field(default_factory=list)


@dataclass(frozen=True)
class CliCommand:
    """A subcommand a plugin adds to ``homeoffice-bot``: ``homeoffice-bot <name> ...``.

    ``arguments`` adds the subcommand's own options to its argparse parser (``--config`` is
    there already); ``run(ctx, args)`` does the work on the host's ``OfflineContext`` and
    returns the exit code. Raise ``ConfigError`` or another ``BotError`` for a clear message
    instead of a traceback."""

    name: str
    help: str
    run: Callable[[OfflineContext[Any], argparse.Namespace], Awaitable[int]]
    arguments: Callable[[argparse.ArgumentParser], None] | None = None


@dataclass
class Route:
    method: str
    path: str
    handler: Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass(frozen=True)
class PluginContext(Generic[SettingsT]):
    """Everything a plugin may use. Built by the host; one per plugin."""

    name: str
    settings: SettingsT
    """The plugin's own settings, an instance of its ``settings_model``."""
    bot: BotSettings
    """The bot-wide settings (``[bot]``)."""
    db: Database
    scheduler: Scheduler
    matrix: RoomState
    """Room state: members, names, power levels, direct chats. Send through ``outbox``."""
    outbox: Outbox
    """The only way to send: messages, edits, reactions, redactions, pins, files, DMs."""
    clock: Clock
    tasks: TaskTracker
    rooms: RoomSettings
    catalogue: Catalogue
    services: Services
    data_dir: Path
    logger: logging.Logger
    commands: list[tuple[Command, Catalogue]] = field(default_factory=list)
    subscriptions: Subscriptions = field(default_factory=Subscriptions)
    routes: list[Route] = field(default_factory=list)
    personal_data: list[PersonalDataSource] = field(default_factory=list)
    public_url: str | None = None
    metrics: Metrics = field(default_factory=Metrics)
    """The plugin's metrics scope: names start with ``homeoffice_<plugin name>_``."""
    web_address: Callable[[], str] = field(default=lambda: "http://127.0.0.1:8080")
    """The local address of the bot's web server (``WebServer.address``)."""
    access: Access = field(default_factory=nobody_but_admins)
    """Who may see or change a resource, decided by its home room (``kernel.access``)."""

    # -- registration
    def add_command(self, command: Command) -> None:
        self.commands.append((command, self.catalogue))

    def on_message(self, handler: EventHandler[Message]) -> None:
        self.subscriptions.message.append(handler)

    def on_edit(self, handler: EventHandler[Edit]) -> None:
        self.subscriptions.edit.append(handler)

    def on_reaction(self, handler: EventHandler[Reaction]) -> None:
        self.subscriptions.reaction.append(handler)

    def on_redaction(self, handler: EventHandler[Redaction]) -> None:
        self.subscriptions.redaction.append(handler)

    def on_membership(self, handler: EventHandler[Membership]) -> None:
        self.subscriptions.membership.append(handler)

    def on_presence(self, handler: EventHandler[Presence]) -> None:
        self.subscriptions.presence.append(handler)

    def add_personal_data(self, source: PersonalDataSource) -> None:
        """Take part in ``!meine-daten`` and ``!daten-löschen``: every plugin that stores
        rows naming a person registers one (see homeoffice_bot.kernel.personal_data)."""
        self.personal_data.append(source)

    def add_route(
        self,
        method: str,
        path: str,
        handler: Callable[[web.Request], Awaitable[web.StreamResponse]],
    ) -> None:
        self.routes.append(Route(method, path, handler))

    def base_url(self) -> str:
        """The bot's web address for links, without a trailing slash: ``web.public_url``
        when configured, else the web server's local address (its real port once it
        listens, so ask when you build a link, not at start)."""
        return (self.public_url or self.web_address()).rstrip("/")

    # -- languages
    def translator(self, lang: str) -> Translator:
        return self.catalogue.translator(lang)

    async def tr_for(self, room_id: RoomID) -> Translator:
        """The translator for a room's language, address ("du" or "Sie") and wording."""
        lang = await self.rooms.language(room_id)
        return self.catalogue.translator(
            lang, await self.rooms.formal(room_id), await self.rooms.wording(room_id)
        )


class Plugin(Generic[SettingsT]):
    """Base class of every feature: ``class Greeter(Plugin[GreeterSettings])``. Set the
    class attributes (``settings_model`` is the class named in the brackets) and override
    ``start``/``stop``."""

    name: ClassVar[str]
    settings_model: ClassVar[type[BaseModel]] = NoSettings
    migrations: ClassVar[Sequence[MigrationStep]] = ()
    locales: ClassVar[Path | None] = None
    """Folder with de.toml/en.toml; messages fall back to the kernel's catalogue."""

    def __init__(self, ctx: PluginContext[SettingsT]) -> None:
        self.ctx = ctx

    async def start(self) -> None:
        """Register commands and handlers, and schedule jobs from the database."""

    async def stop(self) -> None:
        """Release what ``start`` acquired."""

    @classmethod
    def cli_commands(cls) -> Sequence[CliCommand]:
        """Subcommands of ``homeoffice-bot`` that work on the plugin's data without the bot
        running (e.g. #DigitalNah's ``publish``). None by default."""
        return ()


def plugin_data_dir(data_dir: Path, name: str) -> Path:
    """A plugin's own folder inside the bot's data folder (``PluginContext.data_dir``)."""
    return data_dir / "plugins" / name


def discover(enabled: Sequence[str], dirs: Sequence[Path]) -> dict[str, type[Plugin]]:
    """Find the enabled optional plugins; log and skip those that fail to import."""
    found = _find(enabled, dirs)
    for name in enabled:
        if name not in found:
            log.error("plugin %s is enabled but was not found", name)
    return found


def installed_plugins(enabled: Sequence[str] = (), dirs: Sequence[Path] = ()) -> list[type[Plugin]]:
    """Every optional plugin installed as a package (entry points), enabled or not, and
    the enabled ones in plugin folders: the ones whose CLI subcommands the command line
    offers (a subcommand of a plugin that is not enabled says so when it is run)."""
    names = [entry.name for entry in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP)]
    return list(_find([*names, *enabled], dirs).values())


def _find(enabled: Sequence[str], dirs: Sequence[Path]) -> dict[str, type[Plugin]]:
    found: dict[str, type[Plugin]] = {}
    for entry in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
        if entry.name not in enabled:
            continue
        try:
            loaded = entry.load()
        except Exception:
            log.exception("plugin %s failed to load", entry.name)
            continue
        if isinstance(loaded, type) and issubclass(loaded, Plugin):
            found[entry.name] = loaded
    for folder in dirs:
        for path in sorted(folder.glob("*")):
            if path.name.startswith(("_", ".")):
                continue
            for cls in _plugins_in(path):
                if cls.name in enabled and cls.name not in found:
                    found[cls.name] = cls
    return found


def _plugins_in(path: Path) -> list[type[Plugin]]:
    init = path / "__init__.py" if path.is_dir() else path
    if not init.is_file() or init.suffix != ".py":
        return []
    module_name = f"homeoffice_bot_plugin_{path.stem}"
    try:
        spec = importlib.util.spec_from_file_location(
            module_name, init, submodule_search_locations=[str(path)] if path.is_dir() else None
        )
        if spec is None or spec.loader is None:
            return []
        module = importlib.util.module_from_spec(spec)
        sys.modules[module_name] = module
        spec.loader.exec_module(module)
    except Exception:
        log.exception("plugin file %s failed to load", path)
        return []
    return [
        obj
        for obj in vars(module).values()
        if isinstance(obj, type) and issubclass(obj, Plugin) and obj is not Plugin
        and getattr(obj, "name", None)
    ]  # fmt: skip


def load_builtin(path: str) -> type[Plugin]:
    """The Plugin class at ``module:Class`` (a built-in feature)."""
    module_name, _, attr = path.partition(":")
    loaded = getattr(importlib.import_module(module_name), attr)
    if not (isinstance(loaded, type) and issubclass(loaded, Plugin)):
        raise TypeError(f"{path} is not a Plugin class")
    return loaded


def plugin_classes(
    builtins: Sequence[str], enabled: Sequence[str], dirs: Sequence[Path], *, strict: bool
) -> list[type[Plugin]]:
    """The built-in features, then the enabled optional plugins, in start order. With
    ``strict``, an enabled plugin that is not installed is a ConfigError (check-config);
    otherwise it is logged and left out (run)."""
    classes = [load_builtin(path) for path in builtins]
    found = discover(enabled, dirs)
    if strict:
        for name in enabled:
            if name not in found:
                raise ConfigError("plugins.enabled", f"plugin {name!r} is not installed")
    return classes + [found[name] for name in enabled if name in found]


def plugin_settings(cls: type[Plugin], section: Mapping[str, Any]) -> BaseModel:
    """``[plugins.<name>]`` validated by the plugin's settings model; the first error
    becomes a ConfigError that names the key (``plugins.standup.time``)."""
    try:
        return cls.settings_model.model_validate(dict(section))
    except ValidationError as exc:
        first = exc.errors()[0]
        key = ".".join(["plugins", cls.name, *map(str, first["loc"])])
        raise ConfigError(key, first["msg"]) from None
