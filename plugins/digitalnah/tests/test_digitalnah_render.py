from __future__ import annotations

import csv
import dataclasses
import io
import json
import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import feedparser
import markdown
import pytest

from digitalnah.catalogue import translator
from digitalnah.model import Offering, OfferingState
from digitalnah.render import (
    CONTENT_TYPES,
    FEED_SIZE,
    SiteSettings,
    content_type,
    markdown_text,
    render_all,
    render_atom,
    render_csv,
    render_feeds,
    render_html,
    render_json_feed,
    render_markdown,
    render_pages,
)
from digitalnah.render.layout import INDEX_SIZE
from homeoffice_bot.kernel.csv_safety import guard_formula
from homeoffice_bot.kernel.ids import UserID

NOW = datetime(2024, 5, 1, 7, 30, tzinfo=UTC)
SITE = SiteSettings(base_url="https://bot.example.org", path="digitalnah", publisher="Stadt X")
TR = translator("de", strict=True)
ATOM = "{http://www.w3.org/2005/Atom}"
FH = "{http://purl.org/syndication/history/1.0}"

HOSTILE_TITLE = "<script>alert(1)</script>"
HOSTILE_DESCRIPTION = '"><img src=x onerror=alert(1)>'


def approved(number: int, **fields: Any) -> Offering:
    base = Offering(
        submitter=UserID("@anna:example.org"),
        created_at=NOW - timedelta(days=number),
        updated_at=NOW - timedelta(days=number),
        id=number,
        title=f"Angebot {number}",
        description=f"Beschreibung {number}",
        link=f"https://example.org/{number}",
        category="Mobilität",
        state=OfferingState.APPROVED,
        approved_at=NOW - timedelta(days=number),
    )
    return dataclasses.replace(base, **fields)


TERMINE = approved(
    1,
    title="Online-Terminbuchung fürs Bürgerbüro",
    description="Termine rund um die Uhr buchen.\nOhne Wartezeit.",
    link="https://termine.example.org/buergerbuero",
    category="Bürgerservice & Online-Verwaltung",
    provider="Bürgeramt",
    target_group="alle",
    available_since=date(2024, 4, 1),
    contact="buergeramt@example.org",
    tags=("Termine", "Online"),
)
PARKEN = approved(2, title="Parken per App", category="Mobilität")
HOSTILE = approved(
    3,
    title=HOSTILE_TITLE,
    description=HOSTILE_DESCRIPTION,
    link="javascript:alert(1)",
    category="Kultur & Freizeit",
    provider="<b>Amt</b>",
    tags=("<i>x</i>", "=HYPERLINK(1)"),
)
DRAFT = approved(4, title="Geheimer Entwurf", state=OfferingState.DRAFT, approved_at=None)
PENDING = approved(5, title="Wartet noch", state=OfferingState.PENDING, approved_at=None)
ALL = [TERMINE, PARKEN, HOSTILE, DRAFT, PENDING]


class Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text_by_tag: dict[str, list[str]] = {}
        self._open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag not in ("meta", "link", "br", "img"):
            self._open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self._open:
            while self._open.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        if self._open:
            self.text_by_tag.setdefault(self._open[-1], []).append(data)

    def named(self, tag: str) -> list[dict[str, str | None]]:
        return [attrs for t, attrs in self.tags if t == tag]


def parse_html(text: str) -> Collector:
    collector = Collector()
    collector.feed(text)
    collector.close()
    return collector


def test_index_structure() -> None:
    page = parse_html(render_html(ALL, SITE, tr=TR, generated_at=NOW))
    assert page.named("html") == [{"lang": "de"}]
    skip = page.named("a")[0]
    assert skip == {"class": "skip-link", "href": "#inhalt"}
    assert page.named("main") == [{"id": "inhalt", "tabindex": "-1"}]
    assert page.text_by_tag["h1"] == ["#DigitalNah"]
    assert page.text_by_tag["h2"] == ["Neueste Angebote"]
    nav = [a["href"] for a in page.named("a") if (a.get("href") or "").startswith("kategorie-")]
    assert nav == [
        "kategorie-buergerservice-onlineverwaltung.html",
        "kategorie-kultur-freizeit.html",
        "kategorie-mobilitaet.html",
    ]
    assert len(page.named("article")) == 3
    assert [a["id"] for a in page.named("article")] == ["angebot-1", "angebot-2", "angebot-3"]
    assert page.named("time")[0] == {"datetime": "2024-04-01"}
    assert page.named("script") == []
    assert page.named("style") == [{}]


