"""The #DigitalNah pages: accessible, semantic HTML5 without JavaScript, from Jinja2
templates with autoescaping.

``index.html`` shows the categories with their counts and the newest offerings; each
category has its own pages (``kategorie-<slug>.html``, ``-2.html`` …) with numbered
pagination. A skip link, ``lang`` on the document, ``time`` elements for dates, visible
focus and high-contrast inline CSS come from the built-in templates
(``digitalnah/templates``). An admin may put templates of the same names into their own
folder (``template_dir``) for the city's corporate design; ``standard/<name>`` still
reaches the built-in one. Every value a template prints is escaped.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from jinja2 import (
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    PrefixLoader,
    StrictUndefined,
)
from markupsafe import Markup, escape

from digitalnah.model import Field, Offering, Tr
from digitalnah.render.changes import Pending, digest
from digitalnah.render.common import (
    ATOM_FILE,
    CSV_FILE,
    HTML_FILE,
    JSON_FEED_FILE,
    MARKDOWN_FILE,
    SiteSettings,
    clean_text,
    format_date,
    format_instant,
    offering_anchor,
    one_line,
    published,
    rfc3339,
    safe_link,
)
from digitalnah.render.exports import part_name
from digitalnah.render.layout import INDEX_SIZE, MAX_PAGE_SIZE, CategoryPages, plan_categories

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
"""The built-in templates."""
_DETAIL_FIELDS = (Field.PROVIDER, Field.TARGET_GROUP, Field.AVAILABLE_SINCE, Field.CONTACT)


@dataclass(frozen=True, slots=True)
class Detail:
    label: str
    text: str
    datetime: str = ""
    """Set for dates: the ``datetime`` attribute of a ``time`` element."""


@dataclass(frozen=True, slots=True)
class OfferingView:
    """What a template gets for one offering: cleaned text, never raw markup."""

    anchor: str
    title: str
    link: str
    """Empty when the offering's link is not a safe http(s) link."""
    image: str
    paragraphs: list[list[str]]
    details: list[Detail]
    tags: list[str]
    category: str
    offering: Offering
    """Everything else, for own templates (printed escaped like the rest)."""


@dataclass(frozen=True, slots=True)
class CategoryLink:
    name: str
    file: str
    count: int
    current: bool = False


@dataclass(frozen=True, slots=True)
class Pager:
    number: int
    files: list[str]

    @property
    def previous(self) -> str:
        return self.files[self.number - 2] if self.number > 1 else ""

    @property
    def next(self) -> str:
        return self.files[self.number] if self.number < len(self.files) else ""


@dataclass(frozen=True, slots=True)
class FeedLink:
    file: str
    label: str


