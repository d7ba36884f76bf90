"""Publishing outputs of #DigitalNah: HTML page, Atom feed, JSON Feed, Markdown, CSV.

Each renderer takes any offerings and publishes only the approved ones.
``render_all`` gives every file as bytes, ready to be written into the output directory.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime

from digitalnah.model import Offering, Tr
from digitalnah.render.common import (
    ATOM_FILE,
    CONTENT_TYPES,
    CSV_FILE,
    HTML_FILE,
    JSON_FEED_FILE,
    MARKDOWN_FILE,
    SiteSettings,
    escape_markdown,
    published,
)
from digitalnah.render.exports import render_csv, render_markdown
from digitalnah.render.feeds import json_feed_item, render_atom, render_json_feed
from digitalnah.render.html_page import render_html

__all__ = [
    "ATOM_FILE",
    "CONTENT_TYPES",
    "CSV_FILE",
    "HTML_FILE",
    "JSON_FEED_FILE",
    "MARKDOWN_FILE",
    "SiteSettings",
    "escape_markdown",
    "json_feed_item",
    "published",
    "render_all",
    "render_atom",
    "render_csv",
    "render_html",
    "render_json_feed",
    "render_markdown",
]


def render_all(
    offerings: Iterable[Offering],
    site: SiteSettings,
    *,
    tr: Tr,
    generated_at: datetime,
    image_urls: Mapping[int, str] | None = None,
) -> dict[str, bytes]:
    """Every output file name (see ``CONTENT_TYPES``) with its UTF-8 content."""
    items = list(offerings)
    texts = {
        HTML_FILE: render_html(
            items, site, tr=tr, generated_at=generated_at, image_urls=image_urls
        ),
        ATOM_FILE: render_atom(items, site, tr=tr, generated_at=generated_at),
        JSON_FEED_FILE: render_json_feed(items, site, tr=tr, image_urls=image_urls),
        MARKDOWN_FILE: render_markdown(items, site, tr=tr, generated_at=generated_at),
        CSV_FILE: render_csv(items),
    }
    return {name: text.encode("utf-8") for name, text in texts.items()}
