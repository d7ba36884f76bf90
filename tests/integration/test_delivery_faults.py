"""Nothing lost, nothing twice: the bot killed with SIGKILL in the middle of a burst of
commands, the homeserver stopped for 20 s right after commands and around a stand-up's
kickoff. Every command gets exactly one answer, in order, and the window still closes by
itself with exactly one report — in plain and encrypted rooms."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest
from test_standup_support import (
    BUILTINS,
    FAST,
    configure,
    in_seconds,
    is_kickoff,
    set_up_standup,
    wait_report,
)

from homeoffice_bot.app import App
from homeoffice_bot.devserver import SynapseServer
from homeoffice_bot.devserver.botprocess import (
    BotProcess,
    answer_order,
    answers_by_command,
    sentinel,
    wait_answered,
)
from homeoffice_bot.devserver.person import Person
from homeoffice_bot.devserver.settings import dev_bot_settings
from homeoffice_bot.devserver.team import team_room
from homeoffice_bot.kernel.events import Message
from homeoffice_bot.kernel.ids import EventID, RoomID, UserID

pytestmark = [pytest.mark.integration, pytest.mark.slow]

People = Callable[..., Awaitable[Person]]
ROOMS = pytest.mark.parametrize("encrypted", [False, True], ids=["plain", "encrypted"])
COMMANDS = ("!hilfe sprache", "!hilfe hilfe")
OUTAGE_SECONDS = 20


def exactly_once(counts: dict[EventID, int], sent: list[EventID]) -> dict[int, int]:
    """The commands (by position) that got no answer or more than one."""
    return {n: counts.get(event, 0) for n, event in enumerate(sent) if counts.get(event) != 1}


@ROOMS
@pytest.mark.parametrize("kill_after", [0, 8, 20], ids=["before", "during", "after"])
async def test_sigkill_during_a_burst_of_20_commands_answers_each_exactly_once(
    bot_process: BotProcess, people: People, encrypted: bool, kill_after: int
) -> None:
    await bot_process.start()
    bot_id = UserID(str((await bot_process.wait_healthy())["user_id"]))
    team = [await people(name) for name in ("lead", "anna", "ben", "carl")]
    lead = team[0]
    invitees = [bot_id, *(p.user_id for p in team[1:])]
    room = await lead.client.create_room(name="Team", invite=invitees, encrypted=encrypted)
    for user in invitees:
        assert await lead.wait_joined(room, user, timeout=20), user
    for person in team:
        assert await person.wait_joined(room, bot_id, timeout=20)

    sent: list[EventID] = []

    async def burst(person: Person) -> None:
        for n in range(5):
            sent.append(await person.say(room, COMMANDS[n % 2]))

    await asyncio.gather(*(burst(person) for person in team))
    if kill_after:
        await lead.wait_for(
            Message,
            lambda _: len(set(sent) & set(answers_by_command(lead, room, bot_id))) >= kill_after,
            timeout=60,
        )
    await bot_process.kill()
    answered_before = len(set(sent) & set(answers_by_command(lead, room, bot_id)))

    await bot_process.start()
    await bot_process.wait_healthy()
    await wait_answered(lead, room, bot_id, sent, timeout=90)
    last = await sentinel(lead, room, bot_id)  # a doubled answer would have come before
    assert exactly_once(answers_by_command(lead, room, bot_id), [*sent, last]) == {}, (
        f"killed after {answered_before} answers\n{bot_process.log_tail()}"
    )


@pytest.fixture
async def own_bot(
    own_synapse: SynapseServer, tmp_path: Path
) -> AsyncIterator[Callable[..., Awaitable[App]]]:
    """``await own_bot(**settings)``: the bot on the test's own homeserver."""
    bot_id = own_synapse.register_user("bot", "pw")
    running: list[App] = []

    async def start(**kwargs: object) -> App:
        settings = dev_bot_settings(
            own_synapse.url, bot_id, "pw", tmp_path / "bot",
            bot={"degraded_after_seconds": 5}, **kwargs,  # type: ignore[arg-type]
        )  # fmt: skip
        app = App(settings, builtins=BUILTINS)
        await app.start()
        await app.wait_synced()
        running.append(app)
        return app

    yield start
    for app in running:
        await app.stop()


