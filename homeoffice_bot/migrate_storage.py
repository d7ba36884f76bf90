"""``homeoffice-bot migrate-storage --from SQLITE_PATH --to postgresql://...``.

Copies every component's data (kernel, built-in features, each plugin the source has
tables of) from an SQLite file into an empty PostgreSQL database (or the other way), with
the same row count in every table checked afterwards. The bot must be stopped meanwhile:
the source's data-folder lock is taken, so a running bot makes the copy refuse.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from pathlib import Path

from homeoffice_bot.kernel.active import ActiveLock
from homeoffice_bot.kernel.errors import StorageError
from homeoffice_bot.kernel.kernel_schema import MIGRATIONS as KERNEL_MIGRATIONS
from homeoffice_bot.kernel.plugins import discover, plugin_classes
from homeoffice_bot.kernel.storage import Database, MigrationStep, describe
from homeoffice_bot.kernel.storage.copy import copy_database

log = logging.getLogger(__name__)


def known_migrations(
    components: Sequence[str], plugin_dirs: Sequence[Path] = ()
) -> dict[str, Sequence[MigrationStep]]:
    """Each component's migrations: the kernel, the built-in features, and the plugins
    named in ``components`` (installed, or in ``plugin_dirs``)."""
    from homeoffice_bot.app import BUILTIN_PLUGINS

    steps: dict[str, Sequence[MigrationStep]] = {"kernel": KERNEL_MIGRATIONS}
    for cls in plugin_classes(BUILTIN_PLUGINS, [], (), strict=False):
        steps[cls.name] = cls.migrations
    optional = [name for name in components if name not in steps]
    for name, found in discover(optional, plugin_dirs).items():
        steps[name] = found.migrations
    return steps


async def migrate_storage(
    source: str | Path,
    target: str | Path,
    *,
    password: str | None = None,
    plugin_dirs: Sequence[Path] = (),
) -> dict[str, int]:
    """Copy everything from ``source`` into the empty ``target``; the rows per table."""
    if source == target:
        raise StorageError("--from and --to name the same database")
    if isinstance(source, Path) and not await asyncio.to_thread(source.is_file):
        raise StorageError(f"no database at {source}")
    src = Database.sqlite_file(source) if isinstance(source, Path) else Database(source)
    if isinstance(target, Path):
        dst = Database.sqlite_file(target)
    else:
        dst = Database(target, password=password)
    # a running bot holds its folder's lock: copying under it would miss what it writes
    lock = ActiveLock(src, source.parent, "") if isinstance(source, Path) else None
    if lock is not None:
        await lock.acquire(standby=False, stop=asyncio.Event())
    await src.open()
    try:
        await dst.open()
        try:
            components = [
                str(row[0]) for row in await src.fetchall("SELECT component FROM schema_versions")
            ]
            counts = await copy_database(src, dst, known_migrations(components, plugin_dirs))
        finally:
            await dst.close()
    finally:
        await src.close()
        if lock is not None:
            await lock.release()
    log.info("copied %s into %s", describe(source), describe(target))
    return counts
