"""The admin commands' pure parts: status and room list texts, sizes, backup names, and who
counts as a bot admin in the admin room."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from homeoffice_bot.admin.report import (
    BotStatus,
    RoomInfo,
    backup_path,
    code,
    format_bytes,
    format_uptime,
    looks_like_room_id,
    render_rooms,
    render_status,
)
from homeoffice_bot.kernel.command_model import Permission
from homeoffice_bot.kernel.commands import CommandDispatcher, CommandRegistry
from homeoffice_bot.kernel.i18n import Catalogue
from homeoffice_bot.kernel.ids import RoomID, UserID

LOCALES = Path(__file__).resolve().parents[2] / "homeoffice_bot" / "admin" / "locales"
CATALOGUE = Catalogue.from_folder(LOCALES)
DE = CATALOGUE.translator("de")
EN = CATALOGUE.translator("en")


@pytest.mark.parametrize(
    ("uptime", "text"),
    [
        (timedelta(seconds=59), "0 min"),
        (timedelta(minutes=5, seconds=30), "5 min"),
        (timedelta(hours=3, minutes=7), "3 h 7 min"),
        (timedelta(days=2, minutes=1), "2 d 0 h 1 min"),
        (timedelta(seconds=-3), "0 min"),
    ],
)
def test_format_uptime(uptime: timedelta, text: str) -> None:
    assert format_uptime(uptime) == text


@pytest.mark.parametrize(
    ("size", "lang", "text"),
    [
        (0, "de", "0 B"),
        (1023, "en", "1023 B"),
        (1536, "de", "1,5 KiB"),
        (1536, "en", "1.5 KiB"),
        (5 * 1024 * 1024, "de", "5,0 MiB"),
        (3 * 1024**3 + 1024**3 // 4, "en", "3.2 GiB"),
        (2048 * 1024**4, "en", "2048.0 TiB"),
    ],
)
def test_format_bytes(size: int, lang: str, text: str) -> None:
    assert format_bytes(size, lang) == text


def test_status_in_german_and_english() -> None:
    status = BotStatus(
        version="0.1.0",
        uptime=timedelta(hours=26, minutes=3),
        user_id="@homeoffice:example.org",
        device_id="ABCDEFGHIJ",
        encryption=True,
        rooms=4,
        jobs=12,
        database_bytes=3 * 1024 * 1024 // 2,
        outbox_pending=2,
        outbox_held=1,
    )
    assert render_status(status, DE).splitlines() == [
        "**Bot-Status**",
        "",
        "- Version: 0\\.1\\.0",
        "- Läuft seit: 1 d 2 h 3 min",
        "- Konto: `@homeoffice:example.org`, Gerät `ABCDEFGHIJ`",
        "- Verschlüsselung: an",
        "- Räume: 4",
        "- Geplante Aufgaben: 12",
        "- Datenbank: 1,5 MiB",
        "- Zu senden: 2, zurückgehalten bis Dienstbeginn: 1",
    ]
    english = render_status(status, EN)
    assert "- Running for: 1 d 2 h 3 min" in english
    assert "- Database: 1.5 MiB" in english
    assert "- Encryption: off" in render_status(replace(status, encryption=False), EN)


def test_rooms_are_sorted_by_name_and_names_are_escaped() -> None:
    rooms = [
        RoomInfo("!b:example.org", "Team *Digital*", 5, True),
        RoomInfo("!a:example.org", "Admins", 2, False),
    ]
    assert render_rooms(rooms, DE).splitlines() == [
        "**Ich bin in 2 Räumen:**",
        "",
        "- Admins — `!a:example.org`, 2 Mitglieder",
        "- Team \\*Digital\\* — `!b:example.org`, 5 Mitglieder 🔒",
    ]
    assert render_rooms([], EN) == "I am not in any room."


def test_code_spans_only_when_safe() -> None:
    assert code("!abc:example.org") == "`!abc:example.org`"
    assert code("odd`id") == "odd\\`id"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("!AbCdEf:example.org", True),
        ("!x:localhost:8448", True),
        ("#team:example.org", False),
        ("!vae3sq9Fg6_xgFcn27dhG8OOrsOuMBd_SpDtiKjbhL4", True),
        ("!:example.org", False),
        ("!", False),
        ("!abc:", False),
        ("!abc def", False),
        ("Team", False),
    ],
)
def test_looks_like_room_id(text: str, expected: bool) -> None:
    assert looks_like_room_id(text) is expected


def test_backup_path_is_utc_stamped_and_never_overwrites(tmp_path: Path) -> None:
    berlin_morning = datetime(2026, 11, 23, 9, 0, 5, tzinfo=ZoneInfo("Europe/Berlin"))
    first = backup_path(tmp_path, berlin_morning)
    assert first == tmp_path / "homeoffice-20261123T080005Z.sqlite3"
    first.write_bytes(b"x")
    second = backup_path(tmp_path, berlin_morning)
    assert second == tmp_path / "homeoffice-20261123T080005Z-2.sqlite3"


class _NoPowerLevels:
    def power_level(self, room_id: RoomID, user_id: UserID) -> int:
        return 0


def _dispatcher(admin_room: str | None) -> CommandDispatcher:
    kernel = Catalogue({"de": {}, "en": {}})
    return CommandDispatcher(
        CommandRegistry(kernel),
        _NoPowerLevels(),  # type: ignore[arg-type]
        SimpleNamespace(),  # type: ignore[arg-type]
        SimpleNamespace(),  # type: ignore[arg-type]
        prefix="!",
        admins=["@cdo:example.org"],
        moderator_level=50,
        admin_room=admin_room,
    )


def test_everyone_in_the_admin_room_is_a_bot_admin_there_only() -> None:
    dispatcher = _dispatcher("!admins:example.org")
    anna = UserID("@anna:example.org")
    assert dispatcher.permission_of(RoomID("!admins:example.org"), anna) is Permission.BOT_ADMIN
    assert dispatcher.permission_of(RoomID("!team:example.org"), anna) is Permission.MEMBER
    cdo = UserID("@cdo:example.org")
    assert dispatcher.permission_of(RoomID("!team:example.org"), cdo) is Permission.BOT_ADMIN


def test_without_an_admin_room_only_configured_admins_are_bot_admins() -> None:
    dispatcher = _dispatcher(None)
    anna = UserID("@anna:example.org")
    assert dispatcher.permission_of(RoomID("!admins:example.org"), anna) is Permission.MEMBER
