from __future__ import annotations

import csv
import dataclasses
import io
from datetime import UTC, date, datetime

from standup_helpers import tr_de, tr_en

from homeoffice_bot.kernel.formatting import render
from homeoffice_bot.standup.answers import parse_answer
from homeoffice_bot.standup.config import ReportFormat, StandupMode
from homeoffice_bot.standup.export import CSV_COLUMNS, export_csv, export_markdown
from homeoffice_bot.standup.report import (
    Note,
    Person,
    PersonAnswer,
    ReportData,
    ReportDetails,
    render_report,
    render_summary,
)

DAY = date(2026, 11, 23)
QUESTIONS = (
    "Was hast du seit Freitag erledigt?",
    "Was steht heute bei dir an?",
    "Wo hängst du fest, was blockiert dich?",
)
ANNA = Person("@anna:example.org", "Anna Muster")
BOB = Person("@bob:example.org", "Bob")
CARL = Person("@carl:example.org", "Carl")
DORA = Person("@dora:example.org", "Dora")
EVE = Person("@eve:example.org", "Eve")
OLGA = Person("@olga:example.org", "Olga")
EVERYTHING = ReportDetails(times=True, late=True, missing_names=True)
"""What a room with a works agreement may turn on; most tests here show it all."""


def at(hour: int, minute: int) -> datetime:
    return datetime(2026, 11, 23, hour, minute, tzinfo=UTC)


def answer(person: Person, text: str, when: datetime, late: bool = False) -> PersonAnswer:
    return PersonAnswer(person, parse_answer(text, 3), when, late)


def team_report(**changes: object) -> ReportData:
    base: dict[str, object] = {
        "name": "team",
        "day": DAY,
        "tz": "Europe/Berlin",
        "questions": QUESTIONS,
        "participants": (ANNA, BOB, CARL, DORA, EVE),
        "answers": (
            answer(
                ANNA, "1. Bescheide\n2. Review\nmit Bob\n3. Warte auf Freigabe der IT", at(8, 3)
            ),
            answer(BOB, "Gestern: Post\nHeute: Telefon\nBlocker: keine", at(8, 14), late=True),
            answer(CARL, "Heute im Außentermin.", at(8, 5)),
        ),
        "absent": (EVE,),
        "observers": (OLGA,),
        "details": EVERYTHING,
    }
    base.update(changes)
    return ReportData(**base)  # type: ignore[arg-type]


def test_report_by_person() -> None:
    assert render_report(team_report(), tr_de) == (
        "### Stand-up „team“ · Mo, 23.11.2026\n"
        "3 von 4 haben geantwortet, 1 Blocker, 1 verspätet.\n"
        "\n"
        "⚠️ **Anna Muster** (09:03)\n"
        "*Was hast du seit Freitag erledigt?*\n"
        "Bescheide\n"
        "*Was steht heute bei dir an?*\n"
        "Review\n"
        "mit Bob\n"
        "⚠️ *Wo hängst du fest, was blockiert dich?*\n"
        "**Warte auf Freigabe der IT**\n"
        "\n"
        "**Carl** (09:05)\n"
        "Heute im Außentermin\\.\n"
        "\n"
        "**Bob** (09:14, verspätet)\n"
        "*Was hast du seit Freitag erledigt?*\n"
        "Post\n"
        "*Was steht heute bei dir an?*\n"
        "Telefon\n"
        "*Wo hängst du fest, was blockiert dich?*\n"
        "keine\n"
        "\n"
        "**Keine Antwort:** Dora\n"
        "**Abwesend:** Eve\n"
    )


def test_report_by_question() -> None:
    assert render_report(team_report(), tr_de, ReportFormat.BY_QUESTION) == (
        "### Stand-up „team“ · Mo, 23.11.2026\n"
        "3 von 4 haben geantwortet, 1 Blocker, 1 verspätet.\n"
        "\n"
        "**1\\. Was hast du seit Freitag erledigt?**\n"
        "\n"
        "- **Anna Muster**: Bescheide\n"
        "- **Bob** (verspätet): Post\n"
        "\n"
        "**2\\. Was steht heute bei dir an?**\n"
        "\n"
        "- **Anna Muster**: Review\n"
        "    mit Bob\n"
        "- **Bob** (verspätet): Telefon\n"
        "\n"
        "⚠️ **3\\. Wo hängst du fest, was blockiert dich?**\n"
        "\n"
        "- ⚠️ **Anna Muster**: **Warte auf Freigabe der IT**\n"
        "- **Bob** (verspätet): keine\n"
        "\n"
        "**Weitere Notizen**\n"
        "\n"
        "- **Carl**: Heute im Außentermin\\.\n"
        "\n"
        "**Keine Antwort:** Dora\n"
        "**Abwesend:** Eve\n"
    )


