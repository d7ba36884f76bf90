"""`homeoffice-bot run` as a real process, for tests that stop or kill it (SIGTERM, SIGKILL),
and counting the bot's answers to people's commands."""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import sys
from pathlib import Path
from typing import Any

import aiohttp

from homeoffice_bot.devserver.person import Person
from homeoffice_bot.devserver.postgres import harness_database
from homeoffice_bot.kernel.events import Message
from homeoffice_bot.kernel.ids import EventID, RoomID, UserID


def bot_command() -> list[str]:
    script = Path(sys.executable).parent / "homeoffice-bot"
    if script.is_file():
        return [str(script)]
    found = shutil.which("homeoffice-bot")
    return [found] if found else [sys.executable, "-m", "homeoffice_bot.cli"]


def bot_environment(
    homeserver: str, user_id: str, password_file: Path, data_dir: Path, port: int, **extra: str
) -> dict[str, str]:
    """The bot configured only through HOMEOFFICE_* variables (JSON logs)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("HOMEOFFICE_")}
    env.update(
        HOMEOFFICE_MATRIX__HOMESERVER=homeserver,
        HOMEOFFICE_MATRIX__USER_ID=user_id,
        HOMEOFFICE_MATRIX__PASSWORD_FILE=str(password_file),
        HOMEOFFICE_MATRIX__SYNC_TIMEOUT_MS="2000",
        HOMEOFFICE_STORAGE__DATA_DIR=str(data_dir),
        HOMEOFFICE_STORAGE__DATABASE=str(
            harness_database(data_dir / "homeoffice.sqlite3", data_dir)
        ),
        HOMEOFFICE_WEB__PORT=str(port),
        HOMEOFFICE_LOGGING__FORMAT="json",
        HOMEOFFICE_LOGGING__LEVEL=os.environ.get("SVC_DEBUG_LEVEL", "INFO"),
    )
    env.update(extra)
    return env


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

    async def health(self) -> tuple[int, dict[str, Any]] | None:
        """(HTTP status, body) of /healthz; None while nothing answers."""
        try:
            async with (
                aiohttp.ClientSession() as http,
                http.get(f"http://127.0.0.1:{self.port}/healthz") as response,
            ):
                return response.status, dict(await response.json())
        except aiohttp.ClientError:
            return None

    async def healthz(self) -> dict[str, Any] | None:
        """The /healthz body when it says ok, else None."""
        answer = await self.health()
        return answer[1] if answer is not None and answer[0] == 200 else None

    async def wait_healthy(self, timeout: float = 60) -> dict[str, Any]:
        assert self.proc is not None
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while loop.time() < deadline:
            if self.proc.returncode is not None:
                raise AssertionError(
                    f"the bot exited with {self.proc.returncode}:\n{self.log_tail()}"
                )
            health = await self.healthz()
            if health is not None:
                return health
            await asyncio.sleep(0.05)
        raise AssertionError(f"the bot did not become healthy in {timeout} s:\n{self.log_tail()}")

    async def terminate(self) -> tuple[int, float]:
        """SIGTERM; (exit code, seconds until exit)."""
        assert self.proc is not None
        loop = asyncio.get_running_loop()
        started = loop.time()
        self.proc.send_signal(signal.SIGTERM)
        try:
            code = await asyncio.wait_for(self.proc.wait(), timeout=30)
        except TimeoutError:
            raise AssertionError(
                f"the bot did not stop within 30 s of SIGTERM:\n{self.log_tail()}"
            ) from None
        return code, loop.time() - started

    async def kill(self) -> None:
        """SIGKILL: the process ends at once, its database and sync position as they are."""
        if self.proc is not None and self.proc.returncode is None:
            self.proc.kill()
            await self.proc.wait()


def answers_by_command(person: Person, room: RoomID, bot: UserID) -> dict[EventID, int]:
    """How many replies of the bot each event in ``room`` got, as ``person`` saw them."""
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


def answer_order(person: Person, room: RoomID, bot: UserID) -> list[EventID]:
    """The events the bot replied to in ``room``, in the order its replies arrived."""
    return [
        event.reply_to
        for event in person.events
        if isinstance(event, Message)
        and event.room_id == room
        and event.sender == bot
        and event.reply_to is not None
    ]


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
        raise AssertionError(
            f"commands {missing} of {len(commands)} got no answer in {timeout} s"
        ) from None


async def sentinel(person: Person, room: RoomID, bot: UserID, timeout: float = 30) -> EventID:
    """Send a later command and wait for its answer. The bot answers a room's events in
    order and sends a room's messages in order, so whatever it was going to send for
    anything before (a doubled answer, say) has arrived by then: the proof that something
    did not happen, without waiting for an arbitrary time."""
    command = await person.say(room, "!hilfe")
    await wait_answered(person, room, bot, [command], timeout=timeout)
    return command