def test_category_pages_are_numbered_with_previous_and_next() -> None:
    many = [approved(n, title=f"Angebot {n:03}", category="Umwelt") for n in range(1, 24)]
    pages = render_pages([*many, PARKEN], SITE, tr=TR, generated_at=NOW, page_size=10)
    umwelt = ["kategorie-umwelt.html", "kategorie-umwelt-2.html", "kategorie-umwelt-3.html"]
    assert set(pages) == {"index.html", "kategorie-mobilitaet.html", *umwelt}
    second = parse_html(pages[umwelt[1]])
    assert second.text_by_tag["h1"] == ["Umwelt"]
    assert [a["id"] for a in second.named("article")] == [f"angebot-{n}" for n in range(11, 21)]
    assert {"href": umwelt[0], "rel": "prev"} in second.named("a")
    assert {"href": umwelt[2], "rel": "next"} in second.named("a")
    current = {a["href"]: a["aria-current"] for a in second.named("a") if "aria-current" in a}
    assert current == {"kategorie-umwelt.html": "true", umwelt[1]: "page"}
    assert "Seite 2 von 3" in second.text_by_tag["p"]
    last = parse_html(pages[umwelt[2]])
    assert len(last.named("article")) == 3
    assert not [a for a in last.named("a") if a.get("rel") == "next"]
    index = parse_html(pages["index.html"])
    assert len(index.named("article")) == INDEX_SIZE


def test_no_file_grows_past_one_megabyte_at_the_longest_fields() -> None:
    """Every field at its maximum length, every character one that escaping makes longer."""
    worst = [
        approved(
            n,
            title='<&"' * 40,
            description=("<&\"'" * 199 + "\n\n") * 1,
            link="https://example.org/" + "a" * 1970,
            category="Umwelt",
            provider='<&"' * 40,
            target_group='<&"' * 40,
            contact='<&"' * 66,
            tags=tuple(('<&"' * 13) + str(i) for i in range(10)),
        )
        for n in range(1, 260)
    ]
    files = render_all(worst, SITE, tr=TR, generated_at=NOW)
    html = [name for name in files if name.endswith(".html")]
    assert len(html) == 1 + 6  # the index and 259 / 50 category pages
    assert max(len(data) for data in files.values()) < 1_000_000
    assert {"angebote-2.md", "angebote-2.csv"} <= set(files)
    rows = [list(csv.reader(io.StringIO(files[n].decode()))) for n in files if ".csv" in n]
    assert all(part[0][0] == "id" for part in rows)  # every part has the header
    assert sorted(int(row[0]) for part in rows for row in part[1:]) == list(range(1, 260))
    index = parse_html(files["index.html"].decode())
    labels = [f"CSV für den CMS-Import, Teil {n} von {len(rows)}" for n in (1, len(rows))]
    assert set(labels) <= set(index.text_by_tag["a"])


def test_own_templates_override_and_still_escape(tmp_path: Path) -> None:
    (tmp_path / "macros.html").write_text('{% extends "standard/macros.html" %}', encoding="utf-8")
    (tmp_path / "index.html").write_text(
        '{% extends "standard/index.html" %}\n'
        "{% block header %}<h1>Stadt X: {{ site.title }}</h1>"
        '<p class="stadt">{% for o in offerings %}{{ o.title }} {{ o.offering.provider }}'
        "{% endfor %}</p>{% endblock %}",
        encoding="utf-8",
    )
    (tmp_path / "style.css").write_text("body { color: #003366; }", encoding="utf-8")
    text = render_html([HOSTILE], SITE, tr=TR, generated_at=NOW, template_dir=tmp_path)
    page = parse_html(text)
    assert page.text_by_tag["h1"] == ["Stadt X: #DigitalNah"]
    assert "body { color: #003366; }" in text
    assert page.named("script") == []
    assert page.named("b") == []
    assert f"{HOSTILE_TITLE} <b>Amt</b>" in page.text_by_tag["p"]
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &lt;b&gt;Amt&lt;/b&gt;" in text
    assert page.text_by_tag["h3"] == [HOSTILE_TITLE]  # the built-in article, from below


def test_page_shows_details_and_leaves_out_unapproved() -> None:
    text = render_html(ALL, SITE, tr=TR, generated_at=NOW)
    page = parse_html(text)
    assert "Online-Terminbuchung fürs Bürgerbüro" in page.text_by_tag["a"]
    assert page.text_by_tag["dt"][:4] == ["Anbieter/Amt", "Zielgruppe", "Verfügbar seit", "Kontakt"]
    assert "01.04.2024" in page.text_by_tag["time"]
    assert "Termine rund um die Uhr buchen." in page.text_by_tag["p"]
    assert "Geheimer Entwurf" not in text
    assert "Wartet noch" not in text
    assert "@anna:example.org" not in text
    assert {"href": "https://termine.example.org/buergerbuero"} in page.named("a")


