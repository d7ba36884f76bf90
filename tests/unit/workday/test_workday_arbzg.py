from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from workday_testing import BERLIN, Tr, berlin

from homeoffice_bot.kernel.ids import UserID
from homeoffice_bot.workday.arbzg import (
    ReminderId,
    WorkEvent,
    WorkEventKind,
    assess,
    events_from_statuses,
    render_reminder,
    split_workdays,
    tally,
)
from homeoffice_bot.workday.states import PersonStatus, PresenceState

START, BREAK, END = WorkEventKind.START, WorkEventKind.BREAK, WorkEventKind.END
AWAY = WorkEventKind.AWAY
ALICE = UserID("@alice:example.org")


def day(
    *steps: tuple[WorkEventKind, int, int], date: tuple[int, int, int] = (2024, 8, 12)
) -> list[WorkEvent]:
    return [WorkEvent(berlin(*date, hour, minute), kind) for kind, hour, minute in steps]


def simulate(
    events: list[WorkEvent],
    start: datetime,
    end: datetime,
    **kwargs: object,
) -> list[tuple[datetime, ReminderId]]:
    """Check every minute like the bot would, recording what was sent."""
    sent: set[str] = set()
    out: list[tuple[datetime, ReminderId]] = []
    now = start
    while now <= end:
        result = assess(events, now, BERLIN, already_sent=sent, **kwargs)  # type: ignore[arg-type]
        out.extend((now, reminder.id) for reminder in result.due)
        sent |= {str(i) for i in result.settled}
        now += timedelta(minutes=1)
    return out


def ids(found: Iterable[tuple[datetime, ReminderId]]) -> list[ReminderId]:
    return [reminder for _, reminder in found]


# --- the required synthetic days ------------------------------------------------------


def test_5h59_without_a_break_gives_no_reminder() -> None:
    events = day((START, 8, 0), (END, 13, 59))
    assert tally(events, berlin(2024, 8, 12, 18)).worked == timedelta(hours=5, minutes=59)
    # Reminders exactly at the limit: 6 hours are never reached.
    window = (berlin(2024, 8, 12, 8), berlin(2024, 8, 12, 18))
    assert simulate(events, *window, lead=timedelta()) == []
    # With the default lead and a working day planned to end at 14:00 (six hours, which
    # needs no break), the person is not nagged either.
    assert simulate(events, *window, planned_end=berlin(2024, 8, 12, 14)) == []


def test_6h_with_20_minutes_of_breaks_gives_one_reminder() -> None:
    events = day((START, 8, 0), (BREAK, 10, 0), (START, 10, 20), (END, 14, 20))
    result = tally(events, berlin(2024, 8, 12, 15))
    assert result.worked == timedelta(hours=6)
    assert result.counted_break == timedelta(minutes=20)

    found = simulate(events, berlin(2024, 8, 12, 8), berlin(2024, 8, 12, 15))
    # Due 15 minutes before six hours of work: 08:00 + 20 min break + 5 h 45 min.
    assert found == [(berlin(2024, 8, 12, 14, 5), ReminderId.BREAK6)]

    at = assess(events, berlin(2024, 8, 12, 14, 5), BERLIN)
    (reminder,) = at.due
    assert reminder.at == berlin(2024, 8, 12, 14, 20)  # when the 6 hours are reached
    assert reminder.counted_break == timedelta(minutes=20)
    assert at.settled == {ReminderId.BREAK6}
    assert assess(events, berlin(2024, 8, 12, 14, 4), BERLIN).due == ()


def test_two_10_minute_breaks_do_not_count() -> None:
    events = day((START, 8, 0), (BREAK, 10, 0), (START, 10, 10), (BREAK, 12, 0), (START, 12, 10))
    now = berlin(2024, 8, 12, 14, 5)  # 5 h 45 min of work
    result = assess(events, now, BERLIN)
    assert result.tally.counted_break == timedelta()
    assert [r.id for r in result.due] == [ReminderId.BREAK6]


def test_two_15_minute_breaks_make_30_minutes() -> None:
    events = day((START, 8, 0), (BREAK, 10, 0), (START, 10, 15), (BREAK, 12, 0), (START, 12, 15))
    assert tally(events, berlin(2024, 8, 12, 15)).counted_break == timedelta(minutes=30)
    assert ids(simulate(events, berlin(2024, 8, 12, 8), berlin(2024, 8, 12, 16, 30))) == []


