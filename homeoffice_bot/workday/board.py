"""The team board (one message per room and day, kept current) and the next-morning digest.

Both return Markdown for the kernel's renderer; all user text is escaped. Private
away notes never reach the board: ``board_entry`` only takes a note the person shared. The
board shows the present only: each person's state, in alphabetical order by name (a line
never moves because a state changed), and nothing of Matrix presence (an open client is
not a person at work).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from homeoffice_bot.kernel.escaping import escape_line as escape_markdown
from homeoffice_bot.kernel.i18n import plural
from homeoffice_bot.kernel.localtime import as_utc, local_date
from homeoffice_bot.workday.buttons import choices_text
from homeoffice_bot.workday.states import Presence, PresenceState
from homeoffice_bot.workday.texts import (
    Translate,
    excerpt,
    format_date,
    format_time,
    format_until,
    format_when,
)


@dataclass(frozen=True)
class BoardEntry:
    name: str
    """Display name (escaped when rendered)."""
    state: PresenceState
    until: datetime | None = None
    stand_in: str | None = None
    """The stand-in's display name (leave only)."""
    note: str | None = None
    """A note the person chose to share; never a private one."""
    leave_to: date | None = None
    user_id: str = ""
    """Orders people of the same name."""


def board_entry(
    name: str, presence: Presence, stand_in_name: str | None = None, user_id: str = ""
) -> BoardEntry:
    """A board line from a resolved presence; only a shared note is carried over."""
    return BoardEntry(
        name=name,
        state=presence.state,
        until=presence.until,
        stand_in=stand_in_name if presence.state is PresenceState.LEAVE else None,
        note=presence.shared_note,
        leave_to=presence.leave_to,
        user_id=user_id,
    )


def status_text(entry: BoardEntry, now: datetime, tz: str, tr: Translate) -> str:
    """``☕ Pause bis 12:30``, ``🏖️ Urlaub bis 23.08. — Vertretung: Anna`` …"""
    state = entry.state
    if state in (PresenceState.BREAK, PresenceState.AWAY):
        if entry.until is None:
            return tr(f"board.{state.value}")
        return tr(f"board.{state.value}_until", until=format_until(entry.until, now, tz, tr))
    if state is PresenceState.LEAVE:
        last = entry.leave_to
        if last is None and entry.until is not None:
            last = local_date(entry.until - timedelta(microseconds=1), tz)
        text = (
            tr("board.leave")
            if last is None
            else tr("board.leave_until", date=format_date(last, tr))
        )
        if entry.stand_in:
            text += tr("board.stand_in", name=escape_markdown(entry.stand_in))
        return text
    return tr(f"board.{state.value}")


def board_order(entry: BoardEntry) -> tuple[str, str, str]:
    """Alphabetical by display name, ignoring case; the same names by user id."""
    return (entry.name.casefold(), entry.name, entry.user_id)


def render_board(entries: Iterable[BoardEntry], now: datetime, tz: str, tr: Translate) -> str:
    """The board as Markdown: one line per person, in alphabetical order, then what each
    of the bot's reactions under it means, in words."""
    ordered = sorted(entries, key=board_order)
    lines = [tr("board.title", time=format_time(now, tz)), ""]
    if not ordered:
        lines.append(tr("board.empty"))
    for entry in ordered:
        line = tr(
            "board.line",
            name=escape_markdown(entry.name),
            status=status_text(entry, now, tz, tr),
        )
        if entry.note:
            line += tr("board.note", note=escape_markdown(entry.note))
        lines.append(line)
    lines += ["", choices_text(tr), tr("board.footer")]
    return "\n".join(lines)


def render_status(
    name: str,
    presence: Presence,
    now: datetime,
    tz: str,
    tr: Translate,
    stand_in_name: str | None = None,
    own: bool = False,
) -> str:
    """``!status @x`` (only the current state, never history or hours) or ``!status`` for
    oneself with ``own=True``."""
    entry = board_entry(name, presence, stand_in_name)
    text = status_text(entry, now, tz, tr)
    if entry.note:
        text += tr("board.note", note=escape_markdown(entry.note))
    if own:
        return tr("status.own", status=text)
    return tr("status.other", name=escape_markdown(name), status=text)


# --- digest ---------------------------------------------------------------------------


@dataclass(frozen=True)
class MentionItem:
    """A message that mentioned the person while they were not at work."""

    sender_name: str
    room_name: str
    link: str
    """The message's matrix.to link (``RoomState.event_link``)."""
    text: str
    at: datetime


def digest_markdown(
    items: Sequence[MentionItem], now: datetime, tz: str, tr: Translate
) -> str | None:
    """The DM for the next start: who wrote where, an excerpt and a link, oldest first.

    ``None`` when there is nothing to hand over.
    """
    if not items:
        return None
    lines = [plural(tr, "digest.title", len(items)), ""]
    for item in sorted(items, key=lambda i: as_utc(i.at)):
        lines.append(
            tr(
                "digest.line",
                when=format_when(item.at, now, tz, tr),
                sender=escape_markdown(item.sender_name),
                room=escape_markdown(item.room_name),
                excerpt=escape_markdown(excerpt(item.text)),
                link=item.link,
            )
        )
    return "\n".join(lines)


def render_wrapup_handback(answer: str, tr: Translate) -> str:
    """At the next start: the answer to the wrap-up question, handed back."""
    return tr("wrapup.handback", answer=escape_markdown(excerpt(answer, 1000)))
