"""Finding a person by what someone typed: a name or user name among known members.
Pure functions; a full Matrix ID is read by ``argtypes.parse_user_id``.

``members_named("ben", names)`` looks at display names and at user names, the part of the
Matrix ID before the server (``@ben:example.org``), ignoring case: ``@ben`` is a user name,
"Ben Müller" a whole display name, "Ben" or "Müller" may be either a user name or a word of
a display name. Several matches are returned all, for the caller to ask which one is
meant — never guessed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from homeoffice_bot.kernel.argtypes import fold
from homeoffice_bot.kernel.ids import UserID


def localpart(user_id: str) -> str:
    """ "ben" of "@ben:example.org"."""
    return user_id.partition(":")[0].lstrip("@")


def members_named(typed: str, names: Mapping[UserID, str]) -> list[UserID]:
    """The members (user id -> display name) ``typed`` names, sorted by user id: with a
    leading ``@`` the one of that user name; else those of that whole display name; else
    everyone with that user name or with that word in their display name."""
    wanted = " ".join(fold(typed).lstrip("@").split())
    if not wanted:
        return []
    by_user_name = {u for u in names if fold(localpart(u)) == wanted}
    if typed.strip().startswith("@") and by_user_name:
        return sorted(by_user_name)
    whole = {u for u, name in names.items() if " ".join(fold(name).split()) == wanted}
    if whole:
        return sorted(whole)
    by_word = {u for u, name in names.items() if wanted in fold(name).split()}
    return sorted(by_user_name | by_word)


def either_or(items: Sequence[str], word: str) -> str:
    """ "A, B oder C" (``word`` is the language's "or"); "A" alone; "" for none."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {word} {items[-1]}"