def test_nine_hours_need_45_minutes() -> None:
    events = day((START, 7, 0), (BREAK, 11, 0), (START, 11, 30))
    found = simulate(events, berlin(2024, 8, 12, 7), berlin(2024, 8, 12, 17))
    # 30 min of breaks satisfy the 6-hour rule; 8 h 45 min of work at 16:15.
    assert found == [(berlin(2024, 8, 12, 16, 15), ReminderId.BREAK9)]


def test_ten_hours_note() -> None:
    events = day((START, 7, 0), (BREAK, 11, 0), (START, 11, 45))
    found = simulate(events, berlin(2024, 8, 12, 7), berlin(2024, 8, 12, 19))
    # 9 h 45 min of work at 17:30.
    assert found == [(berlin(2024, 8, 12, 17, 30), ReminderId.MAX10)]


def test_only_the_most_advanced_limit_is_sent_when_several_are_due() -> None:
    events = day((START, 7, 0))
    result = assess(events, berlin(2024, 8, 12, 16, 50), BERLIN)  # 9 h 50 min
    assert [r.id for r in result.due] == [ReminderId.MAX10]
    assert result.settled == {ReminderId.BREAK6, ReminderId.BREAK9, ReminderId.MAX10}


def test_no_limit_reminder_during_a_break() -> None:
    events = day((START, 8, 0), (BREAK, 13, 50))
    result = assess(events, berlin(2024, 8, 12, 13, 55), BERLIN)
    assert result.due == ()
    assert result.next_check is None
    assert not result.tally.working


def test_eleven_hours_of_rest() -> None:
    events = [
        *day((START, 13, 0), (END, 22, 0), date=(2024, 8, 12)),
        *day((START, 7, 0), date=(2024, 8, 13)),
    ]
    result = assess(events, berlin(2024, 8, 13, 7, 0), BERLIN)
    (reminder,) = result.due
    assert reminder.id is ReminderId.REST11
    assert reminder.at == berlin(2024, 8, 13, 9, 0)
    assert result.tally.worked == timedelta()
    assert result.day_key == "2024-08-13"
    # Once sent, not again; and not any more once the rest would be complete.
    assert assess(events, berlin(2024, 8, 13, 7, 5), BERLIN, already_sent=["rest11"]).due == ()
    assert assess(events, berlin(2024, 8, 13, 9, 0), BERLIN).due == ()


def test_enough_rest_gives_no_note() -> None:
    events = [
        *day((START, 8, 0), (END, 19, 0), date=(2024, 8, 12)),
        *day((START, 6, 0), date=(2024, 8, 13)),
    ]
    assert assess(events, berlin(2024, 8, 13, 6, 0), BERLIN).due == ()


def test_rest_counts_from_the_last_stop_even_without_an_end() -> None:
    events = [
        *day((START, 13, 0), (BREAK, 21, 30), date=(2024, 8, 12)),
        *day((START, 7, 0), date=(2024, 8, 13)),
    ]
    (reminder,) = assess(events, berlin(2024, 8, 13, 7, 0), BERLIN).due
    assert reminder.at == berlin(2024, 8, 13, 8, 30)


def test_a_gap_after_an_end_on_the_same_day_is_a_break() -> None:
    events = day((START, 8, 0), (END, 12, 0), (START, 13, 0))
    result = assess(events, berlin(2024, 8, 12, 14, 0), BERLIN)
    assert result.tally.counted_break == timedelta(hours=1)
    assert result.tally.worked == timedelta(hours=5)
    assert result.due == ()  # no rest note inside one day
    assert len(split_workdays(events, BERLIN)) == 1


# --- daylight saving: real elapsed time ------------------------------------------------


def test_spring_switch_counts_real_time() -> None:
    zone = ZoneInfo(BERLIN)
    events = [
        WorkEvent(datetime(2024, 3, 31, 0, 30, tzinfo=zone), START),  # CET
        WorkEvent(datetime(2024, 3, 31, 8, 30, tzinfo=zone), END),  # CEST
    ]
    assert tally(events, datetime(2024, 3, 31, 12, tzinfo=UTC)).worked == timedelta(hours=7)


