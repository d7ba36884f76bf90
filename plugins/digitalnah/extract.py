"""Reading offerings out of chat text.

Three readers, all returning raw text per field (``ExtractedFields``); turning the text
into values and checking it is ``merge.update_offering``'s job:

- ``extract_from_message``: a free message with #DigitalNah ("Neu: Online-Terminbuchung
  fürs Bürgerbüro https://… #DigitalNah #Mobilität").
- ``parse_field_lines``: ``Feld: Wert`` lines (``!angebot neu`` and edits).
- ``parse_completion``: a reply in a draft's thread; ``Feld: Wert`` lines, or plain text
  that obviously answers what is missing ("Mobilität", a link, the one missing field).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from digitalnah.categories import fold, resolve_category
from digitalnah.model import DEFAULT_CATEGORY_ALIASES, Field
from digitalnah.validate import MULTILINE_FIELDS
from homeoffice_bot.kernel.links import is_invisible

HASHTAG = "DigitalNah"

FIELD_KEYS: Mapping[str, Field] = {
    **dict.fromkeys(("titel", "title", "überschrift"), Field.TITLE),
    **dict.fromkeys(
        ("beschreibung", "kurzbeschreibung", "description", "summary"), Field.DESCRIPTION
    ),
    **dict.fromkeys(("link", "url", "webseite", "website", "internetadresse"), Field.LINK),
    **dict.fromkeys(("kategorie", "category", "rubrik"), Field.CATEGORY),
    **dict.fromkeys(
        (
            "anbieter",
            "amt",
            "anbieter/amt",
            "dienststelle",
            "fachbereich",
            "provider",
            "department",
        ),
        Field.PROVIDER,
    ),
    **dict.fromkeys(("zielgruppe", "zielgruppen", "target group", "audience"), Field.TARGET_GROUP),
    **dict.fromkeys(
        ("verfügbar seit", "seit", "verfügbar ab", "online seit", "available since", "since"),
        Field.AVAILABLE_SINCE,
    ),
    **dict.fromkeys(
        ("kontakt", "ansprechpartner", "ansprechpartnerin", "ansprechperson", "contact"),
        Field.CONTACT,
    ),
    **dict.fromkeys(
        ("tags", "tag", "schlagworte", "schlagwörter", "stichworte", "keywords"), Field.TAGS
    ),
}
"""Accepted keys (German first, English aliases); matched case- and umlaut-insensitively."""

_KEYS_BY_FOLD: Mapping[str, Field] = {fold(k): f for k, f in FIELD_KEYS.items()}
_FUZZY_MIN_LENGTH = 6
_FUZZY_CUTOFF = 0.85

_KEY_LINE = re.compile(
    r"^\s*(?:[-*•]\s+)?[*_]*(?P<key>[^\W\d_](?:[^\W\d_]|[ /-]){0,29}?)[*_]*\s*:(?!//)[*_]*"
    r"(?P<value>.*)$"
)
_URL = re.compile(r"https?://[^\s<>\"'\x00]+", re.IGNORECASE)
_URL_TRAILING = ".,;:!?'\"»“”’)]}"
_TAG_BODY = r"[^\W\d_][\w-]*"
_HASHTAG_RE = re.compile(rf"(?<![\w&#/])#(?P<tag>{_TAG_BODY})(?![\w-]|:\S)")
_OUR_TAG_RE = re.compile(rf"(?<![\w&#/])#{HASHTAG}\b", re.IGNORECASE)
_LEADING_TAGS = re.compile(rf"^\s*(?:#{_TAG_BODY}\s*)+")
_TRAILING_TAGS = re.compile(rf"(?:\s*#{_TAG_BODY})+[\s.!]*$")
_PREFIX = re.compile(r"^\s*(?:neu|neue|neuer|neues|new)(?:\s+[^\s:]+){0,3}\s*[:!]\s*", re.I)
_SENTENCE_END = re.compile(r"[.!?](?=\s+\S)|\s+[–—-]\s+")
_ABBREVIATIONS = frozenset(
    {
        "z.b",
        "bzw",
        "ca",
        "nr",
        "dr",
        "inkl",
        "u.a",
        "usw",
        "etc",
        "vgl",
        "d.h",
        "ggf",
        "evtl",
        "e.g",
        "i.e",
        "str",
    }
)
_EDGE_PUNCTUATION = " \t.,;:–—-"
_MARK = "\x00"
_REPLY_QUOTE = re.compile(r"^>.*$")


@dataclass(frozen=True, slots=True)
class ExtractedFields:
    """Raw text per field as the person wrote it (tags comma-separated)."""

    values: Mapping[Field, str] = field(default_factory=dict)
    unknown_keys: tuple[str, ...] = ()
    """Keys of ``Key: value`` lines that name no field (only reported where asked for)."""
    free_text: str = ""
    """Lines that belong to no field."""


def contains_hashtag(body: str) -> bool:
    """True when the message carries #DigitalNah (any case; not inside a link)."""
    return _OUR_TAG_RE.search(_URL.sub(" ", body)) is not None


