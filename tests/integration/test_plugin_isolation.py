"""Plugins from a plugin folder: a broken one stays off, a failing handler hurts nobody."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest

from homeoffice_bot.app import App
from homeoffice_bot.devserver.person import Person
from homeoffice_bot.devserver.team import team_room

pytestmark = pytest.mark.integration

ECHO = """
from homeoffice_bot.kernel.argtypes import RestText
from homeoffice_bot.kernel.command_model import Arg, Command
from homeoffice_bot.kernel.plugins import Plugin


class EchoPlugin(Plugin):
    name = "echo"

    async def start(self):
        self.ctx.add_command(Command(
            names={"de": ("echo",)}, help={"de": "Wiederholt den Text."},
            handler=self.echo, args=(Arg("text", RestText()),),
        ))
        self.ctx.add_command(Command(
            names={"de": ("kaputt",)}, help={"de": "Scheitert immer."}, handler=self.broken,
        ))
        self.ctx.on_message(self.explode)

    async def echo(self, ctx, args):
        await ctx.reply("Echo: " + args["text"])

    async def broken(self, ctx, args):
        raise RuntimeError("boom")

    async def explode(self, message):
        raise RuntimeError("a failing handler")
"""

BROKEN_START = """
from homeoffice_bot.kernel.plugins import Plugin


class BrokenPlugin(Plugin):
    name = "broken"

    async def start(self):
        raise RuntimeError("cannot start")
"""

BROKEN_IMPORT = "raise ImportError('missing dependency')\n"


async def test_plugins_from_a_folder_are_isolated(
    start_bot: Callable[..., Awaitable[App]],
    people: Callable[..., Awaitable[Person]],
    tmp_path: Path,
) -> None:
    folder = tmp_path / "plugins"
    folder.mkdir()
    (folder / "echo.py").write_text(ECHO)
    (folder / "broken.py").write_text(BROKEN_START)
    (folder / "unimportable.py").write_text(BROKEN_IMPORT)
    bot = await start_bot(plugins={"enabled": ["echo", "broken", "unimportable"], "dirs": [folder]})
    assert "echo" in bot.plugins
    assert "broken" not in bot.plugins
    assert "unimportable" not in bot.plugins

    anna = await people("anna")
    room = await team_room(anna, bot, [], encrypted=False)
    await anna.say(room, "Hallo zusammen")  # the echo plugin's message handler fails here
    reply = await anna.ask(room, "!echo Guten Morgen", bot.matrix.user_id)
    assert reply.body == "Echo: Guten Morgen"
    reply = await anna.ask(room, "!kaputt", bot.matrix.user_id)
    assert "nicht geklappt" in reply.body
    reply = await anna.ask(room, "!hilfe alles", bot.matrix.user_id)
    assert "!echo" in reply.body
    assert bot.tasks.failures >= 1
