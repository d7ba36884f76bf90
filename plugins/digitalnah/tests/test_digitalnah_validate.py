from __future__ import annotations

import dataclasses
import sys
import unicodedata
from datetime import UTC, date, datetime
from typing import Any

import pytest

from digitalnah.catalogue import translator
from digitalnah.categories import fold, resolve_category
from digitalnah.duplicates import duplicate_problems, normalise_link, titles_match
from digitalnah.extract import extract_from_message
from digitalnah.model import DEFAULT_CATEGORIES, Field, Offering, OfferingState, Problem
from digitalnah.replies import render_problem
from digitalnah.validate import (
    has_control_chars,
    link_problem,
    missing_fields,
    parse_date,
    parse_field,
    parse_link,
    parse_tags,
    validate_offering,
    without_control_chars,
)
from homeoffice_bot.kernel.ids import UserID

DE = translator("de", strict=True)
EN = translator("en", strict=True)

CATS = DEFAULT_CATEGORIES
NOW = datetime(2024, 5, 1, 7, 30, tzinfo=UTC)


def offering(**fields: Any) -> Offering:
    base = Offering(
        submitter=UserID("@anna:example.org"),
        created_at=NOW,
        updated_at=NOW,
        title="Online-Terminbuchung",
        description="Termine im Bürgerbüro online buchen.",
        link="https://termine.example.org",
        category="Bürgerservice & Online-Verwaltung",
    )
    return dataclasses.replace(base, **fields)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Bildung", "Bildung & Schule"),
        ("bildung & schule", "Bildung & Schule"),
        ("#Schule", "Bildung & Schule"),
        ("Mobilitaet", "Mobilität"),
        ("MOBILITÄT", "Mobilität"),
        ("Online-Verwaltung", "Bürgerservice & Online-Verwaltung"),
        ("Verwaltung", "Bürgerservice & Online-Verwaltung"),
        ("Gesund", "Gesundheit & Soziales"),
        ("Verkehr", "Mobilität"),
        ("Kategorie", None),
        ("Um", None),
        ("", None),
    ],
)
def test_resolve_category(text: str, expected: str | None) -> None:
    assert resolve_category(text, CATS) == expected


def test_resolve_category_respects_configured_list_and_ambiguity() -> None:
    cats = ("Bildung", "Bildungsurlaub", "Verkehr & Parken")
    assert resolve_category("bildung", cats) == "Bildung"
    assert resolve_category("Bildungs", cats) == "Bildungsurlaub"
    assert resolve_category("Bild", cats) is None
    assert resolve_category("Parken", cats) == "Verkehr & Parken"
    assert resolve_category("Mobilität", cats) is None
    assert resolve_category("Klima", cats) is None


def test_fold() -> None:
    assert fold("Bürgerservice & Online-Verwaltung") == "buergerserviceonlineverwaltung"


@pytest.mark.parametrize(
    "link",
    [
        "https://termine.example.org",
        "http://example.org/a?b=c#d",
        "HTTPS://Example.org/Pfad",
        "<https://example.org/x>",
        "https://bürgerbüro.example/termine",
    ],
)
def test_good_links(link: str) -> None:
    parsed = parse_link(link)
    assert parsed is not None
    assert parsed.startswith(("http://", "https://"))


@pytest.mark.parametrize(
    ("link", "key"),
    [
        ("javascript:alert(1)", "digitalnah.problem.link_scheme"),
        ("JavaScript:alert(1)", "digitalnah.problem.link_scheme"),
        ("data:text/html,<script>alert(1)</script>", "digitalnah.problem.link_scheme"),
        ("vbscript:msgbox", "digitalnah.problem.link_scheme"),
        ("ftp://example.org", "digitalnah.problem.link_scheme"),
        ("example.org", "digitalnah.problem.link_scheme"),
        ("https://exa mple.org", "digitalnah.problem.link_invalid"),
        ("https://example.org/\x00x", "digitalnah.problem.link_invalid"),
        ("https://example.org/\u202ex", "digitalnah.problem.link_invisible"),
        ("https://exa\u200bmple.org/", "digitalnah.problem.link_invisible"),
        ("https://example.org/ter\u00admine", "digitalnah.problem.link_invisible"),
        ("https://example.org/\u200d/", "digitalnah.problem.link_invisible"),
        ("https://example.org/\u2066x", "digitalnah.problem.link_invisible"),
        ("https://\u3164.example.org/", "digitalnah.problem.link_invisible"),
        ('https://example.org/"><img src=x onerror=alert(1)>', "digitalnah.problem.link_invalid"),
        ("https:example.org", "digitalnah.problem.link_invalid"),
        ("https://", "digitalnah.problem.link_invalid"),
        ("https://example.org:99999/", "digitalnah.problem.link_invalid"),
        ("https://stadt.de@evil.example", "digitalnah.problem.link_credentials"),
    ],
)
def test_bad_links(link: str, key: str) -> None:
    assert parse_link(link) is None
    result = parse_field(Field.LINK, link, categories=CATS)
    assert result.value is None
    assert [p.key for p in result.problems] == [key]


