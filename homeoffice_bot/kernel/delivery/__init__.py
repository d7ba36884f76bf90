"""Delivery: the one way in and the one way out.

``inbox`` records handled events and gives every send an origin (and so a stable
transaction id); ``outbox`` makes every send durable first and sends it, in order per
room, with retries; ``gate`` decides who may be mentioned or messaged now, and whether a
message alerts.
"""

from __future__ import annotations

from homeoffice_bot.kernel.delivery.gate import ATTENTION, Attention
from homeoffice_bot.kernel.delivery.inbox import Inbox, acting_for, run_as
from homeoffice_bot.kernel.delivery.outbox import Outbox

__all__ = ["ATTENTION", "Attention", "Inbox", "Outbox", "acting_for", "run_as"]
