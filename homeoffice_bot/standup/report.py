"""The stand-up report: who answered what, blockers first in the eye, how many are missing.

Data in (``ReportData``), Markdown out (``render_report``). People are named by display
name and never pinged; every text a person typed is escaped.

No surveillance by default (``ReportDetails``): no answer times, no "(verspätet)", answers
in name order, and those who have not answered as a count ("2 noch offen"). A room may
turn each on (``!standup zeiten``, ``!standup verspätung``, ``!standup offene``); the
help says that this needs a works agreement (Dienstvereinbarung).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from homeoffice_bot.kernel.escaping import escape_markdown
from homeoffice_bot.kernel.formatting import people_list
from homeoffice_bot.kernel.i18n import plural
from homeoffice_bot.standup.answers import ParsedAnswer, has_blocker
from homeoffice_bot.standup.config import ReportFormat, StandupMode
from homeoffice_bot.standup.minutes import Item, minutes_blockers, notes_summary, render_minutes
from homeoffice_bot.standup.questions import DEFAULT_BLOCKER_INDEX
from homeoffice_bot.standup.text import Translate, format_date, format_time

Escape = Callable[[str], str]
WARNING = "⚠️"


@dataclass(frozen=True, slots=True)
class ReportDetails:
    """What a report shows beyond the answers; everything off by default."""

    times: bool = False
    """Answer times; answers in the order they came."""
    late: bool = False
    """"(verspätet)" marks and the count of late answers."""
    missing_names: bool = False
    """Who has not answered, by name (else only how many)."""


@dataclass(frozen=True, slots=True)
class Person:
    user_id: str
    display_name: str


@dataclass(frozen=True, slots=True)
class PersonAnswer:
    person: Person
    answer: ParsedAnswer
    answered_at: datetime
    """Server time of the person's first answer message (UTC)."""
    late: bool = False


@dataclass(frozen=True, slots=True)
class Note:
    """A message in the thread of a live stand-up: part of the minutes."""

    person: Person
    text: str
    posted_at: datetime
    late: bool = False
    """Written after the round had closed ("nachträglich")."""
    event_id: str = ""


@dataclass(frozen=True, slots=True)
class ReportData:
    name: str
    day: date
    """The occurrence's local date."""
    tz: str
    questions: tuple[str, ...]
    participants: tuple[Person, ...]
    """Everyone asked, absent people included; observers not."""
    answers: tuple[PersonAnswer, ...] = ()
    absent: tuple[Person, ...] = ()
    """Participants not asked today (leave, sick, …); the reason is not shown."""
    observers: tuple[Person, ...] = ()
    """Receive the report, are not asked and never counted as missing."""
    notes: tuple[Note, ...] = ()
    mode: StandupMode = StandupMode.WRITTEN
    blocker_index: int | None = DEFAULT_BLOCKER_INDEX
    """Which question asks for blockers (``questions.blocker_question_index``)."""
    kickoff_at: datetime | None = None
    """When this round began (UTC): the scheduled instant, or the moment of ``!standup
    jetzt``. Tells apart several rounds of one stand-up on the same day."""
    details: ReportDetails = ReportDetails()
    minutes: tuple[Item, ...] = ()
    """Decisions, actions and blockers of the thread's notes (``minutes``)."""

    def _answered_ids(self) -> set[str]:
        return {a.person.user_id for a in self.answers}

    def expected(self) -> tuple[Person, ...]:
        """Participants who were asked today (not absent)."""
        absent = {p.user_id for p in self.absent}
        return tuple(p for p in self.participants if p.user_id not in absent)

    def counted_answers(self) -> tuple[PersonAnswer, ...]:
        """Answers by expected participants (others' answers are shown, not counted)."""
        expected = {p.user_id for p in self.expected()}
        return tuple(a for a in self.answers if a.person.user_id in expected)

    def missing(self) -> tuple[Person, ...]:
        answered = self._answered_ids()
        return tuple(p for p in self.expected() if p.user_id not in answered)

    def absent_without_answer(self) -> tuple[Person, ...]:
        answered = self._answered_ids()
        return tuple(p for p in self.absent if p.user_id not in answered)

    def is_blocker(self, answer: PersonAnswer) -> bool:
        if self.blocker_index is None:
            return False
        return has_blocker(answer.answer.part(self.blocker_index))

    def blockers(self) -> tuple[PersonAnswer, ...]:
        return tuple(a for a in self.answers if self.is_blocker(a))

    def ordered_answers(self) -> tuple[PersonAnswer, ...]:
        """In the order they came when times are shown; else by name (the order alone
        would tell who answered first)."""
        if self.details.times:
            return tuple(sorted(self.answers, key=lambda a: (a.answered_at, a.person.display_name)))
        return tuple(sorted(self.answers, key=lambda a: (a.person.display_name, a.answered_at)))

    def shows_late(self, answer: PersonAnswer) -> bool:
        return answer.late and self.details.late


def render_summary(data: ReportData, tr: Translate) -> str:
    """ "3 von 4 haben geantwortet, 1 Blocker." (plus late answers and live notes)."""
    parts: list[str] = []
    if data.mode is not StandupMode.LIVE or data.answers:
        counted = data.counted_answers()
        parts.append(
            plural(
                tr, "standup.report.summary.answered", len(counted), expected=len(data.expected())
            )
        )
        blockers = len(data.blockers()) + minutes_blockers(data.minutes)
        parts.append(
            plural(tr, "standup.report.summary.blockers", blockers)
            if blockers
            else tr("standup.report.summary.no_blockers")
        )
        late = sum(1 for a in data.answers if data.shows_late(a))
        if late:
            parts.append(plural(tr, "standup.report.summary.late", late))
    elif minutes_blockers(data.minutes):
        parts.append(plural(tr, "standup.report.summary.blockers", minutes_blockers(data.minutes)))
    if data.notes or data.minutes or data.mode is StandupMode.LIVE:
        parts.append(
            notes_summary([(n.event_id, n.person.user_id) for n in data.notes], data.minutes, tr)
        )
    return tr("standup.report.summary.sentence", parts=", ".join(parts))


