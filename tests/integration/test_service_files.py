"""The data folder is the bot's alone: `homeoffice-bot run` started under umask 022 on a
folder left 0755 with a 0644 file in it makes everything private and keeps it so for what
it writes (database, -wal/-shm, encryption store, credentials); a data folder it cannot
use stops the start with one line."""

from __future__ import annotations

import json
import os
import stat
import subprocess
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest

from homeoffice_bot.devserver.botprocess import (
    BotProcess,
    bot_command,
    bot_environment,
    wait_answered,
)
from homeoffice_bot.devserver.person import Person
from homeoffice_bot.devserver.synapse import free_port
from homeoffice_bot.kernel.ids import UserID

pytestmark = pytest.mark.integration


def modes(folder: Path) -> dict[str, int]:
    """Every entry below ``folder`` (and the folder itself, as "."), with its mode."""
    found = {".": stat.S_IMODE(folder.stat().st_mode)}
    for path in folder.rglob("*"):
        found[path.relative_to(folder).as_posix()] = stat.S_IMODE(path.lstat().st_mode)
    return found


async def test_under_umask_022_nothing_in_the_data_folder_is_readable_by_others(
    bot_process: BotProcess, people: Callable[..., Awaitable[Person]]
) -> None:
    data = Path(bot_process.env["HOMEOFFICE_STORAGE__DATA_DIR"])
    old = data / "plugins" / "left-over"
    old.mkdir(parents=True, mode=0o755)
    (old / "export.json").write_text("{}", encoding="utf-8")
    os.chmod(data, 0o755)
    os.chmod(data / "plugins", 0o755)
    os.chmod(old, 0o755)
    os.chmod(old / "export.json", 0o644)

    previous = os.umask(0o022)
    try:
        await bot_process.start()  # the process inherits umask 022
    finally:
        os.umask(previous)
    health = await bot_process.wait_healthy()
    bot_id = UserID(str(health["user_id"]))

    anna = await people("anna")
    room = await anna.client.create_room(name="Team", invite=[bot_id], encrypted=True)
    assert await anna.wait_joined(room, bot_id, timeout=20), bot_process.log_tail()
    asked = await anna.say(room, "!hilfe")
    await wait_answered(anna, room, bot_id, [asked], timeout=20)

    found = modes(data)
    database = ("homeoffice.sqlite3", "homeoffice.sqlite3-wal", "homeoffice.sqlite3-shm")
    on_sqlite = os.environ.get("HOMEOFFICE_TEST_DATABASE", "sqlite") == "sqlite"
    for expected in (*(database if on_sqlite else ()), "credentials.json", "pickle_key", "store"):
        assert expected in found, sorted(found)
    assert any(name.startswith("store/") and name.endswith(".db") for name in found), found
    too_open = {
        name: f"{mode:04o}"
        for name, mode in found.items()
        if mode != (0o700 if (data / name).is_dir() else 0o600)
    }
    assert too_open == {}

    records = [json.loads(line) for line in bot_process.log_path.read_text().splitlines()]
    fixed = [r["message"] for r in records if "readable by the bot alone" in r["message"]]
    assert len(fixed) == 1, fixed
    assert "made 4 entries" in fixed[0]
    assert "plugins/left-over/export.json (0644)" in fixed[0]
    assert str(data) in fixed[0]
    code, _ = await bot_process.terminate()
    assert code == 0


def test_a_data_folder_that_is_a_file_stops_the_start_with_one_line(tmp_path: Path) -> None:
    blocked = tmp_path / "data"
    blocked.write_text("not a folder", encoding="utf-8")
    password = tmp_path / "password"
    password.write_text("secret\n", encoding="utf-8")
    env = bot_environment(
        "http://127.0.0.1:9", "@bot:localhost", password, blocked, free_port(),
    )  # fmt: skip
    result = subprocess.run(
        [*bot_command(), "run"], env=env, capture_output=True, text=True, timeout=60,
        check=False,
    )  # fmt: skip
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"configuration error: storage.data_dir: {blocked} is not a folder; "
        "choose a folder for the bot's data"
    ]
