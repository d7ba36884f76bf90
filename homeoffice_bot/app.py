"""Composition root: builds, starts and stops everything in order. Wiring only: what the
parts do lives in the kernel (routing, invitations, delivery, ...) and the features."""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from homeoffice_bot import __version__
from homeoffice_bot.kernel.access import Access
from homeoffice_bot.kernel.active import ActiveLock
from homeoffice_bot.kernel.clock import Clock, SystemClock
from homeoffice_bot.kernel.commands import COMMAND_REGISTRY, CommandDispatcher, CommandRegistry
from homeoffice_bot.kernel.conversations import CONVERSATIONS, Conversations
from homeoffice_bot.kernel.datadir import make_private
from homeoffice_bot.kernel.decryption import DecryptionNotes
from homeoffice_bot.kernel.delivery import ATTENTION, Attention, Inbox, Outbox
from homeoffice_bot.kernel.errors import ConfigError, MatrixError
from homeoffice_bot.kernel.i18n import Catalogue
from homeoffice_bot.kernel.invitations import Invitations, server_of
from homeoffice_bot.kernel.kernel_schema import MIGRATIONS as KERNEL_MIGRATIONS
from homeoffice_bot.kernel.matrix import MatrixClient
from homeoffice_bot.kernel.metrics import KernelMetrics, Metrics
from homeoffice_bot.kernel.personal_data import (
    PERSONAL_DATA,
    KernelPersonalData,
    PersonalDataRegistry,
)
from homeoffice_bot.kernel.plugins import (
    Plugin,
    PluginContext,
    Subscriptions,
    plugin_classes,
    plugin_data_dir,
    plugin_settings,
)
from homeoffice_bot.kernel.rooms import RoomSettings
from homeoffice_bot.kernel.routing import EventRouter
from homeoffice_bot.kernel.schedule_rules import Every
from homeoffice_bot.kernel.scheduler import Scheduler
from homeoffice_bot.kernel.services import Services
from homeoffice_bot.kernel.storage import Database
from homeoffice_bot.kernel.sync_state import SyncTokens
from homeoffice_bot.kernel.tasks import TaskTracker
from homeoffice_bot.kernel.web import WebServer
from homeoffice_bot.settings import Settings

log = logging.getLogger(__name__)

BUILTIN_PLUGINS: tuple[str, ...] = (
    "homeoffice_bot.kernel.core_plugin:CorePlugin",
    "homeoffice_bot.workday.plugin:WorkdayPlugin",
    "homeoffice_bot.standup.plugin:StandupPlugin",
    "homeoffice_bot.admin.plugin:AdminPlugin",
    "homeoffice_bot.onboarding.plugin:OnboardingPlugin",
)
"""Features that are always on, in start order."""
DELIVERY_TICK = timedelta(minutes=1)
"""How often held direct messages are checked for release."""
STOP_SECONDS = 8.0
"""From stop() to closed, in-flight work included (docker stop sends SIGKILL after 10 s)."""


def private_folders(settings: Settings) -> list[Path]:
    """The data folder, and the encryption store when it is configured elsewhere."""
    store = settings.store_dir
    inside = store.resolve().is_relative_to(settings.data_dir.resolve())
    return [settings.data_dir] if inside else [settings.data_dir, store]


