"""The Atom feed (RFC 4287) and the JSON Feed 1.1 of approved offerings.

Atom is built with ElementTree (which escapes text and attributes); JSON with ``json``
plus ``< > &`` written as ``\\u003c``-style escapes, so the file stays inert even when
someone pastes it into an HTML page.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from digitalnah.model import Offering, Tr
from digitalnah.render.common import (
    ATOM_FILE,
    JSON_FEED_FILE,
    SiteSettings,
    clean_text,
    offering_anchor,
    offering_tag_uri,
    one_line,
    published,
    published_at,
    rfc3339,
    safe_link,
)

ATOM_NS = "http://www.w3.org/2005/Atom"
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
    """An Atom feed of the approved offerings among ``offerings``, newest first. Entry ids
    are stable tag: URIs; the submitter is never published (author: provider or site)."""
    items = published(offerings)
    feed = ET.Element("feed", {"xmlns": ATOM_NS, _XML_LANG: site.language})
    _sub(feed, "id", site.page_url)
    _sub(feed, "title", one_line(site.title), type="text")
    _sub(feed, "subtitle", one_line(site.description or tr("digitalnah.page.intro")), type="text")
    _sub(feed, "updated", rfc3339(_feed_updated(items, generated_at)))
    _sub(feed, "link", rel="self", type="application/atom+xml", href=site.url_for(ATOM_FILE))
    _sub(feed, "link", rel="alternate", type="text/html", href=site.page_url)
    author = _sub(feed, "author")
    _sub(author, "name", one_line(site.author))
    _sub(feed, "generator", "homeoffice-bot #DigitalNah")
    for offering in items:
        entry = _sub(feed, "entry")
        _sub(entry, "id", offering_tag_uri(offering, site))
        _sub(entry, "title", one_line(offering.title), type="text")
        _sub(entry, "updated", rfc3339(offering.updated_at))
        _sub(entry, "published", rfc3339(published_at(offering)))
        if safe_link(offering.link):
            _sub(entry, "link", rel="alternate", type="text/html", href=offering.link)
        _sub(
            entry,
            "link",
            rel="related",
            type="text/html",
            href=site.page_url + "#" + offering_anchor(offering),
        )
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
    body = ET.tostring(feed, encoding="unicode")
    return '<?xml version="1.0" encoding="utf-8"?>\n' + body + "\n"


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
        "page_url": site.page_url + "#" + offering_anchor(offering),
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
    """A JSON Feed 1.1 of the approved offerings among ``offerings``, newest first."""
    images = image_urls or {}
    feed: dict[str, Any] = {
        "version": JSON_FEED_VERSION,
        "title": one_line(site.title),
        "home_page_url": site.page_url,
        "feed_url": site.url_for(JSON_FEED_FILE),
        "description": one_line(site.description or tr("digitalnah.page.intro")),
        "language": site.language,
        "authors": [{"name": one_line(site.author)}],
        "items": [
            json_feed_item(o, site, images.get(o.id) if o.id is not None else None)
            for o in published(offerings)
        ],
    }
    return safe_json(feed)
