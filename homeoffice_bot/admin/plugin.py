"""The admin plugin: ``!admin status | räume | verlassen <Raum-ID> | backup``.

Every command needs Permission.BOT_ADMIN: bot admins (``bot.admins``) anywhere, and
everyone in the configured admin room (``bot.admin_room``) there.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import time
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

from homeoffice_bot import __version__
from homeoffice_bot.admin.report import (
    BotStatus,
    RoomInfo,
    backup_path,
    code,
    format_bytes,
    looks_like_room_id,
    render_rooms,
    render_status,
)
from homeoffice_bot.kernel.argtypes import Text
from homeoffice_bot.kernel.command_model import Arg, Command, Permission
from homeoffice_bot.kernel.commands import CommandContext
from homeoffice_bot.kernel.errors import CommandError, MatrixError
from homeoffice_bot.kernel.escaping import escape_markdown
from homeoffice_bot.kernel.ids import RoomID
from homeoffice_bot.kernel.plugins import Plugin

log = logging.getLogger(__name__)


class AdminSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    backup_dir: Path | None = None
    """Where ``!admin backup`` writes; default: ``backups`` next to the database (/data/backups)."""


class AdminPlugin(Plugin[AdminSettings]):
    name = "admin"
    settings_model = AdminSettings
    locales = Path(__file__).parent / "locales"

    async def start(self) -> None:
        self._started = time.monotonic()
        self.ctx.add_command(
            Command(
                names={"de": ("admin",), "en": ("admin",)},
                help={
                    "de": "Zustand und Pflege des Bots (für Bot-Admins).",
                    "en": "The bot's state and upkeep (for bot admins).",
                },
                permission=Permission.BOT_ADMIN,
                subcommands=(
                    Command(
                        names={"de": ("status",), "en": ("status",)},
                        help={
                            "de": "Version, Laufzeit, Räume, Aufgaben, Datenbank, Verschlüsselung.",
                            "en": "Version, uptime, rooms, jobs, database, encryption.",
                        },
                        handler=self.status,
                        permission=Permission.BOT_ADMIN,
                    ),
                    Command(
                        names={"de": ("räume", "raeume"), "en": ("rooms",)},
                        help={
                            "de": "Alle Räume des Bots mit Namen und ID.",
                            "en": "All of the bot's rooms with names and IDs.",
                        },
                        handler=self.rooms,
                        permission=Permission.BOT_ADMIN,
                    ),
                    Command(
                        names={"de": ("verlassen",), "en": ("leave",)},
                        help={
                            "de": "Der Bot verlässt einen Raum.",
                            "en": "The bot leaves a room.",
                        },
                        handler=self.leave,
                        args=(Arg("room", Text(), label={"de": "Raum-ID", "en": "room ID"}),),
                        permission=Permission.BOT_ADMIN,
                        examples={
                            "de": ("admin verlassen !AbCdEf:example.org",),
                            "en": ("admin leave !AbCdEf:example.org",),
                        },
                    ),
                    Command(
                        names={"de": ("backup", "sicherung"), "en": ("backup",)},
                        help={
                            "de": "Sichert die Datenbank im laufenden Betrieb.",
                            "en": "Backs up the database while the bot keeps running.",
                        },
                        handler=self.backup,
                        permission=Permission.BOT_ADMIN,
                    ),
                ),
                examples={
                    "de": ("admin status", "admin räume", "admin backup"),
                    "en": ("admin status", "admin rooms", "admin backup"),
                },
            )
        )

    @property
    def settings(self) -> AdminSettings:
        settings: AdminSettings = self.ctx.settings
        return settings

    # ------------------------------------------------------------ commands

    async def status(self, ctx: CommandContext, args: Mapping[str, Any]) -> None:
        matrix = self.ctx.matrix
        status = BotStatus(
            version=__version__,
            uptime=timedelta(seconds=time.monotonic() - self._started),
            user_id=matrix.user_id,
            device_id=matrix.device_id,
            encryption=matrix.encryption_enabled,
            rooms=len(matrix.joined_rooms()),
            jobs=self.ctx.scheduler.job_count,
            database_bytes=await self._database_bytes(),
            outbox_pending=await self.ctx.outbox.depth(),
            outbox_held=await self.ctx.outbox.held_count(),
        )
        await ctx.reply(render_status(status, ctx.tr))

    async def _database_bytes(self) -> int:
        return await self.ctx.db.size_bytes()

    async def rooms(self, ctx: CommandContext, args: Mapping[str, Any]) -> None:
        matrix = self.ctx.matrix
        infos = [
            RoomInfo(room, matrix.room_name(room), len(matrix.members(room)),
                     matrix.is_encrypted(room))
            for room in matrix.joined_rooms()
        ]  # fmt: skip
        await ctx.reply(render_rooms(infos, ctx.tr))

    async def leave(self, ctx: CommandContext, args: Mapping[str, Any]) -> None:
        value = str(args["room"]).strip()
        if not looks_like_room_id(value):
            raise CommandError("leave.not_a_room_id", value=value)
        room = RoomID(value)
        matrix = self.ctx.matrix
        if room not in matrix.joined_rooms():
            raise CommandError("leave.not_joined", room=value)
        if room == self.ctx.bot.admin_room:
            raise CommandError("leave.admin_room")
        name = matrix.room_name(room)
        goodbye = (await self.ctx.tr_for(room))("leave.goodbye")
        try:
            await self.ctx.outbox.send(room, goodbye)
        except MatrixError:
            log.info("could not say goodbye in %s before leaving", room)
        await matrix.leave(room)
        log.info("left %s on request of %s", room, ctx.sender)
        await ctx.reply(ctx.tr("leave.done", name=escape_markdown(name), room=code(room)))

    async def backup(self, ctx: CommandContext, args: Mapping[str, Any]) -> None:
        # <data_dir>/backups: ctx.data_dir is <data_dir>/plugins/admin
        folder = self.settings.backup_dir or self.ctx.data_dir.parents[1] / "backups"
        folder.mkdir(parents=True, exist_ok=True)
        target = backup_path(folder, self.ctx.clock.now())
        try:
            await self.ctx.db.backup(target)
            target.chmod(0o600)
            await asyncio.to_thread(_check_backup, target)
        except (OSError, sqlite3.Error) as exc:
            log.error("backup into %s failed: %s", target, exc)
            target.unlink(missing_ok=True)
            raise CommandError("backup.failed", reason=str(exc)) from exc
        size = target.stat().st_size
        log.info("database backed up into %s (%d bytes)", target, size)
        await ctx.reply(
            ctx.tr("backup.done", path=code(str(target)), size=format_bytes(size, ctx.lang))
        )


def _check_backup(path: Path) -> None:
    """Open the copy read-only and let SQLite check it; raise sqlite3.Error if it is broken."""
    conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
    try:
        result = conn.execute("PRAGMA quick_check").fetchone()
    finally:
        conn.close()
    if result is None or result[0] != "ok":
        raise sqlite3.DatabaseError(f"quick_check: {result[0] if result else 'no answer'}")
