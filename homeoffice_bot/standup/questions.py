"""The questions of a stand-up: the three defaults or a configured list.

Default questions are catalogue keys rendered with ``tr``; the first one names the
previous stand-up day when that was not yesterday ("seit Freitag" on a Monday).
A custom list replaces the defaults and is shown as typed.
"""

from __future__ import annotations

from datetime import date, timedelta

from homeoffice_bot.standup.text import Translate, format_short_date, weekday_name

DEFAULT_QUESTION_COUNT = 3
DEFAULT_BLOCKER_INDEX = 2

DEFAULT_SECTION_KEYWORDS: tuple[tuple[str, ...], ...] = (
    (
        "gestern",
        "seit gestern",
        "erledigt",
        "fertig",
        "geschafft",
        "zuletzt",
        "seit montag",
        "seit dienstag",
        "seit mittwoch",
        "seit donnerstag",
        "seit freitag",
        "seit samstag",
        "seit sonntag",
        "seit dem letzten mal",
        "yesterday",
        "since yesterday",
        "done",
        "finished",
        "since monday",
        "since tuesday",
        "since wednesday",
        "since thursday",
        "since friday",
        "since last time",
    ),
    (
        "heute",
        "als nächstes",
        "als naechstes",
        "geplant",
        "plan",
        "vorhaben",
        "today",
        "next",
        "planned",
    ),
    (
        "blocker",
        "blockers",
        "blockiert",
        "blockaden",
        "hindernis",
        "hindernisse",
        "probleme",
        "problem",
        "festhängen",
        "hänge fest",
        "hilfe",
        "blocked",
        "stuck",
        "impediments",
        "issues",
        "help",
    ),
)
"""Section headings people write for the default questions ("Gestern:", "Blocker:"),
in German and English, lower case. Accepted in every room whatever its language."""

_BLOCKER_WORDS = ("block", "hindernis", "hängst", "fest", "stuck", "problem", "impediment")


def questions_for(
    day: date, previous_day: date | None, custom: tuple[str, ...] | None, tr: Translate
) -> list[str]:
    """The questions to ask on ``day``.

    ``previous_day`` is the previous stand-up day (``calendar.previous_standup_day`` or the
    last recorded occurrence); it only changes the first default question: yesterday ->
    "seit gestern", within the last week -> "seit Freitag", longer ago -> "seit dem 23.11.",
    unknown -> "zuletzt". A non-empty ``custom`` list is returned as it is.
    """
    if custom:
        return list(custom)
    if previous_day is None:
        first = tr("standup.question.done_last")
    elif previous_day == day - timedelta(days=1):
        first = tr("standup.question.done_yesterday")
    elif day - timedelta(days=7) < previous_day < day:
        first = tr(
            "standup.question.done_since_weekday",
            weekday=weekday_name(previous_day.isoweekday(), tr),
        )
    else:
        first = tr("standup.question.done_since_date", date=format_short_date(previous_day, tr))
    return [first, tr("standup.question.next"), tr("standup.question.blockers")]


def section_keywords(custom: tuple[str, ...] | None) -> tuple[tuple[str, ...], ...]:
    """Section headings for ``answers.parse_answer``: the defaults' keywords, or none for a
    custom list (answers to custom questions map by numbered lines only)."""
    return () if custom else DEFAULT_SECTION_KEYWORDS


def blocker_question_index(custom: tuple[str, ...] | None) -> int | None:
    """Which question asks for blockers: the third default one, or the first custom question
    that mentions blocking ("Blocker?", "Wo hängst du fest?"), or None."""
    if not custom:
        return DEFAULT_BLOCKER_INDEX
    for index, question in enumerate(custom):
        folded = question.casefold()
        if any(word in folded for word in _BLOCKER_WORDS):
            return index
    return None
