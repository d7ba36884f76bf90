"""The configuration of one stand-up, validated, plus what follows from it.

Several stand-ups may live in one room; each has a ``name``. The local rule is
(``at``, ``tz``) on ISO ``weekdays`` (Monday = 1); instants are UTC.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from homeoffice_bot.kernel.escaping import escape_markdown
from homeoffice_bot.kernel.formatting import people_list
from homeoffice_bot.kernel.localtime import local_date
from homeoffice_bot.standup import calendar
from homeoffice_bot.standup.errors import StandupSettingError
from homeoffice_bot.standup.live import validate_call_link
from homeoffice_bot.standup.text import (
    Translate,
    format_clock,
    format_date,
    format_dates,
    format_datetime,
    format_length,
    format_weekdays,
)

MAX_WINDOW_MINUTES = 240
MAX_QUESTIONS = 10
MAX_QUESTION_LENGTH = 300
NAME_PATTERN = re.compile(r"[^\W_][\w\-]{0,31}")
"""Stand-up names: letters, digits, "-" and "_", 1–32 characters ("team", "frühschicht")."""
DEFAULT_NAME = "team"


class StandupMode(enum.StrEnum):
    WRITTEN = "written"
    LIVE = "live"
    BOTH = "both"


class AnswerChannel(enum.StrEnum):
    THREAD = "thread"
    DM = "dm"


class ReportFormat(enum.StrEnum):
    BY_PERSON = "by_person"
    BY_QUESTION = "by_question"


class ReportTarget(enum.StrEnum):
    THREAD = "thread"
    ROOM = "room"


def _fail(key: str, message: str, **params: object) -> StandupSettingError:
    return StandupSettingError(key, message, **params)


def validate_timezone(tz: str) -> str:
    """An IANA zone name that zoneinfo knows ("Europe/Berlin")."""
    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise _fail("standup.error.timezone", f"unknown time zone {tz!r}", value=tz) from None
    return tz


def reminder_at(kickoff: datetime, window_minutes: float, percent: int) -> datetime:
    """When the reminder goes out: ``percent`` of the window after the kickoff."""
    return kickoff + timedelta(minutes=window_minutes) * percent / 100


@dataclass(frozen=True, slots=True)
class StandupConfig:
    name: str
    room_id: str
    at: time
    """Local kickoff time (naive)."""
    tz: str = "Europe/Berlin"
    weekdays: frozenset[int] = frozenset({1, 2, 3, 4, 5})
    window_seconds: int = 600
    """How long answers are collected (the live call's time box); whole seconds."""
    mode: StandupMode = StandupMode.WRITTEN
    questions: tuple[str, ...] | None = None
    """Custom questions replacing the three defaults; None: the defaults."""
    participants_add: frozenset[str] = frozenset()
    """User ids asked in addition to the room's members."""
    participants_remove: frozenset[str] = frozenset()
    """Room members who are not asked."""
    observers: frozenset[str] = frozenset()
    """Receive the report but are not asked."""
    answer_channel: AnswerChannel = AnswerChannel.THREAD
    report_format: ReportFormat = ReportFormat.BY_PERSON
    reminder_percent: int | None = 80
    """None: no reminder."""
    mass_mention: bool = False
    region: str | None = None
    """Holiday region ("DE-NW"); None: no public holidays."""
    closures: frozenset[date] = frozenset()
    skipped: frozenset[date] = frozenset()
    paused: bool = False
    call_link: str | None = None
    report_target: ReportTarget = ReportTarget.THREAD
    report_times: bool = False
    """Answer times in reports and the CSV export. Per-person timing data: only with a
    works agreement (Dienstvereinbarung)."""
    report_late: bool = False
    """Late answers marked "(verspätet)" in reports, a ``late`` column in the CSV. Only
    with a works agreement."""
    report_missing_names: bool = False
    """Who has not answered, by name (else a count: "2 noch offen"); in the CSV one row
    per person instead of one with the count. Only with a works agreement."""
    pair: frozenset[str] = frozenset()
    """A tandem (``!standup tandem``): only these two are asked, whoever is in the room."""
    last_day: date | None = None
    """The tandem's last day: no kickoff after it; its end brings the period's summary."""

    def __post_init__(self) -> None:
        if not NAME_PATTERN.fullmatch(self.name):
            raise _fail(
                "standup.error.name", f"invalid stand-up name {self.name!r}", value=self.name
            )
        validate_timezone(self.tz)
        if self.at.tzinfo is not None:
            raise _fail("standup.error.time", "the kickoff time must be a local (naive) time")
        if not self.weekdays or not self.weekdays <= frozenset(range(1, 8)):
            raise _fail("standup.error.weekdays", f"weekdays must be ISO 1..7: {self.weekdays}")
        if not 1 <= self.window_seconds <= MAX_WINDOW_MINUTES * 60:
            raise _fail(
                "standup.error.window",
                f"window must be at most {MAX_WINDOW_MINUTES} minutes",
                max=MAX_WINDOW_MINUTES,
            )
        if self.reminder_percent is not None and not 1 <= self.reminder_percent <= 99:
            raise _fail("standup.error.reminder", "reminder must be at 1..99 % of the window")
        if self.questions is not None:
            if not 1 <= len(self.questions) <= MAX_QUESTIONS:
                raise _fail(
                    "standup.error.questions_count",
                    f"1..{MAX_QUESTIONS} questions",
                    max=MAX_QUESTIONS,
                )
            for question in self.questions:
                if not question.strip() or len(question) > MAX_QUESTION_LENGTH:
                    raise _fail(
                        "standup.error.question",
                        f"questions must be 1..{MAX_QUESTION_LENGTH} characters",
                        max=MAX_QUESTION_LENGTH,
                    )
        if self.region is not None:
            calendar.validate_region(self.region)
        if self.call_link is not None and validate_call_link(self.call_link) != self.call_link:
            raise _fail("standup.error.call_link", "call link not normalised", value=self.call_link)
        overlap = self.participants_add & (self.participants_remove | self.observers)
        if overlap:
            raise _fail(
                "standup.error.participant_conflict",
                f"both added and removed/observer: {sorted(overlap)}",
                users=", ".join(sorted(overlap)),
            )

    def _describe_details(self, tr: Translate) -> str:
        """ "Bericht: ohne Antwortzeiten, ohne „verspätet“, Offene als Anzahl"."""
        parts = [
            tr("standup.status.times_on" if self.report_times else "standup.status.times_off"),
            tr("standup.status.late_on" if self.report_late else "standup.status.late_off"),
            tr(
                "standup.status.missing_names"
                if self.report_missing_names
                else "standup.status.missing_count"
            ),
        ]
        return tr("standup.status.details", details=", ".join(parts))

    # --- who -------------------------------------------------------------------------

    def participants(self, members: Iterable[str], bots: Iterable[str] = ()) -> tuple[str, ...]:
        """Who is asked: room members except bots, removed people and observers, plus the
        added people; sorted. Absence (leave, holiday) is filtered by the caller."""
        if self.pair:
            return tuple(sorted(self.pair))
        excluded = set(bots) | self.participants_remove | self.observers
        chosen = {m for m in members if m not in excluded} | self.participants_add
        return tuple(sorted(chosen))

    # --- when ------------------------------------------------------------------------

    def skip_reason(self, day: date) -> calendar.SkipReason | None:
        return calendar.skip_reason(day, self.weekdays, self.region, self.closures, self.skipped)

    def is_standup_day(self, day: date) -> bool:
        return self.skip_reason(day) is None

    def next_kickoff(self, now_utc: datetime) -> datetime | None:
        """The next kickoff strictly after ``now_utc``; None while paused."""
        if self.paused:
            return None
        return calendar.next_kickoff(
            now_utc, self.at, self.tz, self.weekdays, self.region, self.closures, self.skipped
        )

    def previous_kickoff(self, now_utc: datetime) -> datetime | None:
        """The latest kickoff at or before ``now_utc`` (for catch-up); None while paused."""
        if self.paused:
            return None
        return calendar.previous_kickoff(
            now_utc, self.at, self.tz, self.weekdays, self.region, self.closures, self.skipped
        )

    def previous_standup_day(self, day: date) -> date | None:
        return calendar.previous_standup_day(
            day, self.weekdays, self.region, self.closures, self.skipped
        )

    def occurrence_day(self, kickoff: datetime) -> date:
        """The local date a kickoff belongs to (use it in the occurrence key)."""
        return local_date(kickoff, self.tz)

    @property
    def window(self) -> timedelta:
        return timedelta(seconds=self.window_seconds)

    @property
    def window_minutes(self) -> float:
        return self.window_seconds / 60

    def closes_at(self, kickoff: datetime) -> datetime:
        return kickoff + self.window

    def reminder_at(self, kickoff: datetime) -> datetime | None:
        if self.reminder_percent is None:
            return None
        return reminder_at(kickoff, self.window_minutes, self.reminder_percent)

    # --- status ----------------------------------------------------------------------

    def describe(
        self,
        now_utc: datetime,
        tr: Translate,
        display_names: Mapping[str, str] | None = None,
    ) -> str:
        """The configuration and the next occurrence as Markdown, for ``!standup status``.

        ``display_names`` maps user ids to names for the added/removed/observer lists.
        """
        names = display_names or {}

        def people(users: frozenset[str]) -> str:
            return people_list((escape_markdown(names.get(u, u)) for u in sorted(users)), tr)

        lines = [tr("standup.status.title", name=escape_markdown(self.name))]
        lines.append(
            tr(
                "standup.status.schedule",
                time=format_clock(self.at),
                tz=escape_markdown(self.tz),
                weekdays=format_weekdays(self.weekdays, tr),
            )
        )
        lines.append(
            tr(
                "standup.status.window",
                duration=format_length(self.window_seconds, tr),
                mode=tr(f"standup.mode.{self.mode.value}"),
            )
        )
        if self.questions:
            lines.append(tr("standup.status.questions_custom", count=len(self.questions)))
            lines.extend(f"{n}\\. {escape_markdown(q)}" for n, q in enumerate(self.questions, 1))
        else:
            lines.append(tr("standup.status.questions_default"))
        lines.append(
            tr(
                "standup.status.channels",
                channel=tr(f"standup.channel.{self.answer_channel.value}"),
                format=tr(f"standup.format_name.{self.report_format.value}"),
                target=tr(f"standup.target.{self.report_target.value}"),
            )
        )
        if self.mode is StandupMode.LIVE:
            lines.append(tr("standup.status.reminder_live"))
        elif self.reminder_percent is None:
            lines.append(tr("standup.status.reminder_off"))
        else:
            after = round(self.window_seconds * self.reminder_percent / 100)
            lines.append(
                tr(
                    "standup.status.reminder",
                    percent=self.reminder_percent,
                    after=format_length(after, tr),
                )
            )
        if self.mass_mention:
            lines.append(tr("standup.status.mass_mention"))
        lines.append(self._describe_details(tr))
        lines.append(
            tr("standup.status.region", region=escape_markdown(self.region))
            if self.region
            else tr("standup.status.region_none")
        )
        today = local_date(now_utc, self.tz)
        upcoming_closures = [d for d in self.closures if d >= today]
        if upcoming_closures:
            lines.append(tr("standup.status.closures", dates=format_dates(upcoming_closures, tr)))
        upcoming_skips = [d for d in self.skipped if d >= today]
        if upcoming_skips:
            lines.append(tr("standup.status.skipped", dates=format_dates(upcoming_skips, tr)))
        if self.pair:
            lines.append(
                tr(
                    "standup.status.pair",
                    names=people(self.pair),
                    date=format_date(self.last_day, tr) if self.last_day else "–",
                )
            )
        else:
            lines.append(tr("standup.status.participants"))
        if self.participants_add:
            lines.append(tr("standup.status.added", names=people(self.participants_add)))
        if self.participants_remove:
            lines.append(tr("standup.status.removed", names=people(self.participants_remove)))
        if self.observers:
            lines.append(tr("standup.status.observers", names=people(self.observers)))
        if self.call_link:
            lines.append(tr("standup.status.call_link", url=escape_markdown(self.call_link)))
        if self.paused:
            lines.append(tr("standup.status.paused"))
        else:
            upcoming = self.next_kickoff(now_utc)
            if upcoming is not None and self.last_day is not None:
                upcoming = None if self.occurrence_day(upcoming) > self.last_day else upcoming
            lines.append(
                tr("standup.status.next", when=format_datetime(upcoming, self.tz, tr))
                if upcoming is not None
                else tr("standup.status.next_none")
            )
        return "\n".join(lines)
