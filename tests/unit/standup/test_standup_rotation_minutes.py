"""The fair speaking order across days, and the minutes' sections out of notes."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

from standup_helpers import tr_de

from homeoffice_bot.kernel.escaping import escape_markdown
from homeoffice_bot.standup.argtypes import UntilDate
from homeoffice_bot.standup.minutes import Kind, is_minutes_note, items_of, render_minutes
from homeoffice_bot.standup.rotation import Seat, seat_newcomers, todays_order
from homeoffice_bot.standup.showrun import is_hand_on, shown_seconds, speaking_ends, turn_length

TEAM = ["@anna:x", "@ben:x", "@clara:x", "@dora:x", "@emil:x"]
NOW = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)


def _run_week(absent_on: dict[int, str]) -> Counter[str]:
    seats = seat_newcomers([], TEAM)
    opened: Counter[str] = Counter()
    for day in range(10):
        present = [u for u in TEAM if u != absent_on.get(day)]
        order = todays_order(seats, present)
        assert sorted(order) == sorted(present)
        opened[order[0]] += 1
        seats = [
            Seat(s.user_id, s.position, s.opened + (s.user_id == order[0]),
                 s.closed + (s.user_id == order[-1]),
                 (NOW + timedelta(days=day)).isoformat() if s.user_id == order[0]
                 else s.last_opened)
            for s in seats
        ]  # fmt: skip
    return opened


def test_everyone_opens_equally_over_two_weeks() -> None:
    assert set(_run_week({}).values()) == {2}


def test_someone_absent_on_their_day_opens_after_they_are_back() -> None:
    opened = _run_week({1: "@ben:x", 2: "@ben:x"})
    assert set(opened.values()) == {2}


def test_the_opener_changes_from_day_to_day() -> None:
    seats = seat_newcomers([], TEAM)
    first = todays_order(seats, TEAM)
    seats = [
        Seat(s.user_id, s.position, int(s.user_id == first[0]), 0,
             NOW.isoformat() if s.user_id == first[0] else None)
        for s in seats
    ]  # fmt: skip
    second = todays_order(seats, [u for u in TEAM if u != "@dora:x"])
    assert second[0] != first[0]
    assert "@dora:x" not in second


def test_a_newcomer_does_not_open_the_next_rounds_in_a_row() -> None:
    seats = [Seat(u, i, 3) for i, u in enumerate(TEAM)]
    (new,) = seat_newcomers(seats, [*TEAM, "@finn:x"])
    assert new.opened == 3
    assert new.position == len(TEAM)


def test_turns_share_the_speaking_time_and_keep_a_minute() -> None:
    closes = NOW + timedelta(minutes=10)
    end = speaking_ends(NOW, closes)
    assert end == closes - timedelta(minutes=1)
    assert turn_length(NOW, end, 4) == timedelta(seconds=135)
    assert speaking_ends(NOW, NOW + timedelta(seconds=30)) == NOW + timedelta(seconds=27)
    assert shown_seconds(timedelta(seconds=539)) == 540
    assert shown_seconds(timedelta(seconds=27.4)) == 27
    assert is_hand_on("Weiter!")
    assert is_hand_on("next")
    assert not is_hand_on("weiter geht's mit dem Release")


def test_notes_become_decisions_actions_and_blockers() -> None:
    text = (
        "Entscheidung: Release am Freitag\n"
        "Aufgabe: Angebot prüfen @ben:x bis 4.12.\n"
        "Hindernis: VPN fällt aus\n"
        "sonst nichts Neues"
    )
    items, plain = items_of(text, author="@anna:x", event_id="$1", posted_at=NOW,
                            today=date(2026, 12, 1))  # fmt: skip
    assert [i.kind for i in items] == [Kind.DECISION, Kind.ACTION, Kind.BLOCKER]
    action = items[1]
    assert (action.text, action.owner, action.due) == ("Angebot prüfen", "@ben:x",
                                                       date(2026, 12, 4))  # fmt: skip
    assert plain == ["sonst nichts Neues"]
    named = [replace(i, author_name="Anna", owner_name="Ben" if i.owner else None) for i in items]
    lines = render_minutes(named, tr_de, escape_markdown)
    assert "**Entscheidungen**" in lines
    assert "- Angebot prüfen – Ben, bis 04.12. (Anna)" in lines
    assert "- Blocker: **VPN fällt aus** (Anna)" in lines


def test_english_keywords_and_a_line_without_text_stay_plain() -> None:
    items, plain = items_of("Decision: ship it\nAction: write docs by tomorrow\nBlocker:",
                            author="@a:x", event_id="$2", posted_at=NOW,
                            today=date(2026, 12, 1))  # fmt: skip
    assert [(i.kind, i.text) for i in items] == [(Kind.DECISION, "ship it"),
                                                  (Kind.ACTION, "write docs")]  # fmt: skip
    assert items[1].due == date(2026, 12, 2)
    assert plain == ["Blocker:"]


def test_in_both_modes_decisions_and_actions_go_to_the_minutes_and_blockers_stay_answers() -> None:
    assert is_minutes_note("Beschluss: Umzug am Montag")
    assert is_minutes_note("\nAction: book the room")
    assert not is_minutes_note("Blocker: Drucker")
    assert not is_minutes_note("1. Akten\n2. Entscheidung: später")


def test_a_tandem_end_reads_with_or_without_bis() -> None:
    today = date(2026, 12, 1)
    assert UntilDate().parse("bis 12.12.").resolve(today, future=True) == date(2026, 12, 12)
    assert UntilDate().parse("until 2026-12-12").resolve(today) == date(2026, 12, 12)
    assert UntilDate().parse("morgen").resolve(today) == date(2026, 12, 2)
