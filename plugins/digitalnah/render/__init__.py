"""Publishing outputs of #DigitalNah: HTML pages, Atom feed, JSON Feed, Markdown, CSV.

Each renderer takes any offerings and publishes only the approved ones.
``render_all`` gives every file as bytes, ready to be written into the output directory;
``render_changed`` only the files whose inputs changed since the last time (``changes``).
The publisher runs it in a separate process (``digitalnah.render.worker``), so that the
bot's event loop never waits for it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from digitalnah.model import Offering, Tr
from digitalnah.render.changes import code_version, digest
from digitalnah.render.common import (
    ATOM_FILE,
    CONTENT_TYPES,
    CSV_FILE,
    HTML_FILE,
    JSON_FEED_FILE,
    MANIFEST_FILE,
    MARKDOWN_FILE,
    SiteSettings,
    content_type,
    published,
)
from digitalnah.render.exports import (
    markdown_text,
    part_name,
    render_csv,
    render_csv_parts,
    render_markdown,
    render_markdown_parts,
)
from digitalnah.render.feeds import (
    json_feed_item,
    pending_feeds,
    render_atom,
    render_feeds,
    render_json_feed,
)
from digitalnah.render.html_page import pending_pages, render_html, render_pages
from digitalnah.render.layout import FEED_SIZE, MAX_PAGE_SIZE

__all__ = [
    "ATOM_FILE",
    "CONTENT_TYPES",
    "CSV_FILE",
    "FEED_SIZE",
    "HTML_FILE",
    "JSON_FEED_FILE",
    "MANIFEST_FILE",
    "MARKDOWN_FILE",
    "MAX_PAGE_SIZE",
    "Rendered",
    "SiteSettings",
    "content_type",
    "json_feed_item",
    "markdown_text",
    "published",
    "render_all",
    "render_atom",
    "render_changed",
    "render_csv",
    "render_feeds",
    "render_html",
    "render_json_feed",
    "render_markdown",
    "render_pages",
]


@dataclass(frozen=True, slots=True)
class Rendered:
    files: dict[str, bytes]
    """The files rendered, each with its UTF-8 content."""
    keys: dict[str, str]
    """Every page and feed document with its key (``changes``), rendered or not."""
    kept: frozenset[str]
    """The files left as they are: their key is the one in ``known``."""

    @property
    def names(self) -> set[str]:
        """Every file the output consists of."""
        return set(self.files) | self.kept


def render_all(
    offerings: Iterable[Offering],
    site: SiteSettings,
    *,
    tr: Tr,
    generated_at: datetime,
    image_urls: Mapping[int, str] | None = None,
    template_dir: Path | None = None,
    page_size: int = MAX_PAGE_SIZE,
) -> dict[str, bytes]:
    """Every output file name with its UTF-8 content: the fixed files of
    ``CONTENT_TYPES`` plus category pages and feed archives."""
    return render_changed(
        offerings,
        site,
        tr=tr,
        generated_at=generated_at,
        image_urls=image_urls,
        template_dir=template_dir,
        page_size=page_size,
    ).files


def render_changed(
    offerings: Iterable[Offering],
    site: SiteSettings,
    *,
    tr: Tr,
    generated_at: datetime,
    image_urls: Mapping[int, str] | None = None,
    template_dir: Path | None = None,
    page_size: int = MAX_PAGE_SIZE,
    known: Mapping[str, str] | None = None,
) -> Rendered:
    """``render_all``, but a page or feed document whose key is in ``known`` (file name
    -> key of the last rendering still in place) is not rendered again. The Markdown and
    CSV exports are always rendered: every offering is in them."""
    items = list(offerings)
    texts: dict[str, str] = {}
    markdown = render_markdown_parts(items, site, tr=tr, generated_at=generated_at)
    csv = render_csv_parts(items)
    for name, parts in ((MARKDOWN_FILE, markdown), (CSV_FILE, csv)):
        texts |= {part_name(name, n): text for n, text in enumerate(parts, 1)}
    pending = pending_pages(
        items,
        site,
        tr=tr,
        generated_at=generated_at,
        image_urls=image_urls,
        template_dir=template_dir,
        page_size=page_size,
        exports={MARKDOWN_FILE: len(markdown), CSV_FILE: len(csv)},
    )
    pending |= pending_feeds(items, site, tr=tr, generated_at=generated_at, image_urls=image_urls)
    version = code_version(template_dir)
    keys = {name: digest(version, page.key) for name, page in pending.items()}
    last = known or {}
    kept = frozenset(name for name, key in keys.items() if last.get(name) == key)
    texts |= {name: page.render() for name, page in pending.items() if name not in kept}
    files = {name: text.encode("utf-8") for name, text in texts.items()}
    return Rendered(files, keys, kept)
