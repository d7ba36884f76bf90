"""Checking offerings: turning typed text into field values, and what is missing or wrong.

Required fields: title, link and category — what a page visitor needs to find the service
and what the one-line chat message ("Neu: Online-Terminbuchung fürs Bürgerbüro https://…
#DigitalNah") plus a category gives. The description is optional but asked for (a
hint in the draft reply, a step in the assistant); provider, target group, availability
date, contact and tags are optional. Feeds fall back to the title where they need text.

Problems are ``Problem(field, i18n key, params)``; the params never contain the ``field``
placeholder, the reply renderer adds it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit

from digitalnah.categories import resolve_category
from digitalnah.model import DEFAULT_CATEGORY_ALIASES, Field, Offering, Problem
from homeoffice_bot.kernel import dateargs
from homeoffice_bot.kernel.errors import ParseError
from homeoffice_bot.kernel.links import code_point, first_invisible, strip_invisible

REQUIRED_FIELDS: tuple[Field, ...] = (Field.TITLE, Field.LINK, Field.CATEGORY)

MAX_LENGTHS: Mapping[Field, int] = {
    Field.TITLE: 120,
    Field.DESCRIPTION: 1000,
    Field.LINK: 2000,
    Field.CATEGORY: 80,
    Field.PROVIDER: 120,
    Field.TARGET_GROUP: 120,
    Field.CONTACT: 200,
}
MAX_MESSAGE_LENGTH = 5000
"""The longest message the plugin reads as a tip, a completing reply, an edit or
``!angebot neu``: room for every field at its longest. A longer one changes nothing and
gets ``message_too_long`` as its answer (never silence: the bot's reply quoting it would
be too large for the homeserver)."""
MIN_TITLE_LENGTH = 3
MAX_TAGS = 10
MAX_TAG_LENGTH = 40
MULTILINE_FIELDS: frozenset[Field] = frozenset({Field.DESCRIPTION})

ALLOWED_SCHEMES = ("http", "https")
_SHOWN_VALUE_LENGTH = 80
_URL_FORBIDDEN = re.compile(r'[\s"<>\\`^{}|]')
"""Whitespace and what RFC 3986 does not allow anywhere in a URL."""
_BIDI_CONTROLS = "\u202a-\u202e\u2066-\u2069"
"""Bidirectional embeddings, overrides and isolates (as a character-class range)."""
_CONTROL = "\x00-\x08\x0b-\x1f\x7f-\x9f"
"""Unicode's control characters (category Cc) except tab (U+0009) and newline (U+000A)."""
_UNSAFE_IN_LINE = re.compile(f"[\t\n{_CONTROL}{_BIDI_CONTROLS}]")
_UNSAFE_IN_TEXT = re.compile(f"[{_CONTROL}{_BIDI_CONTROLS}]")
_TAG_SPLIT_LIST = re.compile(r"[,;]")

FieldValue = str | date | tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ParsedField:
    """A typed field value, or the problems that kept the text from becoming one."""

    value: FieldValue | None
    problems: tuple[Problem, ...] = ()


def shown(value: str) -> str:
    """A user's value shortened for quoting it back in a reply."""
    value = " ".join(value.split())
    if len(value) <= _SHOWN_VALUE_LENGTH:
        return value
    return value[: _SHOWN_VALUE_LENGTH - 1] + "…"


def has_control_chars(text: str, *, multiline: bool = False) -> bool:
    """True for control characters (other than newline/tab in multi-line fields) and
    bidirectional overrides that could disguise text."""
    return (_UNSAFE_IN_TEXT if multiline else _UNSAFE_IN_LINE).search(text) is not None


def without_control_chars(text: str) -> str:
    """``text`` without what ``has_control_chars(text, multiline=True)`` finds: control
    characters other than newline and tab, and bidirectional overrides."""
    return _UNSAFE_IN_TEXT.sub("", text)