def test_hostile_text_is_escaped_in_the_page() -> None:
    text = render_html([HOSTILE], SITE, tr=TR, generated_at=NOW)
    page = parse_html(text)
    assert page.named("script") == []
    assert page.named("img") == []
    assert page.named("b") == []
    assert all(not name.startswith("on") for _, attrs in page.tags for name in attrs)
    assert all("javascript" not in (attrs.get("href") or "") for attrs in page.named("a"))
    assert page.text_by_tag["h3"] == [HOSTILE_TITLE]
    assert HOSTILE_DESCRIPTION in page.text_by_tag["p"]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;" in text


def test_empty_page() -> None:
    page = parse_html(render_html([DRAFT], SITE, tr=TR, generated_at=NOW))
    assert page.named("article") == []
    assert "Zurzeit sind noch keine Angebote veröffentlicht." in page.text_by_tag["p"]


def test_page_in_english_with_image() -> None:
    site = dataclasses.replace(SITE, language="en")
    text = render_html(
        [TERMINE], site, tr=translator("en"), generated_at=NOW, image_urls={1: "a.png"}
    )
    page = parse_html(text)
    assert page.named("html") == [{"lang": "en"}]
    assert page.named("img") == [{"src": "a.png", "alt": ""}]
    assert "Skip to content" in page.text_by_tag["a"]


def test_atom_feed_parses_and_contains_the_offering() -> None:
    text = render_atom(ALL, SITE, tr=TR, generated_at=NOW)
    parsed = feedparser.parse(text)
    assert parsed.bozo == 0
    assert parsed.version == "atom10"
    assert parsed.feed.title == "#DigitalNah"
    assert parsed.feed.id == "https://bot.example.org/digitalnah/"
    assert [e.title for e in parsed.entries] == [
        "Online-Terminbuchung fürs Bürgerbüro",
        "Parken per App",
        HOSTILE_TITLE,
    ]
    first = parsed.entries[0]
    assert first.id == "tag:bot.example.org,2024-04-30:digitalnah/1"
    assert first.link == "https://termine.example.org/buergerbuero"
    assert first.summary == "Termine rund um die Uhr buchen.\nOhne Wartezeit."
    assert first.author == "Bürgeramt"
    assert [t.term for t in first.tags] == [
        "Bürgerservice & Online-Verwaltung",
        "Termine",
        "Online",
    ]
    self_links = [link.href for link in parsed.feed.links if link.rel == "self"]
    assert self_links == ["https://bot.example.org/digitalnah/atom.xml"]


def test_atom_feed_escapes_hostile_text() -> None:
    text = render_atom([HOSTILE], SITE, tr=TR, generated_at=NOW)
    assert "<script" not in text
    assert "<img" not in text
    assert "javascript:" not in text
    root = ET.fromstring(text)
    entry = root.find(f"{ATOM}entry")
    assert entry is not None
    assert entry.findtext(f"{ATOM}title") == HOSTILE_TITLE
    assert entry.findtext(f"{ATOM}summary") == HOSTILE_DESCRIPTION
    assert entry.findtext(f"{ATOM}author/{ATOM}name") == "<b>Amt</b>"


def test_atom_feed_required_elements_when_empty() -> None:
    root = ET.fromstring(render_atom([], SITE, tr=TR, generated_at=NOW))
    assert root.tag == f"{ATOM}feed"
    assert root.findtext(f"{ATOM}updated") == "2024-05-01T07:30:00Z"
    assert root.findtext(f"{ATOM}author/{ATOM}name") == "Stadt X"
    assert root.find(f"{ATOM}entry") is None


def test_control_characters_do_not_break_the_feed() -> None:
    odd = approved(9, title="Ti\x0btel\u202e", description="a\x00b")
    parsed = feedparser.parse(render_atom([odd], SITE, tr=TR, generated_at=NOW))
    assert parsed.bozo == 0
    assert parsed.entries[0].title == "Titel"


