"""The pure pieces of plain words in the direct chat and of asking instead of guessing:
one rule for a bare number (commands and plain words), stand-ins by name and dates in
words for ``!urlaub``, the answers' texts, and the store of undo rows and questions."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from workday_testing import BERLIN, Tr, berlin

from homeoffice_bot.kernel.errors import ParseError
from homeoffice_bot.kernel.ids import EventID, RoomID, UserID
from homeoffice_bot.kernel.storage import Database
from homeoffice_bot.workday import plain_replies as replies
from homeoffice_bot.workday.hours import LeavePeriod
from homeoffice_bot.workday.plain_leave import leave_dates, parse_leave_words
from homeoffice_bot.workday.plain_words import (
    Ambiguous,
    Away,
    Break,
    Leave,
    NotUnderstood,
    Problem,
    Start,
    understand,
)
from homeoffice_bot.workday.schema import MIGRATIONS
from homeoffice_bot.workday.states import step_away
from homeoffice_bot.workday.store_plain import Before, Choice, PlainStore
from homeoffice_bot.workday.store_privacy import PrivacyStore
from homeoffice_bot.workday.when import (
    TwoReadings,
    bare_number_readings,
    parse_away,
    parse_leave,
    parse_until,
    split_stand_in,
)

NOW = berlin(2024, 3, 12, 10)  # Tuesday, 10:00 in Berlin
TODAY = date(2024, 3, 12)
BEN = UserID("@ben:example.org")
DM = RoomID("!dm:example.org")

# ------------------------------------------------------------------ one rule for a bare number


def test_a_bare_number_that_can_be_minutes_or_an_hour_has_two_readings() -> None:
    assert bare_number_readings(13, NOW, BERLIN) == (
        NOW + timedelta(minutes=13),
        berlin(2024, 3, 12, 13),
    )


def test_a_bare_number_with_one_sensible_reading_has_one() -> None:
    assert bare_number_readings(5, NOW, BERLIN) == (NOW + timedelta(minutes=5),)  # 5:00 passed
    assert bare_number_readings(90, NOW, BERLIN) == (NOW + timedelta(minutes=90),)


def test_a_bare_number_that_fits_nothing_is_an_error() -> None:
    with pytest.raises(ParseError) as caught:
        bare_number_readings(0, NOW, BERLIN)
    assert caught.value.key == "workday.error.duration"


def test_the_command_asks_instead_of_taking_minutes() -> None:
    with pytest.raises(TwoReadings) as caught:
        parse_until("13", NOW, BERLIN)
    assert caught.value.readings == (NOW + timedelta(minutes=13), berlin(2024, 3, 12, 13))
    assert caught.value.key == "plain.until_ambiguous"
    assert parse_until("13m", NOW, BERLIN) == NOW + timedelta(minutes=13)
    assert parse_until("bis 13", NOW, BERLIN) == berlin(2024, 3, 12, 13)
    with pytest.raises(TwoReadings):
        parse_away("13", NOW, BERLIN)
    assert parse_away("2 Kinder abholen", NOW, BERLIN).note == "2 Kinder abholen"


def test_plain_words_use_the_same_rule() -> None:
    reading = understand("Pause 13", NOW, BERLIN)
    assert isinstance(reading, Ambiguous)
    assert [r.until for r in reading.readings if isinstance(r, Break)] == list(
        bare_number_readings(13, NOW, BERLIN)
    )


# ------------------------------------------------------------------ !urlaub


def test_leave_with_a_stand_in_of_two_words_after_the_dates() -> None:
    request = parse_leave("14.12.-18.12. vertretung Ben Müller", TODAY)
    assert (request.first_day, request.last_day) == (date(2024, 12, 14), date(2024, 12, 18))
    assert request.stand_in == "Ben Müller"


@pytest.mark.parametrize(
    ("text", "first", "last", "stand_in"),
    [
        ("vom 14. bis 18.12.", date(2024, 12, 14), date(2024, 12, 18), None),
        ("nächste Woche vertretung Ben", date(2024, 3, 18), date(2024, 3, 22), "Ben"),
        ("vertretung Ben Müller vom 14. bis 18.12.", date(2024, 12, 14), date(2024, 12, 18),
         "Ben Müller"),
        ("14.12.-18.12. vertretung Ben Müller", date(2024, 12, 14), date(2024, 12, 18),
         "Ben Müller"),
    ],
)  # fmt: skip
def test_the_command_reads_the_dates_plain_words_read(
    text: str, first: date, last: date, stand_in: str | None
) -> None:
    request = parse_leave_words(text, TODAY)
    assert (request.first_day, request.last_day, request.stand_in) == (first, last, stand_in)


def test_the_command_still_names_what_it_cannot_read() -> None:
    with pytest.raises(ParseError) as caught:
        parse_leave_words("irgendwann", TODAY)
    assert caught.value.key == "workday.error.dates"
    assert caught.value.params["text"] == "irgendwann"
    with pytest.raises(ParseError) as caught:
        parse_leave_words("vom 18. bis 14.12.", TODAY)
    assert caught.value.key == "workday.error.date_order"


def test_this_week_said_at_the_weekend_is_refused_not_turned_round() -> None:
    saturday = date(2024, 3, 16)
    assert leave_dates("diese woche", saturday) == "reversed"
    with pytest.raises(ParseError) as caught:
        parse_leave_words("diese Woche", saturday)
    assert (caught.value.key, caught.value.params) == (
        "workday.error.date_order",
        {"text": "diese Woche"},
    )


def test_leave_words_around_the_dates_are_left_out() -> None:
    assert leave_dates("ich bin bis 15.3.", TODAY) == (TODAY, date(2024, 3, 15))
    assert leave_dates("i will be on the 14th of december", TODAY) == (
        date(2024, 12, 14),
        date(2024, 12, 14),
    )


@pytest.mark.parametrize(
    ("after", "name", "rest"),
    [
        ("Ben Müller", "Ben Müller", ""),
        ("Anna von Berg", "Anna von Berg", ""),
        ("Ben, vom 14. bis 18.12.", "Ben", "vom 14. bis 18.12."),
        ("Ben Müller vom 14. bis 18.12.", "Ben Müller", "vom 14. bis 18.12."),
        ("Ben nächste Woche", "Ben", "nächste Woche"),
        ("Ben!", "Ben", ""),
    ],
)
def test_a_stand_ins_name_ends_where_the_dates_begin(after: str, name: str, rest: str) -> None:
    assert split_stand_in(after) == (name, rest)


# ------------------------------------------------------------------ the answers' texts


@pytest.mark.parametrize("lang", ["de", "en"])
def test_what_was_understood_is_said_in_words(lang: str) -> None:
    tr = Tr(lang)
    pause = replies.describe(Break(berlin(2024, 3, 12, 13)), NOW, BERLIN, tr, None)
    assert "13:00" in pause
    away = replies.describe(Away(None, "Arzt *privat*"), NOW, BERLIN, tr, None)
    assert "Arzt \\*privat\\*" in away  # what the person typed is escaped
    leave = replies.describe(Leave(date(2024, 12, 14), date(2024, 12, 18), "Ben"), NOW, BERLIN,
                             tr, "Ben Müller")  # fmt: skip
    assert "Ben Müller" in leave
    assert replies.describe(Start(), NOW, BERLIN, tr, None) == tr("plain.what.start")


def test_the_question_names_both_readings_with_their_buttons() -> None:
    choices = tuple(Choice("break", until) for until in bare_number_readings(13, NOW, BERLIN))
    text = replies.question(choices, NOW, BERLIN, Tr("de"), direct=True)
    assert "1️⃣ 13 Minuten Pause, bis 10:13 Uhr" in text
    assert "2️⃣ Pause bis 13:00 Uhr" in text
    assert "„1“" in text
    room = replies.question(choices, NOW, BERLIN, Tr("de"), direct=False)
    assert "„1“" not in room


def test_a_problem_comes_with_an_example() -> None:
    reading = understand("Pause bis 9 Uhr", NOW, BERLIN)
    assert isinstance(reading, Problem)
    text = replies.problem(reading, "Pause bis 9 Uhr", Tr("de"))
    assert "09:00 ist heute schon vorbei" in text
    assert "Mittagspause bis 13 Uhr" in text


def test_words_not_understood_get_examples_and_no_guess() -> None:
    reading = understand("Wie wird das Wetter?", NOW, BERLIN)
    assert isinstance(reading, NotUnderstood)
    text = replies.not_understood(reading.closest, Tr("de"))
    assert text.count("\n- „") == len(reading.closest) >= 2
    assert "Verstanden" not in text


def test_undo_and_choices_typed() -> None:
    assert replies.is_undo("Rückgängig!")
    assert replies.is_undo("undo")
    assert not replies.is_undo("rückgängig machen bitte später")
    assert replies.typed_choice(" 2 ") == 1
    assert replies.typed_choice("3") is None


# ------------------------------------------------------------------ the store


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = Database(tmp_path / "workday.sqlite3")
    await database.open()
    await database.migrate("workday", MIGRATIONS)
    yield database
    await database.close()


async def test_an_undo_row_keeps_the_status_and_leave_before_and_is_taken_once(
    db: Database,
) -> None:
    store = PlainStore(db)
    before = Before(
        step_away(BEN, NOW, NOW + timedelta(hours=1), "Arzt", False),
        NOW + timedelta(minutes=5),
        (LeavePeriod(date(2024, 8, 1), date(2024, 8, 9), UserID("@anna:example.org")),),
    )
    await store.keep_undo(BEN, DM, before, NOW)
    await store.set_undo_event(BEN, EventID("$confirm"))
    row = await store.undo(BEN)
    assert row is not None
    assert row.before == before
    assert row.event_id == EventID("$confirm")
    assert row.changed_at == NOW
    exported = await PrivacyStore(db).export(BEN)
    assert len(exported["plain_undo"]) == 1
    assert await store.take_undo(BEN)
    assert not await store.take_undo(BEN)
    assert await store.undo(BEN) is None


async def test_a_question_is_replaced_by_the_next_and_deleted_with_the_person(
    db: Database,
) -> None:
    store = PlainStore(db)
    first = (Choice("break", NOW), Choice("break", NOW + timedelta(hours=1)))
    second = (Choice("away", NOW, "Kita"), Choice("away", NOW + timedelta(hours=2), "Kita"))
    await store.ask(BEN, DM, first, NOW)
    await store.set_question_event(BEN, EventID("$q1"))
    await store.ask(BEN, DM, second, NOW)
    row = await store.question(BEN)
    assert row is not None
    assert row.choices == second
    assert row.event_id is None  # the new question's event is set when it is sent
    await store.keep_undo(BEN, DM, Before(None, None), NOW)
    await PrivacyStore(db).delete_person(BEN)
    assert await store.question(BEN) is None
    assert await store.undo(BEN) is None
