"""The bot as a service: `homeoffice-bot run` as a real process, configured only through the
environment, stopped with SIGTERM while a person keeps sending commands. It exits 0 within
10 s; after a restart on the same device every command has exactly one answer."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import signal
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from homeoffice_bot.devserver import SynapseServer, UserFactory
from homeoffice_bot.devserver.person import Person
from homeoffice_bot.devserver.synapse import free_port
from homeoffice_bot.kernel.events import Message
from homeoffice_bot.kernel.ids import EventID, RoomID, UserID

pytestmark = pytest.mark.integration

COMMANDS = 12
GAP_SECONDS = 0.06


def bot_command() -> list[str]:
    script = Path(sys.executable).parent / "homeoffice-bot"
    if script.is_file():
        return [str(script)]
    found = shutil.which("homeoffice-bot")
    return [found] if found else [sys.executable, "-m", "homeoffice_bot.cli"]


class BotProcess:
    """`homeoffice-bot run` in a subprocess; its log goes to a file for failure messages."""

    def __init__(self, env: dict[str, str], port: int, log_path: Path) -> None:
        self.env = env
        self.port = port
        self.log_path = log_path
        self.proc: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        with self.log_path.open("ab") as log:
            self.proc = await asyncio.create_subprocess_exec(
                *bot_command(), "run", env=self.env, stdout=log, stderr=log,
                stdin=asyncio.subprocess.DEVNULL,
            )  # fmt: skip

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    async def healthz(self) -> dict[str, Any] | None:
        try:
            async with (
                aiohttp.ClientSession() as http,
                http.get(f"http://127.0.0.1:{self.port}/healthz") as response,
            ):
                return dict(await response.json()) if response.status == 200 else None
        except aiohttp.ClientError:
            return None

    async def wait_healthy(self, timeout: float = 60) -> dict[str, Any]:
        assert self.proc is not None
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while loop.time() < deadline:
            if self.proc.returncode is not None:
                pytest.fail(f"the bot exited with {self.proc.returncode}:\n{self.log_tail()}")
            health = await self.healthz()
            if health is not None:
                return health
            await asyncio.sleep(0.2)
        pytest.fail(f"the bot did not become healthy in {timeout} s:\n{self.log_tail()}")

    async def terminate(self) -> tuple[int, float]:
        """SIGTERM; (exit code, seconds until exit)."""
        assert self.proc is not None
        loop = asyncio.get_running_loop()
        started = loop.time()
        self.proc.send_signal(signal.SIGTERM)
        try:
            code = await asyncio.wait_for(self.proc.wait(), timeout=30)
        except TimeoutError:
            pytest.fail(f"the bot did not stop within 30 s of SIGTERM:\n{self.log_tail()}")
        return code, loop.time() - started

    async def kill(self) -> None:
        if self.proc is not None and self.proc.returncode is None:
            self.proc.kill()
            await self.proc.wait()


@pytest.fixture
async def bot_process(
    synapse: SynapseServer, make_user: UserFactory, tmp_path: Path
) -> AsyncIterator[BotProcess]:
    """A fresh bot account configured only through HOMEOFFICE_* variables and a password file."""
    mxid, password = make_user("servicebot", displayname="Homeoffice-Bot")
    secrets_dir = tmp_path / "secrets"
    secrets_dir.mkdir()
    password_file = secrets_dir / "matrix_password"
    password_file.write_text(password + "\n", encoding="utf-8")
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("HOMEOFFICE_")}
    env.update(
        HOMEOFFICE_MATRIX__HOMESERVER=synapse.url,
        HOMEOFFICE_MATRIX__USER_ID=mxid,
        HOMEOFFICE_MATRIX__PASSWORD_FILE=str(password_file),
        HOMEOFFICE_MATRIX__SYNC_TIMEOUT_MS="2000",
        HOMEOFFICE_STORAGE__DATA_DIR=str(tmp_path / "data"),
        HOMEOFFICE_WEB__PORT=str(port),
        HOMEOFFICE_LOGGING__FORMAT="json",
        HOMEOFFICE_LOGGING__LEVEL=os.environ.get("SVC_DEBUG_LEVEL", "INFO"),
    )
    process = BotProcess(env, port, tmp_path / "bot.log")
    yield process
    await process.kill()


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


def answers_by_command(person: Person, room: RoomID, bot: UserID) -> dict[EventID, int]:
    counts: dict[EventID, int] = {}
    for event in person.events:
        if (
            isinstance(event, Message)
            and event.room_id == room
            and event.sender == bot
            and event.reply_to is not None
        ):
            counts[event.reply_to] = counts.get(event.reply_to, 0) + 1
    return counts


async def wait_answered(
    person: Person, room: RoomID, bot: UserID, commands: list[EventID], timeout: float
) -> None:
    try:
        await person.wait_for(
            Message,
            lambda _: set(commands) <= set(answers_by_command(person, room, bot)),
            timeout=timeout,
        )
    except TimeoutError:
        counts = answers_by_command(person, room, bot)
        missing = [n for n, event in enumerate(commands) if event not in counts]
        pytest.fail(f"commands {missing} of {len(commands)} got no answer in {timeout} s")


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
    assert await anna.client.wait_member_joined(room, bot_id, timeout=20), bot_process.log_tail()
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
    await asyncio.sleep(3)  # a doubled answer would have arrived by now
    counts = answers_by_command(anna, room, bot_id)
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
