"""Live stand-ups (the call): time-box notices, agenda, call link (the speaking order is
``rotation``, the turns ``showrun``)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import quote, urlsplit

from homeoffice_bot.kernel.escaping import escape_markdown
from homeoffice_bot.kernel.i18n import plural
from homeoffice_bot.kernel.links import code_point, first_invisible, strip_invisible
from homeoffice_bot.standup.errors import StandupSettingError
from homeoffice_bot.standup.text import Translate, format_names, format_time

MAX_CALL_LINK = 500
_URL_SAFE = ":/?#[]@!$&'*+,;=%~-._"
"""Characters kept as typed in a call link; everything else (spaces, parentheses, quotes,
angle brackets) is percent-encoded so the link cannot break out of Markdown link syntax."""


@dataclass(frozen=True, slots=True)
class TimeboxNotice:
    at: datetime
    minutes_left: int
    """Minutes left in the window; 0 is the closing notice."""


def timebox_notices(
    kickoff: datetime, window_minutes: float, warn_minutes: Sequence[int] = (2,)
) -> tuple[TimeboxNotice, ...]:
    """When to post "noch 2 Minuten" and the closing notice, in time order.

    A warning is only given when it falls strictly inside the window.
    """
    closes = kickoff + timedelta(minutes=window_minutes)
    notices = [
        TimeboxNotice(closes - timedelta(minutes=minutes), minutes)
        for minutes in sorted(set(warn_minutes), reverse=True)
        if 0 < minutes < window_minutes
    ]
    notices.append(TimeboxNotice(closes, 0))
    return tuple(notices)


def validate_call_link(url: str) -> str:
    """An http(s) link to the call (Jitsi, BigBlueButton, …), safe to put into a Markdown
    link; raise ``StandupSettingError`` (a ``ValueError``) for anything else, such as a
    link with an invisible character inside (one around it is dropped)."""
    candidate = strip_invisible(strip_invisible(url).strip("<>"))
    at = first_invisible(candidate)
    if at is not None:
        raise StandupSettingError(
            "standup.error.call_link_invisible",
            f"invisible character {code_point(candidate[at])} in a call link",
            before=candidate[max(at - 40, 0) : at],
            code=code_point(candidate[at]),
        )
    parts = urlsplit(candidate) if len(candidate) <= MAX_CALL_LINK else None
    if (
        parts is None
        or parts.scheme.lower() not in ("http", "https")
        or not parts.hostname
        or re.search(r"[\s\x00-\x1f\x7f]", candidate)
    ):
        raise StandupSettingError(
            "standup.error.call_link",
            f"not an http(s) link: {url[:80]!r}",
            value=url[:80],
        )
    return quote(candidate, safe=_URL_SAFE)


def render_agenda(
    name: str,
    questions: Sequence[str],
    order: Sequence[str],
    call_link: str | None,
    closes_at: datetime,
    tz: str,
    tr: Translate,
    *,
    order_markdown: str | None = None,
    absent: Sequence[str] = (),
    top: Sequence[str] = (),
) -> str:
    """The live kickoff: call link, open actions of earlier rounds (``top``), agenda (the
    questions), speaking order and when the time box ends. ``order`` holds display names
    (named, not pinged); ``order_markdown``, when given, replaces them (mention tokens, to
    alert the speakers). ``absent``: display names of who is not there today.
    ``call_link`` must come from ``validate_call_link``."""
    lines = [tr("standup.live.title", name=escape_markdown(name))]
    if call_link is not None:
        lines.append(tr("standup.live.call_link", url=call_link))
    if top:
        lines.append("")
        lines.extend(top)
    lines.append("")
    lines.append(tr("standup.live.agenda"))
    lines.extend(
        f"{number}\\. {escape_markdown(question)}" for number, question in enumerate(questions, 1)
    )
    lines.append("")
    if order_markdown:
        lines.append(tr("standup.live.order", names=order_markdown))
    elif order:
        lines.append(tr("standup.live.order", names=format_names(order, tr)))
    if absent:
        lines.append(tr("standup.live.absent", names=format_names(absent, tr)))
    lines.append(tr("standup.live.until", time=format_time(closes_at, tz)))
    lines.append(tr("standup.live.notes_hint"))
    return "\n".join(lines)


def render_timebox_notice(notice: TimeboxNotice, tr: Translate) -> str:
    """ "⏳ Noch 2 Minuten." or the closing notice."""
    if notice.minutes_left == 0:
        return tr("standup.live.closed")
    minutes = notice.minutes_left
    return plural(tr, "standup.live.remaining", minutes, minutes=minutes)
