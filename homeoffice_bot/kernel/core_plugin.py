"""The kernel's own commands: help (generated from the declarations) and room language."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from homeoffice_bot.kernel.argtypes import Choice, RestText
from homeoffice_bot.kernel.command_model import Arg, Command, Permission
from homeoffice_bot.kernel.commands import (
    COMMAND_REGISTRY,
    HELP_ALL_WORDS,
    CommandContext,
    CommandRegistry,
    render_help_all,
    render_help_detail,
    render_help_overview,
)
from homeoffice_bot.kernel.errors import UnknownCommandError
from homeoffice_bot.kernel.parser import resolve
from homeoffice_bot.kernel.plugins import NoSettings, Plugin

LOCALES = Path(__file__).parent / "locales"


class CorePlugin(Plugin[NoSettings]):
    name = "core"
    locales = LOCALES

    async def start(self) -> None:
        self.ctx.add_command(
            Command(
                names={"de": ("hilfe",), "en": ("help",)},
                help={
                    "de": "Zeigt die Befehle oder Hilfe zu einem Befehl.",
                    "en": "Lists the commands or explains one.",
                },
                handler=self.help,
                args=(
                    Arg(
                        "topic", RestText(), optional=True, label={"de": "Befehl", "en": "command"}
                    ),
                ),
                examples={
                    "de": ("hilfe", "hilfe alles", "hilfe pause"),
                    "en": ("help", "help all", "help break"),
                },
                everyday=True,
            )
        )
        self.ctx.add_command(
            Command(
                names={"de": ("sprache",), "en": ("language",)},
                help={
                    "de": "Stellt die Sprache des Bots in diesem Raum ein (de oder en).",
                    "en": "Sets the bot's language in this room (de or en).",
                },
                handler=self.language,
                args=(
                    Arg(
                        "lang",
                        Choice(
                            {"de": ("de", "deutsch", "german"), "en": ("en", "englisch", "english")}
                        ),
                        label={"de": "Sprache", "en": "language"},
                    ),
                ),
                permission=Permission.MODERATOR,
                examples={"de": ("sprache en",), "en": ("language en",)},
            )
        )
        self.ctx.add_command(
            Command(
                names={"de": ("anrede",), "en": ("address",)},
                help={
                    "de": "Stellt ein, ob ich in diesem Raum „du“ oder „Sie“ schreibe.",
                    "en": "Sets whether I address people informally (du) or formally (Sie) "
                    "in German in this room.",
                },
                handler=self.address,
                args=(
                    Arg(
                        "address",
                        Choice(
                            {
                                "du": ("du", "informal", "informell", "duzen"),
                                "sie": ("sie", "formal", "förmlich", "foermlich", "siezen"),
                            },
                            labels={
                                "de": {"du": "du", "sie": "sie"},
                                "en": {"du": "informal", "sie": "formal"},
                            },
                        ),
                        label={"de": "Anrede", "en": "address"},
                    ),
                ),
                permission=Permission.MODERATOR,
                examples={"de": ("anrede sie", "anrede du"), "en": ("address formal",)},
            )
        )
        self.ctx.add_command(
            Command(
                names={"de": ("wortwahl",), "en": ("wording",)},
                help={
                    "de": "Stellt ein, ob ich in diesem Raum „Stand-up“ und „Call“ schreibe "
                    "oder „Morgenrunde“ und „Videokonferenz“.",
                    "en": "Sets whether I say “Stand-up” and “Call” or “Morgenrunde” and "
                    "“Videokonferenz” in German in this room.",
                },
                handler=self.wording,
                args=(
                    Arg(
                        "wording",
                        Choice(
                            {
                                "stand-up": ("stand-up", "standup", "call", "englisch", "english"),
                                "morgenrunde": (
                                    "morgenrunde",
                                    "videokonferenz",
                                    "deutsch",
                                    "german",
                                ),
                            },
                            labels={
                                "de": {"stand-up": "stand-up", "morgenrunde": "morgenrunde"},
                                "en": {"stand-up": "stand-up", "morgenrunde": "morgenrunde"},
                            },
                        ),
                        label={"de": "Wortwahl", "en": "wording"},
                    ),
                ),
                permission=Permission.MODERATOR,
                examples={
                    "de": ("wortwahl morgenrunde", "wortwahl stand-up"),
                    "en": ("wording morgenrunde",),
                },
            )
        )

    def _registry(self) -> CommandRegistry:
        registry = self.ctx.services.get(COMMAND_REGISTRY)
        assert registry is not None, "the host provides the command registry"
        return registry

    async def help(self, ctx: CommandContext, args: Mapping[str, Any]) -> None:
        registry = self._registry()
        topic = args.get("topic")
        if not topic:
            # In a direct chat everyone holds full power over the chat's own things; the
            # moderation's everyday commands are for team rooms, so it shows a member's list.
            level = Permission.MEMBER if ctx.message.is_direct else ctx.permission
            text = render_help_overview(
                registry.commands, ctx.lang, ctx.prefix, ctx.tr, permission=level
            )
            await ctx.reply(text)
            return
        if str(topic).strip().casefold() in HELP_ALL_WORDS:
            await ctx.reply(render_help_all(registry.commands, ctx.lang, ctx.prefix, ctx.tr))
            return
        words = str(topic).removeprefix(ctx.prefix).split()
        try:
            resolved = resolve(registry.commands, words[0].lower(), " ".join(words[1:]))
            path = list(resolved.path)
        except UnknownCommandError:
            raise
        except Exception:
            # Arguments of the topic do not matter for help: find the deepest known command.
            path = _deepest(registry.commands, words)
            if not path:
                raise
        await ctx.reply(render_help_detail(path, ctx.lang, ctx.prefix, ctx.tr))

    async def language(self, ctx: CommandContext, args: Mapping[str, Any]) -> None:
        lang = str(args["lang"])
        await self.ctx.rooms.set_language(ctx.room_id, lang)
        formal = await self.ctx.rooms.formal(ctx.room_id)
        wording = await self.ctx.rooms.wording(ctx.room_id)
        await ctx.reply(self.ctx.catalogue.translator(lang, formal, wording)("language.set"))

    async def address(self, ctx: CommandContext, args: Mapping[str, Any]) -> None:
        address = str(args["address"])
        await self.ctx.rooms.set_address(ctx.room_id, address)
        wording = await self.ctx.rooms.wording(ctx.room_id)
        tr = self.ctx.catalogue.translator(ctx.lang, address == "sie", wording)
        await ctx.reply(tr(f"address.set.{address}"))

    async def wording(self, ctx: CommandContext, args: Mapping[str, Any]) -> None:
        wording = str(args["wording"])
        await self.ctx.rooms.set_wording(ctx.room_id, wording)
        await ctx.reply(ctx.tr(f"wording.set.{wording}"))


def _deepest(commands: Any, words: list[str]) -> list[Command]:
    path: list[Command] = []
    options = list(commands)
    for word in words:
        match = next((c for c in options if word.lower() in c.all_names()), None)
        if match is None:
            break
        path.append(match)
        options = list(match.subcommands)
    return path
