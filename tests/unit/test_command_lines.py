"""The lines below a command, for the bot's real commands: text for the commands that take
free text or "Feld: Wert" lines, and no part of any other command."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import homeoffice_bot.workday
from digitalnah.commands import OfferingCommands
from homeoffice_bot.kernel.command_model import Command
from homeoffice_bot.kernel.core_plugin import CorePlugin
from homeoffice_bot.kernel.i18n import Catalogue
from homeoffice_bot.kernel.parser import ResolvedCommand, resolve, split_command
from homeoffice_bot.standup.argtypes import WindowLength
from homeoffice_bot.standup.commands import standup_command
from homeoffice_bot.workday.commands import build_commands


class _Handlers:
    """Stands in for the handler objects: every attribute is a handler."""

    def __getattr__(self, name: str) -> Any:
        async def handler(ctx: Any, args: Any) -> None:
            raise AssertionError("not called in these tests")

        return handler


class _Context:
    """Collects what a plugin declares."""

    def __init__(self) -> None:
        self.commands: list[Command] = []

    def add_command(self, command: Command) -> None:
        self.commands.append(command)


@pytest.fixture
async def commands() -> list[Command]:
    h: Any = _Handlers()
    core = _Context()
    await CorePlugin(core).start()  # type: ignore[arg-type]
    workday = Catalogue.from_folder(Path(homeoffice_bot.workday.__file__).parent / "locales")
    return [
        *core.commands,
        *build_commands(workday, h, h, h),
        standup_command(h, h, WindowLength()),
        *OfferingCommands(h, h).declarations(),
    ]


def run(commands: list[Command], body: str) -> ResolvedCommand:
    split = split_command(body, "!")
    assert split is not None
    return resolve(commands, *split)


@pytest.mark.parametrize(
    ("body", "path", "args"),
    [
        ("!sprache de\nzweite Zeile", ["sprache"], {"lang": "de"}),
        ("!moin\nGuten Morgen zusammen!", ["moin"], {}),
        ("!feierabend\nBis morgen", ["feierabend"], {}),
        ("!pause 15m\nKaffee holen", ["pause"], {"when": "15m"}),
        ("!weg bis 14:00 Kita\nbin dann wieder da", ["weg"], {"rest": "bis 14:00 Kita"}),
        ("!hilfe\nwas kannst du?", ["hilfe"], {"topic": None}),
        ("!standup status\nDanke!", ["standup", "status"], {"name": None}),
    ],
)
async def test_commands_without_text_read_their_own_line_only(
    commands: list[Command], body: str, path: list[str], args: dict[str, Any]
) -> None:
    resolved = run(commands, body)
    assert [c.name_in("de") for c in resolved.path] == path
    assert resolved.args == args


async def test_field_lines_and_reasons_are_the_commands_text(commands: list[Command]) -> None:
    new = run(commands, "!angebot neu\nTitel: Parken per App\nLink: https://parken.example.org")
    assert new.args == {"fields": "Titel: Parken per App\nLink: https://parken.example.org"}
    edit = run(commands, "!angebot bearbeiten 3\nKontakt: ordnungsamt@example.org")
    assert edit.args == {"id": 3, "fields": "Kontakt: ordnungsamt@example.org"}
    reject = run(commands, "!angebot ablehnen 3 Gibt es schon.\nSiehe #2.")
    assert reject.args == {"id": 3, "reason": "Gibt es schon.\nSiehe #2."}


async def test_questions_may_be_typed_one_per_line(commands: list[Command]) -> None:
    resolved = run(commands, "!standup fragen setzen\nWas lief gut?\nWas steht an?")
    assert resolved.args["questions"] == ("Was lief gut?", "Was steht an?")
