"""The example plugin of docs/plugins.md, loaded from the page itself, on a real homeserver:
the walk-through stays true."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import BotFactory, PersonFactory

from homeoffice_bot.devserver.team import team_room
from homeoffice_bot.kernel.events import Message

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "docs" / "plugins.md"


def example_source() -> str:
    blocks = re.findall(r"```python\n(.*?)```", PAGE.read_text(encoding="utf-8"), re.S)
    assert len(blocks) == 1, "docs/plugins.md has one Python example"
    return blocks[0]


def test_the_example_is_clean_and_typed(tmp_path: Path) -> None:
    source = tmp_path / "thanks.py"
    source.write_text(example_source(), encoding="utf-8")
    config = str(ROOT / "pyproject.toml")  # the project's rules, strict mypy included
    cache = str(ROOT / ".mypy_cache")  # the package is checked already: only the example is new
    for tool in (["ruff", "check", "--no-cache", "--config", config],
                 ["mypy", "--config-file", config, "--cache-dir", cache]):  # fmt: skip
        done = subprocess.run(
            [str(Path(sys.executable).parent / tool[0]), *tool[1:], str(source)],
            capture_output=True, text=True, check=False, cwd=tmp_path,
            env={**os.environ, "MYPYPATH": f"{ROOT}:{ROOT / 'plugins'}"},  # the editable install
        )  # fmt: skip
        assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize("encrypted", [True, False], ids=["encrypted", "plain"])
async def test_the_example_plugin_counts_thanks(
    start_bot: BotFactory, people: PersonFactory, tmp_path: Path, encrypted: bool
) -> None:
    folder = tmp_path / "plugins"
    folder.mkdir()
    (folder / "thanks.py").write_text(example_source(), encoding="utf-8")
    bot = await start_bot(plugins={"enabled": ["thanks"], "dirs": [str(folder)]})
    assert "thanks" in bot.plugins
    anna = await people("anna")
    ben = await people("ben")
    room = await team_room(anna, bot, [ben], encrypted=encrypted)
    me = bot.matrix.user_id

    reply = await anna.ask(room, f"!danke {ben.user_id}", me)
    assert "Ben hat hier 1-mal Danke bekommen" in reply.body
    reply = await anna.ask(room, f"!danke {ben.user_id}", me)
    assert "2-mal" in reply.body
    # ben's next bot message must be the answer to his own command, not anna's late one
    await ben.wait_for(Message, lambda m: m.sender == me and "2-mal" in m.body, timeout=20)
    reply = await ben.ask(room, f"!danke {ben.user_id}", me)
    assert "Sich selbst zu danken zählt nicht." in reply.body
    reply = await ben.ask(room, "!hilfe danke", me)
    assert "Sagt jemandem Danke." in reply.body


def test_the_example_adds_a_subcommand_that_reads_the_database(tmp_path: Path) -> None:
    """``homeoffice-bot thanks-top``: the plugin folder's subcommand, run as a process on the
    host's offline context (settings, database), without a homeserver."""
    import asyncio

    from homeoffice_bot.devserver.postgres import harness_database
    from homeoffice_bot.kernel.storage import Database

    folder = tmp_path / "plugins"
    folder.mkdir()
    (folder / "thanks.py").write_text(example_source(), encoding="utf-8")
    data = tmp_path / "data"
    # the SQLite file, or on the PostgreSQL pass the schema this process's Database gets
    # for that file: the subcommand's own process must find the same data
    target = harness_database(data / "homeoffice.sqlite3")
    database = f'database = "{target}"\n' if isinstance(target, str) else ""
    config = tmp_path / "bot.toml"
    config.write_text(
        '[matrix]\nhomeserver = "https://matrix.example.org"\n'
        'user_id = "@bot:example.org"\npassword = "x"\n'
        f'[storage]\ndata_dir = "{data}"\n{database}'
        f'[plugins]\nenabled = ["thanks"]\ndirs = ["{folder}"]\n',
        encoding="utf-8",
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("HOMEOFFICE_")}

    def top() -> subprocess.CompletedProcess[str]:
        argv = ["--config", str(config), "thanks-top", "--limit", "1"]
        return subprocess.run(
            [sys.executable, "-m", "homeoffice_bot.cli", *argv],
            capture_output=True, text=True, check=False, env=env, cwd=tmp_path,
        )  # fmt: skip

    done = top()
    assert done.returncode == 1  # the bot never ran here: no database yet
    assert "no database" in done.stderr
    assert not (data / "homeoffice.sqlite3").exists()

    async def bot_ran_once() -> None:
        db = Database(data / "homeoffice.sqlite3")
        await db.open()
        await db.migrate("kernel", ("CREATE TABLE marker (x INTEGER);",))
        await db.close()

    asyncio.run(bot_ran_once())
    done = top()
    assert done.returncode == 0, done.stderr  # the host ran the plugin's migration
    assert printed(done.stdout) == []

    async def thanked() -> None:
        db = Database(data / "homeoffice.sqlite3")
        await db.open()
        for room, user, count in [
            ("!a:x", "@anna:x", 2),
            ("!a:x", "@ben:x", 5),
            ("!b:x", "@ben:x", 1),
        ]:
            await db.execute("INSERT INTO thanks VALUES (?, ?, ?)", (room, user, count))
        await db.close()

    asyncio.run(thanked())
    done = top()
    assert done.returncode == 0, done.stderr
    assert printed(done.stdout) == ["!a:x  @ben:x  5", "!b:x  @ben:x  1"]


def printed(out: str) -> list[str]:
    """The command's own lines, without the log's (they start with the time)."""
    return [line for line in out.splitlines() if not line[:4].isdigit()]
