"""Message formatting: Markdown source to a safe HTML body plus a plain-text body.

Raw HTML in the source is shown as text, never interpreted, and the rendered HTML is
sanitised (allowed tags and URL schemes only), so nothing a person typed can inject
markup into a message the bot sends. Mentions are written as ``{@user:server}`` in the
source — ``mention(user_id)`` makes that token — and become pills in HTML and display
names in the plain body. User text is escaped before it goes into a source: see
``homeoffice_bot.kernel.escaping``.
"""

from __future__ import annotations

import functools
import html
import re
import secrets
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date

import markdown as md_lib
import nh3

from homeoffice_bot.kernel.ids import USER_ID, UserID

ALLOWED_TAGS = {
    "a", "b", "strong", "i", "em", "u", "del", "s", "code", "pre", "p", "br", "ul", "ol",
    "li", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "table", "thead", "tbody",
    "tr", "th", "td", "details", "summary", "sup", "sub", "span",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href"}, "span": {"data-mx-color"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto", "matrix"}

_MENTION_TOKEN = re.compile(rf"\{{({USER_ID})\}}")


def mention(user_id: str) -> str:
    """A mention token for Markdown sources handed to ``render``."""
    return "{" + user_id + "}"


def people_list(people: Iterable[str], tr: Callable[..., str]) -> str:
    """People as one part of a sentence: "Anna", "Anna und Ben", "Anna, Ben und Clara"
    (English "Anna, Ben and Clara"). The items are display names, escaped by the caller, or
    mention tokens (``mention(user_id)``), which ``render`` turns into pills. ``tr`` is the
    reader's translator: the kernel catalogue's ``people.and`` gives the words, and every
    component's catalogue falls back to the kernel's."""
    items = [item for item in people if item]
    if len(items) < 2:
        return "".join(items)
    return tr("people.and", others=", ".join(items[:-1]), last=items[-1])


def mention_ids(source: str) -> list[UserID]:
    """The user ids of the mention tokens in a Markdown source."""
    return list(dict.fromkeys(UserID(m.group(1)) for m in _MENTION_TOKEN.finditer(source)))


def _runs(numbers: Iterable[int]) -> list[list[int]]:
    """The distinct numbers in order, grouped into runs of consecutive ones."""
    runs: list[list[int]] = []
    for number in sorted(set(numbers)):
        if runs and runs[-1][-1] == number - 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    return runs


def _en_dash(start: str, end: str) -> str:
    return f"{start}–{end}"


def format_day_ranges(days: Iterable[int], name: Callable[[int], str]) -> str:
    """ISO weekdays as names with ranges of three or more: "Mo–Fr", "Mo, Mi, Fr", "Mo–Mi, Fr".
    ``name`` gives a day's (short) name in the reader's language."""
    parts: list[str] = []
    for run in _runs(days):
        if len(run) >= 3:
            parts.append(_en_dash(name(run[0]), name(run[-1])))
        else:
            parts.extend(name(day) for day in run)
    return ", ".join(parts)


def format_date_ranges(
    days: Iterable[date],
    name: Callable[[date], str],
    span: Callable[[str, str], str] = _en_dash,
) -> str:
    """Calendar days, consecutive ones as a range: "22.12.2026–02.01.2027, 15.02.2027".
    ``name`` writes one date in the reader's language, ``span`` joins the first and last
    day of a range ("{start}–{end}", "{start} to {end}")."""
    parts: list[str] = []
    for run in _runs(day.toordinal() for day in days):
        first, last = date.fromordinal(run[0]), date.fromordinal(run[-1])
        parts.append(name(first) if first == last else span(name(first), name(last)))
    return ", ".join(parts)


@dataclass(frozen=True, slots=True)
class Rendered:
    body: str
    formatted_body: str
    mentions: tuple[UserID, ...]


_CODE = re.compile(r"(<code[^>]*>)(.*?)</code>", re.S)
_LINK = re.compile(r'<a href="([^"]*)">(.*?)</a>', re.S)


