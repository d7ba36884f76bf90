"""The plugin's declarations and pure helpers: commands and their arguments, profiles
from rows, the board's change key, the settings section."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError
from workday_testing import berlin

import homeoffice_bot.workday
from homeoffice_bot.kernel.command_model import Command, Permission
from homeoffice_bot.kernel.commands import render_help_detail
from homeoffice_bot.kernel.i18n import Catalogue
from homeoffice_bot.kernel.ids import RoomID, UserID
from homeoffice_bot.kernel.parser import resolve, usage_line
from homeoffice_bot.workday.board_service import comparable
from homeoffice_bot.workday.commands import build_commands
from homeoffice_bot.workday.hours import LeavePeriod, parse_working_hours
from homeoffice_bot.workday.profiles import Directory, effective_status
from homeoffice_bot.workday.settings import WorkdaySettings
from homeoffice_bot.workday.states import PresenceState, finish_day, resolve_presence
from homeoffice_bot.workday.store import PersonRow, RoomRow

LOCALES = Path(homeoffice_bot.workday.__file__).parent / "locales"
ANNA = UserID("@anna:example.org")
ROOM = RoomID("!team:example.org")


class _Handlers:
    """Stands in for the handler objects: every attribute is a handler."""

    def __getattr__(self, name: str) -> Any:
        async def handler(ctx: Any, args: Any) -> None:
            raise AssertionError("not called in these tests")

        handler.__name__ = name
        return handler


@pytest.fixture(scope="module")
def commands() -> list[Command]:
    catalogue = Catalogue.from_folder(LOCALES)
    h: Any = _Handlers()
    return build_commands(catalogue, h, h, h)


def test_every_name_is_unique_and_every_command_has_help_in_both_languages(
    commands: list[Command],
) -> None:
    names = [name for command in commands for name in command.all_names()]
    assert len(names) == len(set(names))
    for command in commands:
        for lang in ("de", "en"):
            assert command.help_in(lang)
            assert not command.help_in(lang).startswith("cmd.")
    assert {c.name_in("de") for c in commands} >= {
        "moin", "pause", "zurück", "weg", "feierabend", "urlaub", "abwesend", "status",
        "arbeitszeit", "kernzeit", "zeitzone", "arbzg", "dringend", "meine-daten",
        "daten-löschen",
    }  # fmt: skip
    assert {c.name_in("en") for c in commands} >= {"start", "break", "back", "off", "leave"}


@pytest.mark.parametrize(
    ("typed", "path", "args"),
    [
        ("pause 15m", ["pause"], {"when": "15m"}),
        ("break until 12:30", ["pause"], {"when": "until 12:30"}),
        ("pause", ["pause"], {"when": None}),
        ("pause plan täglich 12:00-12:30", ["pause", "plan"], {"spec": "täglich 12:00-12:30"}),
        ("weg bis 14:00 öffentlich: Kita", ["weg"], {"rest": "bis 14:00 öffentlich: Kita"}),
        ("urlaub 12.08.–23.08. vertretung @x:y", ["urlaub"], {"period": "12.08.–23.08. vertretung @x:y"}),  # noqa: E501
        ("status @ben:example.org", ["status"], {"who": "@ben:example.org"}),
        ("arbeitszeit team mo-fr 8-16", ["arbeitszeit", "team"], {"spec": "mo-fr 8-16"}),
        ("arbzg aus", ["arbzg"], {"switch": "off"}),
        ("daten-löschen bestätigen", ["daten-löschen", "bestätigen"], {}),
        ("delete-my-data confirm", ["daten-löschen", "bestätigen"], {}),
    ],
)  # fmt: skip
def test_commands_resolve_with_their_arguments(
    commands: list[Command], typed: str, path: list[str], args: dict[str, Any]
) -> None:
    word, _, rest = typed.partition(" ")
    resolved = resolve(commands, word, rest)
    assert [c.name_in("de") for c in resolved.path] == path
    assert resolved.args == args


def test_moderator_commands(commands: list[Command]) -> None:
    def needed(typed: str) -> Permission:
        word, _, rest = typed.partition(" ")
        return max(c.permission for c in resolve(commands, word, rest).path)

    assert needed("arbeitszeit team mo-fr 8-16") is Permission.MODERATOR
    assert needed("kernzeit mo-fr 9-14") is Permission.MODERATOR
    assert needed("dringend #dringend") is Permission.MODERATOR
    assert needed("feiertage team DE-BY") is Permission.MODERATOR
    assert needed("arbeitszeit mo-fr 8-16") is Permission.MEMBER
    assert needed("status") is Permission.MEMBER


def test_usage_lines_name_the_arguments(commands: list[Command]) -> None:
    pause = next(c for c in commands if c.name_in("de") == "pause")
    assert usage_line([pause], "de", "!") == "!pause [Dauer|bis Uhrzeit]"
    assert usage_line([pause], "en", "!") == "!break [duration|until time]"


def test_away_shows_both_ways_to_say_until_when(commands: list[Command]) -> None:
    away = next(c for c in commands if c.name_in("de") == "weg")
    assert usage_line([away], "de", "!") == "!weg [Dauer|bis Uhrzeit] [Grund]"
    assert usage_line([away], "en", "!") == "!away [duration|until time] [reason]"
    de = render_help_detail([away], "de", "!", Catalogue({"de": {}, "en": {}}).translator("de"))
    en = render_help_detail([away], "en", "!", Catalogue({"de": {}, "en": {}}).translator("en"))
    assert "- `!weg 1h`" in de
    assert "- `!weg bis 14:00 Arzttermin`" in de
    assert "- `!away 1h`" in en
    assert "- `!away until 14:00 dentist`" in en
    assert "!weg" not in en


def _subcommands(commands: list[Command]) -> list[list[Command]]:
    paths: list[list[Command]] = []
    for command in commands:
        paths.append([command])
        paths += [[command, sub] for sub in command.subcommands]
    return paths


@pytest.mark.parametrize("lang", ["de", "en"])
def test_every_example_runs_the_command_it_is_shown_for(commands: list[Command], lang: str) -> None:
    for path in _subcommands(commands):
        for example in path[-1].examples_in(lang):
            word, _, rest = example.partition(" ")
            resolved = resolve(commands, word, rest)  # a group's example may name a subcommand
            assert resolved.path[: len(path)] == tuple(path), example


def _directory() -> Directory:
    return Directory(None, WorkdaySettings(), "Europe/Berlin", "DE-NW")  # type: ignore[arg-type]


def test_profile_prefers_own_hours_then_the_team_then_the_default() -> None:
    directory = _directory()
    own = PersonRow(ANNA, hours="Mo–Fr 07:00–15:00", home_room=ROOM)
    team = RoomRow(ROOM, team_hours="Mo–Do 09:00–17:00", region="DE-BY")
    profile = directory.build(own, team, ANNA)
    assert profile.known
    assert profile.hours_source == "own"
    assert profile.schedule.hours == parse_working_hours("mo-fr 7-15")
    assert profile.schedule.region == "DE-BY"

    profile = directory.build(PersonRow(ANNA, tz="Europe/Lisbon", region="DE-HH"), team, ANNA)
    assert profile.hours_source == "team"
    assert profile.schedule.hours == parse_working_hours("mo-do 9-17")
    assert profile.tz == "Europe/Lisbon"
    assert profile.schedule.region == "DE-HH"

    profile = directory.build(None, None, ANNA)
    assert not profile.known
    assert profile.hours_source == "default"
    assert profile.schedule.hours == parse_working_hours("mo-fr 08:00-16:30")
    assert (profile.tz, profile.schedule.region, profile.arbzg) == ("Europe/Berlin", "DE-NW", True)


def test_profile_ignores_stored_text_that_no_longer_parses() -> None:
    row = PersonRow(ANNA, hours="kaputt", break_plan="auch kaputt")
    profile = _directory().build(row, RoomRow(ROOM, core_hours="Mo–Fr 09:00–14:00"), ANNA)
    assert profile.hours_source == "default"
    assert profile.plans == ()
    assert profile.schedule.core == parse_working_hours("mo-fr 9-14")


def test_board_changes_ignore_the_as_of_line() -> None:
    before = "**Teamübersicht** · Stand 10:00\n\n- Anna — Im Dienst 🟢"
    later = "**Teamübersicht** · Stand 10:05\n\n- Anna — Im Dienst 🟢"
    changed = "**Teamübersicht** · Stand 10:05\n\n- Anna — Pause ☕"
    assert comparable(before) == comparable(later)
    assert comparable(before) != comparable(changed)


def test_settings_defaults_and_validation() -> None:
    settings = WorkdaySettings()
    assert settings.end_of_day_reminder_minutes == 15
    assert settings.retention_days == 30
    assert settings.auto_off_grace_minutes == 60
    assert settings.hours == parse_working_hours("mo-fr 08:00-16:30")
    assert WorkdaySettings(default_hours="mo-do 7-16").hours == parse_working_hours("mo-do 7-16")
    with pytest.raises(ValidationError, match="working-hours"):
        WorkdaySettings(default_hours="immer")
    with pytest.raises(ValidationError):
        WorkdaySettings(retention_days=0)
    with pytest.raises(ValidationError):
        WorkdaySettings(unknown=1)  # type: ignore[call-arg]


def test_off_gives_way_to_a_leave_day() -> None:
    schedule = _directory().build(None, None, ANNA).schedule
    friday_evening = berlin(2024, 3, 15, 17)
    off = finish_day(ANNA, friday_evening, schedule)  # until Monday 08:00
    ben = UserID("@ben:example.org")
    on_leave = replace(schedule, leave=(LeavePeriod(date(2024, 3, 18), date(2024, 3, 22), ben),))
    saturday, monday = berlin(2024, 3, 16, 10), berlin(2024, 3, 18, 7)
    assert effective_status(off, saturday, on_leave) is off
    assert effective_status(off, monday, on_leave) is None
    presence = resolve_presence(effective_status(off, monday, on_leave), monday, on_leave)
    assert (presence.state, presence.stand_in) == (PresenceState.LEAVE, ben)
