from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from digitalnah.extract import (
    ExtractedFields,
    contains_hashtag,
    extract_from_message,
    field_for_key,
    find_hashtags,
    find_urls,
    parse_completion,
    parse_field_lines,
    strip_reply_fallback,
)
from digitalnah.model import DEFAULT_CATEGORIES, Field

CATS = DEFAULT_CATEGORIES


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("Neu: Terminbuchung https://x.de #DigitalNah", True),
        ("#digitalnah", True),
        ("Das ist #DIGITALNAH!", True),
        ("#DigitalNahverkehr ist etwas anderes", False),
        ("siehe https://example.org/#digitalnah", False),
        ("DigitalNah ohne Raute", False),
        ("foo#DigitalNah", False),
    ],
)
def test_contains_hashtag(body: str, expected: bool) -> None:
    assert contains_hashtag(body) is expected


def test_issue_example_message() -> None:
    body = (
        "Neu: Online-Terminbuchung fürs Bürgerbüro "
        "https://termine.paderborn.de/buergerbuero #DigitalNah"
    )
    assert extract_from_message(body, CATS) == ExtractedFields(
        {
            Field.LINK: "https://termine.paderborn.de/buergerbuero",
            Field.TITLE: "Online-Terminbuchung fürs Bürgerbüro",
        }
    )


def test_message_with_description_category_hashtag_and_tags() -> None:
    body = (
        "#DigitalNah Neu: Online-Terminbuchung fürs Bürgerbüro. Termine rund um die Uhr "
        "buchen, z.B. abends. https://termine.example.org/a_(b). "
        "#Mobilität #Bürger-Service #Termine"
    )
    values = extract_from_message(body, CATS).values
    assert values == {
        Field.TITLE: "Online-Terminbuchung fürs Bürgerbüro",
        Field.DESCRIPTION: "Termine rund um die Uhr buchen, z.B. abends.",
        Field.LINK: "https://termine.example.org/a_(b)",
        Field.CATEGORY: "Mobilität",
        Field.TAGS: "Bürger-Service, Termine",
    }


def test_message_with_field_lines_and_dash_separated_description() -> None:
    body = (
        "Neues Angebot für Eltern: Kita-Anmeldung online – endlich ohne Papier "
        "https://kita.example.org #digitalnah\nKategorie: Bildung\nZielgruppe: Eltern"
    )
    values = extract_from_message(body, CATS).values
    assert values[Field.TITLE] == "Kita-Anmeldung online"
    assert values[Field.DESCRIPTION] == "endlich ohne Papier"
    assert values[Field.CATEGORY] == "Bildung"
    assert values[Field.TARGET_GROUP] == "Eltern"
    assert values[Field.LINK] == "https://kita.example.org"


def test_field_lines_in_a_message_lose_our_hashtag_and_link_extras() -> None:
    body = "Titel: Online-Termine #DigitalNah\nLink: https://x.de/termine (neu)\nKategorie: Umwelt"
    assert extract_from_message(body, CATS).values == {
        Field.TITLE: "Online-Termine",
        Field.LINK: "https://x.de/termine",
        Field.CATEGORY: "Umwelt",
    }


def test_message_without_link_or_category_has_only_title() -> None:
    values = extract_from_message("#DigitalNah\nNeu: Parken per App", CATS).values
    assert values == {Field.TITLE: "Parken per App"}


def test_javascript_link_is_not_taken_from_free_text() -> None:
    values = extract_from_message("Neu: Böse javascript:alert(1) #DigitalNah", CATS).values
    assert Field.LINK not in values


def test_inline_hashtag_stays_a_word_in_the_title() -> None:
    values = extract_from_message(
        "Die #Mobilität App der Stadt! Parken per Handy. https://x.de #DigitalNah", CATS
    ).values
    assert values[Field.TITLE] == "Die Mobilität App der Stadt!"
    assert values[Field.DESCRIPTION] == "Parken per Handy."
    assert values[Field.CATEGORY] == "Mobilität"


def test_find_urls_trims_sentence_punctuation_but_keeps_balanced_parens() -> None:
    text = "Siehe https://a.de/x. Und (https://b.de/y) und https://c.de/wiki_(s), FTP ftp://d.de"
    assert find_urls(text) == ["https://a.de/x", "https://b.de/y", "https://c.de/wiki_(s)"]


def test_find_hashtags_skips_links_room_aliases_and_numbers() -> None:
    text = "#Eins https://x.de/#anker #room:example.org #42 und#nicht #Zwei-"
    assert find_hashtags(text) == ["Eins", "Zwei"]


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("Titel", Field.TITLE),
        ("TITLE", Field.TITLE),
        ("Anbieter/Amt", Field.PROVIDER),
        ("Amt", Field.PROVIDER),
        ("Verfügbar seit", Field.AVAILABLE_SINCE),
        ("verfuegbar seit", Field.AVAILABLE_SINCE),
        ("Seit", Field.AVAILABLE_SINCE),
        ("target group", Field.TARGET_GROUP),
        ("Schlagworte", Field.TAGS),
        ("available since", Field.AVAILABLE_SINCE),
        ("Quatsch", None),
    ],
)
def test_field_for_key(key: str, expected: Field | None) -> None:
    assert field_for_key(key) is expected


