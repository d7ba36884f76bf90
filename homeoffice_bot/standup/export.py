"""Exports of several reports (``!standup export <von> <bis>``): a CSV and a Markdown file."""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, date, datetime

from homeoffice_bot.kernel.csv_safety import guard_formula
from homeoffice_bot.standup.config import ReportFormat
from homeoffice_bot.standup.report import ReportData, render_report
from homeoffice_bot.standup.text import Translate, escape_for_file

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
"""``round`` numbers the rounds of one stand-up on one day (1, 2, … in the order they began,
e.g. a ``!standup jetzt`` after the scheduled one) and ``kickoff_utc`` says when each began;
``status`` is answered, missing, absent or note; ``question_number`` is 1-based and empty
for free text and notes. Times are ISO 8601 in UTC."""

_USER_ID_COLUMN = CSV_COLUMNS.index("user_id")


def _cell(column: int, value: str) -> str:
    """Keep spreadsheet programs from running typed text as a formula (prefix with ').
    Matrix user ids start with "@" but cannot hold a formula; they stay as they are."""
    return value if column == _USER_ID_COLUMN else guard_formula(value)


def _iso(instant: datetime) -> str:
    return instant.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _rows(report: ReportData, round_number: int) -> list[list[str]]:
    rows: list[list[str]] = []
    kickoff = _iso(report.kickoff_at) if report.kickoff_at is not None else ""
    base = [report.day.isoformat(), report.name, str(round_number), kickoff]
    for answer in report.ordered_answers():
        who = [answer.person.user_id, answer.person.display_name, "answered"]
        when = [_iso(answer.answered_at), "yes" if answer.late else "no"]
        for index, question in enumerate(report.questions):
            part = answer.answer.part(index)
            if part is None:
                continue
            blocker = index == report.blocker_index and report.is_blocker(answer)
            rows.append(
                [*base, *who, *when, str(index + 1), question, part, "yes" if blocker else "no"]
            )
        if answer.answer.free_text is not None:
            rows.append([*base, *who, *when, "", "", answer.answer.free_text, "no"])
    for person in report.missing():
        rows.append([*base, person.user_id, person.display_name, "missing", *[""] * 6])
    for person in report.absent_without_answer():
        rows.append([*base, person.user_id, person.display_name, "absent", *[""] * 6])
    for note in sorted(report.notes, key=lambda n: n.posted_at):
        rows.append(
            [
                *base,
                note.person.user_id,
                note.person.display_name,
                "note",
                _iso(note.posted_at),
                "",
                "",
                "",
                note.text,
                "",
            ]
        )
    return rows


def _in_order(reports: Sequence[ReportData]) -> list[ReportData]:
    """By day and stand-up, the rounds of a day in the order they began."""
    first = datetime.min.replace(tzinfo=UTC)
    return sorted(reports, key=lambda r: (r.day, r.name, r.kickoff_at or first))


def export_csv(reports: Sequence[ReportData]) -> str:
    """One row per answered question (and per free text, missing/absent person, note)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    rounds: Counter[tuple[date, str]] = Counter()
    for report in _in_order(reports):
        rounds[report.day, report.name] += 1
        rows = _rows(report, rounds[report.day, report.name])
        writer.writerows([_cell(i, value) for i, value in enumerate(row)] for row in rows)
    return buffer.getvalue()


def export_markdown(
    reports: Sequence[ReportData], tr: Translate, fmt: ReportFormat = ReportFormat.BY_PERSON
) -> str:
    """The reports one after the other, oldest first, as a Markdown file."""
    rendered = [
        render_report(report, tr, fmt, escape=escape_for_file) for report in _in_order(reports)
    ]
    return "\n---\n\n".join(rendered)