def find_urls(text: str) -> list[str]:
    """The http(s) URLs in ``text`` in order, without trailing sentence punctuation and
    invisible characters (one inside a URL stays, for ``link_problem`` to refuse)."""
    return [_trim_url(m.group(0)) for m in _URL.finditer(text)]


def _trim_url(url: str) -> str:
    while url and (url[-1] in _URL_TRAILING or is_invisible(url[-1])):
        if is_invisible(url[-1]):  # after the link, not in it
            url = url[:-1]
            continue
        closing = url[-1]
        opening = {")": "(", "]": "[", "}": "{"}.get(closing)
        if opening and url.count(opening) >= url.count(closing):
            break
        url = url[:-1]
    return url


def find_hashtags(text: str) -> list[str]:
    """Hashtags (without ``#``) outside links, in order; room aliases (#a:b) are skipped."""
    return [m.group("tag").rstrip("-") for m in _HASHTAG_RE.finditer(_URL.sub(" ", text))]


def strip_reply_fallback(body: str) -> str:
    """Remove the quoted original ("> <@a:b> …" lines) that some clients put before a reply."""
    lines = body.splitlines()
    index = 0
    while index < len(lines) and _REPLY_QUOTE.match(lines[index]):
        index += 1
    if index and index < len(lines) and not lines[index].strip():
        index += 1
    return "\n".join(lines[index:]) if index else body


def field_for_key(key: str, *, fuzzy: bool = False) -> Field | None:
    """The field a ``Key:`` names ("Anbieter/Amt", "target group", with ``fuzzy`` also
    small typos such as "Kategore")."""
    folded = fold(key)
    if folded in _KEYS_BY_FOLD:
        return _KEYS_BY_FOLD[folded]
    if fuzzy and len(folded) >= _FUZZY_MIN_LENGTH:
        close = difflib.get_close_matches(folded, list(_KEYS_BY_FOLD), n=1, cutoff=_FUZZY_CUTOFF)
        if close:
            return _KEYS_BY_FOLD[close[0]]
    return None


def parse_field_lines(
    text: str, *, report_unknown: bool = True, fuzzy: bool = True
) -> ExtractedFields:
    """Read ``Feld: Wert`` lines (a Link value is its first http(s) URL, if it has one).
    Any line after a description line continues the
    description (so "Öffnungszeiten: Mo–Fr" inside it is text) until the next known key;
    other lines without a known key are free text. A ``Key:`` that names no field, outside
    a description, is reported in ``unknown_keys`` (and dropped) when ``report_unknown``,
    else kept as free text. A field given twice keeps the last value; tags are joined."""
    values: dict[Field, list[str]] = {}
    unknown: list[str] = []
    free: list[str] = []
    current: Field | None = None
    for line in text.splitlines():
        match = _KEY_LINE.match(line)
        which = field_for_key(match.group("key"), fuzzy=fuzzy) if match else None
        if which is not None and match is not None:
            value = match.group("value").strip()
            if which is Field.TAGS and which in values:
                values[which].append(value)
            else:
                values[which] = [value]
            current = which
            continue
        if current is not None and current in MULTILINE_FIELDS:
            values[current].append(line.rstrip())
            continue
        current = None
        if match and report_unknown and match.group("value")[:1] in ("", " ", "\t"):
            unknown.append(match.group("key").strip())
        elif line.strip():
            free.append(line.strip())
    joined = {
        f: "\n".join(parts).strip()
        if f in MULTILINE_FIELDS
        else ", ".join(p for p in parts if p).strip()
        for f, parts in values.items()
    }
    if Field.LINK in joined:
        urls = find_urls(joined[Field.LINK])
        if urls:
            joined[Field.LINK] = urls[0]
    return ExtractedFields(joined, tuple(unknown), "\n".join(free))


def _split_title(line: str) -> tuple[str, str]:
    """First sentence (or the part before a spaced dash) and the rest."""
    for match in _SENTENCE_END.finditer(line):
        token = match.group(0)
        if token == ".":
            words = line[: match.start()].split()
            if words and words[-1].casefold().rstrip(".") in _ABBREVIATIONS:
                continue
        if token in ("!", "?"):
            return line[: match.end()], line[match.end() :]
        return line[: match.start()], line[match.end() :]
    return line, ""


