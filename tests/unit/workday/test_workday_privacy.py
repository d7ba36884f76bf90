from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest
from workday_testing import Tr, berlin

from homeoffice_bot.kernel.ids import UserID
from homeoffice_bot.workday.privacy import (
    build_export,
    export_filename,
    export_json,
    purge_cutoff,
)
from homeoffice_bot.workday.states import PresenceState

ALICE = UserID("@alice:example.org")
BEN = UserID("@ben:example.org")


def test_purge_cutoff() -> None:
    now = datetime(2024, 8, 31, 3, 0, tzinfo=UTC)
    assert purge_cutoff(now) == datetime(2024, 8, 1, 3, 0, tzinfo=UTC)
    assert purge_cutoff(berlin(2024, 8, 31, 5), days=7) == datetime(2024, 8, 24, 3, 0, tzinfo=UTC)
    with pytest.raises(ValueError, match="at least one day"):
        purge_cutoff(now, 0)


def test_export_contains_only_the_callers_rows_in_plain_json() -> None:
    now = datetime(2024, 8, 31, 3, 0, tzinfo=UTC)
    sections: dict[str, list[dict[str, Any]]] = {
        "history": [
            {
                "user_id": ALICE,
                "state": PresenceState.BREAK,
                "since": berlin(2024, 8, 30, 12),
                "until": None,
            },
            {"user_id": BEN, "state": PresenceState.OFF, "since": berlin(2024, 8, 30, 16)},
        ],
        "hours": [{"user_id": ALICE, "spec": "Mo–Fr 08:00–16:30", "tz": "Europe/Berlin"}],
        "leave": [
            {
                "user": ALICE,
                "first_day": date(2024, 9, 2),
                "last_day": date(2024, 9, 6),
                "stand_in": BEN,
            }
        ],
        "breaks": [{"user_id": ALICE, "start": time(12), "length": timedelta(minutes=30)}],
        "reminders_sent": [{"user_id": ALICE, "ids": {"break6", "break9"}}],
    }
    export = build_export(ALICE, sections, now, retention_days=30)
    assert export == {
        "format": "homeoffice-bot.workday.export",
        "version": 1,
        "user": ALICE,
        "exported_at": "2024-08-31T03:00:00Z",
        "retention_days": 30,
        "data": {
            "breaks": [{"user_id": ALICE, "start": "12:00:00", "length": 1800}],
            "history": [
                {"user_id": ALICE, "state": "break", "since": "2024-08-30T10:00:00Z", "until": None}
            ],
            "hours": [{"user_id": ALICE, "spec": "Mo–Fr 08:00–16:30", "tz": "Europe/Berlin"}],
            "leave": [
                {
                    "user": ALICE,
                    "first_day": "2024-09-02",
                    "last_day": "2024-09-06",
                    "stand_in": BEN,
                }
            ],
            "reminders_sent": [{"user_id": ALICE, "ids": ["break6", "break9"]}],
        },
    }
    assert json.loads(export_json(export)) == export
    assert "Mo–Fr" in export_json(export).decode("utf-8")  # not \\u-escaped


def test_export_filename() -> None:
    now = datetime(2024, 8, 31, 3, 0, tzinfo=UTC)
    assert export_filename(ALICE, now, Tr("de")) == "meine-daten-alice-2024-08-31.json"
    assert export_filename(UserID("@a/b:x"), now, Tr("en")) == "my-data-a_b-2024-08-31.json"
