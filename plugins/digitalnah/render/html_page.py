"""The public #DigitalNah page: accessible, semantic HTML5 without JavaScript.

One ``section`` with one ``h2`` per category, one ``article`` with an ``h3`` per offering,
a skip link, ``lang`` on the document, ``time`` elements for dates, visible focus and
high-contrast inline CSS. Every piece of user text goes through ``html.escape``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from html import escape

from digitalnah.model import Field, Offering, Tr
from digitalnah.render.common import (
    ATOM_FILE,
    CSV_FILE,
    JSON_FEED_FILE,
    MARKDOWN_FILE,
    SiteSettings,
    by_category,
    clean_text,
    format_date,
    format_instant,
    offering_anchor,
    one_line,
    published,
    rfc3339,
    safe_link,
    slug,
)

CSS = """
:root { color-scheme: light; }
body { margin: 0 auto; max-width: 48rem; padding: 1rem 1.25rem 3rem;
  font: 1.0625rem/1.55 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  color: #1a1a1a; background: #ffffff; }
a { color: #0a4a8f; text-decoration: underline; text-underline-offset: .15em; }
a:hover { color: #062f5c; text-decoration-thickness: .15em; }
a:focus, a:focus-visible, main:focus-visible {
  outline: 3px solid #1a1a1a; outline-offset: 2px; background: #ffd83d; color: #1a1a1a; }
.skip-link { position: absolute; left: -9999px; top: .5rem; padding: .5rem 1rem;
  background: #ffd83d; color: #1a1a1a; }
.skip-link:focus { left: .5rem; }
h1 { font-size: 2rem; margin: .5rem 0; }
h2 { font-size: 1.5rem; margin: 2rem 0 .5rem; border-bottom: 2px solid #1a1a1a; }
h3 { font-size: 1.2rem; margin: 0 0 .25rem; }
nav ul, .tags { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: .5rem 1rem; }
article { padding: 1rem 0; border-bottom: 1px solid #6b6b6b; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; margin: .5rem 0 0; }
dt { font-weight: 600; }
dd { margin: 0; }
.tags { gap: .4rem; margin: 0; }
.tags li { border: 1px solid #595959; border-radius: .25rem; padding: 0 .4rem; }
img { max-width: 100%; height: auto; }
footer { margin-top: 3rem; padding-top: 1rem; border-top: 2px solid #1a1a1a; }
@media (forced-colors: active) { a:focus, a:focus-visible { outline-color: Highlight; } }
""".strip()

_DETAIL_FIELDS = (Field.PROVIDER, Field.TARGET_GROUP, Field.AVAILABLE_SINCE, Field.CONTACT)


def _text(value: str) -> str:
    return escape(one_line(value), quote=True)


def _paragraphs(text: str) -> str:
    blocks = [b.strip() for b in clean_text(text).replace("\r", "").split("\n\n") if b.strip()]
    return "\n".join(
        "<p>" + "<br>\n".join(escape(line.strip(), quote=True) for line in b.split("\n")) + "</p>"
        for b in blocks
    )


def _details(offering: Offering, tr: Tr, language: str) -> str:
    rows: list[str] = []
    for which in _DETAIL_FIELDS:
        label = escape(tr(f"digitalnah.field.{which.value}"))
        if which is Field.AVAILABLE_SINCE:
            if offering.available_since is None:
                continue
            day = offering.available_since
            value = f'<time datetime="{day.isoformat()}">{format_date(day, language)}</time>'
        else:
            if not one_line(offering.get(which)):
                continue
            value = _text(offering.get(which))
        rows.append(f"<dt>{label}</dt><dd>{value}</dd>")
    tags = [t for t in (one_line(t) for t in offering.tags) if t]
    if tags:
        items = "".join(f"<li>{escape(t, quote=True)}</li>" for t in tags)
        label = escape(tr("digitalnah.field.tags"))
        rows.append(f'<dt>{label}</dt><dd><ul class="tags">{items}</ul></dd>')
    return "<dl>\n" + "\n".join(rows) + "\n</dl>" if rows else ""


def _article(offering: Offering, tr: Tr, language: str, image_url: str | None) -> str:
    anchor = offering_anchor(offering)
    heading = _text(offering.title)
    if safe_link(offering.link):
        heading = f'<a href="{escape(offering.link, quote=True)}">{heading}</a>'
    parts = [
        f'<article id="{anchor}" aria-labelledby="{anchor}-titel">',
        f'<h3 id="{anchor}-titel">{heading}</h3>',
    ]
    if image_url:
        parts.append(f'<img src="{escape(image_url, quote=True)}" alt="">')
    parts.append(_paragraphs(offering.description))
    details = _details(offering, tr, language)
    if details:
        parts.append(details)
    parts.append("</article>")
    return "\n".join(p for p in parts if p)


def _with_time(template: str, instant: datetime, site: SiteSettings) -> str:
    """Escape a translated sentence and put a ``time`` element where ``\\x00`` stands."""
    shown = format_instant(instant, site.language, site.zone)
    element = f'<time datetime="{rfc3339(instant)}">{escape(shown)}</time>'
    return escape(template).replace("\x00", element)


def render_html(
    offerings: Iterable[Offering],
    site: SiteSettings,
    *,
    tr: Tr,
    generated_at: datetime,
    image_urls: Mapping[int, str] | None = None,
) -> str:
    """The page for the approved offerings among ``offerings`` (others are left out).

    ``tr`` speaks ``site.language``; ``image_urls`` maps offering ids to a public image
    URL (e.g. a file the caller copied into the output directory)."""
    groups = by_category(published(offerings), site.categories)
    images = image_urls or {}
    title = _text(site.title)
    intro = site.description or tr("digitalnah.page.intro")
    head = [
        "<!DOCTYPE html>",
        f'<html lang="{escape(site.language, quote=True)}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{title}</title>",
        f'<link rel="alternate" type="application/atom+xml" title="{title} (Atom)" '
        f'href="{ATOM_FILE}">',
        f'<link rel="alternate" type="application/feed+json" title="{title} (JSON Feed)" '
        f'href="{JSON_FEED_FILE}">',
        f"<style>\n{CSS}\n</style>",
        "</head>",
        "<body>",
        f'<a class="skip-link" href="#inhalt">{escape(tr("digitalnah.page.skip_link"))}</a>',
        "<header>",
        f"<h1>{title}</h1>",
        _paragraphs(intro),
    ]
    if groups:
        links = "".join(
            f'<li><a href="#kategorie-{slug(c)}">{_text(c)}</a> ({len(items)})</li>'
            for c, items in groups
        )
        nav_label = escape(tr("digitalnah.page.categories"), quote=True)
        head.append(f'<nav aria-label="{nav_label}"><ul>{links}</ul></nav>')
    head += ["</header>", '<main id="inhalt" tabindex="-1">']
    body: list[str] = []
    for category, items in groups:
        section_id = f"kategorie-{slug(category)}"
        body.append(f'<section id="{section_id}" aria-labelledby="{section_id}-titel">')
        body.append(f'<h2 id="{section_id}-titel">{_text(category)}</h2>')
        body.extend(
            _article(o, tr, site.language, images.get(o.id) if o.id is not None else None)
            for o in items
        )
        body.append("</section>")
    if not groups:
        body.append(f"<p>{escape(tr('digitalnah.page.empty'))}</p>")
    feeds = (
        (ATOM_FILE, "digitalnah.page.feed_atom"),
        (JSON_FEED_FILE, "digitalnah.page.feed_json"),
        (MARKDOWN_FILE, "digitalnah.page.feed_markdown"),
        (CSV_FILE, "digitalnah.page.feed_csv"),
    )
    feed_links = "".join(f'<li><a href="{f}">{escape(tr(key))}</a></li>' for f, key in feeds)
    foot = [
        "</main>",
        "<footer>",
        f"<p>{_with_time(tr('digitalnah.page.updated', time=chr(0)), generated_at, site)}</p>",
        f'<ul aria-label="{escape(tr("digitalnah.page.feeds"), quote=True)}">{feed_links}</ul>',
        "</footer>",
        "</body>",
        "</html>",
    ]
    return "\n".join(line for line in (*head, *body, *foot) if line) + "\n"