def test_autumn_switch_counts_real_time() -> None:
    zone = ZoneInfo(BERLIN)
    events = [
        WorkEvent(datetime(2024, 10, 27, 0, 30, tzinfo=zone), START),  # CEST
        WorkEvent(datetime(2024, 10, 27, 8, 30, tzinfo=zone), END),  # CET
    ]
    assert tally(events, datetime(2024, 10, 27, 12, tzinfo=UTC)).worked == timedelta(hours=9)


def test_reminder_across_the_spring_switch_comes_after_real_hours() -> None:
    start = datetime(2024, 3, 31, 0, 0, tzinfo=ZoneInfo(BERLIN))  # 23:00 UTC
    events = [WorkEvent(start, START)]
    result = assess(events, datetime(2024, 3, 31, 1, 0, tzinfo=UTC), BERLIN)
    # 5 h 45 min of real time later: 04:45 UTC, which the wall clock shows as 06:45.
    assert result.next_check == datetime(2024, 3, 31, 4, 45, tzinfo=UTC)
    due = assess(events, datetime(2024, 3, 31, 4, 45, tzinfo=UTC), BERLIN).due
    assert [r.id for r in due] == [ReminderId.BREAK6]


# --- scheduling hints -------------------------------------------------------------------


def test_next_check_is_the_next_threshold() -> None:
    events = day((START, 8, 0))
    result = assess(events, berlin(2024, 8, 12, 9), BERLIN)
    assert result.due == ()
    assert result.next_check == berlin(2024, 8, 12, 13, 45)


def test_planned_end_postpones_the_check() -> None:
    events = day((START, 8, 0))
    result = assess(events, berlin(2024, 8, 12, 9), BERLIN, planned_end=berlin(2024, 8, 12, 14))
    assert result.next_check == berlin(2024, 8, 12, 14)
    # Working past the planned end brings the reminder back.
    late = assess(events, berlin(2024, 8, 12, 14, 1), BERLIN, planned_end=berlin(2024, 8, 12, 14))
    assert [r.id for r in late.due] == [ReminderId.BREAK6]


def test_no_events_no_assessment() -> None:
    result = assess([], berlin(2024, 8, 12, 9), BERLIN)
    assert result.due == ()
    assert result.day_key is None
    assert result.next_check is None
    assert result.tally.worked == timedelta()


# --- events from the status history ---------------------------------------------------


def test_events_from_statuses_imply_the_end_of_a_break() -> None:
    history = [
        PersonStatus(ALICE, PresenceState.WORKING, berlin(2024, 8, 12, 8)),
        PersonStatus(
            ALICE,
            PresenceState.BREAK,
            berlin(2024, 8, 12, 12),
            until=berlin(2024, 8, 12, 12, 30),
        ),
        PersonStatus(ALICE, PresenceState.OFF, berlin(2024, 8, 12, 16, 30)),
    ]
    events = events_from_statuses(history, berlin(2024, 8, 12, 17))
    assert events == [
        WorkEvent(berlin(2024, 8, 12, 8), START),
        WorkEvent(berlin(2024, 8, 12, 12), BREAK),
        WorkEvent(berlin(2024, 8, 12, 12, 30), START),
        WorkEvent(berlin(2024, 8, 12, 16, 30), END),
    ]
    assert tally(events, berlin(2024, 8, 12, 17)).worked == timedelta(hours=8)


def test_events_from_statuses_early_return_wins() -> None:
    history = [
        PersonStatus(ALICE, PresenceState.WORKING, berlin(2024, 8, 12, 8)),
        PersonStatus(
            ALICE, PresenceState.AWAY, berlin(2024, 8, 12, 10), until=berlin(2024, 8, 12, 11)
        ),
        PersonStatus(ALICE, PresenceState.WORKING, berlin(2024, 8, 12, 10, 40)),
    ]
    events = events_from_statuses(history, berlin(2024, 8, 12, 12))
    assert [e.kind for e in events] == [START, AWAY, START]
    assert events[-1].at == berlin(2024, 8, 12, 10, 40)


def test_events_from_statuses_ignore_a_break_end_in_the_future() -> None:
    history = [
        PersonStatus(ALICE, PresenceState.WORKING, berlin(2024, 8, 12, 8)),
        PersonStatus(
            ALICE, PresenceState.BREAK, berlin(2024, 8, 12, 12), until=berlin(2024, 8, 12, 12, 30)
        ),
    ]
    events = events_from_statuses(history, berlin(2024, 8, 12, 12, 10))
    assert [e.kind for e in events] == [START, BREAK]