def plain_text(html_body: str) -> str:
    """The plain-text body for clients without HTML: what the formatted body shows."""

    def link(match: re.Match[str]) -> str:
        href, label = html.unescape(match.group(1)), match.group(2)
        if href.startswith("https://matrix.to/#/@") or html.unescape(label) == href:
            return label
        return f"{label} ({href})"

    text = _LINK.sub(link, html_body)
    text = re.sub(r"<br\s*/?>\n?", "\n", text)
    text = re.sub(r"<li>\s*", "- ", text)
    text = re.sub(r"</(p|h[1-6]|ul|ol|blockquote|pre)>\n?", "\n\n", text)
    text = re.sub(r"</li>\n?|<hr\s*/?>\n?", "\n", text)
    text = re.sub(r"<[^>]+>", "", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return html.unescape(text).strip()


def render(source: str, names: Mapping[str, str] | None = None) -> Rendered:
    """Render a Markdown source; ``names`` maps user ids in mention tokens to display names.
    The same source with the same names renders the same: recent results are reused (help
    texts, boards and reports are rendered again and again)."""
    used = tuple(sorted((u, n) for u, n in (names or {}).items() if mention(u) in source))
    return _render(source, used)


@functools.lru_cache(maxsize=256)
def _render(source: str, name_items: tuple[tuple[str, str], ...]) -> Rendered:
    names = dict(name_items)
    mentioned: list[UserID] = []

    def pill(match: re.Match[str]) -> str:
        user_id = match.group(1)
        if user_id not in mentioned:
            mentioned.append(UserID(user_id))
        label = html.escape(names.get(user_id, user_id))
        return f'<a href="https://matrix.to/#/{html.escape(user_id)}">{label}</a>'

    # Mention tokens become random placeholders before Markdown runs, so an escaped
    # ``\{@user\}`` in user text stays text. Raw HTML is neutralised, then Markdown
    # renders, then the placeholders become pills.
    nonce = secrets.token_hex(6)
    tokens: list[re.Match[str]] = []

    def placeholder(match: re.Match[str]) -> str:
        tokens.append(match)
        return f"mx{nonce}n{len(tokens) - 1}x"

    escaped = source.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    escaped = _MENTION_TOKEN.sub(placeholder, escaped)
    rendered = md_lib.markdown(escaped, extensions=["sane_lists", "nl2br"], output_format="html")
    # Markdown escapes "&" once more inside code; the source was escaped already.
    rendered = _CODE.sub(
        lambda m: m.group(1) + m.group(2).replace("&amp;", "&") + "</code>", rendered
    )
    rendered = re.sub(rf"mx{nonce}n(\d+)x", lambda m: pill(tokens[int(m.group(1))]), rendered)
    clean = nh3.clean(
        rendered,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=None,
    )
    if clean.startswith("<p>") and clean.endswith("</p>") and clean.count("<p>") == 1:
        clean = clean[3:-4]
    return Rendered(plain_text(clean), clean, tuple(mentioned))


_PILL = re.compile(r'<a\s+href="https://matrix\.to/#/(@[^"?]+)[^"]*"\s*>.*?</a>', re.S | re.I)
_TAG = re.compile(r"<[^>]+>")


def command_text(body: str, formatted_body: str | None) -> str:
    """The text a command parser sees: mention pills replaced by MXIDs."""
    if not formatted_body or "matrix.to/#/@" not in formatted_body:
        return body
    text = re.sub(r"<mx-reply>.*?</mx-reply>", "", formatted_body, flags=re.S | re.I)
    text = _PILL.sub(lambda m: html.unescape(m.group(1)), text)
    text = re.sub(r"<br\s*/?>", "\n", text, flags=re.I)
    text = re.sub(r"</p>\s*<p>", "\n\n", text, flags=re.I)
    return html.unescape(_TAG.sub("", text))


def mentioned_user_ids(content: Mapping[str, object]) -> tuple[UserID, ...]:
    """User ids mentioned by an event: ``m.mentions`` plus pills in the formatted body."""
    found: list[UserID] = []
    mentions = content.get("m.mentions")
    if isinstance(mentions, Mapping):
        ids = mentions.get("user_ids")
        if isinstance(ids, list):
            found.extend(UserID(u) for u in ids if isinstance(u, str))
    formatted = content.get("formatted_body")
    if isinstance(formatted, str):
        for match in _PILL.finditer(formatted):
            found.append(UserID(html.unescape(match.group(1))))
    return tuple(dict.fromkeys(found))
