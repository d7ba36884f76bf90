"""A person's status as JSON: what a tap or plain words keep so that taking them back can
restore the status before (one form for both)."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from homeoffice_bot.kernel.ids import UserID
from homeoffice_bot.workday.states import PersonStatus, PresenceState
from homeoffice_bot.workday.store import from_iso, iso


def status_dict(status: PersonStatus) -> dict[str, Any]:
    return {
        "state": status.state.value,
        "since": iso(status.since),
        "until": iso(status.until) if status.until else None,
        "note": status.note,
        "note_shared": status.note_shared,
        "stand_in": status.stand_in,
        "leave_from": status.leave_from.isoformat() if status.leave_from else None,
        "leave_to": status.leave_to.isoformat() if status.leave_to else None,
    }


def status_from_dict(user: UserID, data: dict[str, Any]) -> PersonStatus:
    return PersonStatus(
        user=user,
        state=PresenceState(data["state"]),
        since=from_iso(data["since"]),
        until=from_iso(data["until"]) if data.get("until") else None,
        note=data.get("note"),
        note_shared=bool(data.get("note_shared")),
        stand_in=UserID(data["stand_in"]) if data.get("stand_in") else None,
        leave_from=date.fromisoformat(data["leave_from"]) if data.get("leave_from") else None,
        leave_to=date.fromisoformat(data["leave_to"]) if data.get("leave_to") else None,
    )


def status_json(status: PersonStatus | None) -> str | None:
    return None if status is None else json.dumps(status_dict(status), sort_keys=True)


def status_from_json(user: UserID, text: str | None) -> PersonStatus | None:
    return status_from_dict(user, json.loads(text)) if text else None