# --- away is not a break ---------------------------------------------------------------


def test_time_away_is_neither_a_break_nor_work() -> None:
    events = day((START, 8, 0), (AWAY, 10, 0), (START, 11, 0))
    at_noon = tally(events, berlin(2024, 8, 12, 12))
    assert at_noon.counted_break == timedelta()
    assert at_noon.worked == timedelta(hours=3)
    as_break = tally(day((START, 8, 0), (BREAK, 10, 0), (START, 11, 0)), berlin(2024, 8, 12, 12))
    assert as_break.counted_break == timedelta(hours=1)
    assert as_break.worked == at_noon.worked


def test_an_appointment_does_not_excuse_the_break_after_six_hours() -> None:
    # 08:00-11:00 work, a doctor's appointment 11:00-12:00, work from 12:00: after 6 hours
    # of work (15:00) the rule still asks for a break; with !pause it would not.
    away = day((START, 8, 0), (AWAY, 11, 0), (START, 12, 0))
    found = simulate(away, berlin(2024, 8, 12, 12), berlin(2024, 8, 12, 16))
    assert found == [(berlin(2024, 8, 12, 14, 45), ReminderId.BREAK6)]
    rested = day((START, 8, 0), (BREAK, 11, 0), (START, 12, 0))
    assert simulate(rested, berlin(2024, 8, 12, 12), berlin(2024, 8, 12, 16)) == []


def test_stepping_away_ends_a_break_and_only_the_rest_before_counts() -> None:
    short = day((START, 8, 0), (BREAK, 12, 0), (AWAY, 12, 10), (START, 13, 0))
    assert tally(short, berlin(2024, 8, 12, 14)).counted_break == timedelta()
    long = day((START, 8, 0), (BREAK, 12, 0), (AWAY, 12, 20), (START, 13, 0))
    assert tally(long, berlin(2024, 8, 12, 14)).counted_break == timedelta(minutes=20)
    after = day((START, 8, 0), (AWAY, 12, 0), (BREAK, 12, 30), (START, 12, 50))
    assert tally(after, berlin(2024, 8, 12, 14)).counted_break == timedelta(minutes=20)


def test_rest_after_a_day_ended_while_away_runs_from_when_work_stopped() -> None:
    # Work stopped at 21:00 (away), the day was ended at 22:00: 11 hours of rest are
    # complete at 08:00, so a start at 08:30 needs no note; one at 07:30 does.
    evening = day((START, 12, 0), (AWAY, 21, 0), (END, 22, 0))
    (previous,) = split_workdays(evening, BERLIN)
    assert tally(previous, berlin(2024, 8, 12, 23)).stopped_at == berlin(2024, 8, 12, 21)
    later = [*evening, *day((START, 8, 30), date=(2024, 8, 13))]
    assert assess(later, berlin(2024, 8, 13, 8, 30), BERLIN).due == ()
    early = [*evening, *day((START, 7, 30), date=(2024, 8, 13))]
    (rest,) = assess(early, berlin(2024, 8, 13, 7, 30), BERLIN).due
    assert rest.id is ReminderId.REST11
    assert rest.at == berlin(2024, 8, 13, 8)


# --- text -------------------------------------------------------------------------------


def test_reminder_text_is_helpful_and_private() -> None:
    events = day((START, 8, 0), (BREAK, 10, 0), (START, 10, 20))
    (reminder,) = assess(events, berlin(2024, 8, 12, 14, 5), BERLIN).due
    de = render_reminder(reminder, BERLIN, Tr("de"))
    assert "5 Std. 45 Min." in de
    assert "20 Min. Pause" in de
    assert "`!arbzg aus`" in de
    en = render_reminder(reminder, BERLIN, Tr("en"), with_footer=False)
    assert en.startswith("A friendly nudge: you've worked 5 h 45 min today, with 20 min")
    rest = assess(
        [*day((START, 13, 0), (END, 22, 0)), *day((START, 7, 0), date=(2024, 8, 13))],
        berlin(2024, 8, 13, 7, 0),
        BERLIN,
    ).due[0]
    assert "09:00" in render_reminder(rest, BERLIN, Tr("de"))
