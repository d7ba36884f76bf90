from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from standup_helpers import tr_de, tr_en

from homeoffice_bot.standup.calendar import SkipReason
from homeoffice_bot.standup.config import (
    AnswerChannel,
    ReportFormat,
    StandupConfig,
    StandupMode,
    reminder_at,
)
from homeoffice_bot.standup.errors import StandupSettingError

ROOM = "!team:example.org"
FRIDAY_NOON = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
MONDAY_KICKOFF = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)


def config(**changes: object) -> StandupConfig:
    return StandupConfig("team", ROOM, time(9, 0), **changes)  # type: ignore[arg-type]


def test_defaults() -> None:
    c = config()
    assert c.tz == "Europe/Berlin"
    assert c.weekdays == frozenset({1, 2, 3, 4, 5})
    assert c.window_seconds == 600
    assert c.mode is StandupMode.WRITTEN
    assert c.answer_channel is AnswerChannel.THREAD
    assert c.report_format is ReportFormat.BY_PERSON
    assert c.reminder_percent == 80
    assert c.mass_mention is False


def test_schedule_follows_the_config() -> None:
    c = config(region="DE-NW")
    assert c.next_kickoff(FRIDAY_NOON) == MONDAY_KICKOFF
    assert c.previous_kickoff(FRIDAY_NOON) == datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
    assert c.occurrence_day(MONDAY_KICKOFF) == date(2026, 11, 23)
    assert c.closes_at(MONDAY_KICKOFF) == datetime(2026, 11, 23, 8, 10, tzinfo=UTC)
    assert c.reminder_at(MONDAY_KICKOFF) == datetime(2026, 11, 23, 8, 8, tzinfo=UTC)
    assert c.skip_reason(date(2026, 6, 4)) is SkipReason.HOLIDAY
    assert c.previous_standup_day(date(2026, 11, 23)) == date(2026, 11, 20)


def test_skipped_day_and_pause() -> None:
    c = config(skipped=frozenset({date(2026, 11, 23)}))
    assert c.next_kickoff(FRIDAY_NOON) == MONDAY_KICKOFF + timedelta(days=1)
    paused = config(paused=True)
    assert paused.next_kickoff(FRIDAY_NOON) is None
    assert paused.previous_kickoff(FRIDAY_NOON) is None


def test_reminder_at() -> None:
    assert reminder_at(MONDAY_KICKOFF, 10, 80) == MONDAY_KICKOFF + timedelta(minutes=8)
    assert reminder_at(MONDAY_KICKOFF, 7, 50) == MONDAY_KICKOFF + timedelta(minutes=3, seconds=30)
    assert config(reminder_percent=None).reminder_at(MONDAY_KICKOFF) is None


def test_participants() -> None:
    c = config(
        participants_add=frozenset({"@partner:kdn.example"}),
        participants_remove=frozenset({"@boss:example.org"}),
        observers=frozenset({"@cdo:example.org"}),
    )
    members = ["@anna:example.org", "@boss:example.org", "@cdo:example.org", "@bot:example.org"]
    assert c.participants(members, bots=["@bot:example.org"]) == (
        "@anna:example.org",
        "@partner:kdn.example",
    )


@pytest.mark.parametrize(
    ("changes", "key"),
    [
        ({"window_seconds": 0}, "standup.error.window"),
        ({"window_seconds": 241 * 60}, "standup.error.window"),
        ({"reminder_percent": 100}, "standup.error.reminder"),
        ({"tz": "Europe/Bonn"}, "standup.error.timezone"),
        ({"tz": "../etc"}, "standup.error.timezone"),
        ({"weekdays": frozenset()}, "standup.error.weekdays"),
        ({"weekdays": frozenset({0, 1})}, "standup.error.weekdays"),
        ({"region": "DE-XY"}, "standup.error.region_subdivision"),
        ({"questions": ()}, "standup.error.questions_count"),
        ({"questions": ("Frage?", "  ")}, "standup.error.question"),
        ({"call_link": "javascript:alert(1)"}, "standup.error.call_link"),
        ({"call_link": "https://x.org/a b"}, "standup.error.call_link"),
        (
            {
                "participants_add": frozenset({"@a:hs"}),
                "observers": frozenset({"@a:hs"}),
            },
            "standup.error.participant_conflict",
        ),
    ],
)
def test_invalid_settings_are_refused(changes: dict[str, object], key: str) -> None:
    with pytest.raises(StandupSettingError) as info:
        config(**changes)
    assert info.value.key == key
    assert isinstance(info.value, ValueError)