def test_report_renders_to_html_without_pinging_anyone() -> None:
    rendered = render(render_report(team_report(), tr_de))
    assert rendered.mentions == ()
    assert "matrix.to" not in rendered.formatted_body
    assert "@dora" not in rendered.formatted_body
    assert "<strong>Keine Antwort:</strong> Dora" in rendered.formatted_body
    assert "<strong>Warte auf Freigabe der IT</strong>" in rendered.formatted_body
    by_question = render(render_report(team_report(), tr_de, ReportFormat.BY_QUESTION))
    assert (
        "<li>⚠️ <strong>Anna Muster</strong>: <strong>Warte auf Freigabe der IT</strong></li>"
        in (by_question.formatted_body)
    )


def test_english_summary() -> None:
    assert render_summary(team_report(), tr_en) == "3 of 4 answered, 1 blocker, 1 late."


def test_summary_without_blockers_and_single_answer() -> None:
    report = team_report(
        participants=(ANNA, DORA), answers=(answer(ANNA, "3. nichts", at(8, 1)),), absent=()
    )
    assert render_summary(report, tr_de) == "1 von 2 hat geantwortet, keine Blocker."
    assert render_summary(report, tr_en) == "1 of 2 answered, no blockers."


def test_nobody_answered() -> None:
    report = team_report(answers=(), absent=())
    assert render_report(report, tr_de) == (
        "### Stand-up „team“ · Mo, 23.11.2026\n"
        "0 von 5 haben geantwortet, keine Blocker.\n"
        "\n"
        "_Keine Antworten._\n"
        "\n"
        "**Keine Antwort:** Anna Muster, Bob, Carl, Dora und Eve\n"
    )


def test_observers_and_absent_people_are_not_missing() -> None:
    report = team_report(answers=(answer(OLGA, "2. zuhören", at(8, 2)),))
    assert [p.display_name for p in report.missing()] == ["Anna Muster", "Bob", "Carl", "Dora"]
    assert render_summary(report, tr_de) == "0 von 4 haben geantwortet, keine Blocker."
    assert "**Olga** (09:02)" in render_report(report, tr_de)


def test_absent_person_who_answers_is_not_listed_as_absent() -> None:
    report = team_report(answers=(answer(EVE, "1. Urlaub vorbereitet", at(8, 2)),))
    assert report.absent_without_answer() == ()
    assert "Abwesend" not in render_report(report, tr_de)


HOSTILE_NAME = "<script>alert(1)</script> {@mallory:evil.org}"
HOSTILE_TEXT = (
    "[x](javascript:alert(1))\n"
    "# Überschrift\n"
    "**fett** und _kursiv_\n"
    "<img src=x onerror=alert(1)>\n"
    "Titel\n"
    "===\n"
    "{@anna:example.org} bitte melden\n"
    "    eingerückt\n"
    "> Zitat\n"
    "1. Liste"
)


def hostile_report() -> ReportData:
    villain = Person("@mallory:evil.org", HOSTILE_NAME)
    return team_report(
        name="team",
        participants=(villain, DORA),
        answers=(PersonAnswer(villain, parse_answer(HOSTILE_TEXT, 3), at(8, 1)),),
        absent=(),
        notes=(Note(villain, HOSTILE_TEXT, at(8, 2)),),
        mode=StandupMode.BOTH,
    )


def test_hostile_text_is_shown_as_typed_never_interpreted() -> None:
    for fmt in ReportFormat:
        rendered = render(render_report(hostile_report(), tr_de, fmt))
        html = rendered.formatted_body
        assert rendered.mentions == ()
        assert "<script" not in html
        assert "<img" not in html
        assert "<a " not in html
        assert "<h1" not in html
        assert "<blockquote" not in html
        assert "<pre" not in html
        assert "<em>kursiv" not in html
        assert "<strong>fett" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert "[x](javascript:alert(1))" in html
        assert "# Überschrift" in html
        assert "**fett** und _kursiv_" in html
        assert "&gt; Zitat" in html


def test_csv_export() -> None:
    other_day = team_report(
        day=date(2026, 11, 20),
        participants=(ANNA,),
        answers=(answer(ANNA, '=HYPERLINK("http://evil")', at(8, 1)),),
        absent=(),
    )
    rows = list(csv.reader(io.StringIO(export_csv([team_report(), other_day], EVERYTHING))))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert rows[1] == [
        "2026-11-20", "team", "1", "", "@anna:example.org", "Anna Muster", "answered",
        "2026-11-23T08:01:00Z", "no", "", "", "'=HYPERLINK(\"http://evil\")", "no",
    ]  # fmt: skip
    body = [row[:2] + row[4:] for row in rows[2:]]  # without round and kickoff
    assert body[0] == [
        "2026-11-23", "team", "@anna:example.org", "Anna Muster", "answered",
        "2026-11-23T08:03:00Z", "no", "1", QUESTIONS[0], "Bescheide", "no",
    ]  # fmt: skip
    assert body[2][8:] == [QUESTIONS[2], "Warte auf Freigabe der IT", "yes"]
    assert body[2][9] == "Warte auf Freigabe der IT"
    assert body[1][9] == "Review\nmit Bob"
    assert [r[3:5] for r in body[3:]] == [
        ["Carl", "answered"],
        ["Bob", "answered"],
        ["Bob", "answered"],
        ["Bob", "answered"],
        ["Dora", "missing"],
        ["Eve", "absent"],
    ]
    assert body[4][6] == "yes"  # Bob was late
    assert body[3][7:10] == ["", "", "Heute im Außentermin."]