def _user_lines(text: str, escape: Escape) -> list[str]:
    """A person's text as escaped Markdown lines (blank lines and indentation dropped)."""
    return [escape(line.strip()) for line in text.splitlines() if line.strip()]


def _bold(lines: list[str]) -> list[str]:
    return [f"**{line}**" for line in lines]


def _person_label(answer: PersonAnswer, data: ReportData, tr: Translate, escape: Escape) -> str:
    name = escape(answer.person.display_name)
    late = data.shows_late(answer)
    if not data.details.times:
        return tr("standup.report.person_late_only" if late else "standup.report.person_name",
                  name=name)  # fmt: skip
    key = "standup.report.person_late" if late else "standup.report.person"
    return tr(key, name=name, time=format_time(answer.answered_at, data.tz))


def _by_person(data: ReportData, tr: Translate, escape: Escape) -> list[str]:
    out: list[str] = []
    for answer in data.ordered_answers():
        blocker = data.is_blocker(answer)
        label = _person_label(answer, data, tr, escape)
        out.append(f"{WARNING} {label}" if blocker else label)
        for index, question in enumerate(data.questions):
            part = answer.answer.part(index)
            if part is None:
                continue
            heading = f"*{escape(question)}*"
            lines = _user_lines(part, escape)
            if blocker and index == data.blocker_index:
                out.append(f"{WARNING} {heading}")
                out.extend(_bold(lines))
            else:
                out.append(heading)
                out.extend(lines)
        if answer.answer.free_text is not None:
            out.extend(_user_lines(answer.answer.free_text, escape))
        out.append("")
    return out


def _list_item(prefix: str, lines: list[str]) -> list[str]:
    if not lines:
        return [prefix.rstrip()]
    return [f"{prefix}{lines[0]}", *(f"    {line}" for line in lines[1:])]


def _by_question(data: ReportData, tr: Translate, escape: Escape) -> list[str]:
    out: list[str] = []
    answers = data.ordered_answers()
    for index, question in enumerate(data.questions):
        given = [a for a in answers if a.answer.part(index) is not None]
        if not given:
            continue
        is_blocker_question = index == data.blocker_index
        any_blocker = is_blocker_question and any(data.is_blocker(a) for a in given)
        heading = f"**{index + 1}\\. {escape(question)}**"
        out.extend([f"{WARNING} {heading}" if any_blocker else heading, ""])
        for answer in given:
            lines = _user_lines(answer.answer.part(index) or "", escape)
            name = _name_with_marker(answer, data, tr, escape)
            if is_blocker_question and data.is_blocker(answer):
                out.extend(_list_item(f"- {WARNING} {name}: ", _bold(lines)))
            else:
                out.extend(_list_item(f"- {name}: ", lines))
        out.append("")
    free = [a for a in answers if a.answer.free_text is not None]
    if free:
        out.extend([tr("standup.report.free_text"), ""])
        for answer in free:
            lines = _user_lines(answer.answer.free_text or "", escape)
            out.extend(_list_item(f"- {_name_with_marker(answer, data, tr, escape)}: ", lines))
        out.append("")
    return out


def _name_with_marker(answer: PersonAnswer, data: ReportData, tr: Translate, escape: Escape) -> str:
    name = f"**{escape(answer.person.display_name)}**"
    return tr("standup.report.late_marker", name=name) if data.shows_late(answer) else name


def _minutes(data: ReportData, tr: Translate, escape: Escape) -> list[str]:
    out = render_minutes(data.minutes, tr, escape)
    if not data.notes:
        return out
    out.extend([tr("standup.report.minutes"), ""])
    for note in sorted(data.notes, key=lambda n: n.posted_at):
        name = escape(note.person.display_name)
        late = " " + tr("standup.minutes.late") if note.late else ""
        prefix = f"- {format_time(note.posted_at, data.tz)} **{name}**{late}: "
        out.extend(_list_item(prefix, _user_lines(note.text, escape)))
    out.append("")
    return out


def render_report(
    data: ReportData,
    tr: Translate,
    fmt: ReportFormat = ReportFormat.BY_PERSON,
    escape: Escape = escape_markdown,
) -> str:
    """The report as Markdown for the kernel's ``render`` (no mention tokens: nobody is
    pinged). ``escape`` is for user text; ``escaping.escape_for_file`` for exported files."""
    out = [
        tr("standup.report.title", name=escape(data.name), date=format_date(data.day, tr)),
        render_summary(data, tr),
        "",
    ]
    if data.mode is not StandupMode.LIVE or data.answers:
        if not data.answers:
            out.extend([tr("standup.report.no_answers"), ""])
        elif fmt is ReportFormat.BY_QUESTION:
            out.extend(_by_question(data, tr, escape))
        else:
            out.extend(_by_person(data, tr, escape))
    out.extend(_minutes(data, tr, escape))
    missing = data.missing() if data.mode is not StandupMode.LIVE else ()
    if missing and data.details.missing_names:
        names = people_list((escape(p.display_name) for p in missing), tr)
        out.append(tr("standup.report.missing", names=names))
    elif missing:
        out.append(plural(tr, "standup.report.missing_count", len(missing)))
    absent = data.absent_without_answer()
    if absent:
        names = people_list((escape(p.display_name) for p in absent), tr)
        out.append(tr("standup.report.absent", names=names))
    return "\n".join(out).strip() + "\n"
