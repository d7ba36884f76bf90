"""Running declared commands: permission checks, error replies with the usage line, help.

Commands are declared in ``command_model`` and parsed by the pure ``parser``; this
module is the thin part with I/O: it answers in the room's language, in the thread of
the command when there is one, and renders the help from the declarations.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from homeoffice_bot.kernel.access import Access
from homeoffice_bot.kernel.command_model import Command, Permission
from homeoffice_bot.kernel.delivery import Outbox
from homeoffice_bot.kernel.errors import (
    CommandError,
    ParseError,
    PermissionDeniedError,
    SendError,
    UnknownCommandError,
)
from homeoffice_bot.kernel.escaping import escape_markdown
from homeoffice_bot.kernel.events import Message
from homeoffice_bot.kernel.i18n import DEFAULT_WORDING, Catalogue, Translator
from homeoffice_bot.kernel.ids import EventID, RoomID, UserID
from homeoffice_bot.kernel.matrix import RoomState
from homeoffice_bot.kernel.parser import ResolvedCommand, resolve, split_command, usage_line
from homeoffice_bot.kernel.rooms import RoomSettings
from homeoffice_bot.kernel.services import ServiceKey

log = logging.getLogger(__name__)

CONFIRMED = "✅"
"""The reaction on a command whose personal answer went to the person's direct chat."""


@dataclass
class CommandContext:
    """What a command handler gets besides its parsed arguments."""

    message: Message
    lang: str
    tr: Translator
    """Messages of the command's own component, in the room's language."""
    matrix: RoomState
    """Room state (members, names, power levels); send through ``outbox``."""
    prefix: str
    permission: Permission
    """The permission the sender holds over this room's own things (its settings, its
    stand-ups). For a resource that lives elsewhere (an offering from another room) ask
    ``PluginContext.access.permission(sender, home room)``: the room typed in decides
    nothing there."""
    outbox: Outbox

    @property
    def room_id(self) -> RoomID:
        return self.message.room_id

    @property
    def sender(self) -> UserID:
        return self.message.sender

    async def reply(self, markdown: str) -> EventID:
        """Answer in the command's thread, or as a reply to the command."""
        msg = self.message
        if msg.thread_root is not None:
            return await self.outbox.send(
                msg.room_id, markdown, thread_root=msg.thread_root, reply_to=msg.event_id
            )
        return await self.outbox.send(msg.room_id, markdown, reply_to=msg.event_id)

    async def send(self, markdown: str) -> EventID:
        return await self.outbox.send(self.message.room_id, markdown)

    async def confirm_privately(self, markdown: str) -> None:
        """A personal answer (a confirmation, one's own data). In the direct chat it is the
        reply; in a room the command gets a ✅ reaction (what the room needs to know: it
        worked) and the words go to the person's direct chat. Errors still answer where
        the command was typed: they are raised as CommandError."""
        if self.message.is_direct:
            await self.reply(markdown)
            return
        try:
            await self.outbox.react(self.room_id, self.message.event_id, CONFIRMED)
        except SendError as exc:  # e.g. reactions need a power level here: the words still go
            log.warning("could not react to a command in %s: %s", self.room_id, exc)
        await self.outbox.dm(self.sender, markdown)


class CommandRegistry:
    """All commands of all components, with the catalogue each component brings."""

    def __init__(self, kernel: Catalogue) -> None:
        self.kernel = kernel
        self._commands: list[Command] = []
        self._catalogues: dict[int, Catalogue] = {}

    def add(self, command: Command, catalogue: Catalogue) -> None:
        taken = {n for c in self._commands for n in c.all_names()}
        clash = taken.intersection(command.all_names())
        if clash:
            log.error("command names %s are taken; %s not registered", sorted(clash), command)
            return
        self._commands.append(command)
        self._catalogues[id(command)] = catalogue

    @property
    def commands(self) -> Sequence[Command]:
        return self._commands

    def catalogue_of(self, command: Command) -> Catalogue:
        return self._catalogues.get(id(command), self.kernel)


