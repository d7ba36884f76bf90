"""Prometheus metrics: one registry per bot, the kernel's own metrics, and a way for plugins
to add theirs.

    metrics = Metrics()                                   # the bot's root: names start homeoffice_
    sent = metrics.counter("messages_sent", "...", ("event_type",))
    workday = metrics.scope("workday")                    # what ctx.metrics is for a plugin
    workday.sampled_gauge("held_back", "...", count_held_back)   # homeoffice_workday_held_back
    body, content_type = await metrics.exposition(accept_header)

Live metrics (``counter``/``gauge``) are prometheus_client objects that callers update.
Sampled metrics (``sampled_gauge``/``sampled_counter``) are read from a callback at every
scrape; the callback may be a plain or an async function (e.g. a database count) and
returns a number, or for labelled metrics a mapping from label value(s) to a number. A
failing callback is logged and its metric left out of that scrape; the others still show.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import re
from collections.abc import Awaitable, Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Literal

from prometheus_client import CollectorRegistry, Counter, Gauge
from prometheus_client.exposition import choose_encoder
from prometheus_client.metrics_core import CounterMetricFamily, GaugeMetricFamily, Metric

if TYPE_CHECKING:
    from homeoffice_bot.kernel.delivery import Inbox, Outbox
    from homeoffice_bot.kernel.matrix import MatrixClient
    from homeoffice_bot.kernel.scheduler import Scheduler
    from homeoffice_bot.kernel.tasks import TaskTracker

log = logging.getLogger(__name__)

ROOT_NAMESPACE = "homeoffice"
_NAME = re.compile(r"^[a-zA-Z_][a-zA-Z0-9_]*$")

LabelKey = str | tuple[str, ...]
Sample = float | int | Mapping[LabelKey, float | int]
"""A number for an unlabelled metric; {label value(s): number} for a labelled one."""
SampleCallback = Callable[[], Sample | Awaitable[Sample]]


@dataclass
class _Sampled:
    name: str
    help: str
    kind: Literal["gauge", "counter"]
    labels: tuple[str, ...]
    callback: SampleCallback
    values: dict[tuple[str, ...], float] = field(default_factory=dict)

    def family(self, with_samples: bool) -> Metric:
        cls = GaugeMetricFamily if self.kind == "gauge" else CounterMetricFamily
        family = cls(self.name, self.help, labels=list(self.labels))
        if with_samples:
            for key, value in self.values.items():
                family.add_metric(list(key), value)
        return family

    async def refresh(self) -> None:
        result = self.callback()
        if inspect.isawaitable(result):
            result = await result
        self.values = _normalise(result, len(self.labels))


def _normalise(sample: Sample, label_count: int) -> dict[tuple[str, ...], float]:
    if isinstance(sample, Mapping):
        out: dict[tuple[str, ...], float] = {}
        for key, value in sample.items():
            labels = (key,) if isinstance(key, str) else tuple(str(k) for k in key)
            if len(labels) != label_count:
                raise ValueError(f"expected {label_count} label values, got {labels!r}")
            out[labels] = float(value)
        return out
    if label_count:
        raise ValueError("a labelled metric needs a mapping of label values to numbers")
    return {(): float(sample)}


class _SampledCollector:
    """Serves the values the last refresh read; the registry calls collect() synchronously."""

    def __init__(self) -> None:
        self.metrics: list[_Sampled] = []
        self.failed: set[str] = set()

    def describe(self) -> Iterator[Metric]:
        for metric in self.metrics:
            yield metric.family(with_samples=False)

    def collect(self) -> Iterator[Metric]:
        for metric in self.metrics:
            if metric.name not in self.failed:
                yield metric.family(with_samples=True)


class _Shared:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.sampled = _SampledCollector()
        self.registry.register(self.sampled)
        self.names: set[str] = set()
        self.lock = asyncio.Lock()


class Metrics:
    """The bot's metrics under one namespace; ``scope(name)`` gives a plugin its own."""

    def __init__(self, namespace: str = ROOT_NAMESPACE, *, _shared: _Shared | None = None) -> None:
        if not _NAME.match(namespace):
            raise ValueError(f"{namespace!r} is not a valid metric namespace")
        self.namespace = namespace
        self._shared = _shared or _Shared()

    @property
    def registry(self) -> CollectorRegistry:
        return self._shared.registry

    def scope(self, name: str) -> Metrics:
        """A view whose metric names start with ``<namespace>_<name>_``, same registry."""
        return Metrics(f"{self.namespace}_{_snake(name)}", _shared=self._shared)

    def full_name(self, name: str) -> str:
        name = name.removesuffix("_total")
        if not _NAME.match(name):
            raise ValueError(f"{name!r} is not a valid metric name")
        return f"{self.namespace}_{name}"

    def _claim(self, name: str) -> str:
        full = self.full_name(name)
        if full in self._shared.names:
            raise ValueError(f"metric {full} is already registered")
        self._shared.names.add(full)
        return full

    # -- live metrics, updated by the caller
    def counter(self, name: str, help: str, labels: Sequence[str] = ()) -> Counter:
        """A counter, exposed as ``<full name>_total``; ``.inc()`` or ``.labels(...).inc()``."""
        return Counter(self._claim(name), help, list(labels), registry=self.registry)

    def gauge(self, name: str, help: str, labels: Sequence[str] = ()) -> Gauge:
        return Gauge(self._claim(name), help, list(labels), registry=self.registry)

    # -- sampled metrics, read at every scrape
    def sampled_gauge(
        self, name: str, help: str, callback: SampleCallback, labels: Sequence[str] = ()
    ) -> None:
        self._add_sampled(name, help, "gauge", callback, labels)

    def sampled_counter(
        self, name: str, help: str, callback: SampleCallback, labels: Sequence[str] = ()
    ) -> None:
        """For totals that only grow and are counted elsewhere (exposed as ``_total``)."""
        self._add_sampled(name, help, "counter", callback, labels)

    def _add_sampled(
        self,
        name: str,
        help: str,
        kind: Literal["gauge", "counter"],
        callback: SampleCallback,
        labels: Sequence[str],
    ) -> None:
        for label in labels:
            if not _NAME.match(label):
                raise ValueError(f"{label!r} is not a valid label name")
        metric = _Sampled(self._claim(name), help, kind, tuple(labels), callback)
        self._shared.sampled.metrics.append(metric)

    # -- scraping
    async def refresh(self) -> None:
        """Read every sampled metric once (a failing callback leaves its metric out)."""
        collector = self._shared.sampled
        failed: set[str] = set()
        for metric in collector.metrics:
            try:
                await metric.refresh()
            except Exception:
                log.exception("metric %s could not be read", metric.name)
                failed.add(metric.name)
        collector.failed = failed

    async def exposition(self, accept: str | None = None) -> tuple[bytes, str]:
        """The scrape body and its content type, in the format ``accept`` asks for."""
        encoder, content_type = choose_encoder(accept or "")
        async with self._shared.lock:
            await self.refresh()
            return encoder(self.registry), content_type


