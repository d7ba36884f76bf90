"""Who a stand-in typed in ``!urlaub … vertretung …`` is. Pure.

A stand-in is a person: a full Matrix ID (``@ben:example.org``, also someone outside the
team room), or a member of the team room named by display name or user name (``Ben``,
``Ben Müller``, ``@ben``). ``@room`` is the whole room, the bot cannot stand in, nobody
stands in for themselves; a name that fits several members is asked about, one that fits
nobody is answered with an example. Each refusal is a ``CommandError`` of the workday
catalogue (``workday.error.stand_in_*``).
"""

from __future__ import annotations

from collections.abc import Mapping

from homeoffice_bot.kernel.argtypes import parse_user_id
from homeoffice_bot.kernel.errors import CommandError, ParseError
from homeoffice_bot.kernel.ids import UserID
from homeoffice_bot.kernel.people import either_or, members_named

ROOM_MENTION = "@room"


def resolve_stand_in(
    typed: str, sender: UserID, bot: UserID, members: Mapping[UserID, str], *, or_word: str
) -> UserID:
    """The stand-in ``typed`` names; ``members`` are the team room's members (user id ->
    display name). Raises ``CommandError`` with ``text`` (as typed) and, for several
    matches, ``options`` ("Ben Müller (@ben:a.example) oder Ben Schulz (@bens:b.example)",
    joined with ``or_word``)."""
    text = typed.strip().rstrip(",;.")
    if text.casefold() == ROOM_MENTION:
        raise CommandError("workday.error.stand_in_room", text=text)
    others = {u: n for u, n in members.items() if u != bot}
    user = _full_id(text) or _member(text, others, or_word)
    if user == sender:
        raise CommandError("workday.error.stand_in_self")
    if user == bot:
        raise CommandError("workday.error.stand_in_bot")
    return user


def _full_id(text: str) -> UserID | None:
    if ":" not in text:
        return None
    try:
        return parse_user_id(text if text.startswith("@") else "@" + text)
    except ParseError:
        raise CommandError("workday.error.stand_in_unknown", text=text) from None


def _member(text: str, members: Mapping[UserID, str], or_word: str) -> UserID:
    found = members_named(text, members)
    if not found:
        raise CommandError("workday.error.stand_in_unknown", text=text)
    if len(found) > 1:
        options = either_or([f"{members[u]} ({u})" for u in found], or_word)
        raise CommandError("workday.error.stand_in_ambiguous", text=text, options=options)
    return found[0]
