from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from homeoffice_bot.standup.answers import (
    AnswerMessage,
    ParsedAnswer,
    answered_at,
    apply_edit,
    apply_redaction,
    collect_answer,
    dm_answer_message,
    has_blocker,
    is_late,
    next_dm_question,
    parse_answer,
    split_sections,
)


def at(minute: int) -> datetime:
    return datetime(2026, 11, 23, 8, minute, tzinfo=UTC)


@pytest.mark.parametrize(
    "text",
    [
        "1. Bug 4711 behoben\n2. Review für Anna\n3. keine",
        "1) Bug 4711 behoben\n2) Review für Anna\n3) keine",
        "1: Bug 4711 behoben\n2: Review für Anna\n3: keine",
        "Gestern: Bug 4711 behoben\nHeute: Review für Anna\nBlocker: keine",
        "**Gestern:** Bug 4711 behoben\n**Heute:** Review für Anna\n**Hindernisse:** keine",
        "Yesterday: Bug 4711 behoben\nToday: Review für Anna\nBlockers: keine",
        "## Gestern\nBug 4711 behoben\n## Heute\nReview für Anna\n## Blocker\nkeine",
    ],
)
def test_structured_answers_map_to_questions(text: str) -> None:
    assert parse_answer(text, 3) == ParsedAnswer(("Bug 4711 behoben", "Review für Anna", "keine"))


def test_sections_keep_numbered_lists_as_content() -> None:
    text = "Gestern:\n1. Antrag geprüft\n2. Formular online\nHeute: Abstimmung mit KDN\nBlocker: -"
    assert parse_answer(text, 3) == ParsedAnswer(
        ("1. Antrag geprüft\n2. Formular online", "Abstimmung mit KDN", "-")
    )


def test_sections_in_any_order_and_partial() -> None:
    assert parse_answer("Blocker: VPN kaputt\nHeute: Support", 3) == ParsedAnswer(
        (None, "Support", "VPN kaputt")
    )


def test_multi_line_numbered_answers_and_text_before_them() -> None:
    text = "Guten Morgen!\n1. Bescheid verschickt\n   und abgelegt\n2. Telefonate\n4. (kein 4)"
    assert parse_answer(text, 3) == ParsedAnswer(
        ("Bescheid verschickt\n   und abgelegt", "Telefonate\n4. (kein 4)", None),
        free_text="Guten Morgen!",
    )


def test_free_text_is_kept_as_it_is() -> None:
    text = "Heute bin ich im Termin beim Bürgeramt, ab 12:30 wieder da.\nSonst alles gut."
    assert parse_answer(text, 3) == ParsedAnswer((None, None, None), free_text=text)


def test_heading_alone_is_kept_as_free_text() -> None:
    assert parse_answer("Heute", 3) == ParsedAnswer((None, None, None), free_text="Heute")
    assert parse_answer("  ", 3) == ParsedAnswer((None, None, None))


def test_time_of_day_is_not_a_number_heading() -> None:
    assert parse_answer("12:30 Termin\n1.5 Stunden Meeting", 3).free_text == (
        "12:30 Termin\n1.5 Stunden Meeting"
    )


def test_custom_questions_map_by_number_only() -> None:
    assert parse_answer("Heute: x\n2. y", 2, keywords=()) == ParsedAnswer(
        (None, "y"), free_text="Heute: x"
    )


def test_split_sections_keeps_headers() -> None:
    sections = split_sections("**Heute:** Akten\nBlocker: keine", 3)
    assert [(s.index, s.header, s.body) for s in sections] == [
        (1, "**Heute:** ", "Akten\n"),
        (2, "Blocker: ", "keine"),
    ]


@pytest.mark.parametrize(
    "answer",
    [None, "", "  ", "-", "–", "/", "nein", "Nein.", "keine", "Keine!", "nichts", "none", "No",
     "n/a", "keine Blocker", "Aktuell keine", "no blockers", "nope", "alles gut", "Keine Probleme"],
)  # fmt: skip
def test_no_blocker(answer: str | None) -> None:
    assert not has_blocker(answer)


@pytest.mark.parametrize(
    "answer",
    ["Warte auf Freigabe der IT", "VPN geht nicht", "Nein, aber der Drucker streikt", "keine Zeit",
     "Blocker: Server"],
)  # fmt: skip
def test_blocker(answer: str) -> None:
    assert has_blocker(answer)