def test_an_invisible_character_in_a_link_is_named_with_where_it_is() -> None:
    result = parse_field(Field.LINK, "https://exa\u200bmple.org/", categories=CATS)
    assert result.value is None
    [problem] = result.problems
    assert problem.params == {"before": "https://exa", "code": "U+200B"}
    assert render_problem(problem, DE) == (
        "Im Link steckt direkt nach „https://exa“ ein unsichtbares Zeichen (U\\+200B). "
        "So etwas kommt oft beim Kopieren aus Word, PDF oder E-Mails mit. Bitte tippe den "
        "Link ab dieser Stelle neu, z. B. `Link: https://termine.example.org`."
    )
    assert "invisible character (U\\+200B) right after “https://exa”" in render_problem(problem, EN)


def test_invisible_characters_around_a_link_are_dropped() -> None:
    assert parse_link("\u200b<https://example.org/>\u200b\u00ad") == "https://example.org/"
    tip = "Neu: Parken https://parken.example.org/\u200b #DigitalNah #Mobilität"
    assert extract_from_message(tip, CATS).values[Field.LINK] == "https://parken.example.org/"
    hidden = "Neu: Parken https://par\u200bken.example.org/ #DigitalNah #Mobilität"
    link = extract_from_message(hidden, CATS).values[Field.LINK]
    assert parse_field(Field.LINK, link, categories=CATS).problems[0].key == (
        "digitalnah.problem.link_invisible"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("01.05.2024", date(2024, 5, 1)),
        ("1.5.2024", date(2024, 5, 1)),
        ("1. 5. 2024", date(2024, 5, 1)),
        ("01.05.24", date(2024, 5, 1)),
        ("2024-05-01", date(2024, 5, 1)),
        ("31.02.2024", None),
        ("2024-13-01", None),
        ("gestern", None),
        ("05/01/2024", None),
    ],
)
def test_parse_date(text: str, expected: date | None) -> None:
    assert parse_date(text) == expected


def test_parse_tags() -> None:
    assert parse_tags("Termine, Online Service; termine") == ("Termine", "Online Service")
    assert parse_tags("#Termine #Bürgerbüro") == ("Termine", "Bürgerbüro")


def test_parse_field_values_and_problems() -> None:
    assert parse_field(Field.CATEGORY, "Umwelt", categories=CATS).value == "Umwelt"
    unknown = parse_field(Field.CATEGORY, "Raumfahrt", categories=("A", "B"))
    assert unknown.value is None
    assert unknown.problems == (
        Problem(
            Field.CATEGORY,
            "digitalnah.problem.category_unknown",
            {"value": "Raumfahrt", "categories": "A, B"},
        ),
    )
    assert parse_field(Field.AVAILABLE_SINCE, "1.4.2024", categories=CATS).value == date(2024, 4, 1)
    assert parse_field(Field.TAGS, "a, b", categories=CATS).value == ("a", "b")
    assert parse_field(Field.CONTACT, "  Frau   Müller ", categories=CATS).value == "Frau Müller"
    description = parse_field(Field.DESCRIPTION, " Zeile 1\nZeile 2 ", categories=CATS)
    assert description.value == "Zeile 1\nZeile 2"
    assert parse_field(Field.PROVIDER, "", categories=CATS).value == ""


def test_long_title_keeps_value_and_reports() -> None:
    result = parse_field(Field.TITLE, "x" * 121, categories=CATS)
    assert result.value == "x" * 121
    assert result.problems == (
        Problem(Field.TITLE, "digitalnah.problem.too_long", {"max": 120, "length": 121}),
    )


def test_complete_offering_has_no_problems() -> None:
    assert validate_offering(offering(), CATS) == []


