"""#DigitalNah's part of a person's export and deletion on a real SQLite database:
published offerings stay without the submitter, unpublished ones go, audit actors become
empty, other people's rows stay."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from digitalnah.personal_data import DigitalNahPersonalData
from digitalnah.plugin import DigitalNahPlugin
from digitalnah.schema import MIGRATIONS
from homeoffice_bot.kernel.i18n import Catalogue
from homeoffice_bot.kernel.ids import UserID
from homeoffice_bot.kernel.storage import Database

ANNA = UserID("@anna:example.org")
BEN = UserID("@ben:example.org")
LEAD = UserID("@lead:example.org")
NOW = "2026-11-20T08:00:00+00:00"
STATES = {1: "approved", 2: "ended", 3: "pending", 4: "rejected", 5: "draft", 6: "approved"}


class Publisher:
    def __init__(self) -> None:
        self.changes = 0

    def changed(self) -> None:
        self.changes += 1


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = Database(tmp_path / "db.sqlite3")
    await database.open()
    await database.migrate("digitalnah", MIGRATIONS)
    for offering_id, state in STATES.items():
        submitter = BEN if offering_id == 6 else ANNA
        await database.execute(
            "INSERT INTO digitalnah_offerings(id, submitter, created_at, updated_at, title,"
            " state) VALUES (?, ?, ?, ?, ?, ?)",
            (offering_id, submitter, NOW, NOW, f"Angebot {offering_id}", state),
        )
        await database.execute(
            "INSERT INTO digitalnah_audit(offering_id, actor, action, from_state, to_state, at)"
            " VALUES (?, ?, 'submit', 'draft', 'pending', ?)",
            (offering_id, submitter, NOW),
        )
    await database.execute(
        "INSERT INTO digitalnah_audit(offering_id, actor, action, from_state, to_state, at,"
        " reason) VALUES (6, ?, 'approve', 'pending', 'approved', ?, 'passt')",
        (ANNA, NOW),
    )
    await database.execute(
        "INSERT INTO digitalnah_assistant(user_id, dm_room_id, state, updated_at)"
        " VALUES (?, '!dm:example.org', '{}', ?)",
        (ANNA, NOW),
    )
    yield database
    await database.close()


def source(db: Database) -> tuple[DigitalNahPersonalData, Publisher]:
    assert DigitalNahPlugin.locales is not None
    catalogue = Catalogue.from_folder(DigitalNahPlugin.locales)
    publisher = Publisher()
    ctx = SimpleNamespace(db=db, catalogue=catalogue, translator=catalogue.translator)
    dn: Any = SimpleNamespace(ctx=ctx, publisher=publisher)
    return DigitalNahPersonalData(dn), publisher


async def test_export_holds_submissions_actions_and_what_others_did_to_them(
    db: Database,
) -> None:
    data, _ = source(db)
    export = await data.export_person(ANNA)
    assert [o["id"] for o in export["offerings"]] == [1, 2, 3, 4, 5]
    assert all("submitter" not in o for o in export["offerings"])
    assert {(a["offering_id"], a["action"]) for a in export["your_actions"]} == {
        *((n, "submit") for n in range(1, 6)), (6, "approve"),
    }  # fmt: skip
    assert export["history_of_your_offerings"] == []  # nobody else acted on Anna's
    assert [s["dm_room_id"] for s in export["assistant"]] == ["!dm:example.org"]
    assert (await data.export_person(BEN))["history_of_your_offerings"][0]["reason"] == "passt"


async def test_deleting_keeps_published_offerings_without_the_submitter(db: Database) -> None:
    data, publisher = source(db)
    assert await data.forget_person(ANNA) > 0
    rows = await db.fetchall("SELECT id, submitter FROM digitalnah_offerings ORDER BY id")
    assert [(r["id"], r["submitter"]) for r in rows] == [(1, ""), (2, ""), (6, BEN)]
    actors = await db.fetchall("SELECT offering_id, actor, action FROM digitalnah_audit")
    assert {(r["offering_id"], r["actor"], r["action"]) for r in actors} == {
        (1, "", "submit"), (2, "", "submit"), (6, BEN, "submit"), (6, "", "approve"),
    }  # fmt: skip
    assert await db.fetchval("SELECT COUNT(*) FROM digitalnah_assistant") == 0
    assert publisher.changes == 1
    assert all(rows == [] for rows in (await data.export_person(ANNA)).values())
    assert "Veröffentlichte Angebote bleiben" in data.what_stays("de")[0]
    assert data.titles("en")["offerings"] == "Your submissions"
