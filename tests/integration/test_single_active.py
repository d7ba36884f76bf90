"""One active bot per account: two `homeoffice-bot run` processes on one account, one data
folder and one database. Without standby the second refuses to start with one clear line;
with standby it waits (/healthz says ``standby``), and when the active one is killed with
SIGKILL it takes over within 10 s, with nothing answered twice or lost."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from test_standup_support import configure, in_seconds, is_kickoff, set_up_standup

from homeoffice_bot.devserver import SynapseServer, UserFactory
from homeoffice_bot.devserver.botprocess import (
    BotProcess,
    answers_by_command,
    bot_environment,
    wait_answered,
)
from homeoffice_bot.devserver.person import Person
from homeoffice_bot.devserver.synapse import free_port
from homeoffice_bot.kernel.events import Message
from homeoffice_bot.kernel.ids import EventID, RoomID, UserID

pytestmark = [pytest.mark.integration, pytest.mark.slow]

People = Callable[..., Awaitable[Person]]
TAKEOVER_SECONDS = 10


@dataclass
class _Matrix:
    user_id: UserID


@dataclass
class _Bot:
    """What the stand-up test steps need of a bot: its Matrix ID."""

    matrix: _Matrix


@pytest.fixture
async def two_processes(
    synapse: SynapseServer, make_user: UserFactory, tmp_path: Path
) -> AsyncIterator[Callable[..., BotProcess]]:
    """``make(standby)``: `homeoffice-bot run` processes on one account, one data folder
    (and so one database on either backend), each with its own web port."""
    mxid, password = make_user("activebot", displayname="Homeoffice-Bot")
    password_file = tmp_path / "matrix_password"
    password_file.write_text(password + "\n", encoding="utf-8")
    made: list[BotProcess] = []

    def make(standby: bool) -> BotProcess:
        port = free_port()
        env = bot_environment(
            synapse.url, mxid, password_file, tmp_path / "data", port,
            HOMEOFFICE_BOT__STANDBY="true" if standby else "false",
            HOMEOFFICE_PLUGINS__STANDUP__MIN_WINDOW_SECONDS="5",
        )  # fmt: skip
        process = BotProcess(env, port, tmp_path / f"bot-{len(made)}.log")
        made.append(process)
        return process

    yield make
    for process in made:
        await process.kill()


async def wait_status(process: BotProcess, wanted: str, timeout: float) -> float:
    """Seconds until /healthz says ``wanted``."""
    loop = asyncio.get_running_loop()
    started = loop.time()
    while True:
        answer = await process.health()
        if answer is not None and answer[1].get("status") == wanted:
            return loop.time() - started
        assert process.proc is not None
        assert process.proc.returncode is None, (
            f"the bot exited with {process.proc.returncode}:\n{process.log_tail()}"
        )
        assert loop.time() - started < timeout, (
            f"/healthz was {answer} after {timeout} s, not {wanted!r}:\n{process.log_tail()}"
        )
        await asyncio.sleep(0.2)


def exactly_once(counts: dict[EventID, int], sent: list[EventID]) -> dict[int, int]:
    return {n: counts.get(event, 0) for n, event in enumerate(sent) if counts.get(event) != 1}


async def test_a_second_run_on_the_same_data_folder_exits_with_one_clear_line(
    two_processes: Callable[..., BotProcess], tmp_path: Path
) -> None:
    first, second = two_processes(False), two_processes(False)
    await first.start()
    await first.wait_healthy()

    await second.start()
    assert second.proc is not None
    code = await asyncio.wait_for(second.proc.wait(), timeout=30)
    lines = [line for line in second.log_path.read_text().splitlines() if line.strip()]
    assert code != 0
    assert len(lines) == 1, lines
    assert str((tmp_path / "data").resolve()) in lines[0]
    assert "already active" in lines[0]
    assert await first.healthz() is not None  # the active one carries on undisturbed


async def test_a_standby_takes_over_within_10_s_of_a_sigkill_with_nothing_twice_or_lost(
    two_processes: Callable[..., BotProcess], people: People
) -> None:
    active, standby = two_processes(True), two_processes(True)
    await active.start()
    bot_id = UserID(str((await active.wait_healthy())["user_id"]))
    await standby.start()
    await wait_status(standby, "standby", timeout=30)
    status = await standby.health()
    assert status is not None
    assert status[0] == 503

    bot = _Bot(_Matrix(bot_id))
    lead, anna = await people("lead"), await people("anna")
    room: RoomID = await lead.client.create_room(
        name="Team", invite=[bot_id, anna.user_id], encrypted=False
    )
    for user in (bot_id, anna.user_id):
        assert await lead.wait_joined(room, user, timeout=20), user
    await set_up_standup(lead, room, bot, "30s")  # type: ignore[arg-type]
    mark = anna.mark()
    await configure(lead, room, bot, f"!standup zeit {in_seconds(6)}")  # type: ignore[arg-type]
    await anna.wait_for(
        Message,
        lambda m: m.room_id == room and is_kickoff(m, bot),
        timeout=30,
        since=mark,  # type: ignore[arg-type]
    )

    sent = [await anna.say(room, "!hilfe sprache") for _ in range(3)]
    await active.kill()
    sent += [await anna.say(room, "!hilfe hilfe") for _ in range(3)]
    took = await wait_status(standby, "ok", timeout=TAKEOVER_SECONDS + 20)
    assert took <= TAKEOVER_SECONDS, f"the standby took {took:.1f} s:\n{standby.log_tail()}"

    sentinel = await anna.say(room, "!hilfe sprache")
    await wait_answered(anna, room, bot_id, [*sent, sentinel], timeout=60)
    counts = answers_by_command(anna, room, bot_id)
    assert exactly_once(counts, [*sent, sentinel]) == {}, standby.log_tail()
    kickoffs = [e for e in anna.events if isinstance(e, Message) and e.room_id == room
                and is_kickoff(e, bot)]  # type: ignore[arg-type]  # fmt: skip
    assert len(kickoffs) == 1
