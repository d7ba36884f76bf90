"""The one morning message: what a person hears at the start of their day.

After ``!moin`` (or plain words, or a tap on the board) the confirmation is this message:
the greeting, the day's hours ("Heute bis 17:00 Uhr."), yesterday's wrap-up answer handed
back, the mentions collected while off and the rest-time note, in that order, each part
only when it has something. What the delivery gate held back follows on its own.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from homeoffice_bot.workday.texts import Translate, format_time


@dataclass(frozen=True)
class MorningParts:
    """The parts of a morning message as Markdown (None: nothing to say)."""

    hours: str | None = None
    handback: str | None = None
    digest: str | None = None
    rest: str | None = None


def hours_line(end: datetime | None, now: datetime, tz: str, tr: Translate) -> str | None:
    """``Heute bis 17:00 Uhr.`` while the day's working hours are still ahead; else None."""
    if end is None or end <= now:
        return None
    return tr("morning.hours", end=format_time(end, tz))


def compose(parts: MorningParts, greeting: str | None = None) -> str | None:
    """The message: the greeting (when given) with the day's hours in its sentence, then
    the other parts that have something, one paragraph each; None when there is
    nothing at all."""
    first = " ".join(p.strip() for p in (greeting, parts.hours) if p and p.strip())
    return join_paragraphs([first, parts.handback, parts.digest, parts.rest])


def join_paragraphs(blocks: Iterable[str | None]) -> str | None:
    kept = [block.strip() for block in blocks if block and block.strip()]
    return "\n\n".join(kept) if kept else None