class CommandDispatcher:
    def __init__(
        self,
        registry: CommandRegistry,
        matrix: RoomState,
        rooms: RoomSettings,
        outbox: Outbox,
        *,
        prefix: str,
        admins: Sequence[str],
        moderator_level: int,
        on_handled: Callable[[str, str], None] | None = None,
        admin_room: str | None = None,
        access: Access | None = None,
    ) -> None:
        self.registry = registry
        self.matrix = matrix
        self.outbox = outbox
        self.rooms = rooms
        self.prefix = prefix
        self.admins = frozenset(admins)
        self.moderator_level = moderator_level
        self.on_handled = on_handled or (lambda name, outcome: None)
        self.admin_room = admin_room
        """Everyone who can write in this room is a bot admin there (and only there)."""
        self.access = access or Access(
            matrix, admins=admins, moderator_level=moderator_level, admin_room=admin_room
        )

    def is_command(self, message: Message) -> bool:
        return split_command(message.body, self.prefix) is not None

    def permission_of(self, room_id: RoomID, user_id: UserID) -> Permission:
        """What the sender may do with the room's own things: the kernel's one rule
        (``kernel.access``) with the room as the home."""
        return self.access.acting_in(user_id, room_id)

    async def dispatch(self, message: Message) -> None:
        split = split_command(message.body, self.prefix)
        if split is None:
            return
        word, rest = split
        lang = await self.rooms.language(message.room_id)
        formal = await self.rooms.formal(message.room_id)
        wording = await self.rooms.wording(message.room_id)
        kernel_tr = self.registry.kernel.translator(lang, formal, wording)
        permission = self.permission_of(message.room_id, message.sender)
        resolved: ResolvedCommand | None = None
        try:
            resolved = resolve(self.registry.commands, word, rest, lang=lang)
            root = resolved.path[0]
            needed = max(c.permission for c in resolved.path)
            if permission < needed:
                raise PermissionDeniedError(
                    "command.denied." + needed.name.lower(),
                    command=self.prefix + " ".join(c.name_in(lang) for c in resolved.path),
                )
            handler = resolved.command.handler
            if handler is None:  # a group without a default action
                raise ParseError("parse.subcommand", options=_options(resolved.command, lang))
            tr = self.registry.catalogue_of(root).translator(lang, formal, wording)
            ctx = CommandContext(
                message, lang, tr, self.matrix, self.prefix, permission, self.outbox
            )
            await handler(ctx, resolved.args)
            self.on_handled(root.name_in("en"), "ok")
        except CommandError as exc:
            name = resolved.path[0].name_in("en") if resolved else "unknown"
            self.on_handled(name, outcome_of(exc))
            await self._reply_error(message, exc, kernel_tr, lang, resolved, formal, wording)
        except Exception:
            name = resolved.path[0].name_in("en") if resolved else "unknown"
            log.exception("command %s failed", name)
            self.on_handled(name, "error")
            ctx = CommandContext(
                message, lang, kernel_tr, self.matrix, self.prefix, permission, self.outbox
            )
            await ctx.reply(kernel_tr("command.failed"))

    async def _reply_error(
        self,
        message: Message,
        exc: CommandError,
        tr: Translator,
        lang: str,
        resolved: ResolvedCommand | None,
        formal: bool = False,
        wording: str = DEFAULT_WORDING,
    ) -> None:
        params: dict[str, Any] = {k: _plain(v) for k, v in exc.params.items()}
        catalogue = self.registry.catalogue_of(resolved.path[0]) if resolved else None
        own = catalogue.translator(lang, formal, wording) if catalogue else tr
        text = own(exc.key, **params)
        if isinstance(exc, UnknownCommandError):
            suggestions = exc.params.get("suggestions") or []
            if suggestions:
                text += " " + tr(
                    "command.did_you_mean",
                    suggestions=", ".join(f"`{self.prefix}{s}`" for s in suggestions),
                )
            text += " " + tr("command.see_help", help=f"`{self.prefix}{_help_name(lang)}`")
        elif isinstance(exc, ParseError):
            path = getattr(exc, "usage_path", None) or (resolved.path if resolved else None)
            if path:
                text += "\n" + tr("command.usage", usage=f"`{usage_line(path, lang, self.prefix)}`")
        ctx = CommandContext(message, lang, tr, self.matrix, self.prefix, Permission.MEMBER,
                             self.outbox)  # fmt: skip
        await ctx.reply(text)


