"""Handlers of !meine-daten (everything the bot keeps about oneself, from every component,
as one file by direct message) and !daten-löschen (delete it everywhere, after a
confirmation that is stored and so survives a restart)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from homeoffice_bot.kernel.commands import CommandContext
from homeoffice_bot.kernel.i18n import Translator, plural
from homeoffice_bot.kernel.ids import UserID
from homeoffice_bot.kernel.personal_data import (
    PERSONAL_DATA,
    Erasure,
    PersonalDataRegistry,
    build_export,
    count_rows,
    render_markdown,
)
from homeoffice_bot.workday.privacy import export_filename
from homeoffice_bot.workday.store import from_iso, iso

if TYPE_CHECKING:
    from homeoffice_bot.workday.service import Workday

EXPORT_MIMETYPE = "text/markdown"
FILE_TEXTS = ("title", "intro", "empty", "json")


class PrivacyCommands:
    def __init__(self, wd: Workday) -> None:
        self.wd = wd

    def _registry(self) -> PersonalDataRegistry:
        registry = self.wd.ctx.services.get(PERSONAL_DATA)
        assert registry is not None, "the host provides the personal data registry"
        return registry

    async def my_data(self, ctx: CommandContext, args: Mapping[str, Any]) -> None:
        wd = self.wd
        now = wd.event_time(ctx.message)
        registry = self._registry()
        export = build_export(ctx.sender, await registry.export(ctx.sender), now)
        tr = await wd.person_tr(ctx.sender)
        texts = {key: tr(f"personal_data.file.{key}") for key in FILE_TEXTS}
        titles = registry.titles(tr.lang)
        data = render_markdown(export, texts, titles).encode("utf-8")
        filename = export_filename(ctx.sender, now, tr)
        await wd.ctx.outbox.dm_file(ctx.sender, filename, data, EXPORT_MIMETYPE)
        counts = count_rows(export)
        parts = [
            plural(tr, "privacy.count", n, area=titles.get(component, {}).get("") or component)
            for component, n in counts.items() if n
        ]  # fmt: skip
        held = ", ".join(parts) if parts else tr("privacy.count.none")
        await wd.ctx.outbox.dm(ctx.sender, tr("privacy.export_sent", contents=held))
        if not ctx.message.is_direct:
            await ctx.reply(ctx.tr("privacy.export_by_dm"))

    async def delete_data(self, ctx: CommandContext, args: Mapping[str, Any]) -> None:
        now = self.wd.event_time(ctx.message)
        minutes = self.wd.settings.delete_confirm_minutes
        await self.wd.ctx.db.execute(
            "INSERT INTO workday_delete_requests(user_id, requested_at, expires_at)"
            " VALUES (?, ?, ?) ON CONFLICT(user_id) DO UPDATE SET"
            " requested_at = excluded.requested_at, expires_at = excluded.expires_at",
            (ctx.sender, iso(now), iso(now + timedelta(minutes=minutes))),
        )
        await ctx.reply(ctx.tr("privacy.delete_confirm", minutes=minutes))

    async def _take_request(self, user: UserID) -> datetime | None:
        """The pending request's deadline, removed (a confirmation is used once)."""
        async with self.wd.ctx.db.transaction() as tx:
            cursor = await tx.execute(
                "SELECT expires_at FROM workday_delete_requests WHERE user_id = ?", (user,)
            )
            row = await cursor.fetchone()
            await cursor.close()
            await tx.execute("DELETE FROM workday_delete_requests WHERE user_id = ?", (user,))
        return None if row is None else from_iso(row[0])

    async def confirm_delete(self, ctx: CommandContext, args: Mapping[str, Any]) -> None:
        now = self.wd.event_time(ctx.message)
        deadline = await self._take_request(ctx.sender)
        if deadline is None or now > deadline:
            await ctx.reply(ctx.tr("privacy.confirm_expired"))
            return
        erasure = await self._registry().forget(ctx.sender, ctx.lang)
        registry = self._registry()
        await ctx.reply(_deletion_reply(erasure, ctx.tr, lambda c: registry.title(c, ctx.lang)))


def _deletion_reply(erasure: Erasure, tr: Translator, title: Callable[[str], str]) -> str:
    lines = [tr("privacy.deleted" if erasure.total else "privacy.nothing")]
    if erasure.failed:
        names = ", ".join(title(c) for c in erasure.failed)
        lines.append(tr("privacy.delete_failed", areas=names))
    stays = [line for component_stays in erasure.stays.values() for line in component_stays]
    if stays:
        lines.append(tr("privacy.stays"))
        lines.extend(f"- {line}" for line in stays)
    return "\n".join(lines)
