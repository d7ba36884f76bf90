"""The kickoff's button against a real Synapse: a participant's 👍 under a written kickoff
answers "Nichts Neues", taking it back withdraws it, a typed answer replaces it, and a
tap by someone the stand-up does not ask counts for nothing."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

import pytest
from test_standup_support import (
    BUILTINS,
    FAST,
    kickoff_soon,
    set_up_standup,
    wait_ack,
    wait_kickoff,
    wait_report,
)

from homeoffice_bot.app import App
from homeoffice_bot.devserver.person import Person
from homeoffice_bot.devserver.team import team_room
from homeoffice_bot.kernel.clock import FixedClock
from homeoffice_bot.kernel.events import Reaction

pytestmark = pytest.mark.integration

StartBot = Callable[..., Awaitable[App]]
People = Callable[..., Awaitable[Person]]


async def test_a_tap_on_the_kickoff_answers_nothing_new(
    start_bot: StartBot, people: People
) -> None:
    clock = FixedClock(datetime.now(UTC))  # the window ends when the test moves it
    bot = await start_bot(plugins=FAST, builtins=BUILTINS, clock=clock)
    lead, anna, ben, carl = [await people(n) for n in ("lead", "anna", "ben", "carl")]
    room = await team_room(lead, bot, [anna, ben, carl], encrypted=True)
    me = bot.matrix.user_id
    await set_up_standup(lead, room, bot, "25s")
    mark = anna.mark()
    kickoff_at = await kickoff_soon(lead, room, bot, clock)
    clock.set(kickoff_at)
    kickoff = await wait_kickoff(anna, room, bot, mark)
    assert "Nichts Neues? Dann tippe einfach auf die Reaktion Daumen hoch 👍." in kickoff.body
    await anna.wait_for(
        Reaction,
        lambda r: r.relates_to == kickoff.event_id and r.sender == me and r.key == "👍",
        since=mark,
    )

    await anna.react(room, kickoff.event_id, "👍")
    await lead.react(room, kickoff.event_id, "👍")  # not asked: counts for nothing
    taken_back = await ben.react(room, kickoff.event_id, "👍")
    await ben.unreact(room, taken_back)
    await carl.react(room, kickoff.event_id, "👍")
    mark_carl = carl.mark()
    typed = await carl.say(room, "Heute: Akten digitalisiert", thread_root=kickoff.event_id)
    await wait_ack(carl, typed, bot, mark_carl)  # handled after all the taps above
    clock.advance(timedelta(seconds=26))  # the window ends

    report = await wait_report(anna, room, bot, mark)
    assert report.encrypted
    assert "2 von 3 haben geantwortet" in report.body
    assert report.body.count("Nichts Neues") == 1  # Anna's; Carl's typed answer replaced his
    assert "Akten digitalisiert" in report.body
    assert "Lead" not in report.body
    assert "Ben" not in report.body