def _snake(name: str) -> str:
    return re.sub(r"[^a-zA-Z0-9_]", "_", name).lower()


class KernelMetrics:
    """What the kernel counts: commands, messages sent, failures, sync lag, jobs, rooms."""

    def __init__(self, metrics: Metrics, version: str) -> None:
        self.metrics = metrics
        self.commands = metrics.counter(
            "commands",
            "Commands handled, by command (English name) and outcome"
            " (ok, unknown, denied, invalid, rejected, error).",
            ("command", "outcome"),
        )  # fmt: skip
        self.messages_sent = metrics.counter(
            "messages_sent", "Events the bot sent, by event type.", ("event_type",)
        )
        info = metrics.gauge("build_info", "The running version (always 1).", ("version",))
        info.labels(version).set(1)

    def command_handled(self, command: str, outcome: str) -> None:
        """For ``CommandDispatcher(on_handled=...)``."""
        self.commands.labels(command, outcome).inc()

    def message_sent(self, room_id: str, event_type: str) -> None:
        """For ``MatrixClient(on_sent=...)``."""
        self.messages_sent.labels(event_type).inc()

    def watch(
        self,
        *,
        matrix: MatrixClient,
        scheduler: Scheduler,
        tasks: TaskTracker,
        started_at: datetime,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        """Sampled kernel metrics, read from the running parts at every scrape."""

        def sync_lag() -> float:
            last = matrix.last_sync or started_at
            return max(0.0, (now() - last).total_seconds())

        m = self.metrics
        m.sampled_gauge(
            "sync_lag_seconds",
            "Seconds since the last successful sync (since start before the first one).",
            sync_lag,
        )
        m.sampled_gauge(
            "sync_backoff_seconds",
            "Current wait before the next sync attempt after a fault (0 when healthy).",
            lambda: matrix.backoff_seconds,
        )
        m.sampled_gauge("scheduled_jobs", "Jobs in the scheduler.", lambda: scheduler.job_count)
        m.sampled_gauge(
            "scheduler_firings_waiting",
            "Firings that are due and wait for a free slot (many kickoffs at one minute).",
            lambda: scheduler.firings_waiting,
        )
        m.sampled_gauge("joined_rooms", "Rooms the bot is in.", lambda: len(matrix.joined_rooms()))
        m.sampled_gauge("tasks_running", "Event handlers and jobs running now.",
                        lambda: tasks.running)  # fmt: skip
        m.sampled_counter(
            "handler_failures",
            "Event handlers and background tasks that failed with an error.",
            lambda: tasks.failures,
        )
        m.sampled_gauge(
            "start_time_seconds", "When the bot started (Unix time).", started_at.timestamp
        )

    def watch_delivery(self, *, outbox: Outbox, inbox: Inbox) -> None:
        """Sampled metrics of the outbox and the inbox."""
        m = self.metrics
        m.sampled_gauge("outbox_pending", "Sends waiting for the homeserver.", outbox.depth)
        m.sampled_gauge(
            "outbox_held", "Direct messages held until the person may be alerted.",
            outbox.held_count,
        )  # fmt: skip
        m.sampled_gauge(
            "outbox_oldest_pending_seconds",
            "Age of the oldest send still waiting (0 when none waits).",
            outbox.oldest_pending_seconds,
        )
        m.sampled_counter(
            "outbox_retries", "Send attempts that failed for a passing reason and are retried.",
            lambda: outbox.stats.retries,
        )  # fmt: skip
        m.sampled_counter(
            "outbox_refused",
            "Sends the homeserver refused for good (the bot was kicked, the room is gone).",
            lambda: outbox.stats.refused,
        )
        m.sampled_counter(
            "events_replayed_skipped",
            "Events seen again after a restart and skipped because they were handled.",
            lambda: inbox.replays_skipped,
        )
