"""Links: permalinks into rooms, and what a web link typed by a person may not hide.
Pure functions.

Invisible characters
--------------------
A link copied from a document or a mail may carry characters nobody sees: zero-width
spaces and joiners, the soft hyphen, the word joiner, the byte-order mark, bidirectional
controls (which can make a link read differently than it goes), and the like — all of
Unicode's format characters (category Cf), and the Hangul fillers that show as blanks
(control characters such as a line break are refused as what they are).
A link ``https://exa<U+200B>mple.org/`` looks like example.org but is another address.
Every place that accepts a link refuses them inside it (``first_invisible``); around a
link they are only dropped (``strip_invisible``).

Permalinks
----------
``https://matrix.to/#/!room/$event?via=…``.

A room id alone does not tell a homeserver where to ask for the room; the ``via`` servers
do. Following the Matrix specification (appendix "Routing"), they are: the server of the
member with the highest power level (at least 50), then the servers with the most joined
members, at most three in all, IP address literals left out. The server in the room id
(rooms before version 12) fills a place still free. With them, a link opens for people on
other homeservers, and still after the person who wrote the message left.

Every feature builds such links through ``RoomState.event_link``, which passes the room's
current members here.
"""

from __future__ import annotations

import ipaddress
import unicodedata
from collections import Counter
from collections.abc import Mapping, Sequence
from urllib.parse import quote

from homeoffice_bot.kernel.ids import EventID, RoomID, UserID

MATRIX_TO = "https://matrix.to/#/"
MAX_VIA = 3
MIN_ROUTING_POWER = 50
"""Below this power level the highest-ranking member's server is not preferred."""


_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0")
"""Hangul fillers: letters (category Lo) that show as nothing."""


def is_invisible(char: str) -> bool:
    """True for a character that shows as nothing (see the module's docstring)."""
    return unicodedata.category(char) == "Cf" or char in _BLANK_LETTERS


def first_invisible(text: str) -> int | None:
    """The index of the first invisible character in ``text``, or None."""
    if text.isascii():  # no format character or Hangul filler is
        return None
    return next((i for i, char in enumerate(text) if is_invisible(char)), None)


def strip_invisible(text: str) -> str:
    """``text`` without invisible characters (and whitespace) at its start and end."""
    start, end = 0, len(text)
    while start < end and (text[start].isspace() or is_invisible(text[start])):
        start += 1
    while end > start and (text[end - 1].isspace() or is_invisible(text[end - 1])):
        end -= 1
    return text[start:end]


def code_point(char: str) -> str:
    """ "U+200B": how to name a character nobody can see."""
    return f"U+{ord(char):04X}"


def server_of(matrix_id: str) -> str | None:
    """The server name of ``@user:server`` or ``!room:server`` (None without one)."""
    _, sep, server = matrix_id.partition(":")
    return server if sep and server else None


def is_ip_literal(server: str) -> bool:
    """True for ``127.0.0.1``, ``[::1]:8448`` and the like: no name to route by."""
    host = server
    if host.startswith("["):
        host = host[1:].partition("]")[0]
    elif host.count(":") == 1:
        host = host.partition(":")[0]
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def via_servers(room_id: RoomID, members: Mapping[UserID, int], limit: int = MAX_VIA) -> list[str]:
    """Up to ``limit`` servers to reach ``room_id`` through; ``members`` are the joined
    members with their power levels."""
    popularity: Counter[str] = Counter()
    for user in members:
        server = server_of(user)
        if server is not None and not is_ip_literal(server):
            popularity[server] += 1
    by_popularity = sorted(popularity, key=lambda s: (-popularity[s], s))
    powerful = sorted(
        (-level, -popularity[server], server)
        for user, level in members.items()
        if level >= MIN_ROUTING_POWER
        and (server := server_of(user)) is not None
        and server in popularity
    )
    chosen = [powerful[0][2]] if powerful else []
    room_server = server_of(room_id)
    extra = [room_server] if room_server and not is_ip_literal(room_server) else []
    for server in [*by_popularity, *extra]:
        if len(chosen) >= limit:
            break
        if server not in chosen:
            chosen.append(server)
    return chosen


def event_link(room_id: RoomID, event_id: EventID, via: Sequence[str] = ()) -> str:
    """``https://matrix.to/#/<room>/<event>?via=a&via=b`` with the ids percent-encoded."""
    link = f"{MATRIX_TO}{quote(room_id, safe='')}/{quote(event_id, safe='')}"
    if via:
        link += "?" + "&".join(f"via={quote(server, safe='')}" for server in via)
    return link
