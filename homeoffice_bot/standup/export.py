"""Exports of several reports (``!standup export <von> <bis>``): a CSV and a Markdown file."""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, date, datetime

from homeoffice_bot.kernel.csv_safety import guard_formula
from homeoffice_bot.kernel.escaping import escape_for_file
from homeoffice_bot.standup.config import ReportFormat
from homeoffice_bot.standup.report import ReportData, ReportDetails, render_report
from homeoffice_bot.standup.text import Translate

CSV_COLUMNS = (
    "date",
    "standup",
    "round",
    "kickoff_utc",
    "user_id",
    "display_name",
    "status",
    "time_utc",
    "late",
    "question_number",
    "question",
    "text",
    "blocker",
)
"""Every column there is. ``round`` numbers the rounds of one stand-up on one day (1, 2, …
in the order they began, e.g. a ``!standup jetzt`` after the scheduled one) and
``kickoff_utc`` says when each began; ``status`` is answered, missing, absent or note;
``question_number`` is 1-based and empty for free text and notes. Times are ISO 8601 in
UTC.

``time_utc`` and ``late`` are per-person timing data: they are in the file only when the
room has turned answer times or lateness marks on (``csv_columns``). Without names for the
open answers, one ``missing`` row per round gives their number in ``text`` and names
nobody."""


PRIVATE = ReportDetails()
"""No times, no lateness, open answers as a count: the default."""


def csv_columns(details: ReportDetails) -> tuple[str, ...]:
    """The columns of an export under the room's report settings."""
    dropped = {"time_utc"} if not details.times else set()
    if not details.late:
        dropped.add("late")
    return tuple(column for column in CSV_COLUMNS if column not in dropped)


def _cell(column: str, value: str) -> str:
    """Keep spreadsheet programs from running typed text as a formula (prefix with ').
    Matrix user ids start with "@" but cannot hold a formula; they stay as they are."""
    return value if column == "user_id" else guard_formula(value)


def _iso(instant: datetime) -> str:
    return instant.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


Row = dict[str, str]


def _rows(report: ReportData, round_number: int, details: ReportDetails) -> list[Row]:
    rows: list[Row] = []
    kickoff = _iso(report.kickoff_at) if report.kickoff_at is not None else ""
    base = {"date": report.day.isoformat(), "standup": report.name,
            "round": str(round_number), "kickoff_utc": kickoff}  # fmt: skip

    def person(user_id: str, name: str, status: str) -> Row:
        return {**base, "user_id": user_id, "display_name": name, "status": status}

    for answer in report.ordered_answers():
        who = person(answer.person.user_id, answer.person.display_name, "answered")
        who |= {"time_utc": _iso(answer.answered_at), "late": "yes" if answer.late else "no"}
        for index, question in enumerate(report.questions):
            part = answer.answer.part(index)
            if part is None:
                continue
            blocker = index == report.blocker_index and report.is_blocker(answer)
            rows.append(who | {"question_number": str(index + 1), "question": question,
                               "text": part, "blocker": "yes" if blocker else "no"})  # fmt: skip
        if answer.answer.free_text is not None:
            rows.append(who | {"text": answer.answer.free_text, "blocker": "no"})
    missing = report.missing()
    if details.missing_names:
        rows.extend(person(p.user_id, p.display_name, "missing") for p in missing)
    elif missing:
        rows.append({**base, "status": "missing", "text": str(len(missing))})
    for p in report.absent_without_answer():
        rows.append(person(p.user_id, p.display_name, "absent"))
    for note in sorted(report.notes, key=lambda n: n.posted_at):
        row = person(note.person.user_id, note.person.display_name, "note")
        rows.append(row | {"time_utc": _iso(note.posted_at), "text": note.text})
    return rows


def _in_order(reports: Sequence[ReportData]) -> list[ReportData]:
    """By day and stand-up, the rounds of a day in the order they began."""
    first = datetime.min.replace(tzinfo=UTC)
    return sorted(reports, key=lambda r: (r.day, r.name, r.kickoff_at or first))


def export_csv(reports: Sequence[ReportData], details: ReportDetails = PRIVATE) -> str:
    """One row per answered question (and per free text, missing/absent person, note).
    ``details`` are the stand-up's current report settings: they decide the columns and
    whether open answers are named, for every report in the file."""
    columns = csv_columns(details)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    rounds: Counter[tuple[date, str]] = Counter()
    for report in _in_order(reports):
        rounds[report.day, report.name] += 1
        rows = _rows(report, rounds[report.day, report.name], details)
        writer.writerows([_cell(c, row.get(c, "")) for c in columns] for row in rows)
    return buffer.getvalue()


def export_markdown(
    reports: Sequence[ReportData], tr: Translate, fmt: ReportFormat = ReportFormat.BY_PERSON
) -> str:
    """The reports one after the other, oldest first, as a Markdown file."""
    rendered = [
        render_report(report, tr, fmt, escape=escape_for_file) for report in _in_order(reports)
    ]
    return "\n---\n\n".join(rendered)
