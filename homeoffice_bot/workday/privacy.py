"""Privacy helpers: retention cut-offs and the shape of a person's data export.

The workday stores only what its features need (see the README); presence history is
kept for a configurable number of days and purged daily. ``!meine-daten`` sends the
person a JSON file built by ``build_export``; rows that belong to someone else are
dropped here as a last line of defence.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime, time, timedelta
from typing import Any

from homeoffice_bot.kernel.ids import UserID
from homeoffice_bot.workday.localtime import as_utc

DEFAULT_RETENTION_DAYS = 30
EXPORT_FORMAT = "homeoffice-bot.workday.export"
EXPORT_VERSION = 1
OWNER_COLUMNS = ("user_id", "user")
"""Columns naming a row's owner; a row whose owner is someone else is not exported."""


def purge_cutoff(now: datetime, days: int = DEFAULT_RETENTION_DAYS) -> datetime:
    """Rows older than this instant (UTC) are deleted by the daily purge."""
    if days < 1:
        raise ValueError("retention must be at least one day")
    return as_utc(now) - timedelta(days=days)


def _plain(value: Any) -> Any:
    """A JSON-serialisable copy: instants as ISO 8601 UTC, dates/times ISO, enums by value."""
    if isinstance(value, enum.Enum):
        return _plain(value.value)
    if isinstance(value, datetime):
        return as_utc(value).isoformat().replace("+00:00", "Z")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return int(value.total_seconds())
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, set | frozenset):
        return sorted((_plain(v) for v in value), key=str)
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def _belongs_to(row: Mapping[str, Any], user: UserID) -> bool:
    return all(row[column] == user for column in OWNER_COLUMNS if column in row)


def build_export(
    user: UserID,
    sections: Mapping[str, Sequence[Mapping[str, Any]]],
    now: datetime,
    retention_days: int = DEFAULT_RETENTION_DAYS,
) -> dict[str, Any]:
    """The personal data export: ``{"format", "version", "user", "exported_at",
    "retention_days", "data": {section: [row, ...]}}``.

    ``sections`` maps a name (``status``, ``history``, ``hours``, ``leave``, ``breaks``,
    ``held_messages``, ``reminders_sent`` …) to that person's rows as dicts.
    """
    return {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "user": user,
        "exported_at": _plain(now),
        "retention_days": retention_days,
        "data": {
            name: [_plain(row) for row in rows if _belongs_to(row, user)]
            for name, rows in sorted(sections.items())
        },
    }


def export_json(export: Mapping[str, Any]) -> bytes:
    """UTF-8 JSON for the file sent by DM."""
    return json.dumps(export, ensure_ascii=False, indent=2, sort_keys=True).encode("utf-8")


def export_filename(user: UserID, now: datetime, tr: Callable[..., str]) -> str:
    """``meine-daten-alice-2024-08-09.json`` (the localpart only, filesystem-safe)."""
    local = user.lstrip("@").split(":", 1)[0]
    safe = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in local) or "user"
    return tr("privacy.export_filename", name=safe, day=f"{as_utc(now):%Y-%m-%d}")