def _pickle_key(settings: Settings) -> str:
    if settings.matrix.pickle_key is not None:
        return settings.matrix.pickle_key.get_secret_value()
    path = settings.data_dir / "pickle_key"
    if path.is_file():
        return path.read_text(encoding="utf-8").strip()
    key = secrets.token_urlsafe(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(key)
    return key


class App:
    def __init__(
        self,
        settings: Settings,
        *,
        clock: Clock | None = None,
        builtins: Sequence[str] = BUILTIN_PLUGINS,
    ) -> None:
        self.settings = settings
        self.clock = clock or SystemClock()
        self.started_at = datetime.now(UTC)
        for folder in private_folders(settings):  # before anything is written there
            make_private(folder)
        password = settings.storage.database_password
        self.db = Database(
            settings.storage.database_target,
            password=password.get_secret_value() if password else None,
        )
        self.active = ActiveLock(
            self.db, settings.data_dir, settings.matrix.user_id, on_lost=self.request_stop
        )
        self.tasks = TaskTracker()
        self.scheduler = Scheduler(self.db, self.clock, self.tasks)
        self.rooms = RoomSettings(
            self.db, settings.bot.default_language, settings.bot.default_timezone
        )
        self.kernel_catalogue = Catalogue.from_folder(Path(__file__).parent / "kernel" / "locales")
        self.registry = CommandRegistry(self.kernel_catalogue)
        self.services = Services()
        self.services.provide(COMMAND_REGISTRY, self.registry)
        self.personal_data = PersonalDataRegistry()
        self.services.provide(PERSONAL_DATA, self.personal_data)
        self.services.provide(CONVERSATIONS, Conversations())
        self.subscriptions = Subscriptions()
        self.metrics = Metrics()
        self.kernel_metrics = KernelMetrics(self.metrics, __version__)
        m = settings.matrix
        self.matrix = MatrixClient(
            homeserver=m.homeserver,
            user_id=m.user_id,
            data_dir=settings.data_dir,
            store_dir=settings.store_dir,
            device_name=m.device_name,
            password=m.password.get_secret_value() if m.password else None,
            access_token=m.access_token.get_secret_value() if m.access_token else None,
            pickle_key=_pickle_key(settings),
            encryption=m.encryption,
            trust_unverified_devices=m.unverified_devices == "allow",
            sync_timeout_ms=m.sync_timeout_ms,
            on_sent=self.kernel_metrics.message_sent,
        )
        self.inbox = Inbox(self.db)
        self.outbox = Outbox(
            self.db,
            self.matrix,
            self.clock,
            attention=self._attention,
            ready=self.matrix.rooms_known,
        )
        self.access = Access(
            self.matrix,
            admins=settings.bot.admins,
            moderator_level=settings.bot.moderator_power_level,
            admin_room=settings.bot.admin_room,
        )
        self.personal_data.add("kernel", KernelPersonalData(self.outbox, self.kernel_catalogue))
        self.dispatcher = CommandDispatcher(
            self.registry,
            self.matrix,
            self.rooms,
            self.outbox,
            prefix=settings.bot.command_prefix,
            admins=settings.bot.admins,
            moderator_level=settings.bot.moderator_power_level,
            on_handled=self.kernel_metrics.command_handled,
            admin_room=settings.bot.admin_room,
            access=self.access,
        )
        bot = settings.bot
        self.invitations = Invitations(
            self.matrix,
            own_server=server_of(m.user_id),
            admins=bot.admins,
            allowed_inviters=bot.allowed_inviters,
            allowed_servers=bot.allowed_servers,
        )
        self.sync_tokens = SyncTokens(self.db)
        notes = DecryptionNotes(
            self.db, self.matrix, self.outbox, self.rooms, self.kernel_catalogue, self.clock
        )
        self.router = EventRouter(
            inbox=self.inbox,
            tasks=self.tasks,
            clock=self.clock,
            dispatcher=self.dispatcher,
            subscriptions=self.subscriptions,
            on_invite=self.invitations.answer,
            on_undecryptable=notes.undecryptable,
        )
        self.kernel_metrics.watch(
            matrix=self.matrix, scheduler=self.scheduler, tasks=self.tasks,
            started_at=self.started_at,
        )  # fmt: skip
        self.kernel_metrics.watch_delivery(outbox=self.outbox, inbox=self.inbox)
        self.web = WebServer(
            settings.web.bind, settings.web.port, self.health, self.metrics.exposition
        )
        self.plugins: dict[str, Plugin] = {}
        self._builtins = builtins
        self._sync_task: asyncio.Task[None] | None = None
        self._stopped = asyncio.Event()
        self.sync_error: MatrixError | None = None
        """Why the bot stopped on its own (e.g. its login was revoked); None when asked to stop."""

    # ------------------------------------------------------------ lifecycle

    async def start(self) -> None:
        await self.db.open()
        if not await self._become_active():
            return
        await self.db.migrate("kernel", KERNEL_MIGRATIONS)
        await self.matrix.login()
        await self._load_plugins()
        if self.settings.web.enabled:  # before anything sends: a busy port ends the start here
            await self.web.start()
        await self.outbox.start()
        await self.scheduler.schedule("kernel:delivery", Every(DELIVERY_TICK), self._delivery_tick)
        self.scheduler.start()
        self._sync_task = asyncio.create_task(self._sync(), name="sync")

    async def _become_active(self) -> bool:
        """Hold the account's active lock (kernel/active.py) before anything else; as a
        standby, answer /healthz with ``standby`` while waiting. False: stopped while
        waiting."""
        standby = self.settings.bot.standby
        web = WebServer(self.settings.web.bind, self.settings.web.port, self.health)
        try:
            if standby and self.settings.web.enabled:
                try:
                    await web.start()
                except ConfigError as exc:  # e.g. the active bot's port on the same host
                    log.warning("standby without /healthz until it takes over: %s", exc)
            got = await self.active.acquire(standby=standby, stop=self._stopped)
        except BaseException:
            await web.stop()
            await self.active.release()
            await self.db.close()
            raise
        await web.stop()
        return got

    async def _sync(self) -> None:
        try:
            await self.matrix.sync_forever(
                self.router.handle_batch, self.sync_tokens.load, self.sync_tokens.save
            )
        except MatrixError as exc:
            log.exception("the sync loop stopped")
            self.sync_error = exc
            self._stopped.set()
            raise

    async def wait_synced(self, timeout: float = 30) -> None:
        await asyncio.wait_for(self.matrix.synced.wait(), timeout)

    async def run_until_stopped(self) -> None:
        await self._stopped.wait()

    def request_stop(self) -> None:
        self._stopped.set()

    async def stop(self) -> None:
        """Stop syncing, let in-flight work finish (STOP_SECONDS in all), then close everything."""
        if not self.active.held:  # refused, or stopped while a standby: nothing ran
            await self.active.release()
            await self.db.close()
            return
        loop = asyncio.get_running_loop()
        deadline = loop.time() + STOP_SECONDS

        def left(reserve: float = 0.0) -> float:
            return max(0.1, deadline - reserve - loop.time())

        self.matrix.stop()
        if self._sync_task is not None:
            try:
                await asyncio.wait_for(asyncio.shield(self._sync_task), timeout=left(reserve=2))
            except (TimeoutError, MatrixError):
                self._sync_task.cancel()
            except asyncio.CancelledError:
                pass
        self.scheduler.stop()
        for name, plugin in reversed(self.plugins.items()):
            try:
                await asyncio.wait_for(plugin.stop(), timeout=left(reserve=1))
            except Exception:
                log.exception("plugin %s failed to stop", name)
        await self.tasks.drain(timeout=left(reserve=1))
        await self.outbox.stop(timeout=left())
        await self.web.stop()
        await self.matrix.close()
        await self.db.close()
        await self.active.release()
        self._stopped.set()

    async def health(self) -> tuple[str, dict[str, object]]:
        """``ok``; ``standby`` while another process is the active bot; ``starting``
        before the first sync; ``degraded`` while the homeserver has
        been unreachable, or a send has waited, longer than ``bot.degraded_after_seconds``."""
        if self.active.waiting:
            return "standby", {"user_id": self.settings.matrix.user_id}
        synced = self.matrix.synced.is_set()
        last = self.matrix.last_sync
        limit = self.settings.bot.degraded_after_seconds
        failing = self.matrix.failing_since
        unreachable = (datetime.now(UTC) - failing).total_seconds() if failing else 0.0
        oldest = await self.outbox.oldest_pending_seconds()
        if not (self.matrix.logged_in and synced):
            status = "starting"
        elif unreachable > limit or oldest > limit:
            status = "degraded"
        else:
            status = "ok"
        return status, {
            "logged_in": self.matrix.logged_in,
            "synced": synced,
            "last_sync": last.isoformat() if last else None,
            "user_id": self.settings.matrix.user_id,
            "device_id": self.matrix.device_id,
            "rooms": len(self.matrix.joined_rooms()),
            "backoff_seconds": self.matrix.backoff_seconds,
            "unreachable_seconds": round(unreachable, 1),
            "outbox_pending": await self.outbox.depth(),
            "outbox_oldest_seconds": round(oldest, 1),
            "plugins": sorted(self.plugins),
        }

    def _attention(self) -> Attention | None:
        return self.services.get(ATTENTION)

    async def _delivery_tick(self, now: datetime) -> None:
        await self.outbox.tick(now)
        await self.inbox.prune(now)

    # ------------------------------------------------------------ plugins

    async def _load_plugins(self) -> None:
        plugins = self.settings.plugins
        classes = plugin_classes(self._builtins, plugins.enabled, plugins.dirs, strict=False)
        for cls in classes:
            own_settings = plugin_settings(cls, plugins.section(cls.name))
            try:
                await self.db.migrate(cls.name, cls.migrations)
                ctx = self._context(cls, own_settings)
                plugin = cls(ctx)
                await plugin.start()
            except ConfigError:
                raise
            except Exception:
                log.exception("plugin %s failed to start; it stays off", cls.name)
                continue
            self.plugins[cls.name] = plugin
            for command, catalogue in ctx.commands:
                self.registry.add(command, catalogue)
            for kind in vars(self.subscriptions):
                getattr(self.subscriptions, kind).extend(getattr(ctx.subscriptions, kind))
            self.web.add_routes(ctx.routes)
            for index, source in enumerate(ctx.personal_data):
                self.personal_data.add(cls.name if index == 0 else f"{cls.name}.{index}", source)

    def _context(self, cls: type[Plugin], plugin_settings: Any) -> PluginContext:
        catalogue = (
            Catalogue.from_folder(cls.locales, fallback=self.kernel_catalogue)
            if cls.locales
            else self.kernel_catalogue
        )
        data_dir = plugin_data_dir(self.settings.data_dir, cls.name)
        data_dir.mkdir(parents=True, exist_ok=True)
        return PluginContext(
            name=cls.name,
            settings=plugin_settings,
            bot=self.settings.bot,
            db=self.db,
            scheduler=self.scheduler,
            matrix=self.matrix,
            outbox=self.outbox,
            clock=self.clock,
            tasks=self.tasks,
            rooms=self.rooms,
            catalogue=catalogue,
            services=self.services,
            data_dir=data_dir,
            logger=logging.getLogger(f"homeoffice_bot.plugins.{cls.name}"),
            public_url=self.settings.web.public_url,
            web_address=self.web.address,
            metrics=self.metrics.scope(cls.name),
            access=self.access,
        )
