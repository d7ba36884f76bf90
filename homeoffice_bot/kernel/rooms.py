"""Per-room settings the kernel keeps: the room's language, its address ("du" or "Sie"), its
wording ("Stand-up" or "Morgenrunde") and its time zone."""

from __future__ import annotations

from homeoffice_bot.kernel.i18n import (
    ADDRESSES,
    DEFAULT_ADDRESS,
    DEFAULT_WORDING,
    LANGUAGES,
    WORDINGS,
)
from homeoffice_bot.kernel.ids import RoomID
from homeoffice_bot.kernel.storage import Database


class RoomSettings:
    def __init__(self, db: Database, default_language: str, default_timezone: str) -> None:
        self._db = db
        self.default_language = default_language
        self.default_timezone = default_timezone
        self._languages: dict[RoomID, str] = {}
        self._addresses: dict[RoomID, str] = {}
        self._wordings: dict[RoomID, str] = {}

    async def language(self, room_id: RoomID) -> str:
        cached = self._languages.get(room_id)
        if cached is not None:
            return cached
        value = await self._db.fetchval("SELECT language FROM rooms WHERE room_id = ?", (room_id,))
        lang = value if value in LANGUAGES else self.default_language
        self._languages[room_id] = lang
        return lang

    async def set_language(self, room_id: RoomID, lang: str) -> None:
        if lang not in LANGUAGES:
            raise ValueError(lang)
        await self._db.execute(
            "INSERT INTO rooms(room_id, language) VALUES (?, ?)"
            " ON CONFLICT(room_id) DO UPDATE SET language = excluded.language",
            (room_id, lang),
        )
        self._languages[room_id] = lang

    async def address(self, room_id: RoomID) -> str:
        """How the bot addresses people in the room: ``du`` (the default) or ``sie``."""
        cached = self._addresses.get(room_id)
        if cached is not None:
            return cached
        value = await self._db.fetchval("SELECT address FROM rooms WHERE room_id = ?", (room_id,))
        address = value if value in ADDRESSES else DEFAULT_ADDRESS
        self._addresses[room_id] = address
        return address

    async def formal(self, room_id: RoomID) -> bool:
        """Whether the room asked for "Sie"."""
        return await self.address(room_id) == "sie"

    async def set_address(self, room_id: RoomID, address: str) -> None:
        if address not in ADDRESSES:
            raise ValueError(address)
        await self._db.execute(
            "INSERT INTO rooms(room_id, address) VALUES (?, ?)"
            " ON CONFLICT(room_id) DO UPDATE SET address = excluded.address",
            (room_id, address),
        )
        self._addresses[room_id] = address

    async def wording(self, room_id: RoomID) -> str:
        """The room's words for the stand-up and the video call: ``stand-up`` (the default,
        "Stand-up"/"Call") or ``morgenrunde`` ("Morgenrunde"/"Videokonferenz")."""
        cached = self._wordings.get(room_id)
        if cached is not None:
            return cached
        value = await self._db.fetchval("SELECT wording FROM rooms WHERE room_id = ?", (room_id,))
        wording = value if value in WORDINGS else DEFAULT_WORDING
        self._wordings[room_id] = wording
        return wording

    async def set_wording(self, room_id: RoomID, wording: str) -> None:
        if wording not in WORDINGS:
            raise ValueError(wording)
        await self._db.execute(
            "INSERT INTO rooms(room_id, wording) VALUES (?, ?)"
            " ON CONFLICT(room_id) DO UPDATE SET wording = excluded.wording",
            (room_id, wording),
        )
        self._wordings[room_id] = wording

    async def timezone(self, room_id: RoomID) -> str:
        value = await self._db.fetchval("SELECT timezone FROM rooms WHERE room_id = ?", (room_id,))
        return str(value) if value else self.default_timezone

    async def set_timezone(self, room_id: RoomID, tz: str) -> None:
        await self._db.execute(
            "INSERT INTO rooms(room_id, timezone) VALUES (?, ?)"
            " ON CONFLICT(room_id) DO UPDATE SET timezone = excluded.timezone",
            (room_id, tz),
        )