def test_json_feed_required_fields() -> None:
    text = render_json_feed(ALL, SITE, tr=TR)
    feed = json.loads(text)
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["title"] == "#DigitalNah"
    assert feed["home_page_url"] == "https://bot.example.org/digitalnah/"
    assert feed["feed_url"] == "https://bot.example.org/digitalnah/feed.json"
    assert feed["language"] == "de"
    assert len(feed["items"]) == 3
    first = feed["items"][0]
    assert {"id", "url", "title", "content_text", "date_published", "tags"} <= set(first)
    assert first["id"] == "tag:bot.example.org,2024-04-30:digitalnah/1"
    assert first["url"] == "https://termine.example.org/buergerbuero"
    assert first["date_published"] == "2024-04-30T07:30:00Z"
    assert first["tags"] == ["Termine", "Online"]
    assert first["_digitalnah"]["category"] == "Bürgerservice & Online-Verwaltung"
    assert first["_digitalnah"]["available_since"] == "2024-04-01"
    assert all(isinstance(item["id"], str) and item["id"] for item in feed["items"])


def test_json_feed_escapes_hostile_text() -> None:
    text = render_json_feed([HOSTILE], SITE, tr=TR)
    assert "<" not in text
    assert ">" not in text
    assert "javascript:" not in text
    item = json.loads(text)["items"][0]
    assert item["title"] == HOSTILE_TITLE
    assert item["content_text"] == HOSTILE_DESCRIPTION
    assert item["url"] == "https://bot.example.org/digitalnah/"


def test_feeds_without_description_fall_back_to_the_title() -> None:
    bare = approved(10, description="")
    item = json.loads(render_json_feed([bare], SITE, tr=TR))["items"][0]
    assert item["content_text"] == "Angebot 10"
    entry = feedparser.parse(render_atom([bare], SITE, tr=TR, generated_at=NOW)).entries[0]
    assert entry.title == "Angebot 10"
    assert "summary" not in entry


def test_markdown_list() -> None:
    text = render_markdown(ALL, SITE, tr=TR, generated_at=NOW)
    assert text.startswith("# \\#DigitalNah\n")
    assert "## Bürgerservice &amp; Online-Verwaltung" in text
    assert (
        "- **[Online-Terminbuchung fürs Bürgerbüro](https://termine.example.org/buergerbuero)**: "
        "Termine rund um die Uhr buchen. Ohne Wartezeit.  \n"
        "  Anbieter/Amt: Bürgeramt; Zielgruppe: alle; Kontakt: buergeramt@example.org; "
        "Verfügbar seit: 01.04.2024; Schlagworte: Termine, Online"
    ) in text
    assert "Geheimer Entwurf" not in text
    assert text.rstrip().endswith("Stand: 01.05.2024, 09:30")


def test_markdown_escapes_hostile_text() -> None:
    text = render_markdown([HOSTILE], SITE, tr=TR, generated_at=NOW)
    assert "<" not in text
    assert "javascript:" not in text
    html = markdown.markdown(text)
    page = parse_html(html)
    assert page.named("script") == []
    assert page.named("img") == []
    assert page.named("b") == []
    assert page.named("a") == []
    assert HOSTILE_TITLE in page.text_by_tag["strong"]


@pytest.mark.parametrize(
    "text",
    [
        "[klick](javascript:alert(1))",
        "<script>alert(1)</script>",
        "![x](https://evil.example/x.png)",
        "**fett** _kursiv_ `code`",
        "# Überschrift",
        "1. Liste",
        "- Liste",
        "<https://evil.example>",
        "&lt;script&gt;",
        "---",
        "+ plus",
        "#hashtag",
        "2024. Jahr",
    ],
)
def test_escape_markdown_renders_literally(text: str) -> None:
    html = markdown.markdown(markdown_text(text))
    page = parse_html(html)
    assert [t for t, _ in page.tags] == ["p"]
    assert "".join(page.text_by_tag["p"]) == text


def test_escape_markdown_leaves_ordinary_text_readable() -> None:
    assert markdown_text("01.04.2024 - Termine + mehr, 50 %") == "01.04.2024 - Termine + mehr, 50 %"
    assert markdown_text("Zeile 1\n\nZeile 2") == "Zeile 1 Zeile 2"