@pytest.mark.parametrize("name", ["", "two words", "-x", "a" * 33, "x!"])
def test_invalid_names(name: str) -> None:
    with pytest.raises(StandupSettingError, match="invalid stand-up name"):
        StandupConfig(name, ROOM, time(9, 0))


def test_name_may_hold_umlauts_and_dashes() -> None:
    assert StandupConfig("frühschicht-2", ROOM, time(6, 30)).name == "frühschicht-2"


def test_describe_in_german_with_the_next_occurrence() -> None:
    assert config().describe(FRIDAY_NOON, tr_de) == (
        "**Stand-up „team“**\n"
        "Zeit: 09:00 Uhr (Europe/Berlin), Mo–Fr\n"
        "Dauer: 10 Minuten · Modus: schriftlich\n"
        "Fragen: die drei Standardfragen\n"
        "Antworten im Thread · Bericht nach Person, im Thread\n"
        "Erinnerung: bei 80 % der Zeit (nach 8 Minuten), nur an alle ohne Antwort\n"
        "Bericht: ohne Antwortzeiten, ohne „verspätet“, Offene als Anzahl\n"
        "Feiertage: keine Region eingestellt\n"
        "Teilnehmende: alle Raummitglieder außer Bots\n"
        "Nächster Termin: Mo, 23.11.2026, 09:00"
    )


def test_describe_everything_set() -> None:
    c = StandupConfig(
        "frühschicht",
        ROOM,
        time(6, 30),
        weekdays=frozenset({1, 3, 5}),
        window_seconds=15 * 60,
        mode=StandupMode.BOTH,
        questions=("Erledigt?", "**Blocker?**"),
        participants_add=frozenset({"@partner:kdn.example"}),
        observers=frozenset({"@cdo:example.org", "@dora:example.org"}),
        reminder_percent=None,
        region="DE-NW",
        closures=frozenset({date(2026, 12, 24)}),
        skipped=frozenset({date(2026, 11, 23), date(2026, 1, 1)}),
        call_link="https://meet.jit.si/team",
        report_format=ReportFormat.BY_QUESTION,
        answer_channel=AnswerChannel.DM,
        report_times=True,
        report_late=True,
        report_missing_names=True,
    )
    names = {
        "@cdo:example.org": "Chefin",
        "@dora:example.org": "Dora",
        "@partner:kdn.example": "Pat Partner",
    }
    assert c.describe(FRIDAY_NOON, tr_de, names) == (
        "**Stand-up „frühschicht“**\n"
        "Zeit: 06:30 Uhr (Europe/Berlin), Mo, Mi, Fr\n"
        "Dauer: 15 Minuten · Modus: schriftlich und live\n"
        "Fragen (2):\n"
        "1\\. Erledigt?\n"
        "2\\. \\*\\*Blocker?\\*\\*\n"
        "Antworten per Direktnachricht · Bericht nach Frage, im Thread\n"
        "Erinnerung: aus\n"
        "Bericht: mit Antwortzeiten, mit „verspätet“, Offene mit Namen\n"
        "Feiertage: DE\\-NW\n"
        "Schließtage: 24.12.2026\n"
        "Ausgesetzt am: 23.11.2026\n"
        "Teilnehmende: alle Raummitglieder außer Bots\n"
        "Zusätzlich: Pat Partner\n"
        "Nur Bericht (Beobachtende): Chefin und Dora\n"
        "Call: https://meet\\.jit\\.si/team\n"
        "Nächster Termin: Mi, 25.11.2026, 06:30"
    )
    assert c.describe(FRIDAY_NOON, tr_en, names).endswith("Next stand-up: Wed, 2026-11-25, 06:30")


def test_status_shows_closure_days_from_today_on_as_ranges() -> None:
    winter = {date(2026, 12, 14) + timedelta(days=n) for n in range(34)}  # to 16.01.2027
    closures = frozenset({*winter, date(2027, 2, 15), date(2026, 11, 2)})  # 2.11. is past
    lines = config(closures=closures).describe(FRIDAY_NOON, tr_de).split("\n")
    assert "Schließtage: 14.12.2026–16.01.2027, 15.02.2027" in lines
    lines = config(closures=closures).describe(FRIDAY_NOON, tr_en).split("\n")
    assert "Closure days: 2026-12-14 to 2027-01-16, 2027-02-15" in lines
    only_past = config(closures=frozenset({date(2026, 11, 2)})).describe(FRIDAY_NOON, tr_de)
    assert "Schließtage" not in only_past


def test_describe_paused() -> None:
    assert (
        config(paused=True)
        .describe(FRIDAY_NOON, tr_de)
        .endswith("Pausiert – fortsetzen mit `!standup fortsetzen`. ⏸️")
    )
