"""Clocks: the only way feature code learns the current time."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Protocol, runtime_checkable


class Clock(Protocol):
    def now(self) -> datetime:
        """The current instant, timezone-aware, in UTC."""
        ...


@runtime_checkable
class MovableClock(Clock, Protocol):
    """A clock that says when it was moved (a test's clock): the scheduler wakes at once
    instead of waiting for the moved-to time in real time."""

    def watch(self, callback: Callable[[], None]) -> None: ...

    def unwatch(self, callback: Callable[[], None]) -> None: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class FixedClock:
    """A clock for tests: stands still until moved."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("FixedClock needs an aware datetime")
        self._now = start.astimezone(UTC)
        self._watchers: list[Callable[[], None]] = []

    def now(self) -> datetime:
        return self._now

    def advance(self, delta: timedelta) -> None:
        self._now += delta
        self._moved()

    def set(self, instant: datetime) -> None:
        self._now = instant.astimezone(UTC)
        self._moved()

    def watch(self, callback: Callable[[], None]) -> None:
        """Call ``callback`` (in the moving thread) whenever the clock is moved."""
        self._watchers.append(callback)

    def unwatch(self, callback: Callable[[], None]) -> None:
        if callback in self._watchers:
            self._watchers.remove(callback)

    def _moved(self) -> None:
        for callback in list(self._watchers):
            callback()
