"""The chat commands: ``!angebote`` and ``!angebot …``.

Moderation commands are declared for everyone: who may see or moderate an offering is
decided by its home, the room it was posted in (the kernel's rule, ``ctx.access``), and by
the configured moderators (CDOs), never by the room a command is typed in; ``DigitalNah``
checks it. An offering someone may not see is answered exactly like a number nobody used.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from digitalnah.assistant_flow import AssistantFlow
from digitalnah.extract import parse_field_lines
from digitalnah.lifecycle import Action
from digitalnah.model import Offering, OfferingState, Source
from digitalnah.replies import (
    render_moderation_message,
    render_offering_detail,
    render_offering_list,
)
from digitalnah.service import DigitalNah
from digitalnah.validate import MAX_MESSAGE_LENGTH
from homeoffice_bot.kernel.argtypes import RestText, shown
from homeoffice_bot.kernel.command_model import Arg, Command
from homeoffice_bot.kernel.commands import CommandContext
from homeoffice_bot.kernel.errors import CommandError, ParseError

_NUMBER = re.compile(r"#?([0-9]{1,9})")
_WAITING = (OfferingState.PENDING, OfferingState.CHANGES_REQUESTED)


@dataclass(frozen=True)
class OfferingNumber:
    """An offering's number: ``7`` or ``#7``."""

    greedy: ClassVar[bool] = False
    max_tokens: ClassVar[int] = 1

    def parse(self, token: str) -> int:
        match = _NUMBER.fullmatch(token.strip())
        if match is None or int(match.group(1)) == 0:
            raise ParseError("digitalnah.parse.number", value=shown(token))
        return int(match.group(1))

    def usage(self, lang: str) -> str:
        return "<no.>" if lang == "en" else "<Nr.>"


NUMBER = Arg("id", OfferingNumber(), label={"de": "Nr.", "en": "no."})
REASON = Arg(
    "reason",
    RestText(max_length=500),
    optional=True,
    label={"de": "Grund", "en": "reason"},
    multiline=True,
)
FIELDS = Arg(
    "fields",
    RestText(max_length=MAX_MESSAGE_LENGTH),
    optional=True,
    label={"de": "Feld: Wert …", "en": "field: value …"},
    multiline=True,
)


def _cmd(
    de: tuple[str, ...], en: tuple[str, ...], help_de: str, help_en: str, **kw: Any
) -> Command:
    return Command(names={"de": de, "en": en}, help={"de": help_de, "en": help_en}, **kw)