def outcome_of(exc: CommandError) -> str:
    """How a refused command ended, for ``on_handled``: unknown, denied, invalid or rejected."""
    if isinstance(exc, UnknownCommandError):
        return "unknown"
    if isinstance(exc, PermissionDeniedError):
        return "denied"
    if isinstance(exc, ParseError):
        return "invalid"
    return "rejected"


def _plain(value: Any) -> Any:
    if isinstance(value, (list, tuple, set, frozenset)):
        return ", ".join(str(v) for v in value)
    return escape_markdown(value) if isinstance(value, str) else value


def _help_name(lang: str) -> str:
    return "hilfe" if lang == "de" else "help"


def _options(command: Command, lang: str) -> str:
    return ", ".join(sub.name_in(lang) for sub in command.subcommands)


HELP_ALL_WORDS = frozenset({"alles", "alle", "all", "everything"})
"""``!hilfe alles`` / ``!help all``: every command instead of the everyday ones."""
PERMISSION_GROUPS = (Permission.MEMBER, Permission.MODERATOR, Permission.BOT_ADMIN)


def _help_line(command: Command, lang: str, prefix: str) -> str:
    return f"- `{prefix}{command.name_in(lang)}` — {command.help_in(lang)}"


def render_help_overview(
    commands: Sequence[Command],
    lang: str,
    prefix: str,
    tr: Translator,
    *,
    permission: Permission = Permission.MEMBER,
) -> str:
    """The short help: the everyday commands the reader may use (a moderator also sees the
    everyday ones of the moderation, said in words), and how to see the rest."""
    lines = [f"**{tr('help.title')}**", ""]
    chosen = [c for c in commands if c.everyday and c.permission <= permission]
    for command in sorted(chosen, key=lambda c: (c.permission, c.name_in(lang))):
        line = _help_line(command, lang, prefix)
        if command.permission is not Permission.MEMBER:
            line += " " + tr("help.only." + command.permission.name.lower())
        lines.append(line)
    everything = f"`{prefix}{_help_name(lang)} {tr('help.all_word')}`"
    detail = f"`{prefix}{_help_name(lang)} <{tr('help.command')}>`"
    lines += ["", tr("help.more", all=everything, help=detail)]
    return "\n".join(lines)


def render_help_all(commands: Sequence[Command], lang: str, prefix: str, tr: Translator) -> str:
    """Every command, grouped by who may use it; the groups say it in words."""
    lines = [f"**{tr('help.all_title')}**"]
    for level in PERMISSION_GROUPS:
        group = sorted(
            (c for c in commands if c.permission is level), key=lambda c: c.name_in(lang)
        )
        if not group:
            continue
        lines += ["", tr("help.group." + level.name.lower())]
        lines += [_help_line(command, lang, prefix) for command in group]
    lines += [
        "",
        tr("help.all_footer", help=f"`{prefix}{_help_name(lang)} <{tr('help.command')}>`"),
    ]
    return "\n".join(lines)


def render_help_detail(path: Sequence[Command], lang: str, prefix: str, tr: Translator) -> str:
    command = path[-1]
    lines = [f"**{prefix}{' '.join(c.name_in(lang) for c in path)}** — {command.help_in(lang)}"]
    if command.handler is not None:
        lines.append(tr("command.usage", usage=f"`{usage_line(path, lang, prefix)}`"))
    aliases = [n for n in command.all_names() if n != command.name_in(lang).lower()]
    if aliases:
        lines.append(tr("help.aliases", aliases=", ".join(f"`{a}`" for a in aliases)))
    if command.permission is not Permission.MEMBER:
        lines.append(tr("help.permission." + command.permission.name.lower()))
    if command.subcommands:
        lines += ["", tr("help.subcommands")]
        for sub in command.subcommands:
            lines.append(f"- `{usage_line([*path, sub], lang, prefix)}` — {sub.help_in(lang)}")
    if examples := command.examples_in(lang):
        lines += ["", tr("help.examples")]
        lines += [f"- `{prefix}{example}`" for example in examples]
    return "\n".join(lines)


COMMAND_REGISTRY: ServiceKey[CommandRegistry] = ServiceKey("kernel.command_registry")
"""Every command of every feature, for help texts (provided by the host)."""
