"""Which offering goes into which published file: the index, one page per category
(split into numbered pages of ``page_size``), and the feeds' archive documents.

Pure planning, no markup: the renderers turn a plan into files.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from digitalnah.model import Offering
from digitalnah.render.common import by_category, offering_anchor, slug

FEED_SIZE = 50
"""Entries in ``atom.xml`` and ``feed.json`` (the newest) and per archive document."""
INDEX_SIZE = 20
"""The newest offerings shown on the index page."""
MAX_PAGE_SIZE = 50
"""Offerings per category page at most: with every field at its longest and every
character escaped, 50 articles stay well under 1 MB."""


@dataclass(frozen=True, slots=True)
class CategoryPages:
    """One category's offerings (alphabetical) cut into pages."""

    name: str
    slug: str
    pages: tuple[tuple[Offering, ...], ...]

    @property
    def count(self) -> int:
        return sum(len(page) for page in self.pages)

    def file(self, number: int) -> str:
        """``kategorie-mobilitaet.html``, then ``kategorie-mobilitaet-2.html`` …"""
        suffix = "" if number == 1 else f"-{number}"
        return f"kategorie-{self.slug}{suffix}.html"

    @property
    def files(self) -> list[str]:
        return [self.file(n) for n in range(1, len(self.pages) + 1)]


def plan_categories(
    items: Sequence[Offering], categories: Sequence[str], page_size: int
) -> list[CategoryPages]:
    """Category pages for published ``items`` in the configured order; slugs are unique
    (a second "Bildung/Schule" after "Bildung & Schule" becomes ``bildung-schule-2``)."""
    size = max(1, min(page_size, MAX_PAGE_SIZE))
    plans: list[CategoryPages] = []
    taken: set[str] = set()
    for name, group in by_category(items, categories):
        base = slug(name)
        unique, n = base, 1
        while unique in taken:
            n += 1
            unique = f"{base}-{n}"
        taken.add(unique)
        pages = tuple(tuple(group[i : i + size]) for i in range(0, len(group), size))
        plans.append(CategoryPages(name, unique, pages))
    return plans


def locations(plans: Sequence[CategoryPages]) -> dict[int, str]:
    """Offering id -> ``file#anchor`` of the category page it is on."""
    found: dict[int, str] = {}
    for plan in plans:
        for number, page in enumerate(plan.pages, 1):
            for offering in page:
                if offering.id is not None:
                    found[offering.id] = f"{plan.file(number)}#{offering_anchor(offering)}"
    return found


def archive_number(offering: Offering) -> int:
    """Archive documents hold offerings by number: 1 has #1–#50, 2 has #51–#100 …, so a
    document changes only when one of its own offerings does (RFC 5005 wants archives
    stable)."""
    return max(0, (offering.id or 1) - 1) // FEED_SIZE + 1


def plan_archives(items: Sequence[Offering]) -> list[tuple[int, list[Offering]]]:
    """(archive number, its offerings newest first) from oldest to newest archive;
    none while the current feed holds every published offering."""
    if len(items) <= FEED_SIZE:
        return []
    groups: dict[int, list[Offering]] = {}
    for offering in items:  # items are newest first; so are the groups
        groups.setdefault(archive_number(offering), []).append(offering)
    return sorted(groups.items())
