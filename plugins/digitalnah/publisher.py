"""Publishing: render the page and feeds from the database into the output directory.

``publish_files`` does it once (the bot after changes, ``homeoffice-bot publish``).
``DebouncedPublisher`` coalesces bursts of changes: it publishes ``quiet`` seconds after
the last change, but no later than ``max_wait`` after the first unpublished one.
Files are replaced atomically, so the web server never serves half a file.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import stat
import tempfile
from collections.abc import Awaitable, Callable, Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from digitalnah.debounce import Debounce
from digitalnah.model import Offering, Tr
from digitalnah.render import SiteSettings, render_all
from digitalnah.settings import DigitalNahSettings
from digitalnah.store import OfferingStore

log = logging.getLogger(__name__)


def site_settings(settings: DigitalNahSettings, base_url: str) -> SiteSettings:
    """Where and how the page is published; ``settings.public_url`` beats ``base_url``."""
    return SiteSettings(
        base_url=(settings.public_url or base_url).rstrip("/"),
        path=settings.path,
        title=settings.site_title,
        description=settings.site_description,
        publisher=settings.site_publisher,
        language=settings.site_language,
        categories=tuple(settings.categories),
        zone=settings.site_timezone,
    )


def write_outputs(out_dir: Path, files: Mapping[str, bytes]) -> None:
    """Write every file into ``out_dir``, each replaced atomically (temp file + rename).
    The files are readable by others only where the folder is (one a web server serves);
    inside the bot's private data folder they stay the bot's alone."""
    out_dir.mkdir(parents=True, exist_ok=True)
    file_mode = 0o644 if out_dir.stat().st_mode & stat.S_IROTH else 0o600
    for name, data in files.items():
        fd, tmp = tempfile.mkstemp(dir=out_dir, prefix=f".{name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.chmod(tmp, file_mode)
            os.replace(tmp, out_dir / name)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise


async def publish_files(
    store: OfferingStore, site: SiteSettings, out_dir: Path, *, tr: Tr, now: datetime
) -> list[Offering]:
    """Render every output from the database into ``out_dir``; returns the offerings read
    (all states; the renderers publish only approved ones)."""
    offerings = await store.all()
    files = render_all(offerings, site, tr=tr, generated_at=now)
    await asyncio.to_thread(write_outputs, out_dir, files)
    await store.mark_published(now.astimezone(UTC))
    return offerings


class DebouncedPublisher:
    """Calls ``publish`` once after a burst of ``changed()`` calls (in its own task)."""

    def __init__(
        self,
        publish: Callable[[], Awaitable[Any]],
        debounce: Debounce,
        spawn: Callable[..., asyncio.Task[Any]],
    ) -> None:
        self._publish = publish
        self._debounce = debounce
        self._spawn = spawn
        self._first: datetime | None = None
        self._last: datetime | None = None
        self._wake = asyncio.Event()
        self._task: asyncio.Task[Any] | None = None
        self._flushing = False
        self.runs = 0
        """How many times ``publish`` ran (for tests and metrics)."""

    @staticmethod
    def _now() -> datetime:
        """Monotonic time as a datetime (debouncing is about elapsed time, not the clock)."""
        return datetime(2000, 1, 1, tzinfo=UTC) + timedelta(
            seconds=asyncio.get_running_loop().time()
        )

    @property
    def pending(self) -> bool:
        return self._first is not None

    def changed(self) -> None:
        now = self._now()
        if self._first is None:
            self._first = now
        self._last = now
        self._wake.set()
        if self._task is None or self._task.done():
            self._task = self._spawn(self._run(), "digitalnah publish")

    async def _run(self) -> None:
        while self._first is not None and self._last is not None:
            due = self._debounce.publish_due(self._first, self._last)
            wait = 0.0 if self._flushing else (due - self._now()).total_seconds()
            if wait > 0:
                self._wake.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), timeout=wait)
                continue
            self._first = self._last = None
            await self._run_publish()

    async def _run_publish(self) -> None:
        self.runs += 1
        try:
            await self._publish()
        except Exception:
            log.exception("publishing #DigitalNah failed")

    async def flush(self) -> None:
        """Publish now if a change is waiting (e.g. before the bot stops)."""
        task = self._task
        if task is None or task.done():
            return
        self._flushing = True
        self._wake.set()
        try:
            await task
        finally:
            self._flushing = False