def test_csv_export_tells_two_rounds_on_the_same_day_apart() -> None:
    scheduled = team_report(
        participants=(ANNA,), answers=(answer(ANNA, "Morgens", at(8, 3)),), absent=(),
        kickoff_at=at(8, 0),
    )  # fmt: skip
    again = team_report(
        participants=(ANNA,), answers=(answer(ANNA, "=Nachmittags", at(13, 2)),), absent=(),
        kickoff_at=at(13, 0),
    )  # fmt: skip
    other = dataclasses.replace(again, name="frühschicht")
    rows = list(csv.DictReader(io.StringIO(export_csv([again, other, scheduled]))))
    assert [(r["standup"], r["round"], r["kickoff_utc"], r["text"]) for r in rows] == [
        ("frühschicht", "1", "2026-11-23T13:00:00Z", "'=Nachmittags"),
        ("team", "1", "2026-11-23T08:00:00Z", "Morgens"),
        ("team", "2", "2026-11-23T13:00:00Z", "'=Nachmittags"),
    ]


def test_csv_export_guards_cells_that_start_with_a_formula_after_spaces() -> None:
    sneaky = Person("@eve:example.org", "  =HYPERLINK(1)")
    report = team_report(participants=(sneaky,), answers=(), absent=())
    rows = list(csv.DictReader(io.StringIO(export_csv([report], EVERYTHING))))
    assert [(r["user_id"], r["display_name"]) for r in rows] == [
        ("@eve:example.org", "'  =HYPERLINK(1)")
    ]


def test_markdown_export_escapes_html_for_files() -> None:
    exported = export_markdown([hostile_report(), team_report(day=date(2026, 11, 20))], tr_de)
    first, second = exported.split("\n---\n\n")
    assert first.startswith("### Stand-up „team“ · Fr, 20.11.2026\n")
    assert second.startswith("### Stand-up „team“ · Mo, 23.11.2026\n")
    assert "<script" not in exported
    assert "&lt;script&gt;" in second
    assert "\\[x\\]\\(javascript:alert\\(1\\)\\)" in second


PRIVATE = ReportDetails()


def test_by_default_a_report_has_no_times_no_lateness_and_counts_the_open_answers() -> None:
    report = team_report(details=PRIVATE)
    text = render_report(report, tr_de)
    assert text == (
        "### Stand-up „team“ · Mo, 23.11.2026\n"
        "3 von 4 haben geantwortet, 1 Blocker.\n"
        "\n"
        "⚠️ **Anna Muster**\n"
        "*Was hast du seit Freitag erledigt?*\n"
        "Bescheide\n"
        "*Was steht heute bei dir an?*\n"
        "Review\n"
        "mit Bob\n"
        "⚠️ *Wo hängst du fest, was blockiert dich?*\n"
        "**Warte auf Freigabe der IT**\n"
        "\n"
        "**Bob**\n"
        "*Was hast du seit Freitag erledigt?*\n"
        "Post\n"
        "*Was steht heute bei dir an?*\n"
        "Telefon\n"
        "*Wo hängst du fest, was blockiert dich?*\n"
        "keine\n"
        "\n"
        "**Carl**\n"
        "Heute im Außentermin\\.\n"
        "\n"
        "**1 noch offen**\n"
        "**Abwesend:** Eve\n"
    )
    by_question = render_report(report, tr_en, ReportFormat.BY_QUESTION)
    assert "(late)" not in by_question
    assert "- **Bob**: Post" in by_question
    assert "**1 still open**" in by_question
    assert "Dora" not in by_question


def test_each_detail_can_be_turned_on_alone() -> None:
    times = render_report(team_report(details=ReportDetails(times=True)), tr_de)
    assert "**Bob** (09:14)\n" in times
    assert "verspätet" not in times
    late = render_report(team_report(details=ReportDetails(late=True)), tr_de)
    assert "**Bob** (verspätet)\n" in late
    assert "1 verspätet." in late
    assert "09:14" not in late
    names = render_report(team_report(details=ReportDetails(missing_names=True)), tr_de)
    assert "**Keine Antwort:** Dora\n" in names
    assert "noch offen" not in names


def test_by_default_the_csv_has_no_times_no_lateness_and_names_no_one_who_is_open() -> None:
    rows = list(csv.DictReader(io.StringIO(export_csv([team_report(details=PRIVATE)]))))
    assert "time_utc" not in rows[0]
    assert "late" not in rows[0]
    assert [r["display_name"] for r in rows if r["status"] == "answered"][:1] == ["Anna Muster"]
    missing = [r for r in rows if r["status"] == "missing"]
    assert missing == [{**missing[0], "user_id": "", "display_name": "", "text": "1"}]
    assert "@dora:example.org" not in export_csv([team_report(details=PRIVATE)])
    timed = export_csv([team_report()], ReportDetails(times=True))
    assert timed.splitlines()[0].split(",")[7] == "time_utc"
    assert "late" not in timed.splitlines()[0].split(",")
