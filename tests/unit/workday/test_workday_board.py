from __future__ import annotations

import html
import re
from datetime import date

import markdown
from hypothesis import given
from hypothesis import strategies as st
from workday_testing import BERLIN, Tr, berlin

from homeoffice_bot.kernel.escaping import escape_line as escape_markdown
from homeoffice_bot.kernel.ids import UserID
from homeoffice_bot.workday.board import (
    BoardEntry,
    MentionItem,
    board_entry,
    digest_markdown,
    render_board,
    render_status,
    render_wrapup_handback,
)
from homeoffice_bot.workday.hours import WorkSchedule, parse_working_hours
from homeoffice_bot.workday.states import PresenceState, resolve_presence, step_away
from homeoffice_bot.workday.texts import excerpt

NOW = berlin(2024, 8, 14, 9, 41)
S = PresenceState


def test_board_in_german() -> None:
    entries = [
        BoardEntry("Fritz", S.LEAVE, berlin(2024, 8, 24), "Anna", leave_to=date(2024, 8, 23)),
        BoardEntry("Emil", S.OFF),
        BoardEntry("Dana", S.AWAY, berlin(2024, 8, 14, 14)),
        BoardEntry("carla", S.BREAK, berlin(2024, 8, 14, 12, 30)),
        BoardEntry("Ben", S.WORKING),
        BoardEntry("Anna", S.WORKING),
        BoardEntry("Gerd", S.ABSENT),
    ]
    assert render_board(entries, NOW, BERLIN, Tr("de")).splitlines() == [
        "**Teamübersicht** · Stand 09:41",
        "",
        "- Anna — Im Dienst 🟢",
        "- Ben — Im Dienst 🟢",
        "- carla — Pause bis 12:30 ☕",
        "- Dana — Kurz weg bis 14:00 🚶",
        "- Emil — Feierabend 🌙",
        "- Fritz — Urlaub bis 23.08. 🏖️ — Vertretung: Anna",
        "- Gerd — Heute nicht da ⚪",
        "",
        "Tippe auf eine Reaktion: Dienstbeginn 🟢, Pause ☕, kurz weg 🚶, Feierabend 🌙.",
        Tr("de")("board.footer"),
    ]


def test_board_order_is_alphabetical_whatever_the_states() -> None:
    entries = [
        BoardEntry("Zoe", S.WORKING, user_id="@zoe:x"),
        BoardEntry("anna", S.OFF, user_id="@anna2:x"),
        BoardEntry("Anna", S.ABSENT, user_id="@anna1:x"),
        BoardEntry("Anna", S.BREAK, user_id="@anna0:x"),
        BoardEntry("Ben", S.LEAVE, user_id="@ben:x"),
    ]
    expected = ["Anna — Pause", "Anna — Heute", "anna — Feierabend", "Ben — Urlaub", "Zoe — Im"]
    for shuffled in (entries, entries[::-1], entries[2:] + entries[:2]):
        lines = render_board(shuffled, NOW, BERLIN, Tr("de")).splitlines()[2:7]
        assert [line[2:].split(" ", 3)[:3] for line in lines] == [e.split(" ") for e in expected]


def test_board_in_english_with_a_later_day_and_leave_end_from_until() -> None:
    entries = [
        BoardEntry("Dana", S.AWAY, berlin(2024, 8, 15, 9)),
        BoardEntry("Fritz", S.LEAVE, berlin(2024, 8, 24)),
        BoardEntry("Emil", S.BREAK),
    ]
    lines = render_board(entries, NOW, BERLIN, Tr("en")).splitlines()
    assert lines[2:5] == [
        "- Dana — Briefly away until Thu 09:00 🚶",
        "- Emil — On a break ☕",
        "- Fritz — On leave until 23 Aug 🏖️",
    ]


def test_empty_board() -> None:
    assert "Noch niemand eingetragen" in render_board([], NOW, BERLIN, Tr("de"))


