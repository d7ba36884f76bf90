"""Answers: from the messages a person wrote to one answer per question.

One message may answer all questions: numbered lines ("1.", "1)", "1:") or sections
headed by a keyword ("Gestern:", "Heute:", "Blocker:") map to questions; text without
such structure is kept as it is, as ``free_text``. Nothing typed is lost: the only text
left out of an answer is the headings themselves (see ``split_sections``).

A person's answer is collected from all their messages of one occurrence
(``collect_answer``); edits replace a message's text, redactions remove the message.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from homeoffice_bot.standup.questions import DEFAULT_SECTION_KEYWORDS

_NUMBERED = re.compile(r"[ \t]*(?P<num>[0-9]{1,2})[.):](?:[ \t]+|$)")
_DECORATION = r"[#>*_•\- \t]*"
_NUMBER_PREFIX = r"(?:[0-9]{1,2}[.):][ \t]*)?"
_HEADING_END = r"[*_ \t]*(?::[*_]*[ \t]*|$)"

_NO_BLOCKER = re.compile(
    r"(?:(?:aktuell|derzeit|zurzeit|momentan|gerade|heute|bisher|currently|today|so far)\s+)?"
    r"(?:nein|ne|nö|no|nope|none|nothing|nichts|kein|keine|keiner|keins|n a|na|k a|nil|null)"
    r"(?:\s+(?:blocker|blockers|hindernis|hindernisse|problem|probleme|blockaden?"
    r"|impediments?|issues?|problems?))?"
    r"(?:\s+(?:bisher|aktuell|derzeit|heute|so far|today|currently))?"
    r"|alles gut|alles klar|passt|all good|all clear|nothing blocking|nichts blockiert",
)


@dataclass(frozen=True, slots=True)
class Section:
    """A piece of an answer message: ``header`` (the heading as typed, possibly empty) and
    ``body`` (everything up to the next heading). ``index`` is the question it answers,
    None for text before the first heading. Concatenating ``header + body`` of all
    sections gives back the message exactly."""

    index: int | None
    header: str
    body: str


@dataclass(frozen=True, slots=True)
class ParsedAnswer:
    parts: tuple[str | None, ...]
    """One entry per question: the answer text, or None when not answered."""
    free_text: str | None = None
    """Text without structure (or before the first heading), kept as typed."""

    @property
    def is_empty(self) -> bool:
        return self.free_text is None and all(part is None for part in self.parts)

    def part(self, index: int) -> str | None:
        return self.parts[index] if 0 <= index < len(self.parts) else None


@dataclass(frozen=True, slots=True)
class AnswerMessage:
    """One message a person wrote for an occurrence (thread reply or DM)."""

    event_id: str
    text: str
    server_ts: datetime
    """When the homeserver received the original message (edits keep it)."""
    question_index: int | None = None
    """Set for a DM reply that answers one question; None: parse the text."""


def _keyword_heading(keywords: Sequence[Sequence[str]]) -> tuple[re.Pattern[str], dict[str, int]]:
    index_of: dict[str, int] = {}
    for index, words in enumerate(keywords):
        for word in words:
            index_of.setdefault(word.casefold(), index)
    alternatives = "|".join(re.escape(word) for word in sorted(index_of, key=len, reverse=True))
    pattern = re.compile(
        rf"{_DECORATION}{_NUMBER_PREFIX}{_DECORATION}(?P<kw>{alternatives}){_HEADING_END}",
        re.IGNORECASE,
    )
    return pattern, index_of


def _lines(text: str) -> list[tuple[str, str]]:
    """(content, line ending) pairs covering ``text`` exactly."""
    out: list[tuple[str, str]] = []
    for line in text.splitlines(keepends=True):
        content = line.rstrip("\r\n")
        out.append((content, line[len(content) :]))
    return out


def _headings(
    lines: list[tuple[str, str]], n_questions: int, keywords: Sequence[Sequence[str]]
) -> list[tuple[int, str] | None]:
    """Per line: (question index, heading text) or None. Keyword sections win over numbers."""
    usable = [words for words in keywords[:n_questions] if words]
    if usable:
        pattern, index_of = _keyword_heading(keywords[:n_questions])
        found: list[tuple[int, str] | None] = []
        for content, _ in lines:
            match = pattern.match(content)
            if match and match.group("kw").casefold() in index_of:
                found.append((index_of[match.group("kw").casefold()], match.group(0)))
            else:
                found.append(None)
        if any(found):
            return found
    numbered: list[tuple[int, str] | None] = []
    for content, _ in lines:
        match = _NUMBERED.match(content)
        number = int(match.group("num")) if match else 0
        if match and 1 <= number <= n_questions:
            numbered.append((number - 1, match.group(0)))
        else:
            numbered.append(None)
    return numbered


def split_sections(
    text: str, n_questions: int, keywords: Sequence[Sequence[str]] | None = None
) -> tuple[Section, ...]:
    """Cut a message at its headings (see ``parse_answer``); lossless."""
    keywords = DEFAULT_SECTION_KEYWORDS if keywords is None else keywords
    lines = _lines(text)
    headings = _headings(lines, n_questions, keywords)
    sections: list[Section] = []
    index: int | None = None
    header = ""
    body: list[str] = []
    for (content, ending), heading in zip(lines, headings, strict=True):
        if heading is None:
            body.append(content + ending)
            continue
        if header or body:
            sections.append(Section(index, header, "".join(body)))
        index, header = heading
        body = [content[len(header) :] + ending]
    if header or body or not sections:
        sections.append(Section(index, header, "".join(body)))
    return tuple(sections)


def _joined(pieces: Sequence[str]) -> str | None:
    kept = [piece.strip() for piece in pieces if piece.strip()]
    return "\n".join(kept) if kept else None


def parse_answer(
    text: str, n_questions: int, keywords: Sequence[Sequence[str]] | None = None
) -> ParsedAnswer:
    """Map one message to the questions.

    ``keywords[i]`` are the headings accepted for question ``i`` (default: the default
    questions' German and English headings; pass ``questions.section_keywords(custom)``).
    If any line starts with such a heading, the message is cut at headings (numbered
    lines inside a section stay content); otherwise at numbered lines "1." … "n.";
    otherwise the whole text is ``free_text``. A message that is nothing but headings
    ("Heute", "1.") is kept as ``free_text`` too. Never raises.
    """
    pieces: list[list[str]] = [[] for _ in range(n_questions)]
    free: list[str] = []
    for section in split_sections(text, n_questions, keywords):
        (free if section.index is None else pieces[section.index]).append(section.body)
    parsed = ParsedAnswer(tuple(_joined(p) for p in pieces), _joined(free))
    if parsed.is_empty and text.strip():
        return ParsedAnswer((None,) * n_questions, text.strip())
    return parsed


def has_blocker(answer: str | None) -> bool:
    """Whether a blocker answer reports a blocker: "-", "nein", "keine", "nichts",
    "none", "no" (and the like, "keine Blocker", "aktuell nichts") do not."""
    if answer is None:
        return False
    words = re.sub(r"[\W_]+", " ", answer.casefold()).split()
    if not words:
        return False
    return _NO_BLOCKER.fullmatch(" ".join(words)) is None


def merge_answers(answers: Sequence[ParsedAnswer], n_questions: int) -> ParsedAnswer:
    """Several answers of one person in order, joined per question."""
    parts = [_joined([a.part(i) or "" for a in answers]) for i in range(n_questions)]
    return ParsedAnswer(tuple(parts), _joined([a.free_text or "" for a in answers]))


def collect_answer(
    messages: Sequence[AnswerMessage],
    n_questions: int,
    keywords: Sequence[Sequence[str]] | None = None,
) -> ParsedAnswer:
    """A person's answer from all their messages of an occurrence, in server-time order."""
    answers: list[ParsedAnswer] = []
    for message in sorted(messages, key=lambda m: m.server_ts):
        index = message.question_index
        if index is not None and 0 <= index < n_questions:
            parts: list[str | None] = [None] * n_questions
            parts[index] = _joined([message.text])
            answers.append(ParsedAnswer(tuple(parts)))
        else:
            answers.append(parse_answer(message.text, n_questions, keywords))
    return merge_answers(answers, n_questions)


def apply_edit(
    messages: Sequence[AnswerMessage], original_event_id: str, new_text: str
) -> tuple[AnswerMessage, ...]:
    """The messages with ``original_event_id``'s text replaced (its timestamp is kept)."""
    return tuple(
        replace(m, text=new_text) if m.event_id == original_event_id else m for m in messages
    )


def apply_redaction(
    messages: Sequence[AnswerMessage], redacted_event_id: str
) -> tuple[AnswerMessage, ...]:
    """The messages without the redacted one."""
    return tuple(m for m in messages if m.event_id != redacted_event_id)


def next_dm_question(
    messages: Sequence[AnswerMessage],
    n_questions: int,
    keywords: Sequence[Sequence[str]] | None = None,
) -> int | None:
    """The first question the person has not answered yet in the DM, or None."""
    answer = collect_answer(messages, n_questions, keywords)
    for index, part in enumerate(answer.parts):
        if part is None:
            return index
    return None


def dm_answer_message(
    event_id: str,
    text: str,
    server_ts: datetime,
    earlier: Sequence[AnswerMessage],
    n_questions: int,
    keywords: Sequence[Sequence[str]] | None = None,
) -> AnswerMessage:
    """A DM reply as an ``AnswerMessage``: structured text (numbers, headings) is parsed;
    plain text answers the question the bot asked last (the first one still open)."""
    parsed = parse_answer(text, n_questions, keywords)
    structured = any(part is not None for part in parsed.parts)
    index = None if structured else next_dm_question(earlier, n_questions, keywords)
    return AnswerMessage(event_id, text, server_ts, index)


def answered_at(messages: Sequence[AnswerMessage]) -> datetime | None:
    """When the person first answered (server time), or None without messages."""
    return min((m.server_ts for m in messages), default=None)


def is_late(answered: datetime, closes_at: datetime) -> bool:
    """An answer is late when it arrived after the window closed."""
    return answered > closes_at
