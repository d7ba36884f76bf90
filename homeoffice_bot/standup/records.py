"""The stand-up's stored records: stand-ups, occurrences, answers, notes, absences.

Frozen dataclasses plus the conversions from database rows; the SQL is in ``store``.
Instants are UTC, days ISO dates, the configuration JSON validated by pydantic.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from functools import cache

from pydantic import TypeAdapter

from homeoffice_bot.kernel.storage import Row
from homeoffice_bot.standup.answers import AnswerMessage
from homeoffice_bot.standup.config import StandupConfig

OPEN = "open"
CLOSED = "closed"


@cache
def _config_adapter() -> TypeAdapter[StandupConfig]:
    return TypeAdapter(StandupConfig)


def config_to_json(config: StandupConfig) -> str:
    data = _config_adapter().dump_python(config, mode="json")
    for key in ("weekdays", "participants_add", "participants_remove", "observers", "closures",
                "skipped", "pair"):  # fmt: skip
        data[key] = sorted(data[key])
    return json.dumps(data, ensure_ascii=False, sort_keys=True)


def config_from_json(text: str) -> StandupConfig:
    return _config_adapter().validate_json(text)


@dataclass(frozen=True, slots=True)
class KickoffRule:
    """What a stand-up's daily kickoff job needs: enough to declare it at start."""

    standup_id: int
    at: time
    weekdays: frozenset[int]
    tz: str
    paused: bool


def kickoff_rule(record: StandupRecord) -> KickoffRule:
    config = record.config
    return KickoffRule(record.id, config.at, config.weekdays, config.tz, config.paused)


KICKOFF_COLUMNS = ("kickoff_time", "kickoff_weekdays", "kickoff_tz", "kickoff_paused")
"""The columns of ``standups`` that repeat the kickoff rule of its ``config`` (schema
step 5), written with it by the store."""


def kickoff_columns(config: StandupConfig) -> tuple[str, str, str, int]:
    """The values of ``KICKOFF_COLUMNS``: ``09:00:00``, ``1,2,3,4,5``, the zone, 0 or 1."""
    weekdays = ",".join(str(day) for day in sorted(config.weekdays))
    return config.at.isoformat(), weekdays, config.tz, int(config.paused)


def kickoff_rules_from_rows(rows: Sequence[Row]) -> list[KickoffRule]:
    """The kickoff rules of stored stand-ups (rows with ``id`` and ``KICKOFF_COLUMNS``),
    without validating their whole configuration: 10,000 of them are read at every start,
    and most share a few rules, each parsed once."""
    parsed: dict[tuple[str, str], tuple[time, frozenset[int]]] = {}
    rules = []
    for row in rows:
        key = (row["kickoff_time"], row["kickoff_weekdays"])
        known = parsed.get(key)
        if known is None:
            days = frozenset(int(day) for day in key[1].split(",") if day)
            known = parsed[key] = (time.fromisoformat(key[0]), days)
        rules.append(KickoffRule(row["id"], *known, row["kickoff_tz"], bool(row["kickoff_paused"])))
    return rules


def iso(instant: datetime) -> str:
    return instant.astimezone(UTC).isoformat()


def _instant(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


def _strings(text: str) -> tuple[str, ...]:
    return tuple(str(item) for item in json.loads(text))


@dataclass(frozen=True, slots=True)
class StandupRecord:
    id: int
    config: StandupConfig
    active_since: datetime
    """Scheduled kickoffs before this instant do not count (set on setup, time changes
    and resume, so that a changed schedule never opens a stand-up in the past)."""

    @property
    def room_id(self) -> str:
        return self.config.room_id

    @property
    def name(self) -> str:
        return self.config.name


@dataclass(frozen=True, slots=True)
class OccurrenceOpening:
    """When and how an occurrence of a stand-up opens: what an occurrence about to be
    stored (``NewOccurrence``) and a stored one (``OccurrenceRecord``) both say."""

    standup_id: int
    day: date
    kickoff_at: datetime
    """The scheduled instant (the moment of ``!standup jetzt`` for ad-hoc ones)."""
    opened_at: datetime
    closes_at: datetime
    adhoc: bool
    late_start: bool
    config: StandupConfig
    """The configuration as it was at the kickoff."""


@dataclass(frozen=True, slots=True)
class OccurrenceRecord(OccurrenceOpening):
    id: int
    questions: tuple[str, ...]
    participants: tuple[str, ...]
    """Everyone asked or absent; observers not."""
    absent: tuple[str, ...]
    speaking_order: tuple[str, ...]
    kickoff_event_id: str | None
    state: str
    reminded: bool
    report_room_id: str | None
    report_event_id: str | None
    closed_at: datetime | None

    @property
    def room_id(self) -> str:
        return self.config.room_id

    @property
    def is_open(self) -> bool:
        return self.state == OPEN

    def expected(self) -> tuple[str, ...]:
        absent = set(self.absent)
        return tuple(user for user in self.participants if user not in absent)


@dataclass(frozen=True, slots=True)
class AnswerRecord:
    event_id: str
    occurrence_id: int
    user_id: str
    room_id: str
    text: str
    question_index: int | None
    server_ts: datetime
    late: bool

    def message(self) -> AnswerMessage:
        return AnswerMessage(self.event_id, self.text, self.server_ts, self.question_index)


@dataclass(frozen=True, slots=True)
class NoteRecord:
    event_id: str
    occurrence_id: int
    user_id: str
    text: str
    server_ts: datetime


@dataclass(frozen=True, slots=True)
class AbsenceRecord:
    user_id: str
    first_day: date
    last_day: date


def standup_from_row(row: Row) -> StandupRecord:
    return StandupRecord(row["id"], config_from_json(row["config"]), _instant(row["active_since"]))


def occurrence_from_row(row: Row) -> OccurrenceRecord:
    return OccurrenceRecord(
        id=row["id"],
        standup_id=row["standup_id"],
        day=date.fromisoformat(row["day"]),
        kickoff_at=_instant(row["kickoff_at"]),
        opened_at=_instant(row["opened_at"]),
        closes_at=_instant(row["closes_at"]),
        adhoc=bool(row["adhoc"]),
        late_start=bool(row["late_start"]),
        config=config_from_json(row["config"]),
        questions=_strings(row["questions"]),
        participants=_strings(row["participants"]),
        absent=_strings(row["absent"]),
        speaking_order=_strings(row["speaking_order"]),
        kickoff_event_id=row["kickoff_event_id"],
        state=row["state"],
        reminded=bool(row["reminded"]),
        report_room_id=row["report_room_id"],
        report_event_id=row["report_event_id"],
        closed_at=_instant(row["closed_at"]) if row["closed_at"] else None,
    )


def answer_from_row(row: Row) -> AnswerRecord:
    return AnswerRecord(
        row["event_id"], row["occurrence_id"], row["user_id"], row["room_id"], row["text"],
        row["question_index"], _instant(row["server_ts"]), bool(row["late"]),
    )  # fmt: skip


def note_from_row(row: Row) -> NoteRecord:
    return NoteRecord(
        row["event_id"], row["occurrence_id"], row["user_id"], row["text"],
        _instant(row["server_ts"]),
    )  # fmt: skip


@dataclass(frozen=True, slots=True)
class NewOccurrence(OccurrenceOpening):
    """An occurrence to store (``StandupStore.create_occurrence``)."""

    questions: Sequence[str]
    participants: Sequence[str]
    absent: Sequence[str]
    speaking_order: Sequence[str] = ()