class OfferingCommands:
    def __init__(self, dn: DigitalNah, assistant: AssistantFlow) -> None:
        self.dn = dn
        self.assistant = assistant

    def declarations(self) -> list[Command]:
        def decision(action: Action) -> Any:
            async def handler(ctx: CommandContext, args: Mapping[str, Any]) -> None:
                await self.decide(ctx, action, int(args["id"]), str(args.get("reason") or ""))

            return handler

        subcommands = (
            _cmd(("neu",), ("new",), "Neues Angebot mit Zeilen „Feld: Wert“ einreichen.",
                 "Submit an offering with “field: value” lines.", handler=self.new,
                 args=(FIELDS,), examples={"de": ("angebot neu\nTitel: Online-Terminbuchung\n"
                                                  "Link: https://termine.example.org\n"
                                                  "Kategorie: Bürgerservice",),
                                           "en": ("offering new\nTitle: Online appointments\n"
                                                  "Link: https://termine.example.org\n"
                                                  "Category: Bürgerservice",)}),
            _cmd(("assistent",), ("assistant",), "Fragt im Direktchat Schritt für Schritt nach "
                 "einem neuen Angebot.", "Asks for a new offering step by step in a direct chat.",
                 handler=self.start_assistant),
            _cmd(("bearbeiten",), ("edit",), "Ändert Felder eines Angebots (Einreichende und "
                 "Moderation).", "Changes fields of an offering (submitter and moderators).",
                 handler=self.edit, args=(NUMBER, FIELDS)),
            _cmd(("freigeben",), ("approve",), "Gibt ein Angebot frei (Moderation).",
                 "Approves an offering (moderators).", handler=decision(Action.APPROVE),
                 args=(NUMBER,), examples={"de": ("angebot freigeben 3",),
                                              "en": ("offering approve 3",)}),
            _cmd(("ablehnen",), ("reject",), "Lehnt ein Angebot mit Grund ab (Moderation).",
                 "Rejects an offering, with a reason (moderators).",
                 handler=decision(Action.REJECT), args=(NUMBER, REASON),
                 examples={"de": ("angebot ablehnen 3 Gibt es schon als #2",),
                           "en": ("offering reject 3 Already listed as #2",)}),
            _cmd(("nachbessern",), ("changes", "request-changes"), "Bittet mit Grund um "
                 "Änderungen an einem Angebot (Moderation).", "Asks for changes to an offering, "
                 "with a reason (moderators).", handler=decision(Action.REQUEST_CHANGES),
                 args=(NUMBER, REASON),
                 examples={"de": ("angebot nachbessern 3 Bitte Kontakt angeben",),
                           "en": ("offering changes 3 Please add a contact",)}),
            _cmd(("zurückziehen", "zurueckziehen"), ("withdraw",), "Zieht ein Angebot zurück "
                 "(Einreichende und Moderation).", "Withdraws an offering (submitter and "
                 "moderators).", handler=decision(Action.WITHDRAW), args=(NUMBER,)),
            _cmd(("beenden",), ("end",), "Beendet ein Angebot, das es nicht mehr gibt "
                 "(Moderation).", "Ends an offering that no longer exists (moderators).",
                 handler=decision(Action.END), args=(NUMBER,)),
        )  # fmt: skip
        return [
            _cmd(("angebote",), ("offerings",), "Zeigt die veröffentlichten #DigitalNah-Angebote.",
                 "Lists the published #DigitalNah offerings.", handler=self.list),
            _cmd(("angebot",), ("offering",), "#DigitalNah-Angebote: zeigen, einreichen, "
                 "freigeben.", "#DigitalNah offerings: show, submit, approve.",
                 handler=self.show, args=(Arg("id", OfferingNumber(), optional=True,
                                              label={"de": "Nr.", "en": "no."}),),
                 subcommands=subcommands, examples={"de": ("angebot 3", "angebot assistent"),
                           "en": ("offering 3", "offering assistant")}),
        ]  # fmt: skip

    # ------------------------------------------------------------ reading

    async def list(self, ctx: CommandContext, args: Mapping[str, Any]) -> None:
        """``!angebote``: the published offerings, and the waiting ones the sender may see
        (their own, and those of rooms they moderate). Waiting ones that not everyone in
        the room may see go to the sender by direct message."""
        dn = self.dn
        approved = await dn.store.in_states([OfferingState.APPROVED])
        approved.sort(key=lambda o: o.approved_at or o.created_at, reverse=True)
        waiting = await dn.store.in_states(_WAITING)
        pending = [o for o in waiting if dn.may_see(ctx.sender, o)]
        here = [o for o in pending if self._readers_may_see(ctx, o)]
        url = dn.page_url()
        text = render_offering_list(approved, ctx.tr, pending=here, page_url=url)
        if here != pending:
            await self._by_dm(ctx, render_offering_list(approved, ctx.tr, pending=pending,
                                                        page_url=url))  # fmt: skip
            text += "\n\n" + ctx.tr("digitalnah.list.pending_by_dm")
        await ctx.reply(text)

    async def show(self, ctx: CommandContext, args: Mapping[str, Any]) -> None:
        """``!angebot N``: a published offering for everyone; who submitted it, its audit
        trail and any offering not published only for the submitter and its moderators,
        by direct message when others in the room may not see them."""
        if args.get("id") is None:
            await self.list(ctx, args)
            return
        dn = self.dn
        offering = await dn.visible_offering(int(args["id"]), ctx.sender)
        insider = dn.may_see(ctx.sender, offering)
        zone = await dn.ctx.rooms.timezone(ctx.room_id)

        async def detail(inside: bool) -> str:
            audit = await dn.store.audit(offering.id or 0) if inside else []
            users = [offering.submitter, *(entry.actor for entry in audit)] if inside else []
            return render_offering_detail(
                offering, ctx.tr, language=ctx.lang, zone=zone, audit=audit,
                names=dn.names(ctx.room_id, users), insider=inside,
            )  # fmt: skip

        if not insider or self._readers_may_see(ctx, offering):
            await ctx.reply(await detail(insider))
            return
        await self._by_dm(ctx, await detail(True))
        if dn.is_public(offering):
            public = await detail(False)
            await ctx.reply(public + "\n\n" + ctx.tr("digitalnah.detail.history_by_dm"))
        else:
            await ctx.reply(ctx.tr("digitalnah.detail.by_dm", id=offering.id))

    def _readers_may_see(self, ctx: CommandContext, offering: Offering) -> bool:
        """Whether everyone who reads an answer where the command was typed may see the
        offering's insides (its submitter, its history, the offering itself before it is
        published)."""
        if ctx.message.is_direct:
            return True
        me = ctx.matrix.user_id
        readers = [m for m in ctx.matrix.members(ctx.room_id) if m != me]
        return all(self.dn.may_see(reader, offering) for reader in readers)

    async def _by_dm(self, ctx: CommandContext, markdown: str) -> None:
        await ctx.outbox.dm(ctx.sender, markdown, urgent=True)  # it answers their command

    # ------------------------------------------------------------ submitting

    async def new(self, ctx: CommandContext, args: Mapping[str, Any]) -> None:
        text = args.get("fields")
        extracted = parse_field_lines(str(text)) if text else None
        if extracted is None or not extracted.values:
            await ctx.reply(ctx.tr("digitalnah.new.template"))
            return
        message = ctx.message
        source = Source(message.room_id, message.event_id)
        result = await self.dn.create(
            ctx.sender, extracted, message.server_ts, source, thread_root=message.thread_root
        )
        await self.dn.reply_draft(result, reply_to=message.event_id)

    async def start_assistant(self, ctx: CommandContext, args: Mapping[str, Any]) -> None:
        dm = await self.assistant.start(ctx.sender, ctx.room_id, ctx.message.server_ts)
        if dm != ctx.room_id:
            await ctx.reply(ctx.tr("digitalnah.error.dm_only"))

    async def edit(self, ctx: CommandContext, args: Mapping[str, Any]) -> None:
        dn = self.dn
        offering = await dn.visible_offering(int(args["id"]), ctx.sender)
        if ctx.sender != offering.submitter and not dn.may_moderate(ctx.sender, offering):
            raise CommandError("digitalnah.error.not_yours", id=offering.id)
        extracted = parse_field_lines(str(args.get("fields") or ""))
        if not extracted.values:
            await ctx.reply(ctx.tr("digitalnah.new.template"))
            return
        result = await dn.update(offering.id or 0, extracted, ctx.sender, ctx.message.server_ts)
        await dn.reply_draft(result)
        if not await self._in_thread(ctx, offering.id or 0):
            await ctx.reply(ctx.tr("digitalnah.edit.done", id=offering.id))

    # ------------------------------------------------------------ deciding

    async def decide(self, ctx: CommandContext, action: Action, number: int, reason: str) -> None:
        dn = self.dn
        offering, entry = await dn.decide(number, action, ctx.sender, ctx.message.server_ts, reason)
        if await self._in_thread(ctx, number):
            return
        told_here = (
            ctx.room_id == offering.source_room_id  # its thread there tells the room anyway
            or dn.is_public(offering)
            or self._readers_may_see(ctx, offering)
        )
        if not told_here:  # the thread has the details; here only a tick
            await ctx.outbox.react(ctx.room_id, ctx.message.event_id, "✅")
            return
        names = dn.names(ctx.room_id, [entry.actor, offering.submitter])
        text = render_moderation_message(entry, offering, ctx.tr, names=names)
        if text:
            await ctx.reply(text)

    async def _in_thread(self, ctx: CommandContext, number: int) -> bool:
        """True when the command was given in the offering's own thread (where the bot
        has just answered anyway)."""
        thread = await self.dn.store.thread_of(number)
        root = ctx.message.thread_root
        return thread is not None and root is not None and thread == (ctx.room_id, root)