def message_length_problem(text: str, *, reply: bool = False) -> Problem | None:
    """The length message for a message longer than ``MAX_MESSAGE_LENGTH`` (a tip, or with
    ``reply`` a reply that completes a draft), else None."""
    if len(text) <= MAX_MESSAGE_LENGTH:
        return None
    key = "digitalnah.problem.reply_too_long" if reply else "digitalnah.problem.message_too_long"
    return Problem("", key, {"length": len(text), "max": MAX_MESSAGE_LENGTH})


def clipped(value: str, limit: int) -> str:
    """``value`` cut to ``limit`` characters (``…`` at the end when cut), for showing a value
    that is too long without repeating all of it."""
    return value if len(value) <= limit else value[: limit - 1] + "…"


def link_problem(raw: str) -> Problem | None:
    """Why ``raw`` is not an acceptable link, or None when it is."""
    text = raw.strip()
    if not text:
        return Problem(Field.LINK, "digitalnah.problem.missing")
    at = first_invisible(text)
    if at is not None:
        before = text[:at] if at <= _SHOWN_VALUE_LENGTH else "…" + text[at - 40 : at]
        params = {"before": before, "code": code_point(text[at])}
        return Problem(Field.LINK, "digitalnah.problem.link_invisible", params)
    scheme, sep, _ = text.partition(":")
    if not sep or scheme.lower() not in ALLOWED_SCHEMES:
        return Problem(Field.LINK, "digitalnah.problem.link_scheme", {"value": shown(text)})
    if (
        _URL_FORBIDDEN.search(text)
        or has_control_chars(text)
        or len(text) > MAX_LENGTHS[Field.LINK]
    ):
        return Problem(Field.LINK, "digitalnah.problem.link_invalid", {"value": shown(text)})
    try:
        parts = urlsplit(text)
        hostname = parts.hostname
        _ = parts.port
    except ValueError:
        return Problem(Field.LINK, "digitalnah.problem.link_invalid", {"value": shown(text)})
    if not hostname or not text[len(scheme) + 1 :].startswith("//"):
        return Problem(Field.LINK, "digitalnah.problem.link_invalid", {"value": shown(text)})
    if parts.username is not None or parts.password is not None:
        return Problem(Field.LINK, "digitalnah.problem.link_credentials", {"value": shown(text)})
    return None


def _unwrap(raw: str) -> str:
    """The link without ``<…>`` and without what is invisible around it."""
    text = strip_invisible(raw)
    if text.startswith("<") and text.endswith(">"):
        text = strip_invisible(text[1:-1])
    return text


def parse_link(raw: str) -> str | None:
    """The cleaned link (``<…>`` and invisible characters around it removed, scheme
    lower-cased) if it is an http(s) URL without whitespace, invisible characters or
    credentials; else None."""
    text = _unwrap(raw)
    if link_problem(text) is not None:
        return None
    scheme, _, rest = text.partition(":")
    return scheme.lower() + ":" + rest


def parse_date(raw: str) -> date | None:
    """A date with its year in any form of the kernel's date grammar ("1.3.2025",
    "1.3.25", "2025-03-01", "1. März 2025"); else None. A date since when something is
    available needs its year: "1.3." could be this year's or last year's."""
    try:
        spec = dateargs.parse_date(raw)
        if isinstance(spec, dateargs.CalendarDate) and spec.year is not None:
            return spec.in_year(spec.year)
    except ParseError:
        return None
    return None


def parse_tags(raw: str) -> tuple[str, ...]:
    """Tags from "a, b; c" (lists may contain spaces) or "#a #b c"; ``#`` dropped,
    duplicates (case-insensitive) removed, order kept."""
    pieces = _TAG_SPLIT_LIST.split(raw) if _TAG_SPLIT_LIST.search(raw) else raw.split()
    tags: list[str] = []
    seen: set[str] = set()
    for piece in pieces:
        tag = " ".join(piece.strip().lstrip("#").split())
        if tag and tag.casefold() not in seen:
            seen.add(tag.casefold())
            tags.append(tag)
    return tuple(tags)