def test_required_fields() -> None:
    empty = offering(title="", description="", link="", category="")
    assert missing_fields(empty) == (Field.TITLE, Field.LINK, Field.CATEGORY)
    assert validate_offering(empty, CATS) == [
        Problem(f, "digitalnah.problem.missing") for f in (Field.TITLE, Field.LINK, Field.CATEGORY)
    ]


def test_lengths_characters_link_and_category_of_stored_offering() -> None:
    bad = offering(
        title="ab",
        description="d" * 1001,
        link="javascript:alert(1)",
        category="Raumfahrt",
        contact="x\x07y",
        tags=tuple(f"t{i}" for i in range(11)),
    )
    keys = [(p.field, p.key) for p in validate_offering(bad, CATS)]
    assert keys == [
        (Field.TITLE, "digitalnah.problem.too_short"),
        (Field.DESCRIPTION, "digitalnah.problem.too_long"),
        (Field.CONTACT, "digitalnah.problem.control_chars"),
        (Field.LINK, "digitalnah.problem.link_scheme"),
        (Field.CATEGORY, "digitalnah.problem.category_unknown"),
        (Field.TAGS, "digitalnah.problem.too_many_tags"),
    ]


def test_description_may_have_newlines_but_title_not() -> None:
    assert validate_offering(offering(description="a\nb\tc"), CATS) == []
    problems = validate_offering(offering(title="a\nbcd"), CATS)
    assert problems == [Problem(Field.TITLE, "digitalnah.problem.control_chars")]


def test_normalise_link() -> None:
    assert normalise_link("https://www.Example.org:443/Termine/?utm_source=x&b=2&a=1#top") == (
        "example.org/Termine?a=1&b=2"
    )
    assert normalise_link("http://example.org/") == normalise_link("https://example.org")
    assert normalise_link("https://example.org:8443/") == "example.org:8443"


def test_titles_match() -> None:
    assert titles_match(
        "Online-Terminbuchung fürs Bürgerbüro", "Online Terminbuchung fuers Buergerbuero"
    )
    assert titles_match("Online-Terminbuchung Bürgerbüro", "Online-Terminbuchung Bürgerbüros")
    assert not titles_match("Online-Terminbuchung Bürgerbüro", "Online-Terminbuchung Standesamt")
    assert not titles_match("", "")


def test_duplicate_problems() -> None:
    candidate = offering(id=None, link="https://termine.example.org/?utm_campaign=x")
    same_link = offering(id=3, title="Ganz anders", state=OfferingState.APPROVED)
    same_title = offering(id=4, link="https://other.example.org", state=OfferingState.PENDING)
    rejected = offering(id=5, state=OfferingState.REJECTED)
    unrelated = offering(id=6, title="Parken per App", link="https://parken.example.org")
    problems = duplicate_problems(candidate, [same_link, same_title, rejected, unrelated])
    assert problems == [
        Problem(Field.LINK, "digitalnah.problem.duplicate_link", {"id": 3, "title": "Ganz anders"}),
        Problem(
            Field.TITLE,
            "digitalnah.problem.duplicate_title",
            {"id": 4, "title": "Online-Terminbuchung"},
        ),
    ]


def test_offering_is_not_its_own_duplicate() -> None:
    stored = offering(id=7)
    assert duplicate_problems(stored, [stored, dataclasses.replace(stored)]) == []


BIDI_OVERRIDES = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


@pytest.mark.parametrize("multiline", [False, True])
def test_control_chars_are_unicodes_category_cc_and_the_bidi_overrides(multiline: bool) -> None:
    """Every code point: the fast patterns say what Unicode's categories say."""
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        kept = multiline and char in "\n\t"
        expected = not kept and (unicodedata.category(char) == "Cc" or char in BIDI_OVERRIDES)
        assert has_control_chars(char, multiline=multiline) is expected, hex(code)
        if multiline:
            assert without_control_chars(f"a{char}b") == ("ab" if expected else f"a{char}b")


def test_links_with_whitespace_or_characters_rfc_3986_forbids_are_refused() -> None:
    for char in ' \u00a0\u2003\u3000"<>\\`^{}|':
        problem = link_problem(f"https://stadt.example/a{char}b")
        assert problem is not None, char
        assert problem.key == "digitalnah.problem.link_invalid", char
    assert link_problem("https://stadt.example/a-b_c~d?e=f&g=h#i") is None
