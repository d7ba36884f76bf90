"""/metrics against a real Synapse: the command counter goes up after a person's command."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import aiohttp
import pytest
from prometheus_client.parser import text_string_to_metric_families

from homeoffice_bot import __version__
from homeoffice_bot.app import App
from homeoffice_bot.devserver.person import Person
from homeoffice_bot.devserver.team import team_room

pytestmark = pytest.mark.integration

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


async def scrape(port: int) -> tuple[str, Samples]:
    async with (
        aiohttp.ClientSession() as http,
        http.get(f"http://127.0.0.1:{port}/metrics") as response,
    ):
        assert response.status == 200
        content_type = response.headers["Content-Type"]
        text = await response.text()
    samples: Samples = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            samples[(sample.name, frozenset(sample.labels.items()))] = sample.value
    return content_type, samples


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


async def wait_until(port: int, check: Callable[[Samples], bool], timeout: float = 5.0) -> Samples:
    """Scrape until ``check`` holds (the counter is bumped just after the reply is sent)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        _, samples = await scrape(port)
        if check(samples) or loop.time() > deadline:
            return samples
        await asyncio.sleep(0.1)


async def test_command_counter_goes_up_after_a_command(
    start_bot: Callable[..., Awaitable[App]], people: Callable[..., Awaitable[Person]]
) -> None:
    bot = await start_bot()
    anna = await people("anna")
    room = await team_room(anna, bot, [], encrypted=True)
    port = bot.web.port

    content_type, before = await scrape(port)
    assert content_type.startswith("text/plain")
    help_ok = value(before, "homeoffice_commands_total", command="help", outcome="ok")
    sent = value(before, "homeoffice_messages_sent_total", event_type="m.room.message")

    await anna.ask(room, "!hilfe", bot.matrix.user_id)
    after = await wait_until(
        port,
        lambda s: value(s, "homeoffice_commands_total", command="help", outcome="ok") > help_ok,
    )
    assert value(after, "homeoffice_commands_total", command="help", outcome="ok") == help_ok + 1
    assert value(after, "homeoffice_messages_sent_total", event_type="m.room.message") >= sent + 1

    await anna.ask(room, "!hilfr", bot.matrix.user_id)
    after = await wait_until(
        port,
        lambda s: value(
            s, "homeoffice_commands_total", command="unknown", outcome="unknown"
        ) == 1,
    )  # fmt: skip
    unknown = value(after, "homeoffice_commands_total", command="unknown",
                    outcome="unknown")  # fmt: skip
    assert unknown == 1


async def test_kernel_gauges_describe_the_running_bot(
    start_bot: Callable[..., Awaitable[App]], people: Callable[..., Awaitable[Person]]
) -> None:
    bot = await start_bot()
    anna = await people("anna")
    await team_room(anna, bot, [], encrypted=False)

    _, samples = await scrape(bot.web.port)
    assert value(samples, "homeoffice_joined_rooms") == len(bot.matrix.joined_rooms()) >= 1
    assert value(samples, "homeoffice_scheduled_jobs") == bot.scheduler.job_count
    assert 0 <= value(samples, "homeoffice_sync_lag_seconds") < 30
    assert value(samples, "homeoffice_handler_failures_total") == 0
    assert value(samples, "homeoffice_build_info", version=__version__) == 1
    assert value(samples, "homeoffice_start_time_seconds") == bot.started_at.timestamp()
    assert value(samples, "homeoffice_outbox_pending") == 0
    assert value(samples, "homeoffice_outbox_oldest_pending_seconds") == 0
    assert value(samples, "homeoffice_outbox_refused_total") == 0
