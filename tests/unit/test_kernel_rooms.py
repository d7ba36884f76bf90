"""Room state rules that need no homeserver, and the room settings the kernel keeps."""

from __future__ import annotations

from pathlib import Path

import pytest

from homeoffice_bot.kernel.ids import RoomID
from homeoffice_bot.kernel.kernel_schema import MIGRATIONS
from homeoffice_bot.kernel.matrix.rooms import only_other_member
from homeoffice_bot.kernel.rooms import RoomSettings
from homeoffice_bot.kernel.storage import Database

BOT = "@bot:example.org"
ANNA = "@anna:example.org"
BEN = "@ben:example.org"


def test_a_room_of_the_bot_and_one_person_belongs_to_that_person() -> None:
    assert only_other_member([BOT, ANNA], BOT) == ANNA
    assert only_other_member([ANNA, BOT, ANNA], BOT) == ANNA  # the same member twice


def test_rooms_with_more_or_fewer_people_or_without_the_bot_belong_to_nobody() -> None:
    assert only_other_member([BOT, ANNA, BEN], BOT) is None
    assert only_other_member([BOT], BOT) is None
    assert only_other_member([ANNA, BEN], BOT) is None
    assert only_other_member([], BOT) is None


async def test_a_room_keeps_its_address_and_language_apart(tmp_path: Path) -> None:
    db = Database(tmp_path / "rooms.sqlite3")
    await db.open()
    try:
        await db.migrate("kernel", MIGRATIONS)
        rooms = RoomSettings(db, "de", "Europe/Berlin")
        room, other = RoomID("!team:example.org"), RoomID("!other:example.org")
        assert await rooms.address(room) == "du"
        assert await rooms.formal(room) is False
        await rooms.set_language(room, "en")
        await rooms.set_address(room, "sie")
        with pytest.raises(ValueError, match="ihr"):
            await rooms.set_address(room, "ihr")

        fresh = RoomSettings(db, "de", "Europe/Berlin")  # as after a restart
        assert await fresh.formal(room) is True
        assert await fresh.language(room) == "en"
        assert await fresh.formal(other) is False
        await fresh.set_address(room, "du")
        assert await RoomSettings(db, "de", "Europe/Berlin").address(room) == "du"
    finally:
        await db.close()


async def test_a_room_keeps_its_wording_beside_its_address(tmp_path: Path) -> None:
    db = Database(tmp_path / "rooms.sqlite3")
    await db.open()
    try:
        await db.migrate("kernel", MIGRATIONS)
        rooms = RoomSettings(db, "de", "Europe/Berlin")
        room, other = RoomID("!team:example.org"), RoomID("!other:example.org")
        assert await rooms.wording(room) == "stand-up"
        await rooms.set_address(room, "sie")
        await rooms.set_wording(room, "morgenrunde")
        with pytest.raises(ValueError, match="daily"):
            await rooms.set_wording(room, "daily")

        fresh = RoomSettings(db, "de", "Europe/Berlin")  # as after a restart
        assert await fresh.wording(room) == "morgenrunde"
        assert await fresh.formal(room) is True
        assert await fresh.wording(other) == "stand-up"
        await fresh.set_wording(room, "stand-up")
        assert await RoomSettings(db, "de", "Europe/Berlin").wording(room) == "stand-up"
        assert await RoomSettings(db, "de", "Europe/Berlin").formal(room) is True
    finally:
        await db.close()
