"""Typed identifiers for Matrix objects."""

from __future__ import annotations

from typing import NewType

UserID = NewType("UserID", str)
RoomID = NewType("RoomID", str)
EventID = NewType("EventID", str)