async def own_person(server: SynapseServer, name: str, tmp_path: Path) -> Person:
    person = Person(server.url, server.register_user(name, "pw"), "pw", tmp_path / name)
    await person.start()
    return person


async def wait_status(bot: App, wanted: str, timeout: float) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while (status := (await bot.health())[0]) != wanted:
        assert loop.time() < deadline, f"/healthz stayed {status!r}, not {wanted!r}"
        await asyncio.sleep(0.25)


@ROOMS
async def test_homeserver_down_for_20_s_after_12_commands_answers_all_once_in_order(
    own_synapse: SynapseServer, own_bot: Callable[..., Awaitable[App]], tmp_path: Path,
    encrypted: bool,
) -> None:  # fmt: skip
    bot = await own_bot(plugins={"standup": {"min_window_seconds": 5}})
    anna = await own_person(own_synapse, "anna", tmp_path)
    try:
        room = await team_room(anna, bot, [], encrypted=encrypted)
        sent = [await anna.say(room, COMMANDS[n % 2]) for n in range(12)]

        await own_synapse.stop_async()
        loop = asyncio.get_running_loop()
        down_since = loop.time()
        await wait_status(bot, "degraded", timeout=OUTAGE_SECONDS)
        await asyncio.sleep(max(0.0, OUTAGE_SECONDS - (loop.time() - down_since)))
        await own_synapse.start_async()

        await wait_answered(anna, room, bot.matrix.user_id, sent, timeout=120)
        await wait_status(bot, "ok", timeout=30)
        last = await sentinel(anna, room, bot.matrix.user_id)  # a doubled answer came before
        answered = [*sent, last]
        assert exactly_once(answers_by_command(anna, room, bot.matrix.user_id), answered) == {}
        assert answer_order(anna, room, bot.matrix.user_id) == answered, "answers in order"
        body, _ = await bot.metrics.exposition()
        assert "homeoffice_outbox_pending 0.0" in body.decode()
        assert bot.outbox.stats.refused == 0
    finally:
        await anna.stop()


def kickoffs(person: Person, room: RoomID, bot: App) -> list[Message]:
    return [e for e in person.events if isinstance(e, Message) and e.room_id == room
            and is_kickoff(e, bot)]  # fmt: skip


def reports(person: Person, room: RoomID, bot: App) -> list[Message]:
    return [
        e for e in person.events
        if isinstance(e, Message) and e.room_id == room and e.sender == bot.matrix.user_id
        and e.body.startswith("Stand-up ") and " · " in e.body.split("\n", 1)[0]
    ]  # fmt: skip


@ROOMS
async def test_homeserver_down_around_a_kickoff_gives_one_kickoff_and_one_report(
    own_synapse: SynapseServer, own_bot: Callable[..., Awaitable[App]], tmp_path: Path,
    encrypted: bool,
) -> None:  # fmt: skip
    bot = await own_bot(plugins=FAST)
    lead = await own_person(own_synapse, "lead", tmp_path)
    anna = await own_person(own_synapse, "anna", tmp_path)
    try:
        room = await team_room(lead, bot, [anna], encrypted=encrypted)
        await set_up_standup(lead, room, bot, "30s")
        loop = asyncio.get_running_loop()
        await configure(lead, room, bot, f"!standup zeit {in_seconds(10)}")
        kickoff_at = loop.time() + 10
        await asyncio.sleep(max(0.0, kickoff_at - 8 - loop.time()))
        await own_synapse.stop_async()  # 8 s before the kickoff ...
        await asyncio.sleep(max(0.0, kickoff_at + OUTAGE_SECONDS - loop.time()))
        await own_synapse.start_async()  # ... until 20 s after it

        await wait_report(anna, room, bot, since=0)
        await sentinel(anna, room, bot.matrix.user_id)  # a second kickoff or report came before
        assert len(kickoffs(anna, room, bot)) == 1
        assert len(reports(anna, room, bot)) == 1
    finally:
        await lead.stop()
        await anna.stop()
