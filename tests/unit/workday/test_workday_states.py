from __future__ import annotations

from datetime import date, timedelta

import pytest
from workday_testing import BERLIN, berlin

from homeoffice_bot.kernel.ids import UserID
from homeoffice_bot.workday.hours import LeavePeriod, WorkSchedule, parse_working_hours
from homeoffice_bot.workday.states import (
    PersonStatus,
    PresenceState,
    effective_status,
    expires_at,
    finish_day,
    go_on_leave,
    mark_absent,
    remaining,
    resolve_presence,
    start_work,
    step_away,
    take_break,
)

ALICE = UserID("@alice:example.org")
BEN = UserID("@ben:example.org")
PLAN = WorkSchedule(parse_working_hours("mo-fr 08:00-16:30"), BERLIN, "DE-NW")


def test_a_break_past_its_end_is_working_again() -> None:
    status = take_break(ALICE, berlin(2024, 8, 12, 12), berlin(2024, 8, 12, 12, 15))
    assert effective_status(status, berlin(2024, 8, 12, 12, 14)) is PresenceState.BREAK
    assert effective_status(status, berlin(2024, 8, 12, 12, 15)) is PresenceState.WORKING
    assert effective_status(status, berlin(2024, 8, 12, 12, 15), PLAN) is PresenceState.WORKING


def test_away_past_its_end_is_working_again() -> None:
    status = step_away(ALICE, berlin(2024, 8, 12, 10), berlin(2024, 8, 12, 14), "Arzt")
    assert effective_status(status, berlin(2024, 8, 12, 13)) is PresenceState.AWAY
    assert effective_status(status, berlin(2024, 8, 12, 14)) is PresenceState.WORKING


def test_a_break_that_ends_after_hours_becomes_off() -> None:
    status = take_break(ALICE, berlin(2024, 8, 12, 16), berlin(2024, 8, 12, 16, 45))
    assert effective_status(status, berlin(2024, 8, 12, 16, 45), PLAN) is PresenceState.OFF


def test_off_ends_at_the_next_working_start() -> None:
    status = finish_day(ALICE, berlin(2024, 8, 16, 15), PLAN)  # Friday
    assert status.until == berlin(2024, 8, 19, 8)
    assert effective_status(status, berlin(2024, 8, 19, 7, 59), PLAN) is PresenceState.OFF
    assert effective_status(status, berlin(2024, 8, 19, 8), PLAN) is PresenceState.WORKING


def test_leave_ends_after_its_last_day() -> None:
    status = go_on_leave(
        ALICE, berlin(2024, 8, 9, 15), date(2024, 8, 12), date(2024, 8, 23), BEN, BERLIN
    )
    assert status.since == berlin(2024, 8, 12)
    assert status.until == berlin(2024, 8, 24)
    assert effective_status(status, berlin(2024, 8, 23, 10)) is PresenceState.LEAVE
    assert effective_status(status, berlin(2024, 8, 26, 10), PLAN) is PresenceState.WORKING
    presence = resolve_presence(status, berlin(2024, 8, 14, 10), PLAN)
    assert presence.stand_in == BEN
    assert presence.leave_to == date(2024, 8, 23)
    assert presence.explicit


def test_leave_starting_later_is_not_in_effect_yet() -> None:
    status = go_on_leave(
        ALICE, berlin(2024, 8, 9, 15), date(2024, 8, 12), date(2024, 8, 23), None, BERLIN
    )
    assert effective_status(status, berlin(2024, 8, 9, 15, 30), PLAN) is PresenceState.WORKING


def test_leave_derived_from_the_schedule() -> None:
    plan = WorkSchedule(
        PLAN.hours, BERLIN, "DE-NW", leave=(LeavePeriod(date(2024, 8, 12), date(2024, 8, 23), BEN),)
    )
    presence = resolve_presence(None, berlin(2024, 8, 13, 10), plan)
    assert presence.state is PresenceState.LEAVE
    assert not presence.explicit
    assert presence.stand_in == BEN
    assert presence.until == berlin(2024, 8, 24)
    # The person's own command still wins (working on a leave day is their choice).
    own = start_work(ALICE, berlin(2024, 8, 13, 9))
    assert effective_status(own, berlin(2024, 8, 13, 10), plan) is PresenceState.WORKING


def test_absent_ends_at_the_end_of_that_day_and_has_no_reason() -> None:
    status = mark_absent(ALICE, berlin(2024, 8, 12, 9), BERLIN)
    assert status.until == berlin(2024, 8, 13)
    assert status.note is None
    assert effective_status(status, berlin(2024, 8, 12, 23, 59), PLAN) is PresenceState.ABSENT
    assert effective_status(status, berlin(2024, 8, 13, 9), PLAN) is PresenceState.WORKING
    with pytest.raises(ValueError, match="no reason"):
        PersonStatus(ALICE, PresenceState.ABSENT, berlin(2024, 8, 12, 9), note="krank")


def test_derived_state_without_a_status() -> None:
    assert effective_status(None, berlin(2024, 8, 12, 10), PLAN) is PresenceState.WORKING
    assert effective_status(None, berlin(2024, 8, 12, 20), PLAN) is PresenceState.OFF
    assert effective_status(None, berlin(2024, 8, 17, 10), PLAN) is PresenceState.OFF  # Sat
    assert effective_status(None, berlin(2024, 10, 3, 10), PLAN) is PresenceState.OFF  # holiday
    assert effective_status(None, berlin(2024, 8, 12, 10)) is PresenceState.OFF


def test_working_without_an_end_lasts_until_the_end_of_its_day() -> None:
    status = start_work(ALICE, berlin(2024, 8, 12, 8))
    assert expires_at(status, BERLIN) == berlin(2024, 8, 13)
    assert expires_at(status) is None
    assert resolve_presence(status, berlin(2024, 8, 12, 20), PLAN).explicit
    assert effective_status(status, berlin(2024, 8, 12, 20), PLAN) is PresenceState.WORKING
    assert effective_status(status, berlin(2024, 8, 13, 3), PLAN) is PresenceState.OFF


def test_private_note_is_kept_private() -> None:
    private = step_away(ALICE, berlin(2024, 8, 12, 10), None, "Kinderarzt")
    shared = step_away(ALICE, berlin(2024, 8, 12, 10), None, "Kita-Abholung", note_shared=True)
    assert private.shared_note is None
    assert resolve_presence(private, berlin(2024, 8, 12, 11), PLAN).shared_note is None
    assert resolve_presence(shared, berlin(2024, 8, 12, 11), PLAN).shared_note == "Kita-Abholung"


def test_status_instants_are_stored_in_utc_and_ordered() -> None:
    status = take_break(ALICE, berlin(2024, 8, 12, 12), berlin(2024, 8, 12, 12, 30))
    assert status.since.utcoffset() == timedelta()
    assert remaining(status, berlin(2024, 8, 12, 12, 10)) == timedelta(minutes=20)
    assert remaining(status, berlin(2024, 8, 12, 13)) == timedelta()
    with pytest.raises(ValueError, match="end after"):
        take_break(ALICE, berlin(2024, 8, 12, 12), berlin(2024, 8, 12, 12))