def _text_problems(which: Field, value: str) -> list[Problem]:
    problems: list[Problem] = []
    if has_control_chars(value, multiline=which in MULTILINE_FIELDS):
        problems.append(Problem(which, "digitalnah.problem.control_chars"))
    limit = MAX_LENGTHS.get(which)
    if limit is not None and len(value) > limit:
        problems.append(
            Problem(which, "digitalnah.problem.too_long", {"max": limit, "length": len(value)})
        )
    if which is Field.TITLE and value and len(value) < MIN_TITLE_LENGTH:
        problems.append(Problem(which, "digitalnah.problem.too_short", {"min": MIN_TITLE_LENGTH}))
    return problems


def _tag_problems(tags: Sequence[str]) -> list[Problem]:
    problems: list[Problem] = []
    if len(tags) > MAX_TAGS:
        problems.append(Problem(Field.TAGS, "digitalnah.problem.too_many_tags", {"max": MAX_TAGS}))
    for tag in tags:
        if len(tag) > MAX_TAG_LENGTH:
            problems.append(
                Problem(
                    Field.TAGS,
                    "digitalnah.problem.tag_too_long",
                    {"tag": shown(tag), "max": MAX_TAG_LENGTH},
                )
            )
        if has_control_chars(tag):
            problems.append(Problem(Field.TAGS, "digitalnah.problem.control_chars"))
    return problems


def categories_text(categories: Sequence[str]) -> str:
    return ", ".join(categories)


def parse_field(
    which: Field,
    raw: str,
    *,
    categories: Sequence[str],
    aliases: Mapping[str, str] = DEFAULT_CATEGORY_ALIASES,
) -> ParsedField:
    """Turn typed text into the field's value: a cleaned string, a ``date`` for
    available_since, a tuple for tags. Empty text gives ``ParsedField("")`` (clears an
    optional field). Length and character problems come back with the value; a link,
    date or category that cannot be understood gives no value."""
    text = raw.strip() if which in MULTILINE_FIELDS else " ".join(raw.split())
    if not text:
        return ParsedField(() if which is Field.TAGS else "")
    if which is Field.LINK:
        problem = link_problem(_unwrap(text))
        if problem is not None:
            return ParsedField(None, (problem,))
        return ParsedField(parse_link(text))
    if which is Field.AVAILABLE_SINCE:
        day = parse_date(text)
        if day is None:
            return ParsedField(
                None, (Problem(which, "digitalnah.problem.date_invalid", {"value": shown(text)}),)
            )
        return ParsedField(day)
    if which is Field.CATEGORY:
        category = resolve_category(text, categories, aliases)
        if category is None:
            params = {"value": shown(text), "categories": categories_text(categories)}
            return ParsedField(
                None, (Problem(which, "digitalnah.problem.category_unknown", params),)
            )
        return ParsedField(category)
    if which is Field.TAGS:
        tags = parse_tags(text)
        return ParsedField(tags, tuple(_tag_problems(tags)))
    return ParsedField(text, tuple(_text_problems(which, text)))


def missing_fields(offering: Offering) -> tuple[Field, ...]:
    """Required fields that are still empty, in form order."""
    return tuple(f for f in REQUIRED_FIELDS if not offering.get(f))


def validate_offering(offering: Offering, categories: Sequence[str]) -> list[Problem]:
    """Everything that keeps ``offering`` from being submitted: missing required fields,
    lengths, forbidden characters, a non-http(s) link, a category outside the list."""
    problems = [Problem(f, "digitalnah.problem.missing") for f in missing_fields(offering)]
    for which in (
        Field.TITLE,
        Field.DESCRIPTION,
        Field.PROVIDER,
        Field.TARGET_GROUP,
        Field.CONTACT,
    ):
        problems.extend(_text_problems(which, offering.get(which)))
    if offering.link:
        link = link_problem(offering.link)
        if link is not None:
            problems.append(link)
    if offering.category and offering.category not in categories:
        params = {"value": shown(offering.category), "categories": categories_text(categories)}
        problems.append(Problem(Field.CATEGORY, "digitalnah.problem.category_unknown", params))
    problems.extend(_tag_problems(offering.tags))
    return problems
