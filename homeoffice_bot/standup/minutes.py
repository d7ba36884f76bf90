"""Minutes of a live stand-up: decisions, actions and blockers out of the thread's notes.

A note line that starts with a keyword and a colon belongs to a section:

- "Entscheidung:", "Beschluss:", "Decision:"                 -> decisions
- "Aufgabe:", "ToDo:", "To-do:", "Action:"                   -> actions, optionally with
  a person (a mention, i.e. the Matrix ID in the plain text) and a date ("bis 4.12.",
  "bis morgen", "by 2026-12-04")
- "Blocker:", "Hindernis:"                                    -> blockers (marked in words
  and counted in the summary like written ones)

Everything else stays a plain note of the minutes. Pure functions; ``render_minutes``
gives the report's Markdown.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime

from homeoffice_bot.kernel.dateargs import parse_date
from homeoffice_bot.kernel.errors import ParseError
from homeoffice_bot.kernel.i18n import plural
from homeoffice_bot.kernel.ids import USER_ID

Translate = Callable[..., str]
Escape = Callable[[str], str]


class Kind(enum.StrEnum):
    DECISION = "decision"
    ACTION = "action"
    BLOCKER = "blocker"


KEYWORDS: dict[str, Kind] = {
    "entscheidung": Kind.DECISION,
    "beschluss": Kind.DECISION,
    "decision": Kind.DECISION,
    "aufgabe": Kind.ACTION,
    "todo": Kind.ACTION,
    "to-do": Kind.ACTION,
    "action": Kind.ACTION,
    "blocker": Kind.BLOCKER,
    "hindernis": Kind.BLOCKER,
}
_KEYWORD_RE = re.compile(
    r"^\s*[-*•]?\s*(" + "|".join(re.escape(k) for k in KEYWORDS) + r")\s*:\s*(.*)$",
    re.IGNORECASE,
)
_USER_RE = re.compile(USER_ID)
_DUE_RE = re.compile(r"\b(?:bis|until|by|due)\s+(\S+)\s*$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Item:
    kind: Kind
    text: str
    """The line after the keyword, owner and date taken out."""
    author: str
    """User id of who wrote the note."""
    note_event_id: str
    line: int
    posted_at: datetime
    owner: str | None = None
    """User id of who does the action (``@person`` in the line)."""
    due: date | None = None
    late: bool = False
    """Written after the round had closed."""
    author_name: str = ""
    owner_name: str | None = None


def item_of(
    line: str, *, author: str, event_id: str, number: int, posted_at: datetime, today: date
) -> Item | None:
    """The minutes item a note line is, or None for a plain line."""
    match = _KEYWORD_RE.match(line)
    if match is None or not match.group(2).strip():
        return None
    kind, text = KEYWORDS[match.group(1).casefold()], match.group(2).strip()
    owner: str | None = None
    due: date | None = None
    if kind is Kind.ACTION:
        user = _USER_RE.search(text)
        if user is not None:
            owner = user.group(0)
            text = (text[: user.start()] + text[user.end() :]).strip(" ,:;")
        when = _DUE_RE.search(text)
        if when is not None:
            due = _due(when.group(1), today)
            if due is not None:
                text = text[: when.start()].strip(" ,:;–-")
    text = " ".join(text.split())
    return Item(kind, text or match.group(2).strip(), author, event_id, number, posted_at,
                owner, due)  # fmt: skip


def _due(token: str, today: date) -> date | None:
    token = token.rstrip(",;!")
    for candidate in (token, token.rstrip(".")):
        try:
            return parse_date(candidate).resolve(today, future=True)
        except ParseError:
            continue
    return None


def items_of(
    text: str, *, author: str, event_id: str, posted_at: datetime, today: date, late: bool = False
) -> tuple[list[Item], list[str]]:
    """A note's minutes items and its remaining plain lines."""
    items: list[Item] = []
    plain: list[str] = []
    for number, line in enumerate(text.splitlines()):
        if not line.strip():
            continue
        item = item_of(
            line, author=author, event_id=event_id, number=number, posted_at=posted_at,
            today=today,
        )  # fmt: skip
        if item is None:
            plain.append(line)
        else:
            items.append(replace(item, late=late))
    return items, plain