def test_fuzzy_key_only_when_asked_and_long_enough() -> None:
    assert field_for_key("Kategore", fuzzy=True) is Field.CATEGORY
    assert field_for_key("Kategore") is None
    assert field_for_key("Seite", fuzzy=True) is None


def test_parse_field_lines_all_keys_german() -> None:
    text = (
        "Titel: Online-Terminbuchung\n"
        "Beschreibung: Termine online buchen.\n"
        "Ohne Wartezeit im Bürgerbüro.\n"
        "Link: <https://termine.example.org>\n"
        "kategorie: Bürgerservice\n"
        "Anbieter/Amt: Bürgeramt\n"
        "Zielgruppe: alle\n"
        "Verfügbar seit: 01.04.2024\n"
        "Kontakt: buergeramt@example.org\n"
        "Tags: Termine, Bürgerbüro"
    )
    result = parse_field_lines(text)
    assert result.values == {
        Field.TITLE: "Online-Terminbuchung",
        Field.DESCRIPTION: "Termine online buchen.\nOhne Wartezeit im Bürgerbüro.",
        Field.LINK: "https://termine.example.org",
        Field.CATEGORY: "Bürgerservice",
        Field.PROVIDER: "Bürgeramt",
        Field.TARGET_GROUP: "alle",
        Field.AVAILABLE_SINCE: "01.04.2024",
        Field.CONTACT: "buergeramt@example.org",
        Field.TAGS: "Termine, Bürgerbüro",
    }
    assert result.unknown_keys == ()
    assert result.free_text == ""


def test_parse_field_lines_english_aliases_and_markup() -> None:
    text = "- **Title:** Parking app\n* description: Pay by phone\nTarget Group: drivers"
    assert parse_field_lines(text).values == {
        Field.TITLE: "Parking app",
        Field.DESCRIPTION: "Pay by phone",
        Field.TARGET_GROUP: "drivers",
    }


def test_unknown_keys_reported_but_kept_inside_description() -> None:
    text = (
        "Titel: Foo\nQuatsch: x\nBeschreibung: Zeile 1\nÖffnungszeiten: Mo–Fr\n\nZeile 3\n"
        "Kategore: Bildung\nfreier Text\nTags: a, b\nTags: #c"
    )
    result = parse_field_lines(text)
    assert result.values == {
        Field.TITLE: "Foo",
        Field.DESCRIPTION: "Zeile 1\nÖffnungszeiten: Mo–Fr\n\nZeile 3",
        Field.CATEGORY: "Bildung",
        Field.TAGS: "a, b, #c",
    }
    assert result.unknown_keys == ("Quatsch",)
    assert result.free_text == "freier Text"


def test_times_and_urls_are_not_keys() -> None:
    result = parse_field_lines("Uhrzeit:9 Uhr\nhttps://example.org")
    assert result.values == {}
    assert result.unknown_keys == ()
    assert result.free_text == "Uhrzeit:9 Uhr\nhttps://example.org"


def test_completion_plain_category_answer() -> None:
    result = parse_completion("Mobilität", [Field.DESCRIPTION, Field.CATEGORY], CATS)
    assert result == ExtractedFields({Field.CATEGORY: "Mobilität"})


def test_completion_single_missing_field_takes_whole_text() -> None:
    result = parse_completion("Online Termine buchen.", [Field.DESCRIPTION], CATS)
    assert result.values == {Field.DESCRIPTION: "Online Termine buchen."}


def test_completion_link_in_prose() -> None:
    result = parse_completion("Hier der Link: https://a.de/x.", [Field.LINK, Field.CATEGORY], CATS)
    assert result == ExtractedFields({Field.LINK: "https://a.de/x"})


def test_completion_ambiguous_text_stays_free() -> None:
    result = parse_completion("weiß ich nicht", [Field.DESCRIPTION, Field.CATEGORY], CATS)
    assert result == ExtractedFields({}, (), "weiß ich nicht")


def test_completion_with_field_lines_and_reply_fallback() -> None:
    body = "> <@anna:example.org> Neu: Parken #DigitalNah\n> zweite Zeile\n\nKategorie: Umwelt"
    assert parse_completion(body, [Field.CATEGORY], CATS).values == {Field.CATEGORY: "Umwelt"}


def test_strip_reply_fallback_leaves_plain_text_alone() -> None:
    assert strip_reply_fallback("Nur Text\n> Zitat") == "Nur Text\n> Zitat"


_key_names = st.sampled_from(["Titel", "Link", "Kategorie", "Kontakt", "Zielgruppe"])
_values = st.text(
    alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1, max_size=40
).filter(lambda v: v.strip() and not v.strip().startswith("//"))


@given(st.dictionaries(_key_names, _values, min_size=1))
def test_field_lines_round_trip(pairs: dict[str, str]) -> None:
    text = "\n".join(f"{key}: {value}" for key, value in pairs.items())
    result = parse_field_lines(text)
    expected = {field_for_key(key): value.strip() for key, value in pairs.items()}
    assert result.values == expected


@given(st.text(max_size=300))
def test_readers_never_fail_and_links_are_http(text: str) -> None:
    extracted = extract_from_message(text, CATS)
    link = extracted.values.get(Field.LINK)
    if link is not None and Field.LINK not in parse_field_lines(text, report_unknown=False).values:
        assert link.lower().startswith(("http://", "https://"))
    parse_completion(text, list(Field), CATS)
