"""``homeoffice-bot publish``: render the page and feeds once from the database, without
logging in to Matrix (e.g. after restoring a backup, or to rebuild the files by hand).
The webhook is not called from here."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

from pydantic import ValidationError

from digitalnah.publisher import publish_files, site_settings
from digitalnah.schema import MIGRATIONS
from digitalnah.settings import DigitalNahSettings
from digitalnah.store import OfferingStore
from homeoffice_bot.kernel.errors import ConfigError, StorageError
from homeoffice_bot.kernel.storage import Database, describe
from homeoffice_bot.kernel.web import local_address
from homeoffice_bot.settings import Settings

DATABASE_FILE = "homeoffice.sqlite3"
"""The bot's database in the data dir (as the app opens it)."""


def plugin_settings(settings: Settings) -> DigitalNahSettings:
    try:
        return DigitalNahSettings.model_validate(dict(settings.plugins.section("digitalnah")))
    except ValidationError as exc:
        first = exc.errors()[0]
        key = ".".join(["plugins", "digitalnah", *map(str, first["loc"])])
        raise ConfigError(key, first["msg"]) from None


def output_dir(settings: Settings, own: DigitalNahSettings) -> Path:
    return own.output_dir or settings.data_dir / "plugins" / "digitalnah" / "public"


async def publish_from_settings(settings: Settings) -> tuple[Path, int]:
    """Write every output file; returns the output directory and how many offerings are
    published. Raises StorageError when there is no database yet."""
    own = plugin_settings(settings)
    database = settings.storage.database_target
    fresh = isinstance(database, Path) and not database.is_file()
    password = settings.storage.database_password
    db = Database(database, password=password.get_secret_value() if password else None)
    await db.open()
    try:
        if not await db.fetchval("SELECT COUNT(*) FROM schema_versions"):
            await db.close()
            if fresh:  # opening made an empty file: leave nothing behind
                for suffix in ("", "-wal", "-shm"):
                    await asyncio.to_thread(Path(f"{database}{suffix}").unlink, missing_ok=True)
            raise StorageError(f"no database at {describe(database)}: start the bot once first")
        await db.migrate("digitalnah", MIGRATIONS)
        base = settings.web.public_url or local_address(settings.web.bind, settings.web.port)
        target = output_dir(settings, own)
        result = await publish_files(
            OfferingStore(db),
            site_settings(own, base),
            target,
            now=datetime.now(UTC),
            template_dir=own.template_dir,
            page_size=own.page_size,
        )
    finally:
        await db.close()
    return target, result.count