def test_csv_for_cms_import() -> None:
    rows = list(csv.reader(io.StringIO(render_csv(ALL))))
    assert rows[0] == [
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
    ]
    assert rows[1] == [
        "1",
        "Online-Terminbuchung fürs Bürgerbüro",
        "Termine rund um die Uhr buchen.\nOhne Wartezeit.",
        "https://termine.example.org/buergerbuero",
        "Bürgerservice & Online-Verwaltung",
        "Bürgeramt",
        "alle",
        "2024-04-01",
        "buergeramt@example.org",
        "Termine; Online",
        "2024-04-30T07:30:00Z",
        "2024-04-30T07:30:00Z",
    ]
    assert len(rows) == 4
    hostile = rows[3]
    assert hostile[3] == ""
    assert hostile[9] == "<i>x</i>; =HYPERLINK(1)"


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("=SUM(A1)", "'=SUM(A1)"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@cmd", "'@cmd"),
        ("  =1", "'  =1"),
        ("\t=1", "'\t=1"),
        ("Termin", "Termin"),
        ("", ""),
    ],
)
def test_guard_formula(cell: str, expected: str) -> None:
    assert guard_formula(cell) == expected


def test_csv_guards_user_cells() -> None:
    odd = approved(8, title='=HYPERLINK("https://evil")', description="@SUM(1)", provider="-2")
    row = list(csv.reader(io.StringIO(render_csv([odd]))))[1]
    assert row[1] == '\'=HYPERLINK("https://evil")'
    assert row[2] == "'@SUM(1)"
    assert row[5] == "'-2"


def test_render_all_gives_every_file() -> None:
    files = render_all(ALL, SITE, tr=TR, generated_at=NOW)
    assert set(CONTENT_TYPES) < set(files)
    assert all(content_type(name) for name in files)
    assert files["index.html"].startswith(b"<!DOCTYPE html>")
    assert files["kategorie-mobilitaet.html"].startswith(b"<!DOCTYPE html>")
    assert json.loads(files["feed.json"])["items"][0]["title"] == TERMINE.title
    assert feedparser.parse(files["atom.xml"]).bozo == 0


def test_feeds_carry_the_newest_fifty_and_archives_by_number() -> None:
    offerings = [approved(n, title=f"Angebot {n}") for n in range(1, 121)]
    files = render_feeds(offerings, SITE, tr=TR, generated_at=NOW)
    assert sorted(files) == [
        "atom-archiv-1.xml",
        "atom-archiv-2.xml",
        "atom-archiv-3.xml",
        "atom.xml",
        "feed-archiv-1.json",
        "feed-archiv-2.json",
        "feed-archiv-3.json",
        "feed.json",
    ]
    url = "https://bot.example.org/digitalnah/"
    current = ET.fromstring(files["atom.xml"])
    entries = current.findall(f"{ATOM}entry")
    assert len(entries) == FEED_SIZE
    assert entries[0].findtext(f"{ATOM}title") == "Angebot 1"  # approved most recently
    assert links(current) == {
        "self": url + "atom.xml",
        "alternate": url,
        "prev-archive": url + "atom-archiv-3.xml",
    }
    assert current.find(f"{FH}archive") is None
    middle = ET.fromstring(files["atom-archiv-2.xml"])
    assert middle.find(f"{FH}archive") is not None
    assert links(middle) == {
        "self": url + "atom-archiv-2.xml",
        "alternate": url,
        "current": url + "atom.xml",
        "prev-archive": url + "atom-archiv-1.xml",
        "next-archive": url + "atom-archiv-3.xml",
    }
    titles = [e.findtext(f"{ATOM}title") for e in middle.findall(f"{ATOM}entry")]
    assert titles == [f"Angebot {n}" for n in range(51, 101)]
    newest = ET.fromstring(files["atom-archiv-3.xml"])
    assert "next-archive" not in links(newest)
    assert len(newest.findall(f"{ATOM}entry")) == 20
    oldest = ET.fromstring(files["atom-archiv-1.xml"])
    assert "prev-archive" not in links(oldest)
    assert feedparser.parse(files["atom-archiv-1.xml"]).bozo == 0

    chain, name = [], "feed.json"
    while name:
        feed = json.loads(files[name])
        chain.append((name, len(feed["items"])))
        name = feed.get("next_url", "").removeprefix(url)
        assert feed["feed_url"] == url + chain[-1][0]
    assert chain == [
        ("feed.json", 50),
        ("feed-archiv-3.json", 20),
        ("feed-archiv-2.json", 50),
        ("feed-archiv-1.json", 50),
    ]


def test_a_small_feed_says_it_is_complete() -> None:
    files = render_feeds(ALL, SITE, tr=TR, generated_at=NOW)
    assert sorted(files) == ["atom.xml", "feed.json"]
    assert ET.fromstring(files["atom.xml"]).find(f"{FH}complete") is not None
    assert "next_url" not in json.loads(files["feed.json"])


def links(feed: ET.Element) -> dict[str, str]:
    return {link.attrib["rel"]: link.attrib["href"] for link in feed.findall(f"{ATOM}link")}
