from __future__ import annotations

from datetime import date

from standup_helpers import tr_de, tr_en

from homeoffice_bot.standup.calendar import previous_standup_day
from homeoffice_bot.standup.questions import (
    DEFAULT_SECTION_KEYWORDS,
    blocker_question_index,
    questions_for,
    section_keywords,
)

MONDAY = date(2026, 11, 23)
FRIDAY = date(2026, 11, 20)
WORKDAYS = frozenset({1, 2, 3, 4, 5})


def test_monday_asks_since_friday() -> None:
    assert questions_for(MONDAY, FRIDAY, None, tr_de) == [
        "Was hast du seit Freitag erledigt?",
        "Was steht heute bei dir an?",
        "Wo hängst du fest, was blockiert dich?",
    ]
    assert questions_for(MONDAY, FRIDAY, None, tr_en)[0] == "What have you finished since Friday?"


def test_monday_previous_day_comes_from_the_calendar() -> None:
    previous = previous_standup_day(MONDAY, WORKDAYS, "DE-NW", frozenset())
    assert questions_for(MONDAY, previous, None, tr_de)[0] == "Was hast du seit Freitag erledigt?"


def test_tuesday_asks_since_yesterday() -> None:
    tuesday = date(2026, 11, 24)
    assert questions_for(tuesday, MONDAY, None, tr_de)[0] == "Was hast du seit gestern erledigt?"
    assert questions_for(tuesday, MONDAY, None, tr_en)[0] == (
        "What have you finished since yesterday?"
    )


def test_day_after_a_holiday_names_the_last_standup_day() -> None:
    friday_after_corpus_christi = date(2026, 6, 5)
    previous = previous_standup_day(friday_after_corpus_christi, WORKDAYS, "DE-NW", frozenset())
    first = questions_for(friday_after_corpus_christi, previous, None, tr_de)[0]
    assert first == "Was hast du seit Mittwoch erledigt?"


def test_long_break_names_the_date() -> None:
    assert questions_for(date(2026, 6, 15), date(2026, 6, 1), None, tr_de)[0] == (
        "Was hast du seit dem 01.06. erledigt?"
    )
    assert questions_for(date(2026, 6, 15), date(2026, 6, 1), None, tr_en)[0] == (
        "What have you finished since 01/06?"
    )


def test_first_standup_has_no_previous_day() -> None:
    assert questions_for(MONDAY, None, None, tr_de)[0] == (
        "Was hast du seit dem letzten Stand-up erledigt?"
    )


def test_custom_questions_replace_the_defaults() -> None:
    custom = ("Was hast du gelernt?", "Wen brauchst du?")
    assert questions_for(MONDAY, FRIDAY, custom, tr_de) == list(custom)
    assert section_keywords(custom) == ()
    assert section_keywords(None) == DEFAULT_SECTION_KEYWORDS


def test_blocker_question_index() -> None:
    assert blocker_question_index(None) == 2
    assert blocker_question_index(("Erledigt?", "Geplant?", "Wo hängst du fest?")) == 2
    assert blocker_question_index(("Blockaden?", "Sonst noch was?")) == 0
    assert blocker_question_index(("Was hast du gelernt?",)) is None
