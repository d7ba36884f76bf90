"""Plain words in the direct chat: "moin", "Mittagspause bis 13 Uhr", "bin kurz weg bis
14 Uhr (Arzt)", "bin zurück", "Feierabend", "Urlaub vom 14. bis 18.12., Vertretung Ben".

``understand(text, now, tz)`` is pure. It returns what it understood (one of the states a
clerk sets in a day), a question when the words have two readings (``Pause 13``: 13 minutes,
or until 13 o'clock?), a problem it can name (a time that has passed), or the kinds of
phrases that come closest, so that the bot can show examples. It never guesses: words of two
different states, or words it does not know, are not understood.

Dates and durations are read by the workday's one parser (``when``); this module only turns
everyday phrasings into the forms it reads.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Literal

from homeoffice_bot.kernel.errors import ParseError
from homeoffice_bot.kernel.localtime import as_utc, local_date
from homeoffice_bot.kernel.schedule_rules import local_instant
from homeoffice_bot.workday.plain_leave import leave_dates, split_stand_in
from homeoffice_bot.workday.when import MAX_SPAN, bare_number_readings, span_of

Kind = Literal["start", "break", "away", "back", "off", "leave"]
KINDS: tuple[Kind, ...] = ("start", "break", "away", "back", "off", "leave")
MAX_LENGTH = 200
"""Longer texts are conversation, not a state: they are not read."""


@dataclass(frozen=True)
class Start:
    kind: Literal["start"] = "start"


@dataclass(frozen=True)
class Break:
    until: datetime | None
    """UTC end, or ``None`` when no end was said (the bot asks "bis wann?")."""
    kind: Literal["break"] = "break"


@dataclass(frozen=True)
class Away:
    until: datetime | None
    reason: str | None
    kind: Literal["away"] = "away"


@dataclass(frozen=True)
class Back:
    kind: Literal["back"] = "back"


@dataclass(frozen=True)
class Off:
    kind: Literal["off"] = "off"


@dataclass(frozen=True)
class Leave:
    first_day: date
    last_day: date
    stand_in: str | None
    """As typed ("Ben", "@ben:example.org"); ``standin.resolve_stand_in`` finds the person."""
    kind: Literal["leave"] = "leave"


Intent = Start | Break | Away | Back | Off | Leave


@dataclass(frozen=True)
class Understood:
    intent: Intent


@dataclass(frozen=True)
class Ambiguous:
    """Two readings of the same words; the bot asks which one is meant."""

    readings: tuple[Intent, ...]


@dataclass(frozen=True)
class Problem:
    """Understood what is meant, but it cannot be done as said: ``key`` names the catalogue
    text (``workday.error.until_past`` ...) with ``params``."""

    kind: Kind
    key: str
    params: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class NotUnderstood:
    closest: tuple[Kind, ...]
    """The two or three kinds of phrase that come closest, best first."""


Reading = Understood | Ambiguous | Problem | NotUnderstood


# --- words ----------------------------------------------------------------------------------

_WORDS: dict[Kind, tuple[str, ...]] = {
    "leave": (
        r"urlaub\w*", r"urlaubstag\w*", r"frei(?:er tag|e tage)?", r"freinehmen", r"gleitzeit",
        r"vacation", r"holidays?", r"on leave", r"leave", r"days? off", r"time off", r"pto",
    ),
    "off": (
        r"feierabend", r"(?:mach(?:e)?|ich mach(?:e)?) schluss", r"schluss(?: für heute)?",
        r"tschüs+", r"ciao", r"bis morgen", r"schönen abend", r"gute nacht", r"ende für heute",
        r"bin raus", r"done for (?:the day|today)", r"signing off", r"logging off",
        r"log(?:ging)? off", r"end of (?:the )?day", r"bye", r"see you tomorrow", r"good night",
        r"calling it a day", r"off for (?:the day|today)", r"clocking out",
    ),
    "back": (
        r"zurück", r"wieder da", r"wieder am platz", r"wieder erreichbar", r"back",
        r"i'?m back", r"am back",
    ),
    "break": (
        r"\w*pause", r"mittag(?:essen)?", r"essen(?:spause)?", r"kaffee", r"break", r"lunch",
        r"coffee",
    ),
    "away": (
        r"(?:kurz )?weg", r"nicht erreichbar", r"unterwegs", r"beim arzt", r"arzt\w*",
        r"termin", r"away", r"afk", r"brb", r"out", r"unavailable", r"stepping out",
    ),
    "start": (
        r"moin(?: moin)?", r"guten morgen", r"morgen", r"hallo", r"hi", r"hey", r"servus",
        r"(?:ich )?bin da", r"bin online", r"(?:ich )?fang(?:e)? an", r"starte", r"dienstbeginn",
        r"los geht'?s", r"good morning", r"morning", r"hello", r"i'?m in", r"starting",
        r"start", r"on duty", r"here",
    ),
}  # fmt: skip
_PATTERNS: dict[Kind, re.Pattern[str]] = {
    kind: re.compile(r"(?<![\w@])(?:" + "|".join(words) + r")(?![\w'])")
    for kind, words in _WORDS.items()
}
_FILLER = re.compile(
    r"(?<![\w@])(?:ich|bin|mach(?:e)?|habe|hab|jetzt|mal|kurz|gleich|dann|erst|noch|eine?n?|"
    r"die|der|das|im|in|am|um|für|ab|vom|von|bis|zum|zur|und|so|ca|etwa|also|"
    r"i'?m|i|am|going|to|on|for|a|an|the|now|until|till|from|at|be|will|off|taking|take|"
    r"have|just|quick|quickly|back|bitte|please|ok|okay|danke|thanks|wieder|da|schon|"
    r"schönen|schönes|schöne|einen|nice|"
    r"heute|today|minuten?|min|mins|stunden?|std|hours?|h|uhr|halbe?|viertel|anderthalb|"
    r"eineinhalb|halb|half|quarter|hour|minutes?|vertretung|cover|stand-?in|vertreten|durch|"
    r"covered|by|nächste|nächsten|next|week|woche|übernächste|after|diese|this|morgen|"
    r"tomorrow|am|pm|weg|wegen|because|of|with|mit|mich|me|bei|beim|at|dem|den)(?![\w'])"
)

_GREETING_ONLY = re.compile(r"^(?:guten )?morgen$")
_REASON_PARENS = re.compile(r"\(([^()]{1,120})\)")
_REASON_WORDS = re.compile(r"(?:,\s*|\s)(?:wegen|grund:|because of|reason:)\s+(?P<r>.+)$")
_BACK_IN = re.compile(r"\b(?:back|zurück|wieder da)\s+in\b")
_IN_THEN_BACK = re.compile(
    r"\bin\s+(?:\d|eine|einer|zehn|fünf|ten|five)[^,]*\b(?:zurück|wieder da|back)\b"
)
_SOON_BACK = re.compile(r"\b(?:gleich|bald|sofort)\s+(?:wieder\s+)?(?:zurück|da)\b")

# --- times ----------------------------------------------------------------------------------

_UNTIL = re.compile(
    r"\b(?:bis|until|till|til)\s+(?:um\s+|at\s+)?"
    r"(?P<h>\d{1,2})(?:[:.](?P<m>\d{2}))?\s*(?P<suffix>uhr|h\b|am|pm|a\.m\.|p\.m\.)?"
)
_HOURS = r"(?:stunden|std|hours?|h)"
_WORD_DURATIONS: tuple[tuple[re.Pattern[str], timedelta], ...] = (
    (
        re.compile(rf"\b(?:anderthalb|eineinhalb|one and a half|1,5|1\.5)\s*{_HOURS}\b"),
        timedelta(minutes=90),
    ),
    (re.compile(r"\b(?:eine\s+)?halbe\s+stunde\b|\bhalf(?: an)? hour\b"), timedelta(minutes=30)),
    (
        re.compile(r"\b(?:eine\s+)?viertelstunde\b|\bquarter(?: of an)? hour\b"),
        timedelta(minutes=15),
    ),
    (re.compile(r"\b(?:eine|1)\s+stunde\b|\b(?:an|one)\s+hour\b"), timedelta(hours=1)),
    (re.compile(r"\bzwei\s+stunden\b|\btwo\s+hours\b"), timedelta(hours=2)),
)
_NUMBER_DURATION = re.compile(
    r"(?<![\d.:])(?P<n>\d{1,3}(?:[.,]\d)?)\s*(?P<unit>minuten|minute|mins|min|m|stunden|stunde|"
    r"std|hours|hour|hrs|hr|h)(?![a-zäöü])"
)
_BARE_NUMBER = re.compile(r"(?<![\d.:,])(?P<n>\d{1,3})(?![\d.:,])")


def understand(text: str, now: datetime, tz: str) -> Reading:
    """What ``text`` (a message in the direct chat) asks for, read at ``now`` in ``tz``."""
    raw = text.strip()
    if not raw or len(raw) > MAX_LENGTH or raw.startswith("!"):
        return NotUnderstood(closest(raw))
    reason, folded = _split_reason(raw)
    kinds = _kinds(folded)
    if len(kinds) != 1:
        return NotUnderstood(closest(raw))
    (kind,) = kinds
    now = as_utc(now)
    if kind == "leave":
        return _leave(raw, folded, now, tz)
    if kind in ("break", "away"):
        return _timed(kind, folded, reason, now, tz)
    if reason is not None or _leftover(folded, kind):
        return NotUnderstood(closest(raw))
    simple: dict[Kind, Intent] = {"start": Start(), "back": Back(), "off": Off()}
    return Understood(simple[kind])


def closest(text: str, limit: int = 3) -> tuple[Kind, ...]:
    """The kinds whose example phrases come closest to ``text``, best first."""
    folded = text.casefold()
    scores = {
        kind: max(difflib.SequenceMatcher(None, folded, example).ratio() for example in examples)
        for kind, examples in EXAMPLES.items()
    }
    return tuple(sorted(KINDS, key=lambda kind: -scores[kind])[:limit])


EXAMPLES: dict[Kind, tuple[str, ...]] = {
    "start": ("moin", "guten morgen", "bin da", "good morning", "i'm in"),
    "break": ("mittagspause bis 13 uhr", "pause 30 min", "lunch until 1 pm", "coffee break"),
    "away": ("kurz weg bis 14 uhr (arzt)", "bin kurz weg", "away until 2 pm", "afk 20 min"),
    "back": ("bin zurück", "wieder da", "i'm back", "back"),
    "off": ("feierabend", "schluss für heute", "done for today", "signing off"),
    "leave": (
        "urlaub vom 14. bis 18.12., vertretung ben",
        "nächste woche urlaub",
        "vacation next week, cover ben",
    ),
}
"""What each kind sounds like, for ``closest``; the catalogue shows the person its own."""


# --- the pieces ---------------------------------------------------------------------------


def _normal(text: str) -> str:
    folded = text.casefold().replace("’", "'").replace("`", "'")
    folded = re.sub(r"[!?;]+", " ", folded)
    return re.sub(r"\s+", " ", folded).strip(" .,")


def _split_reason(raw: str) -> tuple[str | None, str]:
    """A reason in parentheses or after "wegen" / "because of", kept as typed, and the
    rest folded for reading."""
    reason: str | None = None
    rest = raw
    match = _REASON_PARENS.search(rest)
    if match:
        reason = match[1].strip()
        rest = rest[: match.start()] + " " + rest[match.end() :]
    else:
        words = _REASON_WORDS.search(rest.casefold())
        if words:
            reason = rest[words.start("r") :].strip(" .!?;")
            rest = rest[: words.start()]
    return (reason or None), _normal(rest)


def _kinds(folded: str) -> set[Kind]:
    found = {kind for kind, pattern in _PATTERNS.items() if pattern.search(folded)}
    if _BACK_IN.search(folded) or _SOON_BACK.search(folded) or _IN_THEN_BACK.search(folded):
        # "back in 20 min", "bin gleich zurück": away for a while, not back now.
        found = (found - {"back", "start"}) | {"away"}
    if "leave" in found:
        # "bis morgen" or "morgen" beside leave words are dates, "frei" is leave.
        found -= {"off", "start"}
    if "off" in found and _GREETING_ONLY.search(folded) is None:
        found.discard("start")  # "bis morgen" is a farewell, not a greeting
    if "back" in found:
        found.discard("start")  # "bin wieder da" contains "bin da"
    if found & {"break", "away"}:
        found -= {"start", "back"} if not _BACK_IN.search(folded) else {"start"}
    if {"break", "away"} <= found and re.search(r"\bpause\b", folded) and "weg" not in folded:
        found.discard("away")
    if "away" in found and "off" in found and re.search(r"\b(?:out|log(?:ging)? off)\b", folded):
        found.discard("away")
    return found


def _leftover(folded: str, kind: Kind) -> bool:
    """Words that are neither the state's own words nor fillers: something more was said
    that the bot does not read, so it does not act on the rest either."""
    rest = _PATTERNS[kind].sub(" ", folded)
    rest = _FILLER.sub(" ", rest)
    rest = re.sub(r"[\s,.\-:']+", " ", rest).strip()
    return bool(rest)


def _timed(kind: Kind, folded: str, reason: str | None, now: datetime, tz: str) -> Reading:
    """A break or an away time, with an end if one was said."""
    ends, problem = _ends(folded, now, tz)
    if problem is not None:
        return Problem(kind, *problem)
    rest = _strip_times(_PATTERNS[kind].sub(" ", folded))
    rest = _FILLER.sub(" ", rest)
    rest = re.sub(r"[\s,.\-:']+", " ", rest).strip()
    if kind == "away":
        rest = _PATTERNS["back"].sub(" ", rest).strip()
    if kind == "away" and reason is None and rest:
        # "Arzttermin bis 14 Uhr": the words around the time are the reason.
        reason = rest
    elif rest:
        return NotUnderstood(closest(folded))
    if kind == "away" and reason is None:
        reason = _away_reason(folded)

    def make(until: datetime | None) -> Intent:
        return Break(until) if kind == "break" else Away(until, reason)

    if len(ends) > 1:
        return Ambiguous(tuple(make(end) for end in ends))
    return Understood(make(ends[0] if ends else None))


def _away_reason(folded: str) -> str | None:
    match = re.search(r"\b(?:beim arzt|arzt\w*|termin)\b", folded)
    return match[0] if match else None


def _ends(
    folded: str, now: datetime, tz: str
) -> tuple[list[datetime], tuple[str, tuple[tuple[str, str], ...]] | None]:
    """The possible ends said in ``folded``: none, one, or two readings of a bare number."""
    today = local_date(now, tz)
    until = _UNTIL.search(folded)
    if until:
        hour, minute = int(until["h"]), int(until["m"] or 0)
        suffix = (until["suffix"] or "").replace(".", "")
        if suffix == "pm" and hour < 12:
            hour += 12
        elif suffix == "am" and hour == 12:
            hour = 0
        if hour > 23 or minute > 59:
            return [], ("workday.error.until", (("text", until[0]),))
        end = local_instant(today, time(hour, minute), tz)
        if end <= now and not suffix and 1 <= hour <= 7:
            end = local_instant(today, time(hour + 12, minute), tz)  # "bis 1" at noon
        if end <= now:
            return [], ("workday.error.until_past", (("time", f"{hour:02d}:{minute:02d}"),))
        if end - now > MAX_SPAN:
            return [], ("workday.error.duration", (("text", until[0]),))
        return [end], None
    for pattern, span in _WORD_DURATIONS:
        if pattern.search(folded):
            return [now + span], None
    number = _NUMBER_DURATION.search(folded)
    if number:
        try:
            return [now + span_of(number[0])], None
        except ParseError:
            return [], ("workday.error.duration", (("text", number[0]),))
    bare = _BARE_NUMBER.search(folded)
    if bare:
        return _bare_number(int(bare["n"]), now, today, tz)
    return [], None


def _bare_number(
    n: int, now: datetime, today: date, tz: str
) -> tuple[list[datetime], tuple[str, tuple[tuple[str, str], ...]] | None]:
    """``Pause 13``: 13 minutes, or until 13 o'clock, when both make sense (the rule of
    ``!pause 13``: ``when.bare_number_readings``)."""
    try:
        return list(bare_number_readings(n, now, tz)), None
    except ParseError:
        return [], ("workday.error.duration", (("text", str(n)),))


def _strip_times(text: str) -> str:
    text = _UNTIL.sub(" ", text)
    for pattern, _ in _WORD_DURATIONS:
        text = pattern.sub(" ", text)
    text = _NUMBER_DURATION.sub(" ", text)
    return _BARE_NUMBER.sub(" ", text)


def _leave(raw: str, folded: str, now: datetime, tz: str) -> Reading:
    today = local_date(now, tz)
    stand_in, rest = split_stand_in(raw)
    text = _PATTERNS["leave"].sub(" ", _normal(rest) if stand_in else folded)
    dates = leave_dates(text, today)
    if dates is None:
        return NotUnderstood(closest(raw))
    if dates == "reversed":
        return Problem("leave", "workday.error.date_order", (("text", raw),))
    first, last = dates
    if last < today:
        return Problem("leave", "workday.error.leave_past", (("text", raw),))
    return Understood(Leave(first, last, stand_in))
