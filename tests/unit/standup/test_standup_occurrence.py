from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, time, timedelta

import pytest
from standup_helpers import tr_de

from homeoffice_bot.standup.config import AnswerChannel, StandupConfig, StandupMode
from homeoffice_bot.standup.occurrence import (
    build_report,
    everyone,
    kickoff_markdown,
    not_answered,
    person_answers,
)
from homeoffice_bot.standup.records import (
    AnswerRecord,
    NoteRecord,
    OccurrenceRecord,
    StandupRecord,
    config_from_json,
    config_to_json,
)
from homeoffice_bot.standup.report import render_report
from homeoffice_bot.standup.runner import kickoff_skip

ROOM = "!team:example.org"
ANNA, BEN, CARL, DORA = (f"@{n}:example.org" for n in ("anna", "ben", "carl", "dora"))
NAMES = {ANNA: "Anna", BEN: "Ben", CARL: "Carl", DORA: "Dora"}
KICKOFF = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)  # Monday 09:00 in Berlin
CLOSES = KICKOFF + timedelta(minutes=10)
QUESTIONS = (
    "Was hast du seit Freitag erledigt?",
    "Was steht heute bei dir an?",
    "Wo hängst du fest, was blockiert dich?",
)


def occurrence(**changes: object) -> OccurrenceRecord:
    config = StandupConfig("team", ROOM, time(9, 0), observers=frozenset({"@cdo:example.org"}))
    base = OccurrenceRecord(
        id=1, standup_id=1, day=date(2026, 11, 23), kickoff_at=KICKOFF, opened_at=KICKOFF,
        closes_at=CLOSES, adhoc=False, late_start=False, config=config, questions=QUESTIONS,
        participants=(ANNA, BEN, CARL, DORA), absent=(DORA,), speaking_order=(),
        kickoff_event_id="$kickoff", state="open", reminded=False, report_room_id=None,
        report_event_id=None, closed_at=None,
    )  # fmt: skip
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def answer(
    user: str, text: str, minutes: float, event: str, index: int | None = None
) -> AnswerRecord:
    ts = KICKOFF + timedelta(minutes=minutes)
    return AnswerRecord(event, 1, user, ROOM, text, index, ts, ts > CLOSES)


ANSWERS = [
    answer(ANNA, "1. Entwurf abgegeben\n2. Workshop\n3. nichts", 2, "$a1"),
    answer(BEN, "Akten sortiert", 3, "$b1", index=0),
    answer(BEN, "Termine", 4, "$b2", index=1),
    answer(BEN, "Drucker kaputt", 5, "$b3", index=2),
]


def test_not_answered_leaves_out_absent_people() -> None:
    assert not_answered(occurrence(), ANSWERS) == [CARL]
    assert not_answered(occurrence(), []) == [ANNA, BEN, CARL]


def test_person_answers_merge_messages_and_mark_late_by_server_time() -> None:
    late = [*ANSWERS, answer(CARL, "Heute: Urlaubsantrag", 12, "$c1")]
    by_user = {a.person.user_id: a for a in person_answers(occurrence(), late, NAMES)}
    assert by_user[BEN].answer.parts == ("Akten sortiert", "Termine", "Drucker kaputt")
    assert by_user[BEN].answered_at == KICKOFF + timedelta(minutes=3)
    assert by_user[BEN].late is False
    assert by_user[CARL].late is True
    assert by_user[CARL].answer.parts == (None, "Urlaubsantrag", None)


def test_empty_answers_are_left_out() -> None:
    assert person_answers(occurrence(), [answer(ANNA, "   ", 1, "$x")], NAMES) == ()


def test_report_names_missing_and_absent_people_without_pinging() -> None:
    data = build_report(occurrence(), ANSWERS, [], NAMES)
    assert data.kickoff_at == occurrence().kickoff_at
    assert [p.display_name for p in data.missing()] == ["Carl"]
    assert [p.display_name for p in data.absent] == ["Dora"]
    assert [p.user_id for p in data.observers] == ["@cdo:example.org"]
    text = render_report(data, tr_de)
    assert "2 von 3 haben geantwortet, 1 Blocker." in text
    assert "**1 noch offen**" in text
    assert "Carl" not in text
    named = occurrence(config=StandupConfig("team", ROOM, time(9, 0), report_missing_names=True))
    assert "**Keine Antwort:** Carl" in render_report(
        build_report(named, ANSWERS, [], NAMES), tr_de
    )
    assert "**Abwesend:** Dora" in text
    assert "**Drucker kaputt**" in text
    assert "{@" not in text


def test_live_notes_become_minutes() -> None:
    live = occurrence(config=StandupConfig("team", ROOM, time(9, 0), mode=StandupMode.LIVE))
    note = NoteRecord("$n1", 1, ANNA, "Release am Freitag", KICKOFF + timedelta(minutes=4))
    data = build_report(live, [], [note], NAMES)
    text = render_report(data, tr_de)
    assert "**Protokoll**" in text
    assert "- 09:04 **Anna**: Release am Freitag" in text
    assert "Keine Antwort" not in text


def test_unknown_display_names_fall_back_to_the_localpart() -> None:
    data = build_report(occurrence(), ANSWERS, [], {})
    assert data.participants[0].display_name == "anna"