def test_collect_answer_joins_messages_in_server_time_order() -> None:
    messages = [
        AnswerMessage("$b", "3. Warte auf Rückmeldung", at(4)),
        AnswerMessage("$a", "1. Akten\n2. Termine", at(2)),
        AnswerMessage("$c", "Noch was: Kuchen in der Küche", at(5)),
    ]
    assert collect_answer(messages, 3) == ParsedAnswer(
        ("Akten", "Termine", "Warte auf Rückmeldung"), free_text="Noch was: Kuchen in der Küche"
    )
    assert answered_at(messages) == at(2)


def test_edit_replaces_the_text_and_keeps_the_time() -> None:
    messages = (AnswerMessage("$a", "1. Akten\n2. Termine\n3. keine", at(2)),)
    edited = apply_edit(messages, "$a", "1. Akten\n2. Termine\n3. Drucker kaputt")
    assert edited == (AnswerMessage("$a", "1. Akten\n2. Termine\n3. Drucker kaputt", at(2)),)
    answer = collect_answer(edited, 3)
    assert answer.part(2) == "Drucker kaputt"
    assert has_blocker(answer.part(2))
    assert apply_edit(messages, "$unknown", "x") == messages


def test_redaction_removes_the_message() -> None:
    messages = (AnswerMessage("$a", "1. Akten", at(2)), AnswerMessage("$b", "2. Post", at(3)))
    assert collect_answer(apply_redaction(messages, "$a"), 3) == ParsedAnswer((None, "Post", None))
    assert collect_answer(apply_redaction(apply_redaction(messages, "$a"), "$b"), 3).is_empty


def test_dm_replies_answer_the_open_question_in_turn() -> None:
    first = dm_answer_message("$1", "Akten sortiert", at(1), (), 3)
    assert first.question_index == 0
    second = dm_answer_message("$2", "Sitzung vorbereiten", at(2), (first,), 3)
    assert second.question_index == 1
    assert next_dm_question((first, second), 3) == 2
    third = dm_answer_message("$3", "nichts", at(3), (first, second), 3)
    assert collect_answer((first, second, third), 3) == ParsedAnswer(
        ("Akten sortiert", "Sitzung vorbereiten", "nichts")
    )
    assert next_dm_question((first, second, third), 3) is None


def test_structured_dm_reply_is_parsed() -> None:
    reply = dm_answer_message("$1", "1. a\n2. b\n3. c", at(1), (), 3)
    assert reply.question_index is None
    assert collect_answer((reply,), 3) == ParsedAnswer(("a", "b", "c"))


def test_late_is_strictly_after_the_close() -> None:
    assert not is_late(at(10), at(10))
    assert is_late(at(11), at(10))


# --- properties -------------------------------------------------------------------------


def non_space(text: str) -> Counter[str]:
    return Counter(ch for ch in text if not ch.isspace())


def kept_text(answer: ParsedAnswer) -> str:
    return "".join(part or "" for part in answer.parts) + (answer.free_text or "")


headings = st.sampled_from(
    ["1. ", "2) ", "3: ", "4. ", "Gestern: ", "**Heute:** ", "Blocker:", "## Hindernisse",
     "Today:", "- Blockers: ", "12:30 ", "heute", ""]
)  # fmt: skip
structured_messages = st.lists(st.tuples(headings, st.text(max_size=30)), max_size=8).map(
    lambda lines: "\n".join(h + t for h, t in lines)
)
messages = st.one_of(st.text(max_size=200), structured_messages)


@given(text=messages, n=st.integers(min_value=1, max_value=5))
def test_split_sections_is_lossless(text: str, n: int) -> None:
    assert "".join(s.header + s.body for s in split_sections(text, n)) == text


@given(text=messages, n=st.integers(min_value=1, max_value=5))
def test_parse_answer_never_loses_text(text: str, n: int) -> None:
    answer = parse_answer(text, n)
    assert len(answer.parts) == n
    headers = "".join(s.header for s in split_sections(text, n))
    # Every non-whitespace character is in an answer, or in a heading that was read.
    assert not non_space(text) - non_space(kept_text(answer)) - non_space(headers)
    if not answer.is_empty or text.strip():
        assert not answer.is_empty


@given(text=st.text(alphabet=st.characters(blacklist_characters="0123456789:"), max_size=200))
def test_unstructured_text_is_kept_whole(text: str) -> None:
    answer = parse_answer(text, 3, keywords=())
    assert answer.free_text == (text.strip() or None)
    assert non_space(kept_text(answer)) == non_space(text)
