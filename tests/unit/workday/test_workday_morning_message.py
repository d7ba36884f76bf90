"""The morning message (pure composition), the reminder settings (parsing, showing, the
due times they change) and where a person's time zone comes from."""

from __future__ import annotations

import logging
from dataclasses import replace

import pytest
from workday_testing import Tr, berlin

from homeoffice_bot.kernel.errors import ParseError
from homeoffice_bot.kernel.ids import RoomID, UserID
from homeoffice_bot.standup.remind import wanting_reminder
from homeoffice_bot.workday.board import render_wrapup_handback
from homeoffice_bot.workday.due import DueFacts, DueRules, next_due
from homeoffice_bot.workday.morning import MorningParts, compose, hours_line
from homeoffice_bot.workday.profiles import Directory, Reminders
from homeoffice_bot.workday.settings import WorkdaySettings
from homeoffice_bot.workday.settings_commands import describe_reminders, parse_reminder_choice
from homeoffice_bot.workday.states import start_work
from homeoffice_bot.workday.store import PersonRow, WorkdayStore

ANNA = UserID("@anna:example.org")
DE, EN = Tr("de"), Tr("en")
SETTINGS = WorkdaySettings()


# ---------------------------------------------------------------- the morning message


def test_the_parts_come_in_order_each_only_when_it_has_something() -> None:
    parts = MorningParts(hours="Heute bis 16:30 Uhr.", handback="H", digest="D", rest="R")
    assert compose(parts, "Guten Morgen, Anna!") == (
        "Guten Morgen, Anna! Heute bis 16:30 Uhr.\n\nH\n\nD\n\nR"
    )
    assert compose(replace(parts, handback=None, rest=" "), "Moin!") == (
        "Moin! Heute bis 16:30 Uhr.\n\nD"
    )
    assert compose(MorningParts(digest="D")) == "D"
    assert compose(MorningParts(hours="Heute bis 16:30 Uhr.", rest="R")) == (
        "Heute bis 16:30 Uhr.\n\nR"
    )


def test_nothing_to_say_is_no_message_and_a_greeting_alone_stays_alone() -> None:
    assert compose(MorningParts()) is None
    assert compose(MorningParts(), "") is None
    assert compose(MorningParts(), "Guten Morgen, Anna!") == "Guten Morgen, Anna!"


def test_the_hours_are_said_while_the_day_is_ahead_in_the_persons_zone() -> None:
    end = berlin(2024, 3, 12, 16, 30)
    assert hours_line(end, berlin(2024, 3, 12, 8), "Europe/Berlin", DE) == "Heute bis 16:30 Uhr."
    assert hours_line(end, berlin(2024, 3, 12, 8), "America/New_York", EN) == ("Today until 11:30.")
    assert hours_line(end, end, "Europe/Berlin", DE) is None
    assert hours_line(None, end, "Europe/Berlin", DE) is None


def test_a_whole_morning_message_reads_as_one() -> None:
    handback = render_wrapup_handback("Bericht an *Petra*", DE)
    text = compose(
        MorningParts(hours=hours_line(berlin(2024, 3, 12, 16, 30), berlin(2024, 3, 12, 8),
                                      "Europe/Berlin", DE), handback=handback),
        DE("cmd.start.reply", name="Anna"),
    )  # fmt: skip
    assert text is not None
    first, second = text.split("\n\n")
    assert "Anna" in first
    assert first.endswith("Heute bis 16:30 Uhr.")
    assert "Bericht an \\*Petra\\*" in second  # the person's words stay inert


# ---------------------------------------------------------------- reminder settings


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", ((), None)),
        ("feierabend aus", (("dayend",), False)),
        ("Feierabend AUS", (("dayend",), False)),
        ("aus standup", (("standup",), False)),
        ("sammlung an", (("digest",), True)),
        ("end-of-day off", (("dayend",), False)),
        ("digest on", (("digest",), True)),
        ("aus", (("dayend", "standup", "digest"), False)),
        ("alle an", (("dayend", "standup", "digest"), True)),
        ("all off", (("dayend", "standup", "digest"), False)),
        ("feierabend standup aus", (("dayend", "standup"), False)),
        ("standup", (("standup",), None)),
    ],
)
def test_reminder_choices(text: str, expected: tuple[tuple[str, ...], bool | None]) -> None:
    assert parse_reminder_choice(text) == expected


@pytest.mark.parametrize("text", ["vielleicht", "feierabend vielleicht", "an aus", "feierabend 5"])
def test_unknown_reminder_words_are_refused_with_the_word(text: str) -> None:
    with pytest.raises(ParseError) as refused:
        parse_reminder_choice(text)
    assert refused.value.key == "reminders.unknown"
    assert refused.value.params["text"] in text.split()
    assert "`!erinnerungen feierabend aus`" in DE(refused.value.key, **refused.value.params)
    assert "`!reminders end-of-day off`" in EN(refused.value.key, **refused.value.params)


