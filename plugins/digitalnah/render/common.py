"""What every output shares: site settings, file names, which offerings are published and
in what order, stable ids and URLs, dates, and safe link destinations for Markdown (user
text in Markdown files goes through the kernel's ``escaping.escape_for_file``)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from digitalnah.categories import fold
from digitalnah.model import DEFAULT_CATEGORIES, Offering, OfferingState
from digitalnah.validate import link_problem, without_control_chars

HTML_FILE = "index.html"
ATOM_FILE = "atom.xml"
JSON_FEED_FILE = "feed.json"
MARKDOWN_FILE = "angebote.md"
CSV_FILE = "angebote.csv"

CONTENT_TYPES: dict[str, str] = {
    HTML_FILE: "text/html; charset=utf-8",
    ATOM_FILE: "application/atom+xml; charset=utf-8",
    JSON_FEED_FILE: "application/feed+json; charset=utf-8",
    MARKDOWN_FILE: "text/markdown; charset=utf-8",
    CSV_FILE: "text/csv; charset=utf-8",
}
"""The fixed files ``render_all`` produces and the Content-Type to serve each with; category
pages and archive documents get theirs by extension (``content_type``)."""
MANIFEST_FILE = ".published.json"
"""Written last by the publisher: which files are published and where each offering is.
Only the files it lists are served."""
_EXTENSION_TYPES = {
    ".html": CONTENT_TYPES[HTML_FILE],
    ".xml": CONTENT_TYPES[ATOM_FILE],
    ".json": CONTENT_TYPES[JSON_FEED_FILE],
    ".md": CONTENT_TYPES[MARKDOWN_FILE],
    ".csv": CONTENT_TYPES[CSV_FILE],
}
_FILE_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*\.(html|xml|json|md|csv)$")


def content_type(name: str) -> str | None:
    """The Content-Type for a published file name, None for a name we never write."""
    if not _FILE_NAME.match(name):
        return None
    return _EXTENSION_TYPES["." + name.rsplit(".", 1)[1]]


@dataclass(frozen=True, slots=True)
class SiteSettings:
    """Where and how the #DigitalNah page is published."""

    base_url: str = "http://localhost:8080"
    """Public origin of the bot's web server, e.g. ``https://bot.paderborn.de``."""
    path: str = "/digitalnah/"
    """Where the output directory is served."""
    title: str = "#DigitalNah"
    description: str = ""
    """Intro text under the page title; empty: the catalogue's default intro."""
    publisher: str = ""
    """Who publishes, e.g. "Stadt Paderborn" (feed author); empty: the title."""
    language: str = "de"
    categories: tuple[str, ...] = DEFAULT_CATEGORIES
    """Section order on the page."""
    zone: str = "Europe/Berlin"
    """Time zone for the "as of" time shown on the page."""

    @property
    def page_url(self) -> str:
        """Absolute URL of the page, ending in ``/``."""
        path = "/" + self.path.strip("/")
        return self.base_url.rstrip("/") + (path.rstrip("/") + "/")

    def url_for(self, filename: str) -> str:
        return self.page_url + filename

    def offering_url(self, offering: Offering) -> str:
        """A stable link to an offering: the web server redirects it to the page the
        offering is on now (``pages.routes``)."""
        return self.url_for(offering_anchor(offering))

    @property
    def author(self) -> str:
        return self.publisher or self.title


def safe_link(url: str) -> bool:
    """Only http(s) links without whitespace or control characters are ever output."""
    return link_problem(url) is None


def published(offerings: Iterable[Offering]) -> list[Offering]:
    """Only approved offerings, newest approval first."""
    approved = [o for o in offerings if o.state is OfferingState.APPROVED]
    return sorted(approved, key=lambda o: (published_at(o), o.id or 0), reverse=True)


def published_at(offering: Offering) -> datetime:
    return offering.approved_at or offering.created_at


def by_category(
    offerings: Iterable[Offering], categories: Sequence[str]
) -> list[tuple[str, list[Offering]]]:
    """Non-empty groups in the configured order (unknown categories after them, sorted),
    offerings alphabetically inside each group."""
    groups: dict[str, list[Offering]] = {}
    for offering in offerings:
        groups.setdefault(offering.category, []).append(offering)
    order = [c for c in categories if c in groups]
    order += sorted((c for c in groups if c not in categories), key=str.casefold)
    return [(c, sorted(groups[c], key=lambda o: o.title.casefold())) for c in order]


def clean_text(text: str) -> str:
    """Drop control characters (newline and tab stay) and bidi overrides: they are
    invalid in XML and could disguise text."""
    return without_control_chars(text)


def one_line(text: str) -> str:
    return " ".join(clean_text(text).split())


def slug(text: str) -> str:
    """An ASCII id fragment: "Bildung & Schule" -> "bildung-schule"."""
    words = re.split(r"[^0-9a-z]+", "".join(fold(w) + " " for w in text.split()))
    return "-".join(w for w in words if w) or "x"


def offering_anchor(offering: Offering) -> str:
    return f"angebot-{offering.id if offering.id is not None else 0}"


def offering_tag_uri(offering: Offering, site: SiteSettings) -> str:
    """A stable RFC 4151 id: ``tag:host,YYYY-MM-DD:digitalnah/ID`` (creation date)."""
    host = urlsplit(site.base_url).hostname or "localhost"
    day = offering.created_at.astimezone(UTC).date().isoformat()
    return f"tag:{host},{day}:digitalnah/{offering.id if offering.id is not None else 0}"


def rfc3339(instant: datetime) -> str:
    return instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def format_date(day: date, language: str) -> str:
    return day.strftime("%d.%m.%Y") if language == "de" else day.isoformat()


def format_instant(instant: datetime, language: str, zone: str) -> str:
    local = instant.astimezone(ZoneInfo(zone))
    return (
        local.strftime("%d.%m.%Y, %H:%M") if language == "de" else local.strftime("%Y-%m-%d %H:%M")
    )


def markdown_url(url: str) -> str:
    """A validated http(s) URL made safe as a Markdown link destination."""
    safe = one_line(url).replace(" ", "%20")
    for char, code in (("(", "%28"), (")", "%29"), ("<", "%3C"), (">", "%3E"), ('"', "%22")):
        safe = safe.replace(char, code)
    return safe
