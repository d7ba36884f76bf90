"""One active bot per account: an exclusive lock held for the life of the process.

Two locks, both taken before the bot logs in or touches anything else:

- the data folder's lock file (``homeoffice.lock``, an ``flock``): the folder holds the
  encryption store and the SQLite database, which one process at a time may use;
- with PostgreSQL, an advisory lock on the account in that database (and schema), held
  on a connection of its own: two processes with their own folders but one database and
  one account would otherwise both sync, post and answer.

The operating system and PostgreSQL release both when the process ends or dies (kill -9
included), so a waiting standby takes over within ``POLL_SECONDS``. Without standby a
second process refuses to start with one sentence naming the folder or the database.
If the advisory lock's connection breaks while active, ``lost`` is set: another process
may take over, so this one must stop.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from homeoffice_bot.kernel.errors import AlreadyActiveError
from homeoffice_bot.kernel.storage import Database, describe

log = logging.getLogger(__name__)

LOCK_FILE = "homeoffice.lock"
POLL_SECONDS = 1.0
WATCH_SECONDS = 2.0
_LOCK_CLASS = 0x484F  # the advisory lock's first key: "HO"; the second is the account's hash


class ActiveLock:
    def __init__(
        self,
        db: Database,
        data_dir: Path,
        account: str,
        *,
        on_lost: Callable[[], None] | None = None,
    ) -> None:
        self.db = db
        self.data_dir = data_dir
        self.account = account
        self.held = False
        self.waiting = False
        self.lost = asyncio.Event()
        self.standing_by = asyncio.Event()
        """Set once the lock was found taken and this process waits as a standby."""
        self._on_lost = on_lost
        self._fd: int | None = None
        self._pg: Any = None
        self._watch: asyncio.Task[None] | None = None

    async def acquire(self, *, standby: bool, stop: asyncio.Event) -> bool:
        """Take both locks. Without ``standby`` raise AlreadyActiveError when another
        process holds one; with it, wait until they are free (True) or ``stop`` is set
        (False)."""
        announced = False
        while True:
            busy = self._try_folder() or await self._try_database()
            if busy is None:
                break
            if not standby:
                await self.release()
                raise AlreadyActiveError(
                    f"another homeoffice-bot is already active on {busy}: stop it first, "
                    "or set bot.standby = true to wait as its standby"
                )
            if not announced:
                log.info("standby: another homeoffice-bot is active on %s; waiting", busy)
                announced = True
            self.waiting = True
            self.standing_by.set()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), POLL_SECONDS)
            if stop.is_set():
                self.waiting = False
                return False
        self.waiting = False
        self.held = True
        if announced:
            log.info("taking over: this homeoffice-bot is now the active one")
        if self._pg is not None:
            self._watch = asyncio.create_task(self._watch_connection(), name="active lock")
        return True

    def _try_folder(self) -> str | None:
        """None when the folder's lock is ours, else what to name in the message."""
        if self._fd is not None:
            return None
        self.data_dir.mkdir(parents=True, exist_ok=True)
        path = self.data_dir / LOCK_FILE
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return f"the data folder {self.data_dir.resolve()}"
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self._fd = fd
        return None

    async def _try_database(self) -> str | None:
        if self.db.dialect != "postgresql":
            return None
        if self._pg is None:
            from homeoffice_bot.kernel.storage.postgres import PostgresBackend

            backend = self.db.backend
            assert isinstance(backend, PostgresBackend)  # the dialect says so
            self._pg = await backend.connect()
        got = await self._pg.fetchval(
            "SELECT pg_try_advisory_lock($1, hashtext(current_schema() || ' ' || $2))",
            _LOCK_CLASS,
            self.account,
        )
        if got:
            return None
        return f"the database {describe(self.db.target)} for {self.account}"

    async def _watch_connection(self) -> None:
        while True:
            await asyncio.sleep(WATCH_SECONDS)
            try:
                await asyncio.wait_for(self._pg.fetchval("SELECT 1"), WATCH_SECONDS * 2)
            except Exception as exc:
                log.error("the connection holding the active lock broke (%s): stopping", exc)
                self.lost.set()
                if self._on_lost is not None:
                    self._on_lost()
                return

    async def release(self) -> None:
        if self._watch is not None:
            self._watch.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._watch
            self._watch = None
        if self._pg is not None:
            with contextlib.suppress(Exception):
                await self._pg.close()
            self._pg = None
        if self._fd is not None:
            os.close(self._fd)  # closing releases the flock
            self._fd = None
        self.held = False
