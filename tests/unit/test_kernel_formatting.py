from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from homeoffice_bot.kernel import formatting
from homeoffice_bot.kernel.escaping import escape_markdown
from homeoffice_bot.kernel.formatting import (
    command_text,
    format_date_ranges,
    format_day_ranges,
    mention,
    mentioned_user_ids,
    people_list,
    render,
)
from homeoffice_bot.kernel.i18n import Catalogue

KERNEL = Catalogue.from_folder(Path(formatting.__file__).parent / "locales")

HOSTILE = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "[klick](javascript:alert(1))",
    "{@boss:example.org}",
    "# Überschrift",
    "**fett** _kursiv_ `code`",
]


def test_markdown_renders_with_a_plain_body() -> None:
    rendered = render("**Hallo** Team\n\n- eins\n- zwei")
    assert "<strong>Hallo</strong>" in rendered.formatted_body
    assert "<li>eins</li>" in rendered.formatted_body
    assert rendered.body == "Hallo Team\n\n- eins\n- zwei"


def test_mentions_become_pills_and_m_mentions() -> None:
    rendered = render(f"Hallo {mention('@anna:example.org')}!", {"@anna:example.org": "Anna"})
    assert '<a href="https://matrix.to/#/@anna:example.org">Anna</a>' in rendered.formatted_body
    assert rendered.mentions == ("@anna:example.org",)
    assert rendered.body == "Hallo Anna!"


def test_raw_html_and_script_links_never_survive() -> None:
    rendered = render("<b>x</b> [a](javascript:alert(1)) <img src=x onerror=alert(1)>")
    html = rendered.formatted_body
    assert "<b>" not in html
    assert "<img" not in html
    assert "javascript:" not in html


def test_escaped_user_text_shows_as_typed_and_pings_nobody() -> None:
    for text in HOSTILE:
        rendered = render("Antwort: " + escape_markdown(text))
        assert rendered.mentions == ()
        assert "<script" not in rendered.formatted_body
        assert "<img" not in rendered.formatted_body
        assert "<a " not in rendered.formatted_body
        assert "<h1>" not in rendered.formatted_body
        assert rendered.body == "Antwort: " + text


@given(st.text(max_size=300))
def test_any_escaped_text_is_inert(text: str) -> None:
    rendered = render(escape_markdown(text))
    assert rendered.mentions == ()
    assert "<a " not in rendered.formatted_body
    assert "<script" not in rendered.formatted_body.lower()


def test_command_text_replaces_pills_by_user_ids() -> None:
    formatted = (
        '<mx-reply><blockquote>alt</blockquote></mx-reply>!status <a href="https://matrix.to/#/'
        '@ben:example.org">Ben</a> &amp; mehr'
    )
    assert command_text("!status Ben & mehr", formatted) == "!status @ben:example.org & mehr"
    assert command_text("!status @ben:example.org", None) == "!status @ben:example.org"


def test_mentioned_user_ids_from_m_mentions_and_pills() -> None:
    content = {
        "body": "x",
        "formatted_body": '<a href="https://matrix.to/#/@a:x.org">A</a>',
        "m.mentions": {"user_ids": ["@b:x.org", "@a:x.org"]},
    }
    assert mentioned_user_ids(content) == ("@b:x.org", "@a:x.org")


def test_code_spans_show_angle_brackets_and_ampersands_once() -> None:
    rendered = render("Verwendung: `!sprache <Sprache>` & `a &amp; b`")
    assert "<code>!sprache &lt;Sprache&gt;</code>" in rendered.formatted_body
    assert "<code>a &amp;amp; b</code>" in rendered.formatted_body
    assert rendered.body == "Verwendung: !sprache <Sprache> & a &amp; b"


def test_day_ranges_group_three_or_more_consecutive_days() -> None:
    short = dict(enumerate(["Mo", "Di", "Mi", "Do", "Fr", "Sa", "So"], start=1))
    assert format_day_ranges({1, 2, 3, 4, 5}, short.__getitem__) == "Mo–Fr"
    assert format_day_ranges([5, 1, 3], short.__getitem__) == "Mo, Mi, Fr"
    assert format_day_ranges(iter([1, 2, 3, 5, 6]), short.__getitem__) == "Mo–Mi, Fr, Sa"
    assert format_day_ranges([], short.__getitem__) == ""


@pytest.mark.parametrize(
    ("lang", "people", "expected"),
    [
        ("de", [], ""),
        ("de", ["Anna"], "Anna"),
        ("de", ["Anna", "Ben"], "Anna und Ben"),
        ("de", ["Anna", "Ben", "Clara"], "Anna, Ben und Clara"),
        ("en", ["Anna", "Ben"], "Anna and Ben"),
        ("en", ["Anna", "Ben", "Clara"], "Anna, Ben and Clara"),
    ],
)
def test_a_list_of_people_reads_as_part_of_a_sentence(
    lang: str, people: list[str], expected: str
) -> None:
    assert people_list(people, KERNEL.translator(lang)) == expected


def test_a_list_of_mentions_becomes_pills_with_words_between() -> None:
    ids = ["@anna:example.org", "@ben:example.org", "@clara:example.org"]
    source = people_list([mention(u) for u in ids], KERNEL.translator("de"))
    rendered = render(source, {"@anna:example.org": "Anna Albers", "@ben:example.org": "Ben"})
    assert rendered.body == "Anna Albers, Ben und @clara:example.org"
    assert rendered.mentions == tuple(ids)
    assert rendered.formatted_body.count("<a href=") == 3


def _german(day: date) -> str:
    return f"{day:%d.%m.%Y}"


def test_date_ranges_join_consecutive_days_across_months_and_years() -> None:
    winter = [date(2026, 12, 22) + timedelta(days=n) for n in range(12)]  # to 02.01.2027
    days = {*winter, date(2027, 2, 15), date(2027, 3, 1), date(2027, 3, 2)}
    assert format_date_ranges(days, _german) == (
        "22.12.2026–02.01.2027, 15.02.2027, 01.03.2027–02.03.2027"
    )
    assert format_date_ranges([date(2027, 2, 15)], _german) == "15.02.2027"
    assert format_date_ranges([], _german) == ""
    to = format_date_ranges(winter, date.isoformat, lambda a, b: f"{a} to {b}")
    assert to == "2026-12-22 to 2027-01-02"


@given(st.sets(st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)), max_size=60))
def test_date_ranges_name_every_day_exactly_once(days: set[date]) -> None:
    text = format_date_ranges(days, date.isoformat, lambda a, b: f"{a}/{b}")
    named: set[date] = set()
    for part in filter(None, text.split(", ")):
        first, _, last = part.partition("/")
        start, end = date.fromisoformat(first), date.fromisoformat(last or first)
        named.update(start + timedelta(days=n) for n in range((end - start).days + 1))
    assert named == days
