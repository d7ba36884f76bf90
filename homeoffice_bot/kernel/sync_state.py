"""The sync position (``next_batch``), kept in the kernel's table ``sync_state``."""

from __future__ import annotations

from homeoffice_bot.kernel.storage import Database


class SyncTokens:
    """The sync position, saved after every batch so that a restart goes on from there."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def load(self) -> str | None:
        value = await self.db.fetchval("SELECT next_batch FROM sync_state WHERE id = 1")
        return str(value) if value else None

    async def save(self, token: str) -> None:
        await self.db.execute(
            "INSERT INTO sync_state(id, next_batch) VALUES (1, ?)"
            " ON CONFLICT(id) DO UPDATE SET next_batch = excluded.next_batch",
            (token,),
        )
