"""The guided set-up's pure steps: the choices, reading taps and typed answers, clear
errors with an example, the order of the questions, the question and summary texts."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from homeoffice_bot.kernel.i18n import Catalogue
from homeoffice_bot.onboarding.plugin import OnboardingPlugin
from homeoffice_bot.onboarding.steps import (
    NO_REGION,
    ORDER,
    AnswerError,
    Answers,
    Step,
    by_reaction,
    is_cancel,
    next_step,
    options,
    parse_region,
    read_answer,
    region_name,
    weekday_words,
)
from homeoffice_bot.onboarding.texts import Outcome, question, region_label, summary

assert OnboardingPlugin.locales is not None
CATALOGUE = Catalogue.from_folder(OnboardingPlugin.locales)
DE, EN = CATALOGUE.translator("de"), CATALOGUE.translator("en")
NW = "DE-NW"


@pytest.mark.parametrize(
    ("step", "text", "value"),
    [
        (Step.TIME, "1", "09:00"),
        (Step.TIME, "3", "10:00"),
        (Step.TIME, "8:45", "08:45"),
        (Step.TIME, "um 7 Uhr", "07:00"),
        (Step.TIME, "ok", "09:00"),
        (Step.TIME, "8", "08:00"),  # beyond the choices' numbers: an hour
        (Step.DAYS, "2", "1,2,3,4"),
        (Step.DAYS, "Mo, Mi, Fr", "1,3,5"),
        (Step.DAYS, "mo-fr", "1,2,3,4,5"),
        (Step.DAYS, "täglich", "1,2,3,4,5,6,7"),
        (Step.REGION, "1", NW),
        (Step.REGION, "Bayern", "DE-BY"),
        (Step.REGION, "NRW", NW),
        (Step.REGION, "de-by", "DE-BY"),
        (Step.REGION, "BY", "DE-BY"),
        (Step.REGION, "keine", NO_REGION),
        (Step.REGION, "Thüringen", "DE-TH"),
        (Step.INCLUDE_LEAD, "nein", "no"),
        (Step.INCLUDE_LEAD, "Ja", "yes"),
        (Step.INCLUDE_LEAD, "2", "yes"),
        (Step.ANSWERS, "Thread", "thread"),
        (Step.ANSWERS, "direkt", "dm"),
        (Step.ANSWERS, "2.", "dm"),
        (Step.BOARD, "ja!", "yes"),
        (Step.BOARD, "no", "no"),
    ],
)
def test_typed_answers(step: Step, text: str, value: str) -> None:
    assert read_answer(step, text, NW) == value


@pytest.mark.parametrize(
    ("step", "text"),
    [
        (Step.TIME, "irgendwann"),
        (Step.TIME, "25:00"),
        (Step.DAYS, "4"),  # there are three choices
        (Step.BOARD, "3"),
        (Step.DAYS, "manchmal"),
        (Step.REGION, "Atlantis"),
        (Step.REGION, "DE-XX"),
        (Step.INCLUDE_LEAD, "vielleicht"),
        (Step.ANSWERS, "per Post"),
        (Step.BOARD, "später"),
        (Step.TIME, ""),
        (Step.TIME, "9" * 200),
    ],
)
def test_bad_answers_get_the_step_s_reply_with_an_example(step: Step, text: str) -> None:
    with pytest.raises(AnswerError) as caught:
        read_answer(step, text, NW)
    assert caught.value.key == f"onboarding.error.{step.value}"
    reply = DE(caught.value.key, text=caught.value.text)
    assert "zum Beispiel" in reply or "„ja“" in reply or "„Thread“" in reply
    assert len(caught.value.text) <= 80


def test_taps_choose_the_option_of_their_number() -> None:
    assert by_reaction(Step.TIME, "1️⃣", NW) == "09:00"
    assert by_reaction(Step.TIME, "2\u20e3", NW) == "09:30"  # without the variation selector
    assert by_reaction(Step.REGION, "2️⃣", NW) == NO_REGION
    assert by_reaction(Step.REGION, "3️⃣", NW) is None  # two choices only
    assert by_reaction(Step.BOARD, "👍", NW) is None


def test_the_first_choice_is_the_default_and_the_detected_region() -> None:
    assert options(Step.TIME, NW)[0].value == "09:00"
    assert options(Step.DAYS, NW)[0].value == "1,2,3,4,5"
    assert options(Step.REGION, "DE-BY")[0].value == "DE-BY"
    assert options(Step.INCLUDE_LEAD, NW)[0].value == "no"  # the lead is not asked
    assert options(Step.ANSWERS, NW)[0].value == "thread"
    assert options(Step.BOARD, NW)[0].value == "yes"


def test_the_steps_in_order() -> None:
    assert ORDER[0] is Step.TIME
    steps, step = [], ORDER[0]
    while step is not None:
        steps.append(step)
        step = next_step(step)
    assert tuple(steps) == ORDER
    assert len(ORDER) == 6


def test_cancel_words() -> None:
    assert is_cancel("abbrechen")
    assert is_cancel("Cancel!")
    assert is_cancel(" Stopp ")
    assert not is_cancel("9:00")


def test_regions() -> None:
    assert parse_region("Nordrhein-Westfalen") == NW
    assert parse_region("DE") == "DE"
    assert region_name(NW) == "Nordrhein-Westfalen"
    assert region_name("DE") is None
    assert region_name("AT-9") is None
    assert region_label(NW) == "Nordrhein-Westfalen (DE-NW)"
    assert region_label("FR") == "FR"


def test_weekday_words() -> None:
    names = {1: "Mo", 2: "Di", 3: "Mi", 4: "Do", 5: "Fr", 6: "Sa", 7: "So"}
    assert weekday_words(frozenset({1, 2, 3, 4, 5}), names) == "Mo–Fr"
    assert weekday_words(frozenset({1, 3, 5}), names) == "Mo, Mi, Fr"
    assert weekday_words(frozenset({1, 2}), names) == "Mo, Di"


def test_answers_keep_what_was_chosen() -> None:
    answers = Answers().with_(Step.TIME, "08:45").with_(Step.DAYS, "1,3,5")
    assert answers.get(Step.TIME) == "08:45"
    assert answers.get(Step.REGION) is None
    assert dict(answers.values) == {"time": "08:45", "days": "1,3,5"}


def test_the_region_question_says_what_was_assumed_and_why() -> None:
    text = question(Step.REGION, DE, region_default=NW, region_source="bot", prefix="!")
    assert text.startswith("Frage 3 von 6:")
    assert "Ich habe Nordrhein-Westfalen (DE-NW) angenommen" in text
    assert "bot.default_holiday_region" in text
    assert "- 1: Nordrhein-Westfalen (DE-NW) (Standard)" in text
    assert "- 2: Keine Feiertage" in text
    assert "zum Beispiel" in text
    room = question(Step.REGION, EN, region_default="DE-BY", region_source="room", prefix="!")
    assert "I assumed Bayern (DE-BY) because this room is set to it" in room
    assert "`!holidays team`" in room


def test_every_question_names_its_choices_in_words() -> None:
    for step in ORDER:
        for tr in (DE, EN):
            text = question(step, tr, region_default=NW, region_source="bot", prefix="!")
            assert not text[0].isdigit()
            count = len(options(step, NW))
            assert all(f"- {n}: " in text for n in range(1, count + 1))


VALUES = {"time": "08:45", "days": "1,2,3,4,5", "region": "DE-BY", "include_lead": "no",
          "answers": "dm", "board": "yes"}  # fmt: skip


def test_the_summary_says_what_was_set() -> None:
    outcome = Outcome("Team *Nord*", "team", True, datetime(2024, 3, 12, 7, 45, tzinfo=UTC),
                      "Europe/Berlin", True, True)  # fmt: skip
    text = summary(VALUES, outcome, DE, "!")
    assert "„Team \\*Nord\\*“" in text  # the room's name is escaped
    assert "Stand-up „team“: Mo–Fr um 08:45 Uhr (Europe/Berlin)." in text
    assert "Das nächste beginnt am 12.03.2024 um 08:45 Uhr." in text
    assert "Feiertage: Bayern (DE-BY)." in text
    assert "Dich frage ich im Stand-up nicht" in text
    assert "per Direktnachricht" in text
    assert "Die Teamübersicht steht jetzt im Raum." in text
    assert "`!standup`" in text


def test_the_summary_without_features_or_region_or_board() -> None:
    values = {**VALUES, "region": NO_REGION, "include_lead": "yes", "board": "no"}
    none = Outcome("Team", None, False, None, "Europe/Berlin", False, None)
    text = summary(values, none, EN, "!")
    assert "Stand-ups are not turned on" in text
    assert "Public holidays: none." in text
    assert "team board and the room's public holidays are not turned on" in text
    off = Outcome("Team", "team", False, None, "Europe/Berlin", True, False)
    text = summary(values, off, DE, "!")
    assert "geändert" in text
    assert "Dich frage ich im Stand-up auch." in text
    assert "`!übersicht an`" in text
    later = Outcome("Team", "team", True, None, "Europe/Berlin", True, None)
    assert "`!moin`" in summary(values, later, DE, "!")


def test_the_welcome_says_what_the_bot_does_that_it_does_not_ping_and_how_to_start() -> None:
    german = DE("onboarding.welcome", prefix="!")
    assert "Teamleitung: schreib `!einrichten`" in german
    assert "keine Benachrichtigung" in german
    assert "`!hilfe`" in german
    english = EN("onboarding.welcome", prefix="!")
    assert "Team lead: type `!setup`" in english
    assert "do not notify" in english
    assert "`!help`" in english
    assert german.count(". ") <= 5  # a short notice
