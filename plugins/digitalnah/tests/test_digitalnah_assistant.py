from __future__ import annotations

from datetime import UTC, date, datetime

from digitalnah.assistant import (
    ASSISTANT_FIELDS,
    AssistantState,
    AssistantStatus,
    AssistantTurn,
    answer_assistant,
    start_assistant,
)
from digitalnah.merge import update_offering
from digitalnah.model import DEFAULT_CATEGORIES, Field, OfferingState, Problem, new_draft
from homeoffice_bot.kernel.ids import UserID

CATS = DEFAULT_CATEGORIES


def run(answers: list[str]) -> AssistantTurn:
    turn = start_assistant()
    for text in answers:
        turn = answer_assistant(turn.state, text, categories=CATS)
    return turn


def test_start_asks_for_the_title() -> None:
    turn = start_assistant()
    assert turn.state == AssistantState()
    assert turn.prompt.key == "digitalnah.assistant.ask.title"
    assert turn.prompt.params == {"step": 1, "total": len(ASSISTANT_FIELDS)}


def test_full_dialogue_to_a_pending_offering() -> None:
    turn = run(
        [
            "Online-Terminbuchung",
            "Termine im Bürgerbüro online buchen.",
            "https://termine.example.org",
            "1",
            "Bürgeramt",
            "-",
            "01.04.2024",
            "skip",
            "Termine, Online",
        ]
    )
    assert turn.state.status is AssistantStatus.CONFIRMING
    assert turn.prompt.key == "digitalnah.assistant.confirming"
    assert turn.state.answer_for(Field.CATEGORY) == "Bürgerservice & Online-Verwaltung"
    assert turn.state.answer_for(Field.AVAILABLE_SINCE) == "2024-04-01"
    assert turn.state.answer_for(Field.TARGET_GROUP) is None

    done = answer_assistant(turn.state, "Ja", categories=CATS)
    assert done.state.status is AssistantStatus.DONE
    assert done.prompt.key == "digitalnah.assistant.done"

    now = datetime(2024, 5, 1, tzinfo=UTC)
    anna = UserID("@anna:example.org")
    result = update_offering(
        new_draft(anna, now), done.state.fields(), actor=anna, now=now, categories=CATS
    )
    assert result.complete
    assert result.offering.state is OfferingState.PENDING
    assert result.offering.available_since == date(2024, 4, 1)
    assert result.offering.tags == ("Termine", "Online")
    assert result.offering.provider == "Bürgeramt"


def test_wrong_answer_keeps_the_step() -> None:
    turn = run(["Titel gut", "Beschreibung gut"])
    assert turn.state.current_field is Field.LINK
    again = answer_assistant(turn.state, "javascript:alert(1)", categories=CATS)
    assert again.state == turn.state
    assert [p.key for p in again.problems] == ["digitalnah.problem.link_scheme"]
    assert again.prompt.key == "digitalnah.assistant.ask.link"


def test_required_field_cannot_be_skipped() -> None:
    turn = answer_assistant(AssistantState(), "-", categories=CATS)
    assert turn.state.step == 0
    assert turn.problems == (Problem(Field.TITLE, "digitalnah.problem.cannot_skip"),)


def test_unknown_category_and_number_out_of_range() -> None:
    at_category = run(["Titel gut", "Beschreibung gut", "https://x.example"])
    assert at_category.prompt.key == "digitalnah.assistant.ask.category"
    for answer in ("Raumfahrt", "99"):
        turn = answer_assistant(at_category.state, answer, categories=CATS)
        assert turn.state.current_field is Field.CATEGORY
        assert [p.key for p in turn.problems] == ["digitalnah.problem.category_unknown"]
    by_name = answer_assistant(at_category.state, "Umwelt", categories=CATS)
    assert by_name.state.answer_for(Field.CATEGORY) == "Umwelt"


def test_back_and_cancel() -> None:
    turn = run(["Titel gut"])
    back = answer_assistant(turn.state, "zurück", categories=CATS)
    assert back.state.current_field is Field.TITLE
    assert back.state.answer_for(Field.TITLE) == "Titel gut"
    kept = answer_assistant(back.state, "-", categories=CATS)
    assert kept.state.current_field is Field.DESCRIPTION
    cancelled = answer_assistant(kept.state, "Abbrechen", categories=CATS)
    assert cancelled.state.status is AssistantStatus.CANCELLED
    assert cancelled.prompt.key == "digitalnah.assistant.cancelled"
    after = answer_assistant(cancelled.state, "hallo", categories=CATS)
    assert after.prompt.key == "digitalnah.assistant.not_active"


def test_corrections_at_confirmation() -> None:
    turn = run(["Titel gut", "Beschreibung gut", "https://x.example", "Umwelt", *["-"] * 5])
    assert turn.state.status is AssistantStatus.CONFIRMING
    fixed = answer_assistant(
        turn.state, "Titel: Besserer Titel\nKategorie: Mobilität", categories=CATS
    )
    assert fixed.state.status is AssistantStatus.CONFIRMING
    assert fixed.state.answer_for(Field.TITLE) == "Besserer Titel"
    assert fixed.state.answer_for(Field.CATEGORY) == "Mobilität"
    refused = answer_assistant(fixed.state, "Link: data:text/html,x\nTitel:", categories=CATS)
    assert [p.key for p in refused.problems] == [
        "digitalnah.problem.link_scheme",
        "digitalnah.problem.missing",
    ]
    assert refused.state == fixed.state
    unclear = answer_assistant(fixed.state, "vielleicht", categories=CATS)
    assert unclear.problems == (Problem("", "digitalnah.problem.confirm_expected"),)
    discarded = answer_assistant(fixed.state, "nein", categories=CATS)
    assert discarded.state.status is AssistantStatus.CANCELLED


def test_state_round_trips_through_a_dict() -> None:
    state = run(["Titel gut", "Beschreibung\nzweite Zeile"]).state
    assert AssistantState.from_dict(state.to_dict()) == state
    assert state.to_dict() == {
        "step": 2,
        "status": "asking",
        "answers": {"title": "Titel gut", "description": "Beschreibung\nzweite Zeile"},
    }
