"""Fair speaking order for live stand-ups: a rotation remembered across days.

Every participant has a seat (the order they joined the rotation) and counts of how often
they opened and closed a round. Today's opener is the person present with the fewest
openings, ties broken by the seat after the last opener; the others follow in seat order.
Absent people are skipped and keep their seat and their counts, so they open soon after
they are back. A newcomer starts with the fewest openings of the others, so that joining
does not mean opening the next rounds in a row. Pure functions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Seat:
    user_id: str
    position: int
    opened: int = 0
    closed: int = 0
    last_opened: str | None = None
    """ISO instant of the round this person last opened."""


def seat_newcomers(seats: Sequence[Seat], people: Sequence[str]) -> list[Seat]:
    """Seats for ``people`` without one, after the existing seats (in the given order)."""
    taken = {seat.user_id for seat in seats}
    start = max((seat.position for seat in seats), default=-1) + 1
    fewest = min((seat.opened for seat in seats), default=0)
    closed = min((seat.closed for seat in seats), default=0)
    new = [user for user in dict.fromkeys(people) if user not in taken]
    return [Seat(user, start + i, fewest, closed) for i, user in enumerate(new)]


def todays_order(seats: Sequence[Seat], present: Sequence[str]) -> list[str]:
    """The speaking order of the people ``present`` (all of them must have a seat)."""
    by_user = {seat.user_id: seat for seat in seats}
    here = [by_user[user] for user in dict.fromkeys(present) if user in by_user]
    if not here:
        return []
    ring = sorted(seats, key=lambda seat: seat.position)
    size = len(ring)
    index = {seat.user_id: i for i, seat in enumerate(ring)}
    last = max(
        (seat for seat in ring if seat.last_opened is not None),
        key=lambda seat: seat.last_opened or "",
        default=None,
    )
    after = index[last.user_id] + 1 if last is not None else 0

    def distance(seat: Seat) -> int:
        return (index[seat.user_id] - after) % size

    opener = min(here, key=lambda seat: (seat.opened, distance(seat)))
    start = index[opener.user_id]
    return [seat.user_id for seat in sorted(here, key=lambda s: (index[s.user_id] - start) % size)]
