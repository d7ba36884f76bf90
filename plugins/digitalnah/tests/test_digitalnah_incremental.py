"""Publishing renders again only the pages and feed documents whose inputs changed."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from pathlib import Path

from digitalnah.catalogue import translator
from digitalnah.model import Offering, OfferingState
from digitalnah.publisher import publish_files
from digitalnah.render import SiteSettings, render_all, render_changed
from digitalnah.schema import MIGRATIONS
from digitalnah.store import OfferingStore
from homeoffice_bot.kernel.ids import UserID
from homeoffice_bot.kernel.storage import Database

NOW = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)
LATER = NOW + timedelta(days=3)
SITE = SiteSettings(base_url="https://stadt.example.org")
TR = translator("de")
CATEGORIES = ("Mobilität", "Bildung & Schule", "Soziales")
EXPORTS = {"angebote.md", "angebote.csv"}


def offering(number: int, *, title: str = "", category: str = "") -> Offering:
    at = NOW - timedelta(minutes=200 - number)
    return Offering(
        submitter=UserID("@anna:example.org"),
        created_at=at,
        updated_at=at,
        id=number,
        title=title or f"Angebot {number:03d}",
        description="Online beantragen, ohne Termin.",
        link=f"https://stadt.example.org/angebote/{number}",
        category=category or CATEGORIES[number % len(CATEGORIES)],
        state=OfferingState.APPROVED,
        approved_at=at,
    )


MANY = [offering(n) for n in range(1, 121)]
"""120 offerings: three categories of 40, four pages of 10 each; two feed archives."""


def test_nothing_changed_renders_only_the_exports() -> None:
    first = render_changed(MANY, SITE, tr=TR, generated_at=NOW, page_size=10)
    assert first.kept == frozenset()
    assert set(first.files) == set(first.keys) | EXPORTS
    again = render_changed(MANY, SITE, tr=TR, generated_at=LATER, page_size=10, known=first.keys)
    assert set(again.files) == EXPORTS
    assert again.kept == frozenset(first.keys)
    assert again.names == set(first.files)


def test_a_changed_offering_renders_its_page_and_archive_documents_again() -> None:
    first = render_changed(MANY, SITE, tr=TR, generated_at=NOW, page_size=10)
    number = 4  # in "Bildung & Schule" (4 % 3 == 1), an old one: not on the index page
    changed = [
        dataclasses.replace(o, description="Jetzt auch mit Video-Beratung.", updated_at=LATER)
        if o.id == number
        else o
        for o in MANY
    ]
    again = render_changed(changed, SITE, tr=TR, generated_at=LATER, page_size=10, known=first.keys)
    page = "kategorie-bildung-schule.html"
    archives = {"atom-archiv-1.xml", "feed-archiv-1.json"}
    # atom.xml's <updated> is the newest change of any offering (RFC 4287)
    assert set(again.files) == {page, "atom.xml"} | archives | EXPORTS
    assert b"Video-Beratung" in again.files[page]
    assert b"05.11.2026" in again.files[page]  # "Stand" of the page: now
    full = render_all(changed, SITE, tr=TR, generated_at=LATER, page_size=10)
    assert {name: full[name] for name in again.files} == again.files


def test_a_new_offering_changes_every_page_that_counts_the_categories() -> None:
    first = render_changed(MANY, SITE, tr=TR, generated_at=NOW, page_size=10)
    new = offering(121, title="Wohngeld online")
    again = render_changed(
        [*MANY, new], SITE, tr=TR, generated_at=LATER, page_size=10, known=first.keys
    )
    pages = {name for name in first.keys if name.endswith(".html")}
    assert pages <= set(again.files)  # the navigation shows each category's count
    assert {"atom.xml", "feed.json"} <= set(again.files)
    assert "atom-archiv-1.xml" in again.kept


def test_settings_and_own_templates_are_part_of_every_key(tmp_path: Path) -> None:
    first = render_changed(MANY, SITE, tr=TR, generated_at=NOW, page_size=10)
    titled = dataclasses.replace(SITE, title="Digitale Angebote der Stadt")
    again = render_changed(MANY, titled, tr=TR, generated_at=NOW, page_size=10, known=first.keys)
    assert again.kept == frozenset()
    own = tmp_path / "design"
    own.mkdir()
    (own / "index.html").write_text(
        '{% extends "standard/index.html" %}{% block main %}Eigene Seite{% endblock %}',
        encoding="utf-8",
    )
    designed = render_changed(
        MANY, SITE, tr=TR, generated_at=NOW, page_size=10, template_dir=own, known=first.keys
    )
    assert designed.kept == frozenset()
    (own / "index.html").write_text("Anders", encoding="utf-8")
    redesigned = render_changed(
        MANY, SITE, tr=TR, generated_at=NOW, page_size=10, template_dir=own, known=designed.keys
    )
    assert redesigned.kept == frozenset()


async def test_the_worker_keeps_unchanged_files_and_renders_missing_ones(tmp_path: Path) -> None:
    db = Database(tmp_path / "db.sqlite3")
    await db.open()
    await db.migrate("digitalnah", MIGRATIONS)
    store = OfferingStore(db)
    out = tmp_path / "public"
    try:
        for item in MANY:
            await store.commit(dataclasses.replace(item, id=None))
        first = await publish_files(store, SITE, out, now=NOW, page_size=10)
        assert first.written == len(first.sizes)
        untouched = "kategorie-soziales-2.html"
        before = (out / untouched).read_bytes()
        (out / "kategorie-mobilitaet-3.html").unlink()  # gone by hand

        again = await publish_files(store, SITE, out, now=LATER, page_size=10)
        assert again.sizes == first.sizes
        assert again.written == len(EXPORTS) + 1
        assert (out / "kategorie-mobilitaet-3.html").is_file()
        assert (out / untouched).read_bytes() == before  # its "Stand" is its last change

        stored = await store.get(4)
        assert stored is not None
        await store.commit(dataclasses.replace(stored, title="Angebot 004 mit Video-Beratung"))
        changed = await publish_files(store, SITE, out, now=LATER, page_size=10)
        assert changed.written == len(EXPORTS) + 3  # its page and its two archive documents
        # (its time of change stays: atom.xml's <updated> has not moved)
        assert "Video-Beratung" in (out / "kategorie-bildung-schule.html").read_text("utf-8")
    finally:
        await db.close()
