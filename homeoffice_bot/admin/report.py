"""What the admin commands show, as plain functions: status, room list, sizes, backup names."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from homeoffice_bot.kernel.escaping import escape_markdown
from homeoffice_bot.kernel.i18n import Translator

BACKUP_PREFIX = "homeoffice-"
BACKUP_SUFFIX = ".sqlite3"


@dataclass(frozen=True, slots=True)
class BotStatus:
    version: str
    uptime: timedelta
    user_id: str
    device_id: str
    encryption: bool
    rooms: int
    jobs: int
    database_bytes: int
    outbox_pending: int = 0
    """Sends waiting for the homeserver."""
    outbox_held: int = 0
    """Direct messages held until the person starts work."""


@dataclass(frozen=True, slots=True)
class RoomInfo:
    room_id: str
    name: str
    members: int
    encrypted: bool


def code(text: str) -> str:
    """Inline code for ids and paths (copyable); escaped text if it contains a backtick."""
    return f"`{text}`" if "`" not in text and "\n" not in text else escape_markdown(text)


def format_uptime(uptime: timedelta) -> str:
    """``2 d 3 h 4 min`` (unit symbols read the same in German and English)."""
    minutes = max(0, int(uptime.total_seconds()) // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    parts = [f"{days} d"] if days else []
    if days or hours:
        parts.append(f"{hours} h")
    parts.append(f"{minutes} min")
    return " ".join(parts)


def format_bytes(size: int, lang: str) -> str:
    """``512 B``, ``1,5 MiB`` (German decimal comma) or ``1.5 MiB``."""
    if size < 1024:
        return f"{size} B"
    value = float(size)
    for unit in ("KiB", "MiB", "GiB", "TiB"):
        value /= 1024
        if value < 1024 or unit == "TiB":
            break
    text = f"{value:.1f}"
    return f"{text.replace('.', ',') if lang == 'de' else text} {unit}"


def render_status(status: BotStatus, tr: Translator) -> str:
    lines = [
        f"**{tr('status.title')}**",
        "",
        "- " + tr("status.version", version=escape_markdown(status.version)),
        "- " + tr("status.uptime", uptime=format_uptime(status.uptime)),
        "- " + tr("status.account", user_id=code(status.user_id), device_id=code(status.device_id)),
        "- " + tr("status.encryption_on" if status.encryption else "status.encryption_off"),
        "- " + tr("status.rooms", count=status.rooms),
        "- " + tr("status.jobs", count=status.jobs),
        "- " + tr("status.database", size=format_bytes(status.database_bytes, tr.lang)),
        "- " + tr("status.outbox", pending=status.outbox_pending, held=status.outbox_held),
    ]
    return "\n".join(lines)


def render_rooms(rooms: Sequence[RoomInfo], tr: Translator) -> str:
    if not rooms:
        return tr("rooms.none")
    lines = [f"**{tr('rooms.title', count=len(rooms))}**", ""]
    for room in sorted(rooms, key=lambda r: (r.name.casefold(), r.room_id)):
        lock = " 🔒" if room.encrypted else ""
        lines.append(
            "- "
            + tr(
                "rooms.line",
                name=escape_markdown(room.name),
                room_id=code(room.room_id),
                members=room.members,
            )
            + lock
        )
    return "\n".join(lines)


def looks_like_room_id(text: str) -> bool:
    """``!opaque:server`` or, since room version 12, just ``!opaque``."""
    localpart, sep, server = text.partition(":")
    return (
        text.startswith("!")
        and len(localpart) > 1
        and not any(c.isspace() for c in text)
        and (not sep or bool(server))
    )


def backup_path(folder: Path, now: datetime) -> Path:
    """``<folder>/homeoffice-20261123T080000Z.sqlite3``; a free name if that one is taken."""
    stamp = now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = folder / f"{BACKUP_PREFIX}{stamp}{BACKUP_SUFFIX}"
    counter = 1
    while path.exists():
        counter += 1
        path = folder / f"{BACKUP_PREFIX}{stamp}-{counter}{BACKUP_SUFFIX}"
    return path
