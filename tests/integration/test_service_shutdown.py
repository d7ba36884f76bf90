"""The bot as a service: `homeoffice-bot run` as a real process, configured only through the
environment, stopped with SIGTERM while a person keeps sending commands. It exits 0 within
10 s; after a restart on the same device every command has exactly one answer."""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest

from homeoffice_bot.app import App
from homeoffice_bot.devserver import SynapseServer, UserFactory
from homeoffice_bot.devserver.botprocess import (
    BotProcess,
    answers_by_command,
    sentinel,
    wait_answered,
)
from homeoffice_bot.devserver.person import Person
from homeoffice_bot.devserver.postgres import harness_database
from homeoffice_bot.devserver.settings import dev_bot_settings
from homeoffice_bot.kernel.errors import ConfigError
from homeoffice_bot.kernel.events import Message
from homeoffice_bot.kernel.ids import EventID, UserID

pytestmark = pytest.mark.integration

COMMANDS = 12
GAP_SECONDS = 0.06


def shutdown_errors(log_path: Path) -> list[list[str]]:
    """For each run in the JSON log: the errors logged from "stopping" to the process end."""
    runs: list[list[str]] = []
    stopping = False
    for line in log_path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)  # every line is JSON: nothing else writes to stdout/stderr
        if record["message"] == "stopping":
            runs.append([])
            stopping = True
        elif record["message"].startswith("homeoffice-bot ") and "running as" in record["message"]:
            stopping = False
        elif stopping and record["level"] in ("ERROR", "CRITICAL"):
            runs[-1].append(f"{record['logger']}: {record['message']}")
    return runs


async def test_sigterm_during_activity_exits_0_and_a_restart_answers_everything_once(
    bot_process: BotProcess, people: Callable[..., Awaitable[Person]]
) -> None:
    await bot_process.start()
    health = await bot_process.wait_healthy()
    bot_id = UserID(str(health["user_id"]))
    device = health["device_id"]
    assert health["synced"] is True

    anna = await people("anna")
    room = await anna.client.create_room(name="Team", invite=[bot_id], encrypted=True)
    assert await anna.wait_joined(room, bot_id, timeout=20), bot_process.log_tail()
    first = await anna.say(room, "!hilfe")
    await wait_answered(anna, room, bot_id, [first], timeout=20)

    # Anna keeps typing commands; the bot is stopped after its first answer to them.
    sent: list[EventID] = []

    async def keep_typing() -> None:
        for n in range(COMMANDS):
            sent.append(await anna.say(room, "!hilfe sprache" if n % 2 else "!hilfe"))
            await asyncio.sleep(GAP_SECONDS)

    typing = asyncio.create_task(keep_typing())
    await anna.wait_for(
        Message,
        lambda m: m.sender == bot_id and m.reply_to is not None and m.reply_to in sent,
        timeout=20,
    )
    code, seconds = await bot_process.terminate()
    await typing
    assert code == 0, bot_process.log_tail()
    assert seconds < 10, f"took {seconds:.1f} s"
    answered_before = answers_by_command(anna, room, bot_id)
    assert len(answered_before) < COMMANDS + 1, "the stop came too late to test anything"

    await bot_process.start()
    health = await bot_process.wait_healthy()
    assert health["device_id"] == device
    await wait_answered(anna, room, bot_id, [first, *sent], timeout=30)
    last = await sentinel(anna, room, bot_id)  # a doubled answer would have come before
    counts = answers_by_command(anna, room, bot_id)
    assert counts[last] == 1
    assert {event: counts.get(event, 0) for event in [first, *sent]} == dict.fromkeys(
        [first, *sent], 1
    )

    code, seconds = await bot_process.terminate()
    assert (code, seconds < 10) == (0, True), bot_process.log_tail()
    assert shutdown_errors(bot_process.log_path) == [[], []]
    data_dir = Path(bot_process.env["HOMEOFFICE_STORAGE__DATA_DIR"])
    assert json.loads((data_dir / "credentials.json").read_text())["device_id"] == device


async def test_a_revoked_login_stops_the_bot_with_exit_code_1(
    bot_process: BotProcess, synapse: SynapseServer
) -> None:
    await bot_process.start()
    await bot_process.wait_healthy()
    data_dir = Path(bot_process.env["HOMEOFFICE_STORAGE__DATA_DIR"])
    token = json.loads((data_dir / "credentials.json").read_text())["access_token"]

    synapse.request("POST", "/_matrix/client/v3/logout", {}, access_token=token)

    assert bot_process.proc is not None
    try:
        code = await asyncio.wait_for(bot_process.proc.wait(), timeout=30)
    except TimeoutError:
        pytest.fail(f"the bot kept running without a login:\n{bot_process.log_tail()}")
    assert code == 1, bot_process.log_tail()
    assert "stopped because the sync loop failed" in bot_process.log_path.read_text()


async def test_a_second_bot_on_a_busy_web_port_says_so_in_one_line_and_exits_2(
    bot_process: BotProcess, tmp_path: Path
) -> None:
    await bot_process.start()
    await bot_process.wait_healthy()
    second_dir = tmp_path / "second"  # its own folder and database: only the port is shared
    second_env = dict(
        bot_process.env,
        HOMEOFFICE_STORAGE__DATA_DIR=str(second_dir),
        HOMEOFFICE_STORAGE__DATABASE=str(
            harness_database(second_dir / "homeoffice.sqlite3", second_dir)
        ),
    )
    second = BotProcess(second_env, bot_process.port, tmp_path / "second.log")

    await second.start()
    assert second.proc is not None
    try:
        code = await asyncio.wait_for(second.proc.wait(), timeout=60)
    except TimeoutError:
        await second.kill()
        pytest.fail(f"the second bot kept running:\n{second.log_tail()}")

    assert code == 2, second.log_tail()
    output = second.log_path.read_text(encoding="utf-8").splitlines()
    assert "Traceback" not in "\n".join(output), second.log_tail()
    assert output[-1] == (
        f"configuration error: web.port: 127.0.0.1:{bot_process.port} is already in use"
        " (is another homeoffice-bot running?)"
    )
    for line in output[:-1]:  # everything before it is the log, in its JSON format
        assert json.loads(line)["level"] in ("DEBUG", "INFO", "WARNING"), line
    assert await bot_process.healthz() is not None  # the first bot runs on


async def test_a_start_that_finds_the_web_port_busy_stops_before_sending_and_stops_cleanly(
    synapse: SynapseServer, make_user: UserFactory, tmp_path: Path
) -> None:
    mxid, password = make_user("busybot")
    settings = dev_bot_settings(synapse.url, mxid, password, tmp_path / "bot")
    with socket.create_server(("127.0.0.1", 0)) as occupied:
        port = int(occupied.getsockname()[1])
        settings.web = settings.web.model_copy(update={"port": port})
        app = App(settings)
        with pytest.raises(ConfigError) as raised:
            await app.start()
        assert raised.value.key == "web.port"
        assert "kernel:delivery" not in app.scheduler.job_ids()  # nothing was set going
        await app.stop()
