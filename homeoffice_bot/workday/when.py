"""Reading times and dates out of commands: ``15m``, ``bis 12:30``, ``12.08.–23.08.``.

All functions are pure: they take the event's instant (``now``) and the person's time
zone and raise ``ParseError`` with a ``workday.error.*`` key when the text does not fit.
Dates are read by the kernel's one date grammar (``kernel.dateargs``); nothing here
reads a date on its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from homeoffice_bot.kernel.argtypes import parse_duration
from homeoffice_bot.kernel.dateargs import parse_date_range
from homeoffice_bot.kernel.errors import ParseError
from homeoffice_bot.kernel.localtime import as_utc, local_date
from homeoffice_bot.kernel.schedule_rules import local_instant
from homeoffice_bot.workday.dayspec import parse_time

MAX_SPAN = timedelta(hours=16)
MAX_LEAVE_DAYS = 366

_UNTIL_WORDS = re.compile(r"^(?:bis|until|till|to|um|at)\s+", re.IGNORECASE)
_CLOCK = re.compile(r"^(?P<t>\d{1,2}(?:[:.]\d{2})?)\s*(?P<uhr>uhr)?$", re.IGNORECASE)
_STAND_IN = re.compile(
    r"\b(?:vertretung|vertreten\s+durch|stand-?in|covered\s+by|cover)\b\s*:?",
    re.IGNORECASE,
)
_DATE_WORDS = frozenset({"ab", "vom", "von", "from", "bis", "to", "until", "till"})
_BARE = re.compile(r"^\d{1,3}$")


def _fail(key: str, text: str, **params: object) -> ParseError:
    return ParseError(f"workday.error.{key}", text=text, **params)


def span_of(text: str) -> timedelta:
    """``15m``, ``15 min``, ``1h``, ``1h30``, ``1,5 Std``, ``90`` (minutes): the kernel's
    duration argument with a bare number in minutes, at most ``MAX_SPAN``; its errors in
    the workday's words (``workday.error.duration``)."""
    try:
        return parse_duration(text, maximum=MAX_SPAN, bare_unit=timedelta(minutes=1))
    except ParseError:
        raise _fail("duration", text) from None


class TwoReadings(ParseError):
    """A bare number that can be minutes or a clock hour (``13``): the caller asks which
    is meant (``readings``: minutes first); one that cannot ask shows the message, which
    asks too (``plain.until_ambiguous``)."""

    def __init__(self, text: str, readings: tuple[datetime, datetime]) -> None:
        super().__init__("plain.until_ambiguous", text=text, n=text)
        self.readings = readings


def bare_number_readings(n: int, now: datetime, tz: str) -> tuple[datetime, ...]:
    """What a bare number (``Pause 13``, ``!pause 13``) can mean at ``now``: ``n`` minutes
    from now, and until ``n`` o'clock today when that lies ahead within 16 hours. One rule
    for commands and plain words; raises ``workday.error.duration`` when neither fits."""
    now = as_utc(now)
    readings: list[datetime] = []
    if 0 < n <= MAX_SPAN.total_seconds() // 60:
        readings.append(now + timedelta(minutes=n))
    if n <= 23:
        at = local_instant(local_date(now, tz), time(n, 0), tz)
        if now < at <= now + MAX_SPAN:
            readings.append(at)
    if not readings:
        raise _fail("duration", str(n))
    return tuple(readings)


def parse_until(text: str, now: datetime, tz: str) -> datetime:
    """An end instant (UTC) from ``15m`` / ``1h30`` or ``bis 12:30`` / ``12:30`` / ``14 Uhr``.

    A wall-clock time means today in ``tz``; one that has already passed is an error
    (``workday.error.until_past``). The span must be positive and at most 16 hours. A
    bare number (``13``) that can be minutes or a clock hour raises ``TwoReadings``.
    """
    now = as_utc(now)
    stripped = text.strip()
    if _BARE.match(stripped):
        readings = bare_number_readings(int(stripped), now, tz)
        if len(readings) == 2:
            raise TwoReadings(stripped, (readings[0], readings[1]))
        return readings[0]
    without_word = _UNTIL_WORDS.sub("", stripped)
    clock = _CLOCK.match(without_word)
    if clock and (without_word != stripped or clock["uhr"] or not clock["t"].isdigit()):
        at = parse_time(clock["t"])
        until = local_instant(local_date(now, tz), at, tz)
        if until <= now:
            raise _fail("until_past", text, time=f"{at:%H:%M}")
        return until
    if without_word != stripped:
        raise _fail("until", text)
    return now + span_of(stripped)


_SHARE_WORDS = re.compile(r"^(?:öffentlich|sichtbar|teilen|public|visible|share)\s*:?\s*", re.I)


@dataclass(frozen=True)
class AwayRequest:
    until: datetime | None
    note: str | None
    note_shared: bool


