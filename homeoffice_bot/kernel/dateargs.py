"""Dates and date ranges as people type them: the one grammar for every feature.

Single dates: "24.12.2026", "24. 12. 2026", "24.12.26", "24.12.", "24.12", "2026-12-24",
"24. Dezember 2026", "24 dec", "December 24th", "14th of December",
"heute"/"today", "morgen"/"tomorrow", "übermorgen", "gestern"/"yesterday".

Ranges: a single date (a one-day range); two dates joined by "bis", "-", "–", "—",
"to", "until", "till" ("bis zum", "bis einschließlich"), optionally led by "vom", "von",
"from", "ab", "am", "on", "für", "for" ("vom 12.08. bis 23.08.", "from 12 to 18 December");
the first date may be a bare day that borrows the month of the second ("vom 14. bis
18.12.", "14.-18.12."), or the second a bare day that borrows the month of the first
("14.12. bis 18."); "bis 23.08." / "until 23.08." alone runs from today to 23.08.; and the
weeks "diese Woche" / "this week", "nächste Woche" / "kommende Woche" / "next week",
"übernächste Woche" / "the week after next" (Monday to Friday; this week from today).

Dates are returned unresolved, because "24.12." has no year and "morgen" needs to know
today: ``parse_date`` gives a ``DateSpec`` and ``parse_date_range`` a ``DateRangeSpec``.
The caller calls ``.resolve(today, future=...)`` with the date of the event in the
person's or room's time zone (interpret commands by the event's own timestamp).

The year rule for a date typed without a year, one rule for every command, looking the
way the command looks: ``future=True`` for what is planned (leave, absences, skipped days,
closures, a tandem's end), ``future=False`` for what is looked back at (a report, an
export).

- A single date is the nearest such date on that side of today, today included:
  planned, the next one not before today (on 2.1., "5.1." is in three days); looked
  back at, the latest one not after today (on 2.1., "30.12." was three days ago).
- In a range, a date without a year is placed from the other end: the end is the first
  such date not before the start ("morgen bis 3.1.", "28.12.2026 bis 3.1."), the start
  the latest such date not after the end ("20.12. bis 3.1.2027").
- When neither end has a year, a planned range is the nearest one that has not ended
  yet (its end is the next such date not before today, so on 30.12. "vom 28.12. bis
  3.1." is the leave that is running now, not the one a year later); a range looked back
  at is the latest one that has begun (its start is the latest such date not after today).
- A range crosses New Year only when the start's month comes after the end's month
  ("28.12. bis 3.1."). An end that lies before its start ("23.08. bis 12.08.",
  "18. bis 14.12.", "morgen bis heute", on 30.08. "bis 23.08.") is an error
  (``parse.daterange_order``), never turned round and never moved a year on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import ClassVar

from homeoffice_bot.kernel.argtypes import MAX_INPUT, fail, fold, placeholder
from homeoffice_bot.kernel.errors import ParseError


@dataclass(frozen=True)
class CalendarDate:
    """A calendar date as typed; ``year`` is None for "24.12."."""

    day: int
    month: int
    year: int | None = None

    def in_year(self, year: int) -> date:
        try:
            return date(year, self.month, self.day)
        except ValueError:
            value = f"{self.day:02}.{self.month:02}.{year}"
            raise ParseError("parse.date", value=value) from None

    def not_before(self, anchor: date) -> date:
        """The first such date on or after ``anchor`` (its own year if it has one)."""
        if self.year is not None:
            return self.in_year(self.year)
        later = (self.month, self.day) < (anchor.month, anchor.day)
        return self.in_year(anchor.year + 1 if later else anchor.year)

    def not_after(self, anchor: date) -> date:
        """The latest such date on or before ``anchor`` (its own year if it has one)."""
        if self.year is not None:
            return self.in_year(self.year)
        earlier = (self.month, self.day) > (anchor.month, anchor.day)
        return self.in_year(anchor.year - 1 if earlier else anchor.year)

    def resolve(self, today: date, *, future: bool = False) -> date:
        """Planned (``future``): the next such date not before today; looked back at: the
        latest not after today. Raises ParseError for 29.02. in a year without it."""
        return self.not_before(today) if future else self.not_after(today)


@dataclass(frozen=True)
class RelativeDate:
    """ "heute" (0), "morgen" (1), "übermorgen" (2), "gestern" (-1): days from today."""

    days: int

    def resolve(self, today: date, *, future: bool = False) -> date:
        return today + timedelta(days=self.days)


@dataclass(frozen=True)
class WeekDate:
    """A weekday (0 = Monday) of the week ``weeks`` after this one: "nächste Woche" is
    Monday to Friday of week 1. With ``from_today`` a planned day that has passed is
    today ("diese Woche" said on Wednesday starts on Wednesday)."""

    weeks: int
    weekday: int
    from_today: bool = False

    def resolve(self, today: date, *, future: bool = False) -> date:
        day = today + timedelta(days=self.weekday - today.weekday(), weeks=self.weeks)
        return max(day, today) if future and self.from_today else day


DateSpec = CalendarDate | RelativeDate | WeekDate

_MONTH_NAMES: tuple[tuple[str, ...], ...] = (
    ("januar", "jänner", "jan", "january"),
    ("februar", "feb", "february"),
    ("märz", "maerz", "mär", "mrz", "mar", "march"),
    ("april", "apr"),
    ("mai", "may"),
    ("juni", "jun", "june"),
    ("juli", "jul", "july"),
    ("august", "aug"),
    ("september", "sep", "sept"),
    ("oktober", "okt", "october", "oct"),
    ("november", "nov"),
    ("dezember", "dez", "december", "dec"),
)
_MONTHS = {name: month for month, names in enumerate(_MONTH_NAMES, 1) for name in names}
_RELATIVE_DAYS = {"heute": 0, "today": 0, "morgen": 1, "tomorrow": 1, "übermorgen": 2}
_RELATIVE_DAYS |= {"gestern": -1, "yesterday": -1}
_DAY = r"([0-9]{1,2})(?:\.|st|nd|rd|th)?"
_YEAR = r"(?:\s*,?\s*([0-9]{4}))?"
_NUMERIC_DATE_RE = re.compile(r"([0-9]{1,2})\.\s?([0-9]{1,2})(?:\.(?:\s?([0-9]{4}|[0-9]{2}))?)?")
_ISO_DATE_RE = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")
_DAY_MONTH_RE = re.compile(rf"{_DAY}\s*(?:of\s+)?([^\W\d_]+)\.?{_YEAR}")
_MONTH_DAY_RE = re.compile(rf"([^\W\d_]+)\.?\s*{_DAY}{_YEAR}")
_DAY_ONLY_RE = re.compile(_DAY)
_ARTICLE_RE = re.compile(r"(?:the|dem|den)\s+")


def _calendar(text: str) -> CalendarDate | None:
    """A calendar date in one of the typed forms, unchecked; None if it is none."""
    if match := _ISO_DATE_RE.fullmatch(text):
        return CalendarDate(int(match[3]), int(match[2]), int(match[1]))
    if match := _NUMERIC_DATE_RE.fullmatch(text):
        year = None if match[3] is None else int(match[3]) + (2000 if len(match[3]) == 2 else 0)
        return CalendarDate(int(match[1]), int(match[2]), year)
    for pattern, day_at, month_at in ((_DAY_MONTH_RE, 1, 2), (_MONTH_DAY_RE, 2, 1)):
        if (match := pattern.fullmatch(text)) and match[month_at] in _MONTHS:
            year = None if match[3] is None else int(match[3])
            return CalendarDate(int(match[day_at]), _MONTHS[match[month_at]], year)
    return None


def _checked(spec: CalendarDate) -> CalendarDate | None:
    try:
        date(2000 if spec.year is None else spec.year, spec.month, spec.day)  # 2000: 29.02.
    except ValueError:
        return None
    return spec


def _date_or_none(text: str) -> DateSpec | None:
    text = _ARTICLE_RE.sub("", text.strip(), count=1)
    if text in _RELATIVE_DAYS:
        return RelativeDate(_RELATIVE_DAYS[text])
    spec = _calendar(text)
    return None if spec is None else _checked(spec)


def _folded(text: str) -> str:
    return " ".join(fold(text).split()).strip(" ,;")


def parse_date(text: str) -> DateSpec:
    """One date in any of the forms above; raises ``parse.date`` otherwise."""
    folded = _folded(text)
    spec = _date_or_none(folded) if len(folded) <= MAX_INPUT else None
    if spec is None:
        raise fail("parse.date", text)
    return spec


@dataclass(frozen=True)
class DateRangeSpec:
    """First and last day (inclusive) as typed; a single date is a one-day range."""

    start: DateSpec
    end: DateSpec

    def resolve(self, today: date, *, future: bool = False) -> tuple[date, date]:
        """The first and last day by the year rule of the module docstring. Raises
        ParseError (``parse.daterange_order``) when the end lies before the start."""
        start_spec, end_spec = self.start, self.end
        if start_spec == end_spec:
            day = start_spec.resolve(today, future=future)
            return day, day
        open_start, open_end = _yearless(start_spec), _yearless(end_spec)
        if open_start is not None and open_end is not None and future:
            end = open_end.not_before(today)
            start = _start_before(open_start, end)
        elif open_start is not None and open_end is not None:
            start = open_start.not_after(today)
            end = _end_after(open_end, start)
        elif open_start is not None:
            end = end_spec.resolve(today, future=future)
            start = _start_before(open_start, end)
        elif open_end is not None:
            start = start_spec.resolve(today, future=future)
            end = _end_after(open_end, start)
        else:
            start = start_spec.resolve(today, future=future)
            end = end_spec.resolve(today, future=future)
            if end < start:
                raise _order(start, end)
        return start, end


def _order(start: date, end: date) -> ParseError:
    return ParseError("parse.daterange_order", value=f"{start:%d.%m.%Y}–{end:%d.%m.%Y}")


def _yearless(spec: DateSpec) -> CalendarDate | None:
    return spec if isinstance(spec, CalendarDate) and spec.year is None else None


def _end_after(spec: CalendarDate, start: date) -> date:
    """A year-less end after ``start``: the next year only across New Year."""
    end = spec.in_year(start.year) if (spec.month, spec.day) >= (start.month, start.day) else None
    if end is None and spec.month < start.month:
        end = spec.in_year(start.year + 1)
    if end is None:
        raise _order(start, spec.in_year(start.year))
    return end


def _start_before(spec: CalendarDate, end: date) -> date:
    """A year-less start before ``end``: the year before only across New Year."""
    start = spec.in_year(end.year) if (spec.month, spec.day) <= (end.month, end.day) else None
    if start is None and spec.month > end.month:
        start = spec.in_year(end.year - 1)
    if start is None:
        raise _order(spec.in_year(end.year), end)
    return start


_WEEKS: tuple[tuple[re.Pattern[str], int], ...] = (
    (re.compile(r"(?:übernächste[nr]?\s+woche|the\s+week\s+after\s+next)"), 2),
    (re.compile(r"(?:nächste[nr]?|kommende[nr]?)\s+woche|next\s+week"), 1),
    (re.compile(r"diese[nr]?\s+woche|this\s+week"), 0),
)
_LEAD_RE = re.compile(r"(?:vom|von|from|ab|am|on|für|for)\s+")
_UNTIL_RE = re.compile(r"(?:bis|until|till|to)(?:\s+(?:zum|zur|einschliesslich))?\s+")
_RANGE_SEP_RE = re.compile(
    r"\s*(?:[-\u2010-\u2015\u2212]|\b(?:bis|to|until|till)\b"
    r"(?:\s+(?:zum|zur|einschliesslich)\b)?)\s*"
)


def _two_dates(left: str, right: str) -> DateRangeSpec | None:
    """ "12.08." + "23.08.", or a bare day borrowing the other end's month: "14." +
    "18.12." ("vom 14. bis 18.12."), "14.12." + "18."."""
    start, end = _date_or_none(left), _date_or_none(right)
    if start is None and isinstance(end, CalendarDate):
        day = _DAY_ONLY_RE.fullmatch(_ARTICLE_RE.sub("", left.strip(), count=1))
        if day is not None:
            start = _checked(CalendarDate(int(day[1]), end.month, end.year))
    elif isinstance(start, CalendarDate) and end is None:
        day = _DAY_ONLY_RE.fullmatch(_ARTICLE_RE.sub("", right.strip(), count=1))
        if day is not None:
            end = _checked(CalendarDate(int(day[1]), start.month))
    if start is None or end is None:
        return None
    return DateRangeSpec(start, end)


def _in_order(spec: DateRangeSpec) -> bool:
    """False when the end lies before the start whatever today is."""
    start, end = spec.start, spec.end
    if isinstance(start, RelativeDate) and isinstance(end, RelativeDate):
        return start.days <= end.days
    if isinstance(start, CalendarDate) and isinstance(end, CalendarDate):
        if start.year is not None and end.year is not None:
            return (start.year, start.month, start.day) <= (end.year, end.month, end.day)
        if start.month == end.month and None in (start.year, end.year):
            return start.day <= end.day  # the same month never wraps round a year
    return True  # depends on today: checked by resolve()


def _range_or_none(body: str) -> DateRangeSpec | None:
    if until := _UNTIL_RE.match(body):
        end = _date_or_none(body[until.end() :])
        return None if end is None else DateRangeSpec(RelativeDate(0), end)
    if lead := _LEAD_RE.match(body):
        body = body[lead.end() :]
    for pattern, weeks in _WEEKS:
        if pattern.fullmatch(body):
            return DateRangeSpec(WeekDate(weeks, 0, from_today=True), WeekDate(weeks, 4))
    single = _date_or_none(body)
    if single is not None:
        return DateRangeSpec(single, single)
    for separator in _RANGE_SEP_RE.finditer(body):
        if separator.start() == 0:
            continue
        spec = _two_dates(body[: separator.start()], body[separator.end() :])
        if spec is not None:
            return spec
    return None


def parse_date_range(text: str) -> DateRangeSpec:
    """A period in any of the forms above; raises ``parse.daterange`` when it is none and
    ``parse.daterange_order`` when its end lies before its start whatever today is."""
    folded = _folded(text)
    spec = _range_or_none(folded) if len(folded) <= MAX_INPUT else None
    if spec is None:
        raise fail("parse.daterange", text)
    if not _in_order(spec):
        raise fail("parse.daterange_order", text)
    return spec


@dataclass(frozen=True)
class Date:
    """A single date; returns a ``DateSpec`` to ``.resolve(today)``."""

    greedy: ClassVar[bool] = False
    max_tokens: ClassVar[int] = 3

    def parse(self, token: str) -> DateSpec:
        return parse_date(token)

    def usage(self, lang: str) -> str:
        return placeholder(lang, "Datum", "date")


@dataclass(frozen=True)
class DateRange:
    """A period of days; returns a ``DateRangeSpec`` to ``.resolve(today)``."""

    greedy: ClassVar[bool] = False
    max_tokens: ClassVar[int] = 9

    def parse(self, token: str) -> DateRangeSpec:
        return parse_date_range(token)

    def usage(self, lang: str) -> str:
        return placeholder(lang, "Zeitraum", "period")