def _clean(text: str, *, keep_final_period: bool = False) -> str:
    lines = [" ".join(line.replace(_MARK, " ").split()) for line in text.splitlines()]
    joined = "\n".join(line for line in lines if line).lstrip(_EDGE_PUNCTUATION + "\n")
    trailing = _EDGE_PUNCTUATION.replace(".", "") if keep_final_period else _EDGE_PUNCTUATION
    return joined.rstrip(trailing + "\n")


def _prose_without_tags(text: str) -> str:
    lines = []
    for line in _URL.sub(_MARK, text).splitlines():
        line = _LEADING_TAGS.sub("", line)
        line = _TRAILING_TAGS.sub("", line)
        line = _OUR_TAG_RE.sub("", line)
        lines.append(_HASHTAG_RE.sub(lambda m: m.group("tag"), line))
    return "\n".join(lines).strip()


def title_and_description(text: str) -> tuple[str, str]:
    """Title: the first sentence of the first line (before its link, after "Neu:");
    description: what follows, without links and hashtags."""
    prose = _PREFIX.sub("", _prose_without_tags(text), count=1)
    first, _, rest = prose.partition("\n")
    head, mark, after_link = first.partition(_MARK)
    if not _clean(head):
        head, after_link = first.replace(_MARK, " "), ""
        mark = ""
    title, remainder = _split_title(head)
    description = _clean(
        "\n".join((remainder + " " + mark + after_link, rest)), keep_final_period=True
    )
    return _clean(title), description


def extract_from_message(
    body: str,
    categories: Sequence[str],
    aliases: Mapping[str, str] = DEFAULT_CATEGORY_ALIASES,
) -> ExtractedFields:
    """Everything a free #DigitalNah message says: ``Feld: Wert`` lines where present;
    from the remaining text the first link, a category named by a hashtag ("#Mobilität"),
    the other hashtags as tags, the title and the description."""
    lines = parse_field_lines(body, report_unknown=False, fuzzy=False)
    values = {f: _OUR_TAG_RE.sub("", v).strip() for f, v in lines.values.items()}
    free = lines.free_text
    urls = find_urls(free)
    if urls and Field.LINK not in values:
        values[Field.LINK] = urls[0]
    tags: list[str] = []
    for tag in find_hashtags(free):
        if tag.casefold() == HASHTAG.casefold():
            continue
        if Field.CATEGORY not in values and resolve_category(tag, categories, aliases):
            values[Field.CATEGORY] = tag
        elif tag.casefold() not in (t.casefold() for t in tags):
            tags.append(tag)
    if tags:
        given = values.get(Field.TAGS)
        values[Field.TAGS] = ", ".join([given, *tags] if given else tags)
    title, description = title_and_description(free)
    if title and Field.TITLE not in values:
        values[Field.TITLE] = title
    if description and Field.DESCRIPTION not in values:
        values[Field.DESCRIPTION] = description
    return ExtractedFields(values, (), "")


def parse_completion(
    text: str,
    missing: Sequence[Field],
    categories: Sequence[str],
    aliases: Mapping[str, str] = DEFAULT_CATEGORY_ALIASES,
) -> ExtractedFields:
    """Read a reply that completes a draft. ``Feld: Wert`` lines are taken as they are.
    Plain text fills what is ``missing`` when that is clear: a link fills the link, text
    naming a category fills the category, and otherwise, when exactly one field is
    missing, the whole text is its value. What cannot be placed stays in ``free_text``."""
    lines = parse_field_lines(strip_reply_fallback(text), report_unknown=False)
    values = dict(lines.values)
    free = lines.free_text
    open_fields = [f for f in missing if f not in values]
    if not free:
        return ExtractedFields(values, (), "")
    used = False
    urls = find_urls(free)
    if Field.LINK in open_fields and urls:
        values[Field.LINK] = urls[0]
        open_fields.remove(Field.LINK)
        used = True
    if Field.CATEGORY in open_fields:
        named = [free, *find_hashtags(free)]
        found = next((n for n in named if resolve_category(n, categories, aliases)), None)
        if found is not None:
            values[Field.CATEGORY] = found
            open_fields.remove(Field.CATEGORY)
            used = True
    if not used and len(open_fields) == 1:
        values[open_fields[0]] = free
        return ExtractedFields(values, (), "")
    return ExtractedFields(values, (), "" if used else free)