def parse_away(text: str, now: datetime, tz: str) -> AwayRequest:
    """``bis 14:00 Arzttermin``, ``1h Kita``, ``Termin``, ``bis 14:00 sichtbar: Kita``.

    An optional end (``bis``/``until`` + time, which must then be valid, or a leading
    duration with a unit such as ``1h``), then an optional note. The note is private
    unless it starts with ``sichtbar:``/``öffentlich:``/``teilen:``
    (``visible:``/``public:``/``share:``).
    """
    words = text.split()
    until: datetime | None = None
    used = 0
    if words and words[0].casefold() in ("bis", "until", "till"):
        for count in (3, 2):
            try:
                until = parse_until(" ".join(words[:count]), now, tz)
            except ParseError:
                if count == 2:
                    raise
                continue
            used = count
            break
    elif len(words) == 1 and _BARE.match(words[0]):
        until = parse_until(words[0], now, tz)  # minutes or a clock hour: may ask
        used = 1
    else:
        for count in (2, 1):
            candidate = " ".join(words[:count])
            if len(words) >= count and not candidate.isdigit():
                try:
                    until = now + span_of(candidate)
                except ParseError:
                    continue
                used = count
                break
    note = " ".join(words[used:]).strip()
    shared = bool(_SHARE_WORDS.match(note))
    note = _SHARE_WORDS.sub("", note, count=1).strip() if shared else note
    return AwayRequest(as_utc(until) if until else None, note or None, shared and bool(note))


@dataclass(frozen=True)
class LeaveRequest:
    first_day: date
    last_day: date
    stand_in: str | None
    """The stand-in as typed (``@x:example.org``, ``@x``, ``Ben Müller``), or ``None``; who
    that is decides ``standin.resolve_stand_in``."""


def leave_period(text: str, today: date) -> tuple[date, date]:
    """The first and last day of leave in ``text``: the kernel's one date-range grammar
    (``kernel.dateargs``: "12.08.–23.08.", "bis 23.08.", "vom 14. bis 18.12.", "nächste
    Woche", ...) with its year rule for what is planned, at most ``MAX_LEAVE_DAYS``.
    Raises ``workday.error.dates`` or ``workday.error.date_order``."""
    try:
        first, last = parse_date_range(text).resolve(today, future=True)
    except ParseError as exc:
        order = exc.key == "parse.daterange_order"
        raise _fail("date_order" if order else "dates", text) from None
    if (last - first).days >= MAX_LEAVE_DAYS:
        raise _fail("date_order", text)
    return first, last


def _is_date(word: str) -> bool:
    """A word that is a date or a period by the kernel's grammar ("23.08.,", "morgen",
    "12.08.–23.08.")."""
    try:
        parse_date_range(word.rstrip(",;"))
    except ParseError as exc:
        return exc.key == "parse.daterange_order"  # a period, though the wrong way round
    return True


_DATE_START = re.compile(
    r"^(?:\d{1,2}(?:\.|st|nd|rd|th)?|nächste[nr]?|übernächste[nr]?|kommende[nr]?|diese[nr]?"
    r"|next|this)$",
    re.IGNORECASE,
)


def split_stand_in(after: str) -> tuple[str, str]:
    """What follows the stand-in keyword: the stand-in's name (it may have several words,
    "Anna von Berg"), up to the dates if they come after it ("Ben bis 23.08.", "Ben Müller
    vom 14. bis 18.12.", "Ben, nächste Woche"), and the rest. One rule for ``!urlaub``
    and plain words."""
    words = after.split()
    end = len(words)
    for i, word in enumerate(words):
        if _is_date(word) or _DATE_START.match(word.rstrip(",")):
            end = i
            break
        if word.endswith((",", ";")):
            end = i + 1
            break
    while 0 < end < len(words) and words[end - 1].casefold() in _DATE_WORDS:
        end -= 1
    name = " ".join(words[:end]).strip(" ,;.!?")
    return name, " ".join(words[end:])


def find_stand_in(text: str) -> tuple[str | None, str]:
    """The stand-in named after its keyword (``vertretung Ben Müller``), and the text
    without it; raises ``workday.error.stand_in_missing`` for a keyword without a name."""
    match = _STAND_IN.search(text)
    if match is None:
        return None, text
    stand_in, rest = split_stand_in(text[match.end() :])
    if not stand_in:
        raise _fail("stand_in_missing", text)
    return stand_in, text[: match.start()] + " " + rest


def parse_leave(text: str, today: date) -> LeaveRequest:
    """``12.08.–23.08. vertretung @x`` (also ``stand-in Ben Müller``, ``vertretung @x
    12.08.–23.08.``) → dates and stand-in. Dates in words ("vom 14. bis 18.12.",
    "nächste Woche") are read by ``plain_leave.parse_leave_words``, which uses this."""
    stand_in, dates_text = find_stand_in(text)
    first, last = leave_period(dates_text, today)
    return LeaveRequest(first, last, stand_in)
