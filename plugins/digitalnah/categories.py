"""Finding the configured category a person meant: "Bildung", "#Mobilität", "mobilitaet", "3"."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from digitalnah.model import DEFAULT_CATEGORY_ALIASES

_FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_PART_SPLIT = re.compile(r"\s*(?:&|,|/|\+|\bund\b|\band\b)\s*", re.IGNORECASE)
_MIN_PREFIX = 3


def fold(text: str) -> str:
    """Case- and umlaut-insensitive key with only letters and digits: "Online-Verwaltung" ->
    "onlineverwaltung", "Mobilität" -> "mobilitaet"."""
    return _NON_ALNUM.sub("", text.casefold().translate(_FOLD))


def category_keys(category: str) -> tuple[str, ...]:
    """The folded names a category answers to: its full name and each part of it
    ("Bildung & Schule" -> "bildungschule", "bildung", "schule")."""
    keys = [fold(category)]
    for part in _PART_SPLIT.split(category):
        key = fold(part)
        if key and key not in keys:
            keys.append(key)
    return tuple(keys)


def resolve_category(
    text: str,
    categories: Sequence[str],
    aliases: Mapping[str, str] = DEFAULT_CATEGORY_ALIASES,
) -> str | None:
    """The configured category ``text`` names, or None when it names none or several.

    Matches, case- and umlaut-insensitively and ignoring punctuation and a leading ``#``:
    the full name, a part of the name ("Bildung"), an alias ("Verkehr"), or a unique prefix
    of at least three letters of a name or part ("Gesund").
    """
    key = fold(text)
    if not key:
        return None
    exact: list[str] = []
    prefixed: list[str] = []
    for category in categories:
        keys = category_keys(category)
        if key in keys:
            exact.append(category)
        elif len(key) >= _MIN_PREFIX and any(k.startswith(key) for k in keys):
            prefixed.append(category)
    if len(exact) == 1:
        return exact[0]
    if exact:
        return None
    by_alias = {fold(alias): target for alias, target in aliases.items() if target in categories}
    if key in by_alias:
        return by_alias[key]
    if len(prefixed) == 1:
        return prefixed[0]
    return None