def test_everyone_lists_each_user_once() -> None:
    assert everyone(occurrence(), [ANNA, "@guest:example.org"]) == [
        ANNA, BEN, CARL, DORA, "@cdo:example.org", "@guest:example.org",
    ]  # fmt: skip


def test_written_kickoff_offers_thread_and_direct_message() -> None:
    text = kickoff_markdown(occurrence(), tr_de, NAMES)
    assert text.startswith("**Stand-up „team“** ☀️\n1\\. Was hast du seit Freitag erledigt?")
    assert text.endswith(
        "Du kannst mir auch per Direktnachricht antworten.\n"
        "Nichts Neues? Dann tippe einfach auf die Reaktion Daumen hoch 👍."
    )


def test_dm_kickoff_has_no_thread_hint() -> None:
    config = StandupConfig("team", ROOM, time(9, 0), answer_channel=AnswerChannel.DM)
    text = kickoff_markdown(occurrence(config=config), tr_de, NAMES)
    assert "Ich frage alle per Direktnachricht, bis 09:10 Uhr:" in text
    assert "Thread" not in text


def test_live_kickoff_has_agenda_link_and_mentions_the_speakers_in_order() -> None:
    config = StandupConfig(
        "team", ROOM, time(9, 0), mode=StandupMode.LIVE, call_link="https://meet.jit.si/team"
    )
    live = occurrence(config=config, speaking_order=(BEN, ANNA))
    text = kickoff_markdown(live, tr_de, NAMES)
    assert "[Call öffnen](https://meet.jit.si/team)" in text
    assert f"**Reihenfolge:** {{{BEN}}} und {{{ANNA}}}" in text
    assert "**Abwesend heute:** Dora" in text


def test_both_modes_kickoff_adds_call_link_and_order() -> None:
    config = StandupConfig(
        "team", ROOM, time(9, 0), mode=StandupMode.BOTH, call_link="https://meet.jit.si/team"
    )
    text = kickoff_markdown(occurrence(config=config, speaking_order=(ANNA,)), tr_de, NAMES)
    assert "1\\. Was hast du seit Freitag erledigt?" in text
    assert text.endswith(f"**Reihenfolge:** {{{ANNA}}}")


SINCE = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def record(**changes: object) -> StandupRecord:
    config = dataclasses.replace(
        StandupConfig("team", ROOM, time(9, 0), region="DE-NW"),
        **changes,  # type: ignore[arg-type]
    )
    return StandupRecord(1, config, SINCE)


@pytest.mark.parametrize(
    ("rec", "at", "reason"),
    [
        (record(), KICKOFF, None),
        (record(paused=True), KICKOFF, "paused"),
        (record(), datetime(2026, 11, 20, 8, 0, tzinfo=UTC), "before_setup"),
        (record(), datetime(2026, 11, 22, 8, 0, tzinfo=UTC), "weekday"),
        (record(), datetime(2026, 12, 25, 8, 0, tzinfo=UTC), "holiday"),
        (record(closures=frozenset({date(2026, 11, 23)})), KICKOFF, "closure"),
        (record(skipped=frozenset({date(2026, 11, 23)})), KICKOFF, "skipped"),
    ],
)
def test_kickoff_skip(rec: StandupRecord, at: datetime, reason: str | None) -> None:
    assert kickoff_skip(rec, at) == reason


def test_config_json_round_trip_is_stable() -> None:
    config = StandupConfig(
        "früh", ROOM, time(6, 30, 15), weekdays=frozenset({5, 1, 3}), window_seconds=20,
        questions=("Erledigt?", "Blocker?"), closures=frozenset({date(2026, 12, 24)}),
        observers=frozenset({"@cdo:example.org"}), mode=StandupMode.BOTH,
    )  # fmt: skip
    text = config_to_json(config)
    assert '"weekdays": [1, 3, 5]' in text
    assert config_from_json(text) == config
    assert config_to_json(config_from_json(text)) == text


def test_invalid_stored_config_is_refused() -> None:
    text = config_to_json(StandupConfig("team", ROOM, time(9, 0))).replace(
        '"window_seconds": 600', '"window_seconds": 0'
    )
    with pytest.raises(ValueError, match="window"):
        config_from_json(text)


def test_live_minutes_have_sections_a_blocker_count_and_late_notes_marked() -> None:
    config = StandupConfig("team", ROOM, time(9, 0), mode=StandupMode.LIVE)
    closed = occurrence(config=config, state="closed", closed_at=CLOSES)
    notes = [
        NoteRecord("$n1", 1, ANNA, f"Entscheidung: Release am Freitag\nAufgabe: Doku {BEN}",
                   KICKOFF + timedelta(minutes=3)),
        NoteRecord("$n2", 1, BEN, "Hindernis: VPN\nsonst alles gut",
                   KICKOFF + timedelta(minutes=4)),
        NoteRecord("$n3", 1, CARL, "Nachtrag: Folien verschickt", CLOSES + timedelta(minutes=5)),
    ]  # fmt: skip
    text = render_report(build_report(closed, [], notes, NAMES), tr_de)
    assert "1 Blocker, 3 Notizen von 3 Personen." in text
    assert "- Release am Freitag (Anna)" in text
    assert "- Doku – Ben (Anna)" in text
    assert "- Blocker: **VPN** (Ben)" in text
    assert "**Carl** (nachträglich): Nachtrag: Folien verschickt" in text
    assert "sonst alles gut" in text