def user_ids_in(text: str) -> list[str]:
    """The Matrix IDs a note names (owners of actions)."""
    return list(dict.fromkeys(m.group(0) for m in _USER_RE.finditer(text)))


def is_minutes_note(text: str) -> bool:
    """A message whose first line is a decision or an action: in ``beides`` it goes to
    the minutes, not into the person's written answer."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    match = _KEYWORD_RE.match(first)
    return match is not None and KEYWORDS[match.group(1).casefold()] is not Kind.BLOCKER


@dataclass(frozen=True, slots=True)
class OpenAction:
    """An action of an earlier round not yet ticked off."""

    id: int
    text: str
    owner: str | None
    due: date | None
    day: date


def describe_action(
    text: str, owner_name: str | None, due: date | None, tr: Translate, escape: Escape
) -> str:
    """ "Angebot prüfen – Ben, bis 04.12." (the owner's name and the date when known)."""
    parts = [escape(text)]
    extra: list[str] = []
    if owner_name:
        extra.append(escape(owner_name))
    if due is not None:
        extra.append(tr("standup.minutes.due", date=f"{due.day:02d}.{due.month:02d}."))
    if extra:
        parts.append(", ".join(extra))
    return " – ".join(parts)


def render_minutes(items: Sequence[Item], tr: Translate, escape: Escape) -> list[str]:
    """The decisions, actions and blockers sections (empty sections left out)."""
    out: list[str] = []
    for kind, title in (
        (Kind.DECISION, "standup.minutes.decisions"),
        (Kind.ACTION, "standup.minutes.actions"),
        (Kind.BLOCKER, "standup.minutes.blockers"),
    ):
        chosen = sorted((i for i in items if i.kind is kind), key=lambda i: i.posted_at)
        if not chosen:
            continue
        out.extend([tr(title, count=len(chosen)), ""])
        for item in chosen:
            if kind is Kind.ACTION:
                line = describe_action(item.text, item.owner_name, item.due, tr, escape)
            elif kind is Kind.BLOCKER:
                line = tr("standup.minutes.blocker_item", text=f"**{escape(item.text)}**")
            else:
                line = escape(item.text)
            line += f" ({escape(item.author_name or item.author)})"
            if item.late:
                line += " " + tr("standup.minutes.late")
            out.append(f"- {line}")
        out.append("")
    return out


def render_open_actions(
    actions: Sequence[OpenAction], names: Mapping[str, str], tr: Translate, escape: Escape
) -> list[str]:
    """ "Offen von gestern" for the top of a kickoff."""
    if not actions:
        return []
    out = [tr("standup.minutes.open_title", count=len(actions))]
    for action in actions:
        owner = names.get(action.owner, action.owner) if action.owner else None
        out.append(f"- {describe_action(action.text, owner, action.due, tr, escape)}")
    out.append(tr("standup.minutes.open_hint"))
    return out


def minutes_blockers(items: Sequence[Item]) -> int:
    return sum(1 for item in items if item.kind is Kind.BLOCKER)


def notes_summary(notes: Sequence[tuple[str, str]], items: Sequence[Item], tr: Translate) -> str:
    """ "3 Notizen von 2 Personen" for the report's summary line; ``notes`` are the plain
    notes as (event id, author), the minutes items' messages count too."""
    messages = {event_id for event_id, _ in notes} | {item.note_event_id for item in items}
    people = {author for _, author in notes} | {item.author for item in items}
    count = len(messages)
    noun = plural(tr, "standup.report.summary.notes", count)
    whom = plural(tr, "standup.report.summary.note_people", len(people), people=len(people))
    return tr("standup.report.summary.notes_by", notes=noun, people=whom)
