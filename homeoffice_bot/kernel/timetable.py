"""When each job fires next: a heap with lazy deletion, so that adding, moving and
cancelling a job costs O(log n) and never scans the other jobs.

A job that is moved or cancelled leaves its old heap entry behind; entries that no longer
match the job's current instant are skipped when they come up, and the heap is rebuilt
once such leftovers outnumber the live jobs (so a job moved every few seconds, like a
wake-up at the earliest due time, does not grow it).
"""

from __future__ import annotations

import heapq
import itertools
from datetime import UTC, datetime

_REBUILD_SLACK = 64


class Timetable:
    def __init__(self) -> None:
        self._heap: list[tuple[float, int, str]] = []
        self._due: dict[str, tuple[float, int]] = {}
        self._seq = itertools.count()

    def set(self, job_id: str, when: datetime) -> None:
        """Fire ``job_id`` at ``when`` (an aware instant), replacing its earlier instant."""
        entry = (when.timestamp(), next(self._seq))
        self._due[job_id] = entry
        heapq.heappush(self._heap, (*entry, job_id))
        if len(self._heap) > 2 * len(self._due) + _REBUILD_SLACK:
            self._rebuild()

    def discard(self, job_id: str) -> None:
        self._due.pop(job_id, None)

    def when(self, job_id: str) -> datetime | None:
        entry = self._due.get(job_id)
        return None if entry is None else datetime.fromtimestamp(entry[0], UTC)

    def next_due(self) -> datetime | None:
        """The earliest instant of any job, or None without jobs."""
        self._drop_stale()
        return datetime.fromtimestamp(self._heap[0][0], UTC) if self._heap else None

    def pop_due(self, now: datetime) -> list[tuple[str, datetime]]:
        """Remove and return the jobs due at ``now``, earliest first, with their instants."""
        limit = now.timestamp()
        due: list[tuple[str, datetime]] = []
        while True:
            self._drop_stale()
            if not self._heap or self._heap[0][0] > limit:
                return due
            stamp, _, job_id = heapq.heappop(self._heap)
            del self._due[job_id]
            due.append((job_id, datetime.fromtimestamp(stamp, UTC)))

    def __len__(self) -> int:
        return len(self._due)

    def __contains__(self, job_id: object) -> bool:
        return job_id in self._due

    def _drop_stale(self) -> None:
        heap = self._heap
        while heap and self._due.get(heap[0][2]) != heap[0][:2]:
            heapq.heappop(heap)

    def _rebuild(self) -> None:
        self._heap = [(stamp, seq, job_id) for job_id, (stamp, seq) in self._due.items()]
        heapq.heapify(self._heap)
