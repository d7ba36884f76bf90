"""The Atom feed (RFC 4287) and the JSON Feed 1.1 of approved offerings: the newest 50 in
``atom.xml`` and ``feed.json``, older ones in archive documents (RFC 5005 for Atom,
``next_url`` for JSON Feed).

Atom is built with ElementTree (which escapes text and attributes); JSON with ``json``
plus ``< > &`` written as ``\\u003c``-style escapes, so the file stays inert even when
someone pastes it into an HTML page.
"""

from __future__ import annotations

import functools
import json
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from digitalnah.model import Offering, Tr
from digitalnah.render.changes import Pending, digest
from digitalnah.render.common import (
    ATOM_FILE,
    JSON_FEED_FILE,
    SiteSettings,
    clean_text,
    offering_tag_uri,
    one_line,
    published,
    published_at,
    rfc3339,
    safe_link,
)
from digitalnah.render.layout import FEED_SIZE, plan_archives

ATOM_NS = "http://www.w3.org/2005/Atom"
FH_NS = "http://purl.org/syndication/history/1.0"
"""RFC 5005 (feed paging and archiving)."""
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_JSON_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attrs)
    if text is not None:
        element.text = text
    return element


def _feed_updated(items: list[Offering], generated_at: datetime) -> datetime:
    return max((o.updated_at for o in items), default=generated_at)


def render_atom(
    offerings: Iterable[Offering], site: SiteSettings, *, tr: Tr, generated_at: datetime
) -> str:
    """The current Atom feed (``atom.xml``): the newest ``FEED_SIZE`` approved offerings
    among ``offerings``; see ``render_feeds`` for it with its archive documents."""
    return render_feeds(offerings, site, tr=tr, generated_at=generated_at)[ATOM_FILE]


def _atom(
    items: Sequence[Offering],
    site: SiteSettings,
    tr: Tr,
    updated: datetime,
    self_file: str,
    links: Sequence[tuple[str, str]],
    mark: str,
) -> str:
    """One Atom document; ``links`` are (rel, file) pairs, ``mark`` is ``fh:archive``,
    ``fh:complete`` or empty (RFC 5005)."""
    feed = ET.Element("feed", {"xmlns": ATOM_NS, "xmlns:fh": FH_NS, _XML_LANG: site.language})
    _sub(feed, "id", site.page_url if self_file == ATOM_FILE else site.url_for(self_file))
    _sub(feed, "title", one_line(site.title), type="text")
    _sub(feed, "subtitle", one_line(site.description or tr("digitalnah.page.intro")), type="text")
    _sub(feed, "updated", rfc3339(updated))
    _sub(feed, "link", rel="self", type="application/atom+xml", href=site.url_for(self_file))
    _sub(feed, "link", rel="alternate", type="text/html", href=site.page_url)
    for rel, file in links:
        _sub(feed, "link", rel=rel, type="application/atom+xml", href=site.url_for(file))
    if mark:
        _sub(feed, mark)
    author = _sub(feed, "author")
    _sub(author, "name", one_line(site.author))
    _sub(feed, "generator", "homeoffice-bot #DigitalNah")
    for offering in items:
        _atom_entry(feed, offering, site)
    body = ET.tostring(feed, encoding="unicode")
    return '<?xml version="1.0" encoding="utf-8"?>\n' + body + "\n"


def _atom_entry(feed: ET.Element, offering: Offering, site: SiteSettings) -> None:
    """An entry with a stable tag: URI; the submitter is never published (author:
    provider or site)."""
    entry = _sub(feed, "entry")
    _sub(entry, "id", offering_tag_uri(offering, site))
    _sub(entry, "title", one_line(offering.title), type="text")
    _sub(entry, "updated", rfc3339(offering.updated_at))
    _sub(entry, "published", rfc3339(published_at(offering)))
    if safe_link(offering.link):
        _sub(entry, "link", rel="alternate", type="text/html", href=offering.link)
    _sub(entry, "link", rel="related", type="text/html", href=site.offering_url(offering))
    summary = clean_text(offering.description).strip()
    if summary:
        _sub(entry, "summary", summary, type="text")
    entry_author = _sub(entry, "author")
    _sub(entry_author, "name", one_line(offering.provider) or one_line(site.author))
    if offering.category:
        _sub(entry, "category", term=one_line(offering.category))
    for tag in offering.tags:
        if one_line(tag):
            _sub(entry, "category", term=one_line(tag))


def render_feeds(
    offerings: Iterable[Offering],
    site: SiteSettings,
    *,
    tr: Tr,
    generated_at: datetime,
    image_urls: Mapping[int, str] | None = None,
) -> dict[str, str]:
    """``atom.xml`` and ``feed.json`` with the newest ``FEED_SIZE`` approved offerings,
    and, when there are more, archive documents of the offerings by number
    (``plan_archives``): Atom archives per RFC 5005 (``fh:archive``, ``prev-archive`` and
    ``next-archive``; the current feed links to the newest archive), JSON Feed pages
    chained by ``next_url`` from the current feed to the oldest archive."""
    pending = pending_feeds(
        offerings, site, tr=tr, generated_at=generated_at, image_urls=image_urls
    )
    return {name: document.render() for name, document in pending.items()}


