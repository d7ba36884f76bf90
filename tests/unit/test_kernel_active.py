"""The active lock: one process per data folder, and with PostgreSQL one per account in
the database even with separate folders; a standby waits and takes over on release."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from homeoffice_bot.kernel.active import ActiveLock
from homeoffice_bot.kernel.errors import AlreadyActiveError
from homeoffice_bot.kernel.storage import Database

ACCOUNT = "@bot:example.org"


async def open_db(target: str | Path) -> Database:
    db = Database(target)
    await db.open()
    return db


async def test_a_second_lock_on_the_folder_is_refused_naming_it(tmp_path: Path) -> None:
    db = await open_db(tmp_path / "data" / "homeoffice.sqlite3")
    first = ActiveLock(db, tmp_path / "data", ACCOUNT)
    second = ActiveLock(db, tmp_path / "data", ACCOUNT)
    assert await first.acquire(standby=False, stop=asyncio.Event())
    with pytest.raises(AlreadyActiveError, match=f"data folder {tmp_path / 'data'}"):
        await second.acquire(standby=False, stop=asyncio.Event())
    await first.release()
    assert await second.acquire(standby=False, stop=asyncio.Event())
    await second.release()
    await db.close()


@pytest.mark.postgres
async def test_one_account_in_one_postgresql_database_even_with_two_folders(
    tmp_path: Path, postgres_database: str
) -> None:
    one, two = await open_db(postgres_database), await open_db(postgres_database)
    active = ActiveLock(one, tmp_path / "a", ACCOUNT)
    other_account = ActiveLock(two, tmp_path / "c", "@other:example.org")
    assert await active.acquire(standby=False, stop=asyncio.Event())
    assert await other_account.acquire(standby=False, stop=asyncio.Event())
    with pytest.raises(AlreadyActiveError, match=f"the database .* for {ACCOUNT}"):
        await ActiveLock(two, tmp_path / "b", ACCOUNT).acquire(standby=False, stop=asyncio.Event())

    standby = ActiveLock(two, tmp_path / "b", ACCOUNT)
    waiting = asyncio.create_task(standby.acquire(standby=True, stop=asyncio.Event()))
    await asyncio.wait_for(standby.standing_by.wait(), timeout=5)
    await active.release()  # as when the active process ends or dies
    assert await asyncio.wait_for(waiting, timeout=5)
    assert standby.held
    for lock in (standby, other_account):
        await lock.release()
    await one.close()
    await two.close()


async def test_a_standby_stopped_while_waiting_gives_up(tmp_path: Path) -> None:
    db = await open_db(tmp_path / "data" / "homeoffice.sqlite3")
    active = ActiveLock(db, tmp_path / "data", ACCOUNT)
    assert await active.acquire(standby=False, stop=asyncio.Event())
    stop = asyncio.Event()
    standby = ActiveLock(db, tmp_path / "data", ACCOUNT)
    waiting = asyncio.create_task(standby.acquire(standby=True, stop=stop))
    await asyncio.wait_for(standby.standing_by.wait(), timeout=5)
    stop.set()
    assert await asyncio.wait_for(waiting, timeout=5) is False
    assert not standby.held
    await active.release()
    await db.close()
