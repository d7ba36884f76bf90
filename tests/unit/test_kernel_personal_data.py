from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from homeoffice_bot.kernel.ids import UserID
from homeoffice_bot.kernel.personal_data import (
    PersonalDataRegistry,
    Rows,
    build_export,
    count_rows,
    json_part,
    render_markdown,
)

ALICE = UserID("@alice:example.org")
BEN = UserID("@ben:example.org")
NOW = datetime(2024, 8, 31, 3, 0, tzinfo=UTC)
TEXTS = {"title": "Deine Daten", "intro": "Alles über dich.", "empty": "Nichts.", "json": "JSON"}


class State(enum.StrEnum):
    BREAK = "break"


class Source:
    def __init__(self, rows: dict[str, list[dict[str, object]]], stays: str = "") -> None:
        self.rows = rows
        self.stays = stays
        self.forgotten: list[UserID] = []

    async def export_person(self, user: UserID) -> Mapping[str, Rows]:
        return self.rows

    async def forget_person(self, user: UserID) -> int:
        self.forgotten.append(user)
        return sum(len(rows) for rows in self.rows.values())

    def what_stays(self, lang: str) -> Sequence[str]:
        return [f"{lang}: {self.stays}"] if self.stays else []

    def titles(self, lang: str) -> Mapping[str, str]:
        return {"": f"Source ({lang})"}


class Broken(Source):
    async def export_person(self, user: UserID) -> Mapping[str, Rows]:
        raise RuntimeError("database gone")

    async def forget_person(self, user: UserID) -> int:
        raise RuntimeError("database gone")


def test_export_holds_only_the_persons_rows_in_plain_json() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    components: dict[str, dict[str, Rows]] = {
        "workday": {
            "history": [
                {"user_id": ALICE, "state": State.BREAK,
                 "since": datetime(2024, 8, 30, 12, tzinfo=berlin)},
                {"user_id": BEN, "state": State.BREAK,
                 "since": datetime(2024, 8, 30, 16, tzinfo=berlin)},
            ],
            "leave": [{"user": ALICE, "first_day": date(2024, 9, 2), "stand_in": BEN}],
            "breaks": [{"user_id": ALICE, "start": time(12), "length": timedelta(minutes=30)}],
            "reminders": [{"user_id": ALICE, "ids": {"break9", "break6"}}],
        },
        "standup": {"answers": []},
    }  # fmt: skip
    export = build_export(ALICE, components, NOW)
    assert export == {
        "format": "homeoffice-bot.personal-data",
        "version": 2,
        "user": ALICE,
        "exported_at": "2024-08-31T03:00:00Z",
        "data": {
            "workday": {
                "breaks": [{"user_id": ALICE, "start": "12:00:00", "length": 1800}],
                "history": [{"user_id": ALICE, "state": "break", "since": "2024-08-30T10:00:00Z"}],
                "leave": [{"user": ALICE, "first_day": "2024-09-02", "stand_in": BEN}],
                "reminders": [{"user_id": ALICE, "ids": ["break6", "break9"]}],
            },
            "standup": {"answers": []},
        },
    }
    assert count_rows(export) == {"workday": 4, "standup": 0}


def test_the_file_is_readable_markdown_with_the_same_data_as_json_at_the_end() -> None:
    components: dict[str, dict[str, Rows]] = {
        "standup": {"answers": [{"user_id": ALICE, "text": "Fertig:\nBericht ```x```"}]},
        "digitalnah": {"offerings": []},
    }
    export = build_export(ALICE, components, NOW)
    titles = {"standup": {"": "Stand-up (Antworten)", "answers": "Deine Antworten"}}
    markdown = render_markdown(export, TEXTS, titles)
    assert markdown.startswith("# Deine Daten\n\nAlles über dich.\n")
    assert (
        "## Stand-up (Antworten)\n\n### Deine Antworten (1)\n\n"
        "- user_id: @alice:example.org; text: Fertig: Bericht ```x```" in markdown
    )
    assert "## digitalnah\n\nNichts.\n" in markdown
    assert json_part(markdown) == export
    assert "Bericht" in markdown.split("```json")[1]  # not \\u-escaped, and the same text


async def test_the_registry_asks_every_source_and_survives_a_failing_one() -> None:
    registry = PersonalDataRegistry()
    good = Source({"answers": [{"user_id": ALICE, "text": "a"}]}, stays="reports stay")
    broken = Broken({})
    registry.add("standup", good)
    registry.add("thirdparty", broken)
    exported = await registry.export(ALICE)
    assert exported["standup"] == {"answers": [{"user_id": ALICE, "text": "a"}]}
    assert exported["thirdparty"] == {"error": [{"message": "export failed"}]}

    erasure = await registry.forget(ALICE, "en")
    assert good.forgotten == [ALICE]
    assert erasure.changed == {"standup": 1}
    assert erasure.total == 1
    assert erasure.failed == ["thirdparty"]
    assert erasure.stays == {"standup": ["en: reports stay"]}
    assert registry.title("standup", "de") == "Source (de)"
    assert registry.title("thirdparty", "de") == "Source (de)"
    assert registry.title("unknown", "de") == "unknown"
