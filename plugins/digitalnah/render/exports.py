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
from homeoffice_bot.kernel.escaping import escape_for_file

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
PART_LIMIT = 900_000
"""Bytes per export file at most; more offerings go on in ``angebote-2.csv`` … ."""


def render_csv(offerings: Iterable[Offering]) -> str:
    """RFC 4180 CSV (comma, CRLF, UTF-8) of the approved offerings, newest first."""
    return _csv_line(CSV_COLUMNS) + "".join(_csv_rows(offerings))


def render_csv_parts(offerings: Iterable[Offering], limit: int = PART_LIMIT) -> list[str]:
    """``render_csv`` cut into files of at most ``limit`` bytes, each with the header."""
    return split_parts(_csv_line(CSV_COLUMNS), _csv_rows(offerings), "", limit)


def _csv_line(cells: Iterable[str]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerow(cells)
    return out.getvalue()


def _csv_rows(offerings: Iterable[Offering]) -> list[str]:
    rows: list[str] = []
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
        rows.append(_csv_line(guard_formula(cell) for cell in row))
    return rows


def split_parts(head: str, chunks: Iterable[str], foot: str, limit: int) -> list[str]:
    """``head + chunks… + foot`` as few texts as possible of at most ``limit`` UTF-8 bytes
    each (a single chunk longer than that gets a part of its own)."""
    base = len(head.encode()) + len(foot.encode())
    parts: list[str] = []
    current: list[str] = []
    size = base
    for chunk in chunks:
        length = len(chunk.encode())
        if current and size + length > limit:
            parts.append(head + "".join(current) + foot)
            current, size = [], base
        current.append(chunk)
        size += length
    parts.append(head + "".join(current) + foot)
    return parts


def part_name(name: str, number: int) -> str:
    """``angebote.csv``, then ``angebote-2.csv`` …"""
    stem, extension = name.rsplit(".", 1)
    return name if number == 1 else f"{stem}-{number}.{extension}"


def markdown_text(text: str) -> str:
    """User text for the Markdown file, on one line (control characters and bidi overrides
    dropped), escaped by the kernel's rule for Markdown files."""
    return escape_for_file(one_line(text))


def markdown_entry(offering: Offering, tr: Tr, language: str) -> str:
    """``- **[Titel](link)**: Beschreibung`` plus the known details, all escaped."""
    title = markdown_text(offering.title)
    if safe_link(offering.link):
        title = f"[{title}]({markdown_url(offering.link)})"
    line = f"- **{title}**"
    if one_line(offering.description):
        line += ": " + markdown_text(offering.description)
    details: list[str] = []
    for which in (Field.PROVIDER, Field.TARGET_GROUP, Field.CONTACT):
        value = one_line(offering.get(which))
        if value:
            details.append(f"{tr(f'digitalnah.field.{which.value}')}: {markdown_text(value)}")
    if offering.available_since:
        label = tr("digitalnah.field.available_since")
        details.append(f"{label}: {format_date(offering.available_since, language)}")
    tags = [markdown_text(t) for t in offering.tags if one_line(t)]
    if tags:
        details.append(f"{tr('digitalnah.field.tags')}: {', '.join(tags)}")
    if details:
        line += "  \n  " + "; ".join(details)
    return line


def render_markdown(
    offerings: Iterable[Offering], site: SiteSettings, *, tr: Tr, generated_at: datetime
) -> str:
    """The approved offerings as a Markdown document: a heading per category, a list item
    per offering. User text is escaped (``markdown_text``), links are http(s) only."""
    return render_markdown_parts(offerings, site, tr=tr, generated_at=generated_at, limit=0)[0]


def render_markdown_parts(
    offerings: Iterable[Offering],
    site: SiteSettings,
    *,
    tr: Tr,
    generated_at: datetime,
    limit: int = PART_LIMIT,
) -> list[str]:
    """``render_markdown`` cut into files of at most ``limit`` bytes (0: one file); a
    category that goes on in the next file gets its heading there again."""
    intro = site.description or tr("digitalnah.page.intro")
    head = f"# {markdown_text(site.title)}\n\n{markdown_text(intro)}\n\n"
    shown = format_instant(generated_at, site.language, site.zone)
    foot = markdown_text(tr("digitalnah.page.updated", time=shown)) + "\n"
    groups = by_category(published(offerings), site.categories)
    if not groups:
        return [head + markdown_text(tr("digitalnah.page.empty")) + "\n\n" + foot]
    base = len(head.encode()) + len(foot.encode())
    parts: list[str] = []
    lines: list[str] = []
    size = base
    for category, items in groups:
        heading = f"## {markdown_text(category)}\n\n"
        lines.append(heading)
        size += len(heading.encode())
        for index, offering in enumerate(items):
            entry = markdown_entry(offering, tr, site.language) + "\n"
            length = len(entry.encode()) + 1
            if limit and index and size + length > limit:
                parts.append(head + "".join(lines) + "\n" + foot)
                lines, size = [heading], base + len(heading.encode())
            lines.append(entry)
            size += length
        lines.append("\n")
    parts.append(head + "".join(lines) + foot)
    return parts