def environment(template_dir: Path | None = None) -> Environment:
    """Templates from ``template_dir`` first, then the built-in ones; autoescaping on for
    every template, unknown variables are errors."""
    standard = FileSystemLoader(TEMPLATES)
    loaders: list[Any] = [FileSystemLoader(template_dir)] if template_dir else []
    loaders += [standard, PrefixLoader({"standard": standard})]
    return Environment(
        loader=ChoiceLoader(loaders),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def paragraphs(text: str) -> list[list[str]]:
    """Blocks separated by an empty line, each a list of its lines."""
    blocks = [b.strip() for b in clean_text(text).replace("\r", "").split("\n\n") if b.strip()]
    return [[line.strip() for line in block.split("\n")] for block in blocks]


def offering_view(offering: Offering, tr: Tr, language: str, image: str = "") -> OfferingView:
    details: list[Detail] = []
    for which in _DETAIL_FIELDS:
        label = tr(f"digitalnah.field.{which.value}")
        if which is Field.AVAILABLE_SINCE:
            day = offering.available_since
            if day is not None:
                details.append(Detail(label, format_date(day, language), day.isoformat()))
        elif one_line(offering.get(which)):
            details.append(Detail(label, one_line(offering.get(which))))
    return OfferingView(
        anchor=offering_anchor(offering),
        title=one_line(offering.title),
        link=offering.link if safe_link(offering.link) else "",
        image=image,
        paragraphs=paragraphs(offering.description),
        details=details,
        tags=[t for t in (one_line(t) for t in offering.tags) if t],
        category=one_line(offering.category),
        offering=offering,
    )


def updated_sentence(tr: Tr, instant: datetime, site: SiteSettings) -> Markup:
    """The escaped "Stand: …" sentence with a ``time`` element in it."""
    shown = format_instant(instant, site.language, site.zone)
    element = Markup('<time datetime="{}">{}</time>').format(rfc3339(instant), shown)
    return escape(tr("digitalnah.page.updated", time="\x00")).replace("\x00", element)


def feed_links(tr: Tr, exports: Mapping[str, int] | None = None) -> list[FeedLink]:
    """The feeds and exports; ``exports`` says into how many files an export is cut."""
    links = [
        FeedLink(ATOM_FILE, tr("digitalnah.page.feed_atom")),
        FeedLink(JSON_FEED_FILE, tr("digitalnah.page.feed_json")),
    ]
    for file, key in (
        (MARKDOWN_FILE, "digitalnah.page.feed_markdown"),
        (CSV_FILE, "digitalnah.page.feed_csv"),
    ):
        parts = (exports or {}).get(file, 1)
        if parts == 1:
            links.append(FeedLink(file, tr(key)))
            continue
        links += [
            FeedLink(
                part_name(file, n), tr("digitalnah.page.part", name=tr(key), part=n, parts=parts)
            )
            for n in range(1, parts + 1)
        ]
    return links


def render_pages(
    offerings: Iterable[Offering],
    site: SiteSettings,
    *,
    tr: Tr,
    generated_at: datetime,
    image_urls: Mapping[int, str] | None = None,
    template_dir: Path | None = None,
    page_size: int = MAX_PAGE_SIZE,
    exports: Mapping[str, int] | None = None,
) -> dict[str, str]:
    """Every HTML file (name -> text) for the approved offerings among ``offerings``.

    ``tr`` speaks ``site.language``; ``image_urls`` maps offering ids to a public image
    URL (e.g. a file the caller copied into the output directory); ``exports`` says into
    how many files each export is cut (see ``feed_links``)."""
    pending = pending_pages(
        offerings,
        site,
        tr=tr,
        generated_at=generated_at,
        image_urls=image_urls,
        template_dir=template_dir,
        page_size=page_size,
        exports=exports,
    )
    return {name: page.render() for name, page in pending.items()}


def pending_pages(
    offerings: Iterable[Offering],
    site: SiteSettings,
    *,
    tr: Tr,
    generated_at: datetime,
    image_urls: Mapping[int, str] | None = None,
    template_dir: Path | None = None,
    page_size: int = MAX_PAGE_SIZE,
    exports: Mapping[str, int] | None = None,
) -> dict[str, Pending]:
    """``render_pages``, each page not yet rendered: with the key of what it shows (every
    input but the "Stand" time) and how to render it."""
    env = environment(template_dir)
    items = published(offerings)
    plans = plan_categories(items, site.categories, page_size)
    images = image_urls or {}

    def view(o: Offering) -> OfferingView:
        return offering_view(o, tr, site.language, images.get(o.id or 0, ""))

    feeds = feed_links(tr, exports)
    shared: dict[str, Any] = {
        "site": site,
        "t": tr,
        "feeds": feeds,
        "updated": updated_sentence(tr, generated_at, site),
    }
    common = (site, feeds, sorted(images.items()))

    def page(template: str, offerings: Sequence[Offering], **context: Any) -> Pending:
        """A page from ``template``; its key covers everything the template gets but the
        "Stand" time (the offerings before they become views: the views follow from
        them and the code)."""
        key = digest(common, template, offerings, sorted(context.items()))

        def render() -> str:
            views = [view(o) for o in offerings]
            return env.get_template(template).render(shared, offerings=views, **context)

        return Pending(key, render)

    files = {
        HTML_FILE: page(
            "index.html",
            items[:INDEX_SIZE],
            intro=paragraphs(site.description or tr("digitalnah.page.intro")),
            categories=_category_links(plans, None),
            pager=None,
        )
    }
    for plan in plans:
        links = _category_links(plans, plan)
        for number, offerings in enumerate(plan.pages, 1):
            files[plan.file(number)] = page(
                "category.html",
                offerings,
                category=one_line(plan.name),
                categories=links,
                pager=Pager(number, plan.files),
            )
    return files


def _category_links(
    plans: Sequence[CategoryPages], current: CategoryPages | None
) -> list[CategoryLink]:
    return [CategoryLink(one_line(p.name), p.file(1), p.count, current=p is current) for p in plans]


def render_html(
    offerings: Iterable[Offering],
    site: SiteSettings,
    *,
    tr: Tr,
    generated_at: datetime,
    image_urls: Mapping[int, str] | None = None,
    template_dir: Path | None = None,
) -> str:
    """The index page alone (see ``render_pages`` for every page)."""
    pages = render_pages(
        offerings,
        site,
        tr=tr,
        generated_at=generated_at,
        image_urls=image_urls,
        template_dir=template_dir,
    )
    return pages[HTML_FILE]
