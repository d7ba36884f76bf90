"""When to publish after changes: wait for a quiet moment, but never too long.

Pure arithmetic; the wiring keeps ``first_change``/``last_change`` and schedules a job at
``publish_due``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True, slots=True)
class Debounce:
    quiet: timedelta = timedelta(seconds=5)
    """Publish this long after the last change..."""
    max_wait: timedelta = timedelta(seconds=30)
    """...but no later than this after the first unpublished change."""

    def publish_due(self, first_change: datetime, last_change: datetime) -> datetime:
        return min(last_change + self.quiet, first_change + self.max_wait)
