"""Metrics: own registry, scopes for plugins, live and sampled metrics, exposition."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from prometheus_client.parser import text_string_to_metric_families

from homeoffice_bot.kernel.commands import outcome_of
from homeoffice_bot.kernel.errors import (
    CommandError,
    ParseError,
    PermissionDeniedError,
    UnknownCommandError,
)
from homeoffice_bot.kernel.metrics import KernelMetrics, Metrics
from homeoffice_bot.kernel.parser import CommandParseError


def samples(body: bytes) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """{(sample name, sorted labels): value} from a text exposition."""
    out: dict[tuple[str, tuple[tuple[str, str], ...]], float] = {}
    for family in text_string_to_metric_families(body.decode()):
        for sample in family.samples:
            out[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return out


async def scrape(metrics: Metrics, accept: str | None = None) -> dict[Any, float]:
    body, _ = await metrics.exposition(accept)
    return samples(body)


async def test_each_metrics_object_has_its_own_registry() -> None:
    first, second = Metrics(), Metrics()
    first.counter("things", "Things.").inc()
    second.counter("things", "Things.").inc(3)  # no clash: separate registries
    assert (await scrape(first))[("homeoffice_things_total", ())] == 1
    assert (await scrape(second))[("homeoffice_things_total", ())] == 3


async def test_counter_with_labels_and_gauge() -> None:
    metrics = Metrics()
    done = metrics.counter("commands", "Commands.", ("command", "outcome"))
    done.labels("help", "ok").inc()
    done.labels("help", "ok").inc()
    done.labels("language", "denied").inc()
    metrics.gauge("temperature", "Degrees.").set(21.5)

    got = await scrape(metrics)
    assert got[("homeoffice_commands_total", (("command", "help"), ("outcome", "ok")))] == 2
    key = (("command", "language"), ("outcome", "denied"))
    assert got[("homeoffice_commands_total", key)] == 1
    assert got[("homeoffice_temperature", ())] == 21.5


async def test_a_plugin_scope_prefixes_names_and_shares_the_registry() -> None:
    root = Metrics()
    workday = root.scope("workday")
    workday.counter("breaks_started", "Breaks.").inc()
    assert workday.full_name("held_back") == "homeoffice_workday_held_back"
    assert root.scope("digital-nah").namespace == "homeoffice_digital_nah"
    assert (await scrape(root))[("homeoffice_workday_breaks_started_total", ())] == 1


async def test_sampled_gauge_reads_sync_and_async_callbacks_at_every_scrape() -> None:
    metrics = Metrics()
    held_back = [2]

    async def offerings_by_state() -> dict[str, int]:
        await asyncio.sleep(0)
        return {"draft": 3, "published": 5}

    metrics.scope("workday").sampled_gauge("held_back", "Held back.", lambda: held_back[0])
    metrics.scope("digitalnah").sampled_gauge(
        "offerings", "Offerings by state.", offerings_by_state, labels=("state",)
    )
    got = await scrape(metrics)
    assert got[("homeoffice_workday_held_back", ())] == 2
    assert got[("homeoffice_digitalnah_offerings", (("state", "draft"),))] == 3
    assert got[("homeoffice_digitalnah_offerings", (("state", "published"),))] == 5

    held_back[0] = 0
    assert (await scrape(metrics))[("homeoffice_workday_held_back", ())] == 0


async def test_sampled_metric_with_two_labels_and_a_sampled_counter() -> None:
    metrics = Metrics()
    metrics.sampled_gauge(
        "pairs", "Pairs.", lambda: {("a", "x"): 1, ("b", "y"): 2}, labels=("first", "second")
    )
    metrics.sampled_counter("failures", "Failures.", lambda: 7)
    got = await scrape(metrics)
    assert got[("homeoffice_pairs", (("first", "b"), ("second", "y")))] == 2
    assert got[("homeoffice_failures_total", ())] == 7


async def test_a_failing_callback_leaves_only_its_metric_out(
    caplog: pytest.LogCaptureFixture,
) -> None:
    metrics = Metrics()

    def broken() -> float:
        raise RuntimeError("database is gone")

    metrics.sampled_gauge("broken", "Broken.", broken)
    metrics.sampled_gauge("fine", "Fine.", lambda: 1)
    got = await scrape(metrics)
    assert ("homeoffice_fine", ()) in got
    assert not any(name == "homeoffice_broken" for name, _ in got)
    assert "metric homeoffice_broken could not be read" in caplog.text


async def test_wrong_sample_shape_is_a_failed_metric_not_a_failed_scrape() -> None:
    metrics = Metrics()
    metrics.sampled_gauge("labelled", "Needs a mapping.", lambda: 3, labels=("state",))
    metrics.sampled_gauge("plain", "Plain.", lambda: 4)
    got = await scrape(metrics)
    assert got == {("homeoffice_plain", ()): 4}


def test_names_are_checked_and_unique() -> None:
    metrics = Metrics()
    metrics.counter("sent", "Sent.")
    with pytest.raises(ValueError, match="already registered"):
        metrics.sampled_counter("sent_total", "Again.", lambda: 1)
    with pytest.raises(ValueError, match="not a valid metric name"):
        metrics.gauge("held back", "Space.")
    with pytest.raises(ValueError, match="not a valid label name"):
        metrics.sampled_gauge("by_state", "Bad label.", lambda: {}, labels=("the state",))
    with pytest.raises(ValueError, match="namespace"):
        Metrics("1bad")


async def test_exposition_content_types() -> None:
    metrics = Metrics()
    metrics.counter("x", "X.").inc()
    body, content_type = await metrics.exposition(None)
    assert content_type == "text/plain; version=0.0.4; charset=utf-8"
    assert b"homeoffice_x_total 1.0" in body
    body, content_type = await metrics.exposition("application/openmetrics-text; version=1.0.0")
    assert content_type.startswith("application/openmetrics-text")
    assert body.endswith(b"# EOF\n")


async def test_kernel_metrics_count_commands_and_messages_and_read_the_kernel() -> None:
    metrics = Metrics()
    kernel = KernelMetrics(metrics, version="1.2.3")
    started = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
    matrix = SimpleNamespace(
        last_sync=started + timedelta(seconds=50),
        backoff_seconds=0.0,
        joined_rooms=lambda: ["!a:x", "!b:x", "!c:x"],
    )
    kernel.watch(
        matrix=matrix,  # type: ignore[arg-type]
        scheduler=SimpleNamespace(job_count=4, firings_waiting=5),  # type: ignore[arg-type]
        tasks=SimpleNamespace(failures=2, running=1),  # type: ignore[arg-type]
        started_at=started,
        now=lambda: started + timedelta(seconds=62),
    )
    kernel.command_handled("help", "ok")
    kernel.command_handled("help", "ok")
    kernel.command_handled("admin", "error")
    kernel.message_sent("!a:x", "m.room.message")
    kernel.message_sent("!a:x", "m.reaction")
    kernel.message_sent("!b:x", "m.room.message")

    got = await scrape(metrics)
    assert got[("homeoffice_commands_total", (("command", "help"), ("outcome", "ok")))] == 2
    assert got[("homeoffice_commands_total", (("command", "admin"), ("outcome", "error")))] == 1
    sent = "homeoffice_messages_sent_total"
    assert got[(sent, (("event_type", "m.room.message"),))] == 2
    assert got[(sent, (("event_type", "m.reaction"),))] == 1
    assert got[("homeoffice_sync_lag_seconds", ())] == 12
    assert got[("homeoffice_sync_backoff_seconds", ())] == 0
    assert got[("homeoffice_scheduled_jobs", ())] == 4
    assert got[("homeoffice_scheduler_firings_waiting", ())] == 5
    assert got[("homeoffice_joined_rooms", ())] == 3
    assert got[("homeoffice_tasks_running", ())] == 1
    assert got[("homeoffice_handler_failures_total", ())] == 2
    assert got[("homeoffice_build_info", (("version", "1.2.3"),))] == 1
    assert got[("homeoffice_start_time_seconds", ())] == started.timestamp()


async def test_sync_lag_counts_from_the_start_before_the_first_sync() -> None:
    metrics = Metrics()
    started = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
    KernelMetrics(metrics, version="0").watch(
        matrix=SimpleNamespace(last_sync=None, backoff_seconds=4.0, joined_rooms=list),  # type: ignore[arg-type]
        scheduler=SimpleNamespace(job_count=0),  # type: ignore[arg-type]
        tasks=SimpleNamespace(failures=0, running=0),  # type: ignore[arg-type]
        started_at=started,
        now=lambda: started + timedelta(seconds=30),
    )
    got = await scrape(metrics)
    assert got[("homeoffice_sync_lag_seconds", ())] == 30
    assert got[("homeoffice_sync_backoff_seconds", ())] == 4


@pytest.mark.parametrize(
    ("error", "outcome"),
    [
        (UnknownCommandError("command.unknown"), "unknown"),
        (PermissionDeniedError("command.denied.moderator"), "denied"),
        (ParseError("parse.missing"), "invalid"),
        (CommandParseError("parse.too_many", usage_path=()), "invalid"),
        (CommandError("standup.not_configured"), "rejected"),
    ],
)
def test_command_outcomes_are_a_small_fixed_set(error: CommandError, outcome: str) -> None:
    assert outcome_of(error) == outcome