def pending_feeds(
    offerings: Iterable[Offering],
    site: SiteSettings,
    *,
    tr: Tr,
    generated_at: datetime,
    image_urls: Mapping[int, str] | None = None,
) -> dict[str, Pending]:
    """``render_feeds``, each document not yet rendered: with the key of what it holds and
    how to render it."""
    items = published(offerings)
    archives = plan_archives(items)
    numbers = [n for n, _ in archives]
    images = image_urls or {}
    common = (site, sorted(images.items()))

    def document(write: Callable[..., str], *args: Any) -> Pending:
        """``write(*args)`` with the site and ``tr`` after the first; its key covers every
        argument (``tr`` by the site's language and the code)."""
        first, rest = args[0], args[1:]
        return Pending(
            digest(common, write.__name__, args),
            functools.partial(write, first, site, tr, *rest),
        )

    current = items[:FEED_SIZE]
    current_links = [("prev-archive", atom_archive_file(numbers[-1]))] if numbers else []
    mark = "" if numbers else "fh:complete"
    updated = _feed_updated(items, generated_at)
    next_file = json_archive_file(numbers[-1]) if numbers else ""
    files = {
        ATOM_FILE: document(_atom, current, updated, ATOM_FILE, current_links, mark),
        JSON_FEED_FILE: document(_json_feed, current, image_urls, JSON_FEED_FILE, next_file),
    }
    for index, (number, group) in enumerate(archives):
        older = numbers[index - 1] if index > 0 else None
        newer = numbers[index + 1] if index + 1 < len(numbers) else None
        links = [("current", ATOM_FILE)]
        if older is not None:
            links.append(("prev-archive", atom_archive_file(older)))
        if newer is not None:
            links.append(("next-archive", atom_archive_file(newer)))
        changed = max(o.updated_at for o in group)
        name = atom_archive_file(number)
        files[name] = document(_atom, group, changed, name, links, "fh:archive")
        name = json_archive_file(number)
        older_file = json_archive_file(older) if older is not None else ""
        files[name] = document(_json_feed, group, image_urls, name, older_file)
    return files


def atom_archive_file(number: int) -> str:
    return f"atom-archiv-{number}.xml"


def json_archive_file(number: int) -> str:
    return f"feed-archiv-{number}.json"


def json_feed_item(
    offering: Offering, site: SiteSettings, image_url: str | None = None
) -> dict[str, Any]:
    """One JSON Feed item, with the offering's other fields under ``_digitalnah``."""
    item: dict[str, Any] = {
        "id": offering_tag_uri(offering, site),
        "url": offering.link if safe_link(offering.link) else site.page_url,
        "title": one_line(offering.title),
        "content_text": clean_text(offering.description).strip() or one_line(offering.title),
        "date_published": rfc3339(published_at(offering)),
        "date_modified": rfc3339(offering.updated_at),
        "tags": [one_line(t) for t in offering.tags if one_line(t)],
    }
    if offering.provider:
        item["authors"] = [{"name": one_line(offering.provider)}]
    if image_url:
        item["image"] = image_url
    item["_digitalnah"] = {
        "about": "Fields of a #DigitalNah offering (homeoffice-bot)",
        "id": offering.id,
        "category": one_line(offering.category),
        "provider": one_line(offering.provider),
        "target_group": one_line(offering.target_group),
        "available_since": (
            offering.available_since.isoformat() if offering.available_since else None
        ),
        "contact": one_line(offering.contact),
        "page_url": site.offering_url(offering),
    }
    return item


def safe_json(data: Any) -> str:
    """JSON text in which ``< > &``, U+2028 and U+2029 appear only as ``\\u`` escapes."""
    text = json.dumps(data, ensure_ascii=False, indent=2)
    for char, code in _JSON_ESCAPES.items():
        text = text.replace(char, code)
    return text + "\n"


def render_json_feed(
    offerings: Iterable[Offering],
    site: SiteSettings,
    *,
    tr: Tr,
    image_urls: Mapping[int, str] | None = None,
) -> str:
    """The current JSON Feed 1.1 (``feed.json``): the newest ``FEED_SIZE`` approved
    offerings among ``offerings``; ``next_url`` leads to the older ones."""
    items = published(offerings)
    archives = plan_archives(items)
    next_file = json_archive_file(archives[-1][0]) if archives else ""
    return _json_feed(items[:FEED_SIZE], site, tr, image_urls, JSON_FEED_FILE, next_file)


def _json_feed(
    items: Sequence[Offering],
    site: SiteSettings,
    tr: Tr,
    image_urls: Mapping[int, str] | None,
    self_file: str,
    next_file: str,
) -> str:
    images = image_urls or {}
    feed: dict[str, Any] = {
        "version": JSON_FEED_VERSION,
        "title": one_line(site.title),
        "home_page_url": site.page_url,
        "feed_url": site.url_for(self_file),
        "description": one_line(site.description or tr("digitalnah.page.intro")),
        "language": site.language,
        "authors": [{"name": one_line(site.author)}],
    }
    if next_file:
        feed["next_url"] = site.url_for(next_file)
    feed["items"] = [
        json_feed_item(o, site, images.get(o.id) if o.id is not None else None) for o in items
    ]
    return safe_json(feed)