def test_board_escapes_names_and_shows_only_shared_notes() -> None:
    plan = WorkSchedule(parse_working_hours("mo-fr 8-17"), BERLIN)
    private = step_away(UserID("@a:x"), NOW, berlin(2024, 8, 14, 11), "Arzttermin")
    shared = step_away(UserID("@b:x"), NOW, berlin(2024, 8, 14, 11), "Kita", note_shared=True)
    entries = [
        board_entry("**Boss** [x](http://evil)", resolve_presence(private, NOW, plan)),
        board_entry("Bea", resolve_presence(shared, NOW, plan)),
    ]
    text = render_board(entries, NOW, BERLIN, Tr("de"))
    assert "Arzttermin" not in text
    assert "- Bea — Kurz weg bis 11:00 🚶 (Kita)" in text
    assert "\\*\\*Boss\\*\\* \\[x\\]\\(http://evil\\)" in text
    rendered = markdown.markdown(text)
    assert "<strong>Boss" not in rendered
    assert "<a " not in rendered


def test_board_entry_keeps_stand_in_for_leave_only() -> None:
    plan = WorkSchedule(parse_working_hours("mo-fr 8-17"), BERLIN)
    presence = resolve_presence(None, NOW, plan)
    assert board_entry("Anna", presence, stand_in_name="Ben").stand_in is None


def _visible(source: str) -> str:
    """What a reader sees after the kernel-style pipeline: HTML neutralised, Markdown."""
    neutral = source.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    rendered = markdown.markdown(neutral)
    return html.unescape(re.sub(r"<[^>]+>", "", rendered))


@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Z"))))
def test_escaped_text_shows_as_typed(name: str) -> None:
    shown = _visible(f"- {escape_markdown(name)}").strip()
    assert shown == name.replace("{@", "{\u2060@").strip()


def test_escape_folds_lines_and_defuses_mention_tokens() -> None:
    assert escape_markdown("a\n- b\n# c") == "a \\- b \\# c"
    assert "{@" not in escape_markdown("{@boss:example.org}")


def test_digest() -> None:
    items = [
        MentionItem(
            "Ben",
            "Team *Nord*",
            "https://matrix.to/#/%21r%3Aexample.org/%242?via=example.org",
            "Kannst du\nmorgen [das] prüfen?",
            berlin(2024, 8, 13, 18, 5),
        ),
        MentionItem(
            "Carla",
            "Team",
            "https://matrix.to/#/%21r%3Aexample.org/%241?via=example.org",
            "x" * 200,
            berlin(2024, 8, 13, 17),
        ),
    ]
    text = digest_markdown(items, NOW, BERLIN, Tr("de"))
    assert text is not None
    lines = text.splitlines()
    assert lines[0] == "**Während du weg warst** – 2 Erwähnungen:"
    assert lines[2].startswith("- gestern um 17:00 Uhr · **Carla** in Team: „xxx")
    assert "„" + "x" * 159 + "…“" in lines[2]  # excerpt cut to 160 characters
    assert lines[3] == (
        "- gestern um 18:05 Uhr · **Ben** in Team \\*Nord\\*: „Kannst du morgen \\[das\\] prüfen?“ "
        "([Nachricht von Ben öffnen](https://matrix.to/#/%21r%3Aexample.org/%242?via=example.org))"
    )
    one = digest_markdown(items[:1], NOW, BERLIN, Tr("de"))
    assert one is not None
    assert one.startswith("**Während du weg warst** – 1 Erwähnung:")
    assert digest_markdown([], NOW, BERLIN, Tr("de")) is None


def test_excerpt() -> None:
    assert excerpt("short") == "short"
    assert excerpt("a  b\n c") == "a b c"
    assert excerpt("abcdef", 4) == "abc…"


def test_wrapup_handback() -> None:
    assert render_wrapup_handback("Bericht *fertig*", Tr("de")) == (
        "Das wolltest du dir merken: Bericht \\*fertig\\*"
    )


def test_render_status_of_someone_else_and_oneself() -> None:
    plan = WorkSchedule(parse_working_hours("mo-fr 8-17"), BERLIN)
    away = step_away(UserID("@a:x"), NOW, berlin(2024, 8, 14, 11), "Zahnarzt")
    presence = resolve_presence(away, NOW, plan)
    assert render_status("Anna_B", presence, NOW, BERLIN, Tr("de")) == (
        "Anna\\_B: Kurz weg bis 11:00 🚶"
    )
    assert render_status("Anna", presence, NOW, BERLIN, Tr("en"), own=True) == (
        "Your status: Briefly away until 11:00 🚶"
    )
