"""Date arguments: "24.12.", "2026-12-24", "morgen", "12.08. bis 23.08.".

Dates are returned unresolved, because "24.12." has no year and "morgen" needs to know
today: ``Date`` gives a ``DateSpec`` (``CalendarDate`` or ``RelativeDate``) and
``DateRange`` a ``DateRangeSpec``. The handler calls ``.resolve(today)`` with the date of
the event in the room's time zone (interpret commands by the event's own timestamp).
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

    def resolve(self, today: date, *, future: bool = False) -> date:
        """The date in its own year, else in today's year; with ``future`` a year-less date
        that already passed this year means next year. Raises ParseError for 29.02. in a
        year without it."""
        if self.year is not None:
            return self.in_year(self.year)
        passed = (self.month, self.day) < (today.month, today.day)
        return self.in_year(today.year + 1 if future and passed else today.year)


@dataclass(frozen=True)
class RelativeDate:
    """ "heute" (0), "morgen" (1), "übermorgen" (2), "gestern" (-1): days from today."""

    days: int

    def resolve(self, today: date, *, future: bool = False) -> date:
        return today + timedelta(days=self.days)


DateSpec = CalendarDate | RelativeDate

_MONTH_NAMES: tuple[tuple[str, ...], ...] = (
    ("januar", "jänner", "jan", "january"),
    ("februar", "feb", "february"),
    ("märz", "maerz", "mrz", "mar", "march"),
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
_NUMERIC_DATE_RE = re.compile(r"([0-9]{1,2})\.([0-9]{1,2})(?:\.([0-9]{4}|[0-9]{2})?)?")
_ISO_DATE_RE = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")
_NAMED_DATE_RE = re.compile(r"([0-9]{1,2})\.?\s*([^\W\d_]+)\.?(?:\s*([0-9]{4}))?")


def parse_date(text: str) -> DateSpec:
    """ "24.12.2026", "24.12.26", "24.12.", "2026-12-24", "24. Dezember 2026", "24 dec",
    "heute"/"today", "morgen"/"tomorrow", "übermorgen", "gestern"/"yesterday"."""
    folded = fold(text)
    if folded in _RELATIVE_DAYS:
        return RelativeDate(_RELATIVE_DAYS[folded])
    year: int | None = None
    if len(folded) > MAX_INPUT:
        raise fail("parse.date", text)
    if match := _ISO_DATE_RE.fullmatch(folded):
        year, month, day = int(match[1]), int(match[2]), int(match[3])
    elif match := _NUMERIC_DATE_RE.fullmatch(folded):
        day, month = int(match[1]), int(match[2])
        if match[3] is not None:
            year = int(match[3]) + (2000 if len(match[3]) == 2 else 0)
    elif (match := _NAMED_DATE_RE.fullmatch(folded)) and match[2] in _MONTHS:
        day, month = int(match[1]), _MONTHS[match[2]]
        year = None if match[3] is None else int(match[3])
    else:
        raise fail("parse.date", text)
    try:
        date(2000 if year is None else year, month, day)  # 2000 is a leap year: 29.02. is fine
    except ValueError:
        raise fail("parse.date", text) from None
    return CalendarDate(day, month, year)


@dataclass(frozen=True)
class DateRangeSpec:
    """First and last day (inclusive) as typed; a single date is a one-day range."""

    start: DateSpec
    end: DateSpec

    def resolve(self, today: date, *, future: bool = False) -> tuple[date, date]:
        """Year-less ends take the year of the other end and roll over New Year
        (28.12.–03.01. ends in the next year). Raises ParseError if the end is earlier."""
        start_spec, end_spec = self.start, self.end
        if (
            isinstance(start_spec, CalendarDate)
            and start_spec.year is None
            and isinstance(end_spec, CalendarDate)
            and end_spec.year is not None
        ):
            end = end_spec.resolve(today)
            start = start_spec.in_year(end.year)
            if start > end:
                start = start_spec.in_year(end.year - 1)
        else:
            start = start_spec.resolve(today, future=future)
            if isinstance(end_spec, CalendarDate) and end_spec.year is None:
                end = end_spec.in_year(start.year)
                if end < start:
                    end = end_spec.in_year(start.year + 1)
            else:
                end = end_spec.resolve(today)
        if end < start:
            raise ParseError("parse.daterange_order", value=f"{start:%d.%m.%Y}–{end:%d.%m.%Y}")
        return start, end


_RANGE_LEAD_RE = re.compile(r"(?:vom|von|from)\s+")
_RANGE_SEP_RE = re.compile(
    r"\s*(?:[-–—]|\b(?:bis|to|until|till)\b(?:\s+(?:zum|einschließlich)\b)?)\s*"
)


def parse_date_range(text: str) -> DateRangeSpec:
    """ "12.08.–23.08.", "12.08.2026-23.08.2026", "vom 12.08. bis 23.08.",
    "2026-08-12 - 2026-08-23", "morgen bis 23.08.", or a single date."""
    folded = fold(text)
    if len(folded) > MAX_INPUT:
        raise fail("parse.daterange", text)
    body = _RANGE_LEAD_RE.sub("", folded, count=1) if _RANGE_LEAD_RE.match(folded) else folded
    try:
        single = parse_date(body)
    except ParseError:
        pass
    else:
        return DateRangeSpec(single, single)
    for separator in _RANGE_SEP_RE.finditer(body):
        try:
            spec = DateRangeSpec(
                parse_date(body[: separator.start()]), parse_date(body[separator.end() :])
            )
        except ParseError:
            continue
        start, end = spec.start, spec.end
        if isinstance(start, RelativeDate) and isinstance(end, RelativeDate):
            in_order = start.days <= end.days
        elif (
            isinstance(start, CalendarDate)
            and isinstance(end, CalendarDate)
            and None not in (start.year, end.year)
        ):
            in_order = (start.year, start.month, start.day) <= (end.year, end.month, end.day)
        else:
            in_order = True  # depends on today: checked by resolve()
        if not in_order:
            raise fail("parse.daterange_order", text)
        return spec
    raise fail("parse.daterange", text)


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
