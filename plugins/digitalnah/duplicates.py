"""Spotting an offering that is probably already known: the same link, or a nearly
identical title. A hint for people, never a block."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from urllib.parse import parse_qsl, urlencode, urlsplit

from digitalnah.model import Field, Offering, OfferingState, Problem

TITLE_SIMILARITY = 0.9
"""difflib ratio of normalised titles from which two titles count as near-identical."""

_IGNORED_STATES = frozenset({OfferingState.REJECTED, OfferingState.WITHDRAWN})
_TRACKING_PARAMS = re.compile(r"^(utm_\w+|fbclid|gclid|mc_cid|mc_eid)$", re.IGNORECASE)
_FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
_NON_WORD = re.compile(r"[^0-9a-z]+")
_DEFAULT_PORTS = {"http": 80, "https": 443}


def normalise_link(url: str) -> str:
    """A comparison key for links: no scheme, lower-case host without ``www.`` and default
    port, no trailing slash, no fragment, no tracking parameters, sorted query."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return url.strip().casefold()
    host = (parts.hostname or "").removeprefix("www.")
    if port is not None and port != _DEFAULT_PORTS.get(parts.scheme.lower()):
        host = f"{host}:{port}"
    query = sorted(
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not _TRACKING_PARAMS.match(k)
    )
    path = parts.path.rstrip("/")
    return host + path + ("?" + urlencode(query) if query else "")


def normalise_title(title: str) -> str:
    """Lower case, umlauts spelled out, punctuation dropped, single spaces."""
    return " ".join(_NON_WORD.sub(" ", title.casefold().translate(_FOLD)).split())


def titles_match(a: str, b: str, threshold: float = TITLE_SIMILARITY) -> bool:
    left, right = normalise_title(a), normalise_title(b)
    if not left or not right:
        return False
    return left == right or difflib.SequenceMatcher(None, left, right).ratio() >= threshold


def duplicate_problems(
    candidate: Offering, existing: Iterable[Offering], threshold: float = TITLE_SIMILARITY
) -> list[Problem]:
    """Hints about offerings in ``existing`` (other than the candidate itself, and not
    rejected or withdrawn) with the same link or a near-identical title. Keys
    ``digitalnah.problem.duplicate_link`` / ``duplicate_title``, params ``id`` and ``title``
    of the other offering."""
    link_key = normalise_link(candidate.link) if candidate.link else ""
    problems: list[Problem] = []
    for other in existing:
        if other.state in _IGNORED_STATES or other is candidate:
            continue
        if candidate.id is not None and other.id == candidate.id:
            continue
        params = {"id": other.id if other.id is not None else "", "title": other.title}
        if link_key and other.link and normalise_link(other.link) == link_key:
            problems.append(Problem(Field.LINK, "digitalnah.problem.duplicate_link", params))
        elif candidate.title and titles_match(candidate.title, other.title, threshold):
            problems.append(Problem(Field.TITLE, "digitalnah.problem.duplicate_title", params))
    return problems
