"""Per-room settings the kernel keeps: the room's language and time zone."""

from __future__ import annotations

from homeoffice_bot.kernel.i18n import LANGUAGES
from homeoffice_bot.kernel.ids import RoomID
from homeoffice_bot.kernel.storage import Database


class RoomSettings:
    def __init__(self, db: Database, default_language: str, default_timezone: str) -> None:
        self._db = db
        self.default_language = default_language
        self.default_timezone = default_timezone
        self._languages: dict[RoomID, str] = {}

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

    async def timezone(self, room_id: RoomID) -> str:
        value = await self._db.fetchval("SELECT timezone FROM rooms WHERE room_id = ?", (room_id,))
        return str(value) if value else self.default_timezone

    async def set_timezone(self, room_id: RoomID, tz: str) -> None:
        await self._db.execute(
            "INSERT INTO rooms(room_id, timezone) VALUES (?, ?)"
            " ON CONFLICT(room_id) DO UPDATE SET timezone = excluded.timezone",
            (room_id, tz),
        )
