from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from standup_helpers import tr_de, tr_en

from homeoffice_bot.kernel.formatting import render
from homeoffice_bot.standup.errors import StandupSettingError
from homeoffice_bot.standup.live import (
    TimeboxNotice,
    render_agenda,
    render_timebox_notice,
    timebox_notices,
    validate_call_link,
)

KICKOFF = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)


def test_timebox_notices() -> None:
    assert timebox_notices(KICKOFF, 10) == (
        TimeboxNotice(KICKOFF + timedelta(minutes=8), 2),
        TimeboxNotice(KICKOFF + timedelta(minutes=10), 0),
    )
    assert timebox_notices(KICKOFF, 15, (5, 1)) == (
        TimeboxNotice(KICKOFF + timedelta(minutes=10), 5),
        TimeboxNotice(KICKOFF + timedelta(minutes=14), 1),
        TimeboxNotice(KICKOFF + timedelta(minutes=15), 0),
    )
    assert timebox_notices(KICKOFF, 2) == (TimeboxNotice(KICKOFF + timedelta(minutes=2), 0),)


def test_timebox_notice_texts() -> None:
    assert render_timebox_notice(TimeboxNotice(KICKOFF, 2), tr_de) == "Noch 2 Minuten. ⏳"
    assert render_timebox_notice(TimeboxNotice(KICKOFF, 1), tr_de) == "Noch 1 Minute. ⏳"
    assert render_timebox_notice(TimeboxNotice(KICKOFF, 2), tr_en) == "2 minutes left. ⏳"
    assert render_timebox_notice(TimeboxNotice(KICKOFF, 0), tr_de) == (
        "Die Zeit ist um – danke! Das Protokoll folgt. 🔔"
    )


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://meet.jit.si/Team-A", "https://meet.jit.si/Team-A"),
        ("  <https://bbb.example.org/b/abc-123?x=1&y=2>  ", "https://bbb.example.org/b/abc-123?x=1&y=2"),
        ("HTTP://example.org/raum(1)", "HTTP://example.org/raum%281%29"),
        ("https://example.org/ä", "https://example.org/%C3%A4"),
        ("\u200bhttps://meet.jit.si/team\u200b", "https://meet.jit.si/team"),
    ],
)  # fmt: skip
def test_call_links_are_normalised(url: str, expected: str) -> None:
    assert validate_call_link(url) == expected


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", "ftp://example.org", "https://", "meet.jit.si/team", "https://a b.org",
     "https://x.org/\nline", "data:text/html,<b>x</b>", "https://x.org/" + "a" * 600],
)  # fmt: skip
def test_other_call_links_are_refused(url: str) -> None:
    with pytest.raises(StandupSettingError, match="not an http"):
        validate_call_link(url)


def test_a_call_link_with_an_invisible_character_inside_is_refused_with_where_it_is() -> None:
    with pytest.raises(StandupSettingError) as caught:
        validate_call_link("https://meet.jit.si/te\u200bam")
    assert caught.value.key == "standup.error.call_link_invisible"
    assert caught.value.params == {"before": "https://meet.jit.si/te", "code": "U+200B"}
    assert tr_de(caught.value.key, **caught.value.params).startswith(
        "Im Link steckt direkt nach „https://meet.jit.si/te“ ein unsichtbares Zeichen (U+200B)."
    )


def test_agenda() -> None:
    link = validate_call_link("https://meet.jit.si/team?a=1&b=2")
    agenda = render_agenda(
        "team",
        ["Was hast du erledigt?", "Was steht an?"],
        ["Anna", "<b>Bob</b>", "Carl_Maier"],
        link,
        KICKOFF + timedelta(minutes=10),
        "Europe/Berlin",
        tr_de,
    )
    assert agenda == (
        "**Stand-up „team“ – live** 🎥\n"
        "[Call öffnen](https://meet.jit.si/team?a=1&b=2)\n"
        "\n"
        "**Ablauf:**\n"
        "1\\. Was hast du erledigt?\n"
        "2\\. Was steht an?\n"
        "\n"
        "**Reihenfolge:** Anna, <b>Bob</b> und Carl\\_Maier\n"
        "Ende um 09:10 Uhr.\n"
        "Notizen hier im Thread werden zum Protokoll."
    )
    html = render(agenda).formatted_body
    assert '<a href="https://meet.jit.si/team?a=1&amp;b=2">Call öffnen</a>' in html
    assert "&lt;b&gt;Bob&lt;/b&gt; und Carl_Maier" in html
    assert render(agenda).mentions == ()


def test_agenda_without_link_and_order() -> None:
    agenda = render_agenda("team", ["Q?"], [], None, KICKOFF, "Europe/Berlin", tr_en)
    assert agenda == (
        "**Stand-up “team” – live** 🎥\n"
        "\n"
        "**Agenda:**\n"
        "1\\. Q?\n"
        "\n"
        "Ends at 09:00.\n"
        "Notes posted in this thread become the minutes."
    )
