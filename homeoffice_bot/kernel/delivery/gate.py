"""The one gate for attention: who may be mentioned or messaged now, and whether a message
alerts. Pure; the outbox asks it for every message it sends.

- A person the ``Attention`` provider says is off (after hours, on leave, on a break, away)
  keeps their name in a room message but loses the pill: no notification, and the
  provider is told, so that the person finds the message in their digest later.
- A direct message to such a person is held until they may be alerted again.
- The person whose own action caused the message (a reply to their command) and sends
  marked urgent pass the gate always.
- Matrix's default push rules silence every ``m.notice``, mentions included. A message
  meant to reach someone (``alert``) that still mentions a person who may be alerted, or
  goes to such a person's direct chat, is an ``m.text``; everything else — boards,
  reports, confirmations — stays an ``m.notice``.

Without a provider (the workday feature is off) everyone may be alerted.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from homeoffice_bot.kernel.ids import EventID, RoomID, UserID
from homeoffice_bot.kernel.services import ServiceKey

NOTICE = "m.notice"
TEXT = "m.text"


class Attention(Protocol):
    """Who may be alerted when; provided by the workday feature as a service."""

    async def may_alert(self, user_id: UserID, at: datetime) -> bool:
        """True when a mention or direct message may reach the person at ``at``."""
        ...

    async def next_alert(self, user_id: UserID, after: datetime) -> datetime | None:
        """When the person may be alerted next (``None``: not foreseeable)."""
        ...

    async def missed(
        self, user_id: UserID, room_id: RoomID, event_id: EventID, excerpt: str
    ) -> None:
        """The bot sent ``event_id`` naming the person while they were off."""
        ...


ATTENTION: ServiceKey[Attention] = ServiceKey("kernel.attention")
"""The availability that the gate asks (provided by the workday feature)."""


@dataclass(frozen=True, slots=True)
class Verdict:
    hold: bool
    """A direct message to someone who may not be alerted now: keep it for later."""
    pills: tuple[UserID, ...]
    """Mentioned people who get a pill (and a notification, if the message alerts)."""
    plain: tuple[UserID, ...]
    """Mentioned people who are off: their name stays, without a pill."""
    msgtype: str


def decide(
    *,
    mentioned: Sequence[UserID],
    may_alert: Mapping[UserID, bool],
    alert: bool,
    dm_partner: UserID | None = None,
    mention_room: bool = False,
) -> Verdict:
    """The gate's decision for one message; ``may_alert`` answers for every person named
    and the direct chat's partner (exempt people are answered True by the caller). A held
    direct message gets the pills and type it is to have when it is sent later, at the
    person's start of work."""
    hold = dm_partner is not None and not may_alert.get(dm_partner, True)
    pills = tuple(u for u in mentioned if may_alert.get(u, True))
    plain = tuple(u for u in mentioned if not may_alert.get(u, True))
    reaches_someone = bool(pills) or mention_room or dm_partner is not None
    return Verdict(hold, pills, plain, TEXT if alert and reaches_someone else NOTICE)
