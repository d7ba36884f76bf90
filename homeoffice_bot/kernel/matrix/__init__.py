"""The Matrix layer: the only package that imports matrix-nio.

``client`` puts the account together from its parts (``rooms``, ``crypto``, ``sending``,
``sync``, ``session``); ``content`` builds the event contents the bot sends and sorts
refusals; ``convert`` turns nio's events into our own dataclasses from kernel/events.py.
"""

from __future__ import annotations

from homeoffice_bot.kernel.matrix.client import Credentials, Event, MatrixClient, SyncBatch
from homeoffice_bot.kernel.matrix.content import relates_to
from homeoffice_bot.kernel.matrix.rooms import RoomState

__all__ = ["Credentials", "Event", "MatrixClient", "RoomState", "SyncBatch", "relates_to"]
