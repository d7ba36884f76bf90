"""Markdown list and CSV (for CMS import) of approved offerings."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import datetime

from digitalnah.model import Field, Offering, Tr
from digitalnah.render.common import (
    SiteSettings,
    by_category,
    clean_text,
    escape_markdown,
    format_date,
    format_instant,
    markdown_url,
    one_line,
    published,
    published_at,
    rfc3339,
    safe_link,
)
from homeoffice_bot.kernel.csv_safety import guard_formula

CSV_COLUMNS: tuple[str, ...] = (
    "id",
    "title",
    "description",
    "link",
    "category",
    "provider",
    "target_group",
    "available_since",
    "contact",
    "tags",
    "published",
    "updated",
)
"""CSV header (stable English column names for importers); tags are joined with "; "."""


def render_csv(offerings: Iterable[Offering]) -> str:
    """RFC 4180 CSV (comma, CRLF, UTF-8) of the approved offerings, newest first."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for o in published(offerings):
        row = (
            str(o.id if o.id is not None else ""),
            one_line(o.title),
            clean_text(o.description).strip(),
            o.link if safe_link(o.link) else "",
            one_line(o.category),
            one_line(o.provider),
            one_line(o.target_group),
            o.available_since.isoformat() if o.available_since else "",
            one_line(o.contact),
            "; ".join(one_line(t) for t in o.tags if one_line(t)),
            rfc3339(published_at(o)),
            rfc3339(o.updated_at),
        )
        writer.writerow([guard_formula(cell) for cell in row])
    return out.getvalue()


def markdown_entry(offering: Offering, tr: Tr, language: str) -> str:
    """``- **[Titel](link)**: Beschreibung`` plus the known details, all escaped."""
    title = escape_markdown(offering.title)
    if safe_link(offering.link):
        title = f"[{title}]({markdown_url(offering.link)})"
    line = f"- **{title}**"
    if one_line(offering.description):
        line += ": " + escape_markdown(offering.description)
    details: list[str] = []
    for which in (Field.PROVIDER, Field.TARGET_GROUP, Field.CONTACT):
        value = one_line(offering.get(which))
        if value:
            details.append(f"{tr(f'digitalnah.field.{which.value}')}: {escape_markdown(value)}")
    if offering.available_since:
        label = tr("digitalnah.field.available_since")
        details.append(f"{label}: {format_date(offering.available_since, language)}")
    tags = [escape_markdown(t) for t in offering.tags if one_line(t)]
    if tags:
        details.append(f"{tr('digitalnah.field.tags')}: {', '.join(tags)}")
    if details:
        line += "  \n  " + "; ".join(details)
    return line


def render_markdown(
    offerings: Iterable[Offering], site: SiteSettings, *, tr: Tr, generated_at: datetime
) -> str:
    """The approved offerings as a Markdown document: a heading per category, a list item
    per offering. User text is escaped (``escape_markdown``), links are http(s) only."""
    lines = [f"# {escape_markdown(site.title)}", ""]
    intro = site.description or tr("digitalnah.page.intro")
    lines += [escape_markdown(intro), ""]
    groups = by_category(published(offerings), site.categories)
    for category, items in groups:
        lines += [f"## {escape_markdown(category)}", ""]
        lines += [markdown_entry(o, tr, site.language) for o in items]
        lines.append("")
    if not groups:
        lines += [escape_markdown(tr("digitalnah.page.empty")), ""]
    shown = format_instant(generated_at, site.language, site.zone)
    lines.append(escape_markdown(tr("digitalnah.page.updated", time=shown)))
    return "\n".join(lines) + "\n"
