"""Declarations of chat commands: what a command is called, what it takes, who may run it.

A command is declared once, with German and English names, typed arguments and a
permission level; parsing, help and usage lines are derived from the declaration.
"""

from __future__ import annotations

import enum
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

if TYPE_CHECKING:
    from homeoffice_bot.kernel.commands import CommandContext

T_co = TypeVar("T_co", covariant=True)


class Permission(enum.IntEnum):
    MEMBER = 0
    MODERATOR = 1
    BOT_ADMIN = 2


class ArgType(Protocol[T_co]):
    """Turns one token (or the rest of the line, when ``greedy``) into a value.

    ``parse`` raises ``homeoffice_bot.kernel.errors.ParseError`` and nothing else.
    """

    @property
    def greedy(self) -> bool:
        """Takes the rest of the line instead of one token (a read-only property, so that
        frozen dataclasses and plain class attributes both satisfy the protocol)."""
        ...

    def parse(self, token: str) -> T_co: ...

    def usage(self, lang: str) -> str:
        """Placeholder shown in usage lines, e.g. ``<Uhrzeit>`` / ``<time>``."""
        ...


V = TypeVar("V")


@dataclass(frozen=True)
class Arg(Generic[V]):
    name: str
    """Key in the parsed-arguments mapping (English identifier)."""
    type: ArgType[V]
    optional: bool = False
    label: Mapping[str, str] = field(default_factory=dict)
    """Per-language placeholder, e.g. {"de": "Uhrzeit", "en": "time"}; defaults to type.usage."""
    multiline: bool = False
    """A greedy last argument that also takes the lines below the command's line (free text,
    "Feld: Wert" lines, one question per line). Without it a command reads only the line it
    is typed on, and whatever follows on later lines is no part of the command."""

    def __post_init__(self) -> None:
        if self.multiline and not self.type.greedy:
            raise ValueError(f"argument {self.name!r}: only a greedy argument can be multiline")


Handler = Callable[["CommandContext", Mapping[str, Any]], Awaitable[None]]


@dataclass(frozen=True)
class Command:
    """A command or subcommand.

    ``names`` maps a language to its names; the first German name is canonical,
    all names of all languages are accepted in every room.
    ``help`` maps a language to a one-line description.
    A command with ``subcommands`` and no ``handler`` requires a subcommand;
    with both, the handler runs when no subcommand matches the first token.
    """

    names: Mapping[str, tuple[str, ...]]
    help: Mapping[str, str]
    handler: Handler | None = None
    args: tuple[Arg[Any], ...] = ()
    permission: Permission = Permission.MEMBER
    subcommands: tuple[Command, ...] = ()
    examples: tuple[str, ...] | Mapping[str, tuple[str, ...]] = ()
    """Example invocations without the prefix, shown in the detailed help: the same in every
    language, or per language ({"de": ("weg 1h",), "en": ("away 1h",)})."""
    everyday: bool = False
    """One of the few commands of an ordinary day (``!moin``, ``!pause`` …): the short help
    (``!hilfe``) lists only these; ``!hilfe alles`` lists every command."""

    def __post_init__(self) -> None:
        if any(arg.multiline for arg in self.args[:-1]):
            raise ValueError(
                f"command {self.name_in('de')!r}: only the last argument can be multiline"
            )

    @property
    def multiline(self) -> bool:
        """Whether the lines below the command's line belong to its (last) argument."""
        return bool(self.args) and self.args[-1].multiline

    def all_names(self) -> tuple[str, ...]:
        out: list[str] = []
        for names in self.names.values():
            for name in names:
                if name.lower() not in out:
                    out.append(name.lower())
        return tuple(out)

    def name_in(self, lang: str) -> str:
        names = self.names.get(lang) or self.names.get("de") or next(iter(self.names.values()))
        return names[0]

    def examples_in(self, lang: str) -> tuple[str, ...]:
        if isinstance(self.examples, tuple):
            return self.examples
        return self.examples.get(lang) or self.examples.get("de") or ()

    def help_in(self, lang: str) -> str:
        return self.help.get(lang) or self.help.get("de") or next(iter(self.help.values()), "")
