from __future__ import annotations

from datetime import UTC, date, datetime

from standup_helpers import tr_de, tr_en

from homeoffice_bot.kernel.formatting import render
from homeoffice_bot.standup.calendar import SkipReason, holiday_name
from homeoffice_bot.standup.config import AnswerChannel
from homeoffice_bot.standup.messages import (
    render_dm_done,
    render_dm_question,
    render_kickoff,
    render_no_standup,
    render_reminder,
)

CLOSES = datetime(2026, 11, 23, 8, 10, tzinfo=UTC)
BERLIN = "Europe/Berlin"
QUESTIONS = ["Was hast du seit Freitag erledigt?", "Was steht heute bei dir an?", "Blocker?"]


def test_kickoff_in_the_thread() -> None:
    text = render_kickoff("team", QUESTIONS, CLOSES, BERLIN, AnswerChannel.THREAD, tr_de)
    assert text == (
        "**Stand-up „team“** ☀️\n"
        "1\\. Was hast du seit Freitag erledigt?\n"
        "2\\. Was steht heute bei dir an?\n"
        "3\\. Blocker?\n"
        "\n"
        "Antworte bitte bis 09:10 Uhr hier im Thread – eine Nachricht genügt,"
        " gern nummeriert (1., 2., 3.)."
    )
    assert render(text).mentions == ()


def test_kickoff_by_dm_late_with_call_link() -> None:
    text = render_kickoff(
        "team",
        QUESTIONS[:1],
        CLOSES,
        BERLIN,
        AnswerChannel.DM,
        tr_en,
        call_link="https://meet.jit.si/team",
        late_start=True,
    )
    assert text == (
        "**Stand-up “team”** ☀️\n"
        "_I was briefly unavailable, so the stand-up starts a little late._\n"
        "I am asking everyone by direct message, until 09:10:\n"
        "1\\. Was hast du seit Freitag erledigt?\n"
        "[Join the call](https://meet.jit.si/team)"
    )


def test_reminder_pings_only_those_without_answer() -> None:
    text = render_reminder("team", ["@dora:example.org", "@eve:example.org"], CLOSES, BERLIN, tr_de)
    rendered = render(text, {"@dora:example.org": "Dora"})
    assert rendered.mentions == ("@dora:example.org", "@eve:example.org")
    assert rendered.body == (
        "Erinnerung an das Stand-up „team“: Dora und @eve:example.org"
        " – Antworten bitte bis 09:10 Uhr. ⏰"
    )


def test_mass_mention_reminder() -> None:
    text = render_reminder("team", ["@dora:example.org"], CLOSES, BERLIN, tr_de, mass_mention=True)
    assert text == "Erinnerung an das Stand-up „team“: @room – Antworten bitte bis 09:10 Uhr. ⏰"


def test_dm_questions() -> None:
    assert render_dm_question("team", 0, QUESTIONS, CLOSES, BERLIN, tr_de) == (
        "Stand-up „team“ – bitte antworte bis 09:10 Uhr. Du kannst auch alles in einer"
        " Nachricht schreiben (1., 2., 3.). ☀️\n"
        "**Frage 1/3:** Was hast du seit Freitag erledigt?"
    )
    assert render_dm_question("team", 2, QUESTIONS, CLOSES, BERLIN, tr_en) == (
        "**Question 3/3:** Blocker?"
    )
    assert render_dm_done("team", tr_de) == "Danke! Deine Antwort kommt in den Bericht von „team“."


def test_no_standup_on_a_holiday() -> None:
    corpus_christi = date(2026, 6, 4)
    name = holiday_name(corpus_christi, "DE-NW")
    assert render_no_standup(corpus_christi, SkipReason.HOLIDAY, tr_de, name) == (
        "Am Do, 04.06.2026 ist kein Stand-up: Feiertag (Fronleichnam)."
    )
    assert render_no_standup(date(2026, 12, 24), SkipReason.CLOSURE, tr_en) == (
        "There is no stand-up on Thu, 2026-12-24: closure day."
    )
