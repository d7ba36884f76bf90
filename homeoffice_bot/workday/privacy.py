"""Privacy helpers: retention cut-offs, the name of the export file, and the workday's
part of a person's export and deletion (``homeoffice_bot.kernel.personal_data``).

The workday stores only what its features need (see docs/privacy.md); presence history
is kept for a configurable number of days and purged daily.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from homeoffice_bot.kernel.ids import UserID
from homeoffice_bot.kernel.localtime import as_utc
from homeoffice_bot.kernel.personal_data import Rows, catalogue_titles
from homeoffice_bot.workday.store_privacy import EXPORT_QUERIES

if TYPE_CHECKING:
    from homeoffice_bot.workday.service import Workday

DEFAULT_RETENTION_DAYS = 30


def purge_cutoff(now: datetime, days: int = DEFAULT_RETENTION_DAYS) -> datetime:
    """Rows older than this instant (UTC) are deleted by the daily purge."""
    if days < 1:
        raise ValueError("retention must be at least one day")
    return as_utc(now) - timedelta(days=days)


def export_filename(user: UserID, now: datetime, tr: Callable[..., str]) -> str:
    """``meine-daten-alice-2024-08-09.md`` (the localpart only, filesystem-safe)."""
    local = user.lstrip("@").split(":", 1)[0]
    safe = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in local) or "user"
    return tr("privacy.export_filename", name=safe, day=f"{as_utc(now):%Y-%m-%d}")


class WorkdayPersonalData:
    """The workday's rows about a person: profile, status, leave, work events, reminders,
    collected mentions, end-of-day notes. Deleting them takes the person off every board."""

    def __init__(self, wd: Workday) -> None:
        self.wd = wd

    async def export_person(self, user: UserID) -> Mapping[str, Rows]:
        return await self.wd.privacy.export(user)

    async def forget_person(self, user: UserID) -> int:
        changed = await self.wd.privacy.delete_person(user)
        await self.wd.board.refresh_for(user)
        await self.wd.jobs.reschedule(user)
        return changed

    def what_stays(self, lang: str) -> Sequence[str]:
        return ()

    def titles(self, lang: str) -> Mapping[str, str]:
        sections = [*EXPORT_QUERIES]
        return catalogue_titles(self.wd.ctx.catalogue, lang, "privacy.title", sections)
