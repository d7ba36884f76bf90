"""The scheduler's pure parts: the timetable, shared firing times, and firing slots."""

from __future__ import annotations

import asyncio
import random
from datetime import UTC, datetime, time, timedelta

import pytest

from homeoffice_bot.kernel.schedule_rules import Daily, FireTimes, last_fire, next_fire
from homeoffice_bot.kernel.slots import Slots, step_aside
from homeoffice_bot.kernel.timetable import Timetable

T0 = datetime(2026, 7, 15, 7, 0, tzinfo=UTC)
WORKDAYS = frozenset(range(1, 6))


def test_jobs_come_due_in_order_and_a_moved_or_cancelled_job_only_at_its_new_time() -> None:
    table = Timetable()
    table.set("c", T0 + timedelta(minutes=3))
    table.set("a", T0 + timedelta(minutes=1))
    table.set("b", T0 + timedelta(minutes=2))
    table.set("a", T0 + timedelta(minutes=4))  # moved later
    table.set("gone", T0)
    table.discard("gone")
    assert table.next_due() == T0 + timedelta(minutes=2)
    assert table.when("a") == T0 + timedelta(minutes=4)
    assert table.when("gone") is None
    assert table.pop_due(T0 + timedelta(minutes=3)) == [
        ("b", T0 + timedelta(minutes=2)),
        ("c", T0 + timedelta(minutes=3)),
    ]
    assert len(table) == 1
    assert "a" in table
    assert table.pop_due(T0 + timedelta(hours=1)) == [("a", T0 + timedelta(minutes=4))]
    assert table.next_due() is None


def test_a_job_moved_very_often_does_not_grow_the_heap() -> None:
    table = Timetable()
    for i in range(100):
        table.set(f"standup:{i}", T0 + timedelta(hours=1))
    for i in range(10_000):
        table.set("workday:due", T0 + timedelta(seconds=i % 997))
    assert len(table) == 101
    assert len(table._heap) <= 2 * len(table) + 64 + 1
    assert table.next_due() == T0 + timedelta(seconds=9_999 % 997)


def test_jobs_at_one_instant_come_due_in_the_order_they_were_declared() -> None:
    table = Timetable()
    for i in range(50):
        table.set(f"room{i}", T0)
    assert [job for job, _ in table.pop_due(T0)] == [f"room{i}" for i in range(50)]


def test_shared_firing_times_agree_with_the_rules_at_any_instant_across_dst() -> None:
    rng = random.Random(13)
    triggers = [
        Daily(time(9), WORKDAYS, "Europe/Berlin"),
        Daily(time(2, 30), frozenset(range(1, 8)), "Europe/Berlin"),  # in the spring gap
        Daily(time(23, 59), frozenset({7}), "America/New_York"),
    ]
    times = FireTimes()
    start = datetime(2026, 3, 20, tzinfo=UTC)  # a week before the spring change
    instants = sorted(start + timedelta(minutes=rng.randrange(0, 60 * 24 * 40)) for _ in range(400))
    instants += [start + timedelta(minutes=rng.randrange(0, 60 * 24 * 40)) for _ in range(100)]
    for now in instants:  # in order, then out of order
        for trigger in triggers:
            assert times.next(trigger, now) == next_fire(trigger, now), (trigger, now)
            assert times.last(trigger, now) == last_fire(trigger, now), (trigger, now)


def test_equal_rules_share_one_trigger() -> None:
    times = FireTimes()
    first = times.shared(Daily(time(9), WORKDAYS, "Europe/Berlin"))
    again = times.shared(Daily(time(9), frozenset([1, 2, 3, 4, 5]), "Europe/Berlin"))
    other = times.shared(Daily(time(9), WORKDAYS, "Europe/Vienna"))
    assert again is first
    assert other is not first


async def test_slots_bound_firings_and_a_firing_waiting_on_the_network_steps_aside() -> None:
    slots = Slots(2)
    order: list[str] = []
    network = asyncio.Event()

    async def firing(name: str, waits: bool) -> None:
        async with slots.hold():
            order.append(f"start {name}")
            await asyncio.sleep(0)
            if waits:
                step_aside()
                await network.wait()
            order.append(f"end {name}")

    tasks = [asyncio.create_task(firing(f"f{i}", waits=i < 2)) for i in range(4)]
    for _ in range(20):
        await asyncio.sleep(0)
    # f0 and f1 wait on the network without their slots: f2 and f3 have run meanwhile
    assert order[:2] == ["start f0", "start f1"]
    assert {"end f2", "end f3"} <= set(order)
    assert "end f0" not in order
    network.set()
    await asyncio.gather(*tasks)
    assert slots.peak == 2
    assert slots.busy == 0


async def test_a_task_spawned_by_a_firing_cannot_give_away_its_slot() -> None:
    slots = Slots(1)
    async with slots.hold():

        async def child() -> None:
            step_aside()

        await asyncio.create_task(child())
        assert slots.busy == 1
        step_aside()
        step_aside()  # twice is once
        assert slots.busy == 0
    assert slots.busy == 0


def test_slots_need_at_least_one() -> None:
    with pytest.raises(ValueError, match="at least one"):
        Slots(0)