def test_the_reminders_are_shown_in_words() -> None:
    shown = describe_reminders(
        Reminders(dayend=False), ("dayend", "standup", "digest"), DE
    ).splitlines()
    assert shown[0] == "Deine Erinnerungen:"
    assert shown[1].startswith("- Feierabend")
    assert shown[1].endswith(": aus")
    assert shown[2].startswith("- Stand-up")
    assert shown[2].endswith(": an")
    assert shown[3].startswith("- Sammlung")
    assert shown[3].endswith(": an")
    assert "!erinnerungen" in shown[4]
    english = describe_reminders(Reminders(digest=False), ("digest",), EN)
    assert "- Digest" in english
    assert ": off" in english
    assert "!reminders" in english


def _directory(profile_tz: object = None) -> Directory:
    return Directory(
        WorkdayStore(None),  # type: ignore[arg-type]
        SETTINGS,
        "Europe/Berlin",
        "DE-NW",
        profile_tz=profile_tz,  # type: ignore[arg-type]
    )


def test_no_end_of_day_look_for_a_person_who_turned_it_off() -> None:
    rules = DueRules(SETTINGS.day_end_lead, SETTINGS.auto_off_grace, SETTINGS.arbzg_lead)
    row = PersonRow(ANNA, arbzg=False, home_room=RoomID("!t:x"))
    wanted = _directory().build(row, None, ANNA)
    unwanted = _directory().build(replace(row, remind_dayend=False), None, ANNA)
    assert unwanted.reminders == Reminders(dayend=False)
    start = berlin(2024, 3, 12, 8)
    status = start_work(ANNA, start)
    assert next_due(DueFacts(wanted, status), start, rules) == berlin(2024, 3, 12, 16, 15)
    later = next_due(DueFacts(unwanted, status), start, rules)
    assert later is not None
    assert later > berlin(2024, 3, 12, 16, 30)


class Wishes:
    def __init__(self, off: set[str], failing: set[str] = frozenset()) -> None:  # type: ignore[assignment]
        self.off, self.failing = off, failing

    async def wants_standup_reminder(self, user_id: UserID) -> bool:
        if user_id in self.failing:
            raise RuntimeError("store gone")
        return user_id not in self.off


async def test_the_stand_up_reminds_only_those_who_want_it() -> None:
    users = ["@a:x", "@b:x", "@c:x"]
    assert await wanting_reminder(None, users) == users
    wishes = Wishes(off={"@b:x"}, failing={"@c:x"})
    assert await wanting_reminder(wishes, users) == ["@a:x", "@c:x"]  # type: ignore[arg-type]


# ---------------------------------------------------------------- the time zone


def test_own_zone_wins_over_the_matrix_profile_over_the_default() -> None:
    directory = _directory()
    row = PersonRow(ANNA, home_room=RoomID("!t:x"))
    own = directory.build(replace(row, tz="Asia/Tokyo"), None, ANNA, "America/New_York")
    assert (own.tz, own.tz_source, own.schedule.tz) == ("Asia/Tokyo", "own", "Asia/Tokyo")
    matrix = directory.build(row, None, ANNA, "America/New_York")
    assert (matrix.tz, matrix.tz_source) == ("America/New_York", "matrix")
    assert matrix.schedule.tz == "America/New_York"
    default = directory.build(row, None, ANNA)
    assert (default.tz, default.tz_source) == ("Europe/Berlin", "default")


async def test_the_matrix_profile_zone_is_validated_and_a_bad_one_logged_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    values = {"@a:x": "america/new_york", "@b:x": "Mars/Olympus", "@c:x": None, "@d:x": "UTC"}

    async def lookup(user: UserID) -> str | None:
        return values[user]

    directory = _directory(lookup)
    assert await directory.matrix_tz(UserID("@a:x")) == "America/New_York"
    assert await directory.matrix_tz(UserID("@c:x")) is None
    assert await directory.matrix_tz(UserID("@d:x")) == "UTC"
    with caplog.at_level(logging.WARNING, logger="homeoffice_bot.workday.profiles"):
        assert await directory.matrix_tz(UserID("@b:x")) is None
        assert await directory.matrix_tz(UserID("@b:x")) is None
    assert [r.getMessage() for r in caplog.records].count(
        "ignoring m.tz 'Mars/Olympus' of @b:x: not an IANA time zone"
    ) == 1


async def test_without_a_profile_lookup_there_is_no_matrix_zone() -> None:
    assert await _directory().matrix_tz(ANNA) is None
