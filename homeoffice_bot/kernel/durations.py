"""Lengths of time as people type them, in German and English: the one grammar.

Pure: ``duration_minutes`` says how many minutes a text names, or None. The command
argument type (``argtypes.Duration``, ``argtypes.parse_duration``) wraps it with its error
messages and maximum, and the workday's ``when.span_of`` calls that with its own;
``format_duration`` writes a length back the way the grammar reads it.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import timedelta
from fractions import Fraction

_HOUR_UNITS = frozenset({"h", "std", "std.", "stunde", "stunden", "hour", "hours", "hr", "hrs"})
_MINUTE_UNITS = frozenset({"m", "min", "min.", "mins", "minute", "minuten", "minutes", "mn"})
_CLOCK_DURATION_RE = re.compile(r"([0-9]{1,2}):([0-9]{2})\s*([^\W\d_]+\.?)?")
_DURATION_PART_RE = re.compile(r"\s*([0-9]{1,6}(?:\.[0-9]{1,4})?)\s*([^\W\d_]+\.?)?")
_CONJUNCTION_RE = re.compile(r"\b(?:und|and)\b")


def format_duration(value: timedelta) -> str:
    """ "8 h", "45 min", "1 h 30 min" (whole minutes; the same in German and English)."""
    minutes = int(value.total_seconds() // 60)
    hours, minutes = divmod(minutes, 60)
    if hours and minutes:
        return f"{hours} h {minutes} min"
    return f"{hours} h" if hours else f"{minutes} min"


def duration_minutes(text: str, *, bare_unit: timedelta | None = None) -> Fraction | None:
    """The length ``text`` names, in minutes (not rounded), or None when it names none.

    ``15m``, ``15 min``, ``15 Min.``, ``15 Minuten``, ``90 min``, ``1h``, ``1 Std``,
    ``2 hours``, ``1,5h``, ``0,25 Stunden``, ``1h30``, ``1h 30m``, ``1 h 30 min``,
    ``1 Stunde und 30 Minuten``, ``1:30``, ``1:30 h``. Hours then minutes (a bare number
    after hours counts as minutes, below 60); minutes never come first, no unit twice.
    A bare number ("15") counts in ``bare_unit``; without one it is refused. Zero and
    negative lengths are the caller's to refuse, with its own maximum."""
    folded = unicodedata.normalize("NFC", text).casefold().strip()
    text = _CONJUNCTION_RE.sub(" ", folded).replace(",", ".").strip()
    clock = _CLOCK_DURATION_RE.fullmatch(text)
    if clock is not None:
        unit = clock[3]
        if (unit is not None and unit not in _HOUR_UNITS) or int(clock[2]) > 59:
            return None
        return Fraction(int(clock[1]) * 60 + int(clock[2]))
    parts: list[tuple[Fraction, str | None]] = []
    pos = 0
    while pos < len(text):
        match = _DURATION_PART_RE.match(text, pos)
        if match is None or len(parts) == 2:
            return None
        unit = match[2]
        if unit is not None and unit not in _HOUR_UNITS | _MINUTE_UNITS:
            return None
        kind = None if unit is None else ("h" if unit in _HOUR_UNITS else "m")
        parts.append((Fraction(match[1]), kind))
        pos = match.end()
        while pos < len(text) and text[pos].isspace():
            pos += 1
    if len(parts) == 2:
        (hours, first), (minutes, second) = parts
        if first != "h" or second == "h" or hours.denominator != 1 or minutes >= 60:
            return None
        return hours * 60 + minutes
    if len(parts) != 1:
        return None
    number, kind = parts[0]
    if kind == "h":
        return number * 60
    if kind == "m":
        return number
    if bare_unit is None:
        return None
    return number * Fraction(int(bare_unit.total_seconds()), 60)
