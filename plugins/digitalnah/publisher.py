"""Publishing: render the page and feeds from the database into the output directory.

``publish_files`` does it once (the bot after changes, ``homeoffice-bot publish``): it
reads the offerings and hands them to a worker process that renders and writes (and
builds the webhook's payload), so the event loop stays free for commands however many
offerings there are.
``DebouncedPublisher`` coalesces bursts of changes: it publishes ``quiet`` seconds after
the last change, but no later than ``max_wait`` after the first unpublished one.
Files are replaced atomically, so the web server never serves half a file.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import pickle
import sys
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import digitalnah
import homeoffice_bot
from digitalnah.debounce import Debounce
from digitalnah.render import MAX_PAGE_SIZE, SiteSettings
from digitalnah.render import worker as render_worker
from digitalnah.render.worker import RenderJob, write_outputs
from digitalnah.settings import DigitalNahSettings
from digitalnah.store import OfferingStore
from digitalnah.webhook import Payload

log = logging.getLogger(__name__)

__all__ = [
    "DebouncedPublisher",
    "PublishError",
    "Published",
    "output_dir",
    "publish_files",
    "site_settings",
    "write_outputs",
]


_PACKAGES = (digitalnah, homeoffice_bot)
"""Where the worker process finds the code (also when it is not installed)."""


class PublishError(Exception):
    """The render worker failed; the files of the last good publish stay in place."""


def output_dir(settings: DigitalNahSettings, data_dir: Path) -> Path:
    """Where the published files go: ``output_dir`` or ``public`` in the plugin's folder."""
    return settings.output_dir or data_dir / "public"


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


@dataclass(frozen=True, slots=True)
class Published:
    count: int
    """How many offerings are on the page."""
    sizes: dict[str, int]
    """Each published file with its size in bytes."""
    written: int = 0
    """How many of them this publish wrote (the others had not changed)."""
    payload: Payload | None = None
    """The webhook's payload (when asked for with ``webhook=True``)."""


BATCH = 500
"""Offering rows read and handed to the worker at a time."""


async def publish_files(
    store: OfferingStore,
    site: SiteSettings,
    out_dir: Path,
    *,
    now: datetime,
    template_dir: Path | None = None,
    page_size: int = MAX_PAGE_SIZE,
    timeout: float = 600,
    webhook: bool = False,
    full: bool = False,
) -> Published:
    """Render every output from the database into ``out_dir`` in a worker process
    (``digitalnah.render.worker``), the rows handed over a batch at a time; with
    ``webhook`` the worker builds the webhook's payload too. Only the files whose inputs
    changed since the last publish are written, every file with ``full``. Raises
    PublishError when the worker fails or takes longer than ``timeout`` seconds."""
    job = RenderJob(site, now, out_dir, template_dir, page_size, webhook, full)
    env = dict(os.environ)
    paths = [os.path.dirname(os.path.dirname(m.__file__ or "")) for m in _PACKAGES]
    env["PYTHONPATH"] = os.pathsep.join([*paths, *filter(None, [env.get("PYTHONPATH")])])
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        render_worker.__name__,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env=env,
        start_new_session=True,  # a Ctrl-C in the bot's terminal is the bot's to handle
    )
    assert process.stdin is not None
    assert process.stdout is not None
    assert process.stderr is not None
    out = asyncio.ensure_future(process.stdout.read())
    err = asyncio.ensure_future(process.stderr.read())
    try:
        async with asyncio.timeout(timeout):
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # see stderr
                process.stdin.write(pickle.dumps(job))
                last = 0
                while rows := await store.rows_after(last, BATCH):
                    process.stdin.write(pickle.dumps(rows, protocol=pickle.HIGHEST_PROTOCOL))
                    await process.stdin.drain()
                    last = int(rows[-1]["id"])
                process.stdin.write(pickle.dumps(None))
                await process.stdin.drain()
                process.stdin.close()
            summary, errors = await out, await err
            code = await process.wait()
    except BaseException as exc:
        with contextlib.suppress(ProcessLookupError):
            process.kill()
        out.cancel()
        err.cancel()
        await process.wait()
        if isinstance(exc, TimeoutError):
            raise PublishError(f"render worker took longer than {timeout:.0f} s") from exc
        raise
    if code != 0:
        tail = errors.decode("utf-8", "replace").strip().splitlines()[-3:]
        raise PublishError(f"render worker exited with {code}: {' | '.join(tail)}")
    line, _, body = summary.partition(b"\n")
    data = json.loads(line)
    payload = None
    if "webhook" in data:
        hook = data["webhook"]
        payload = Payload(body, str(hook["fingerprint"]), int(hook["count"]))
    sizes = {str(k): int(v) for k, v in data["files"].items()}
    result = Published(int(data["published"]), sizes, int(data["written"]), payload)
    log.debug(
        "published %d files (%d written), largest %d bytes",
        len(sizes),
        result.written,
        max(sizes.values()),
    )
    await store.mark_published(now.astimezone(UTC))
    return result


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
