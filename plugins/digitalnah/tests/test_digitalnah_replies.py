from __future__ import annotations

import dataclasses
import re
from datetime import UTC, datetime, timedelta

import markdown
import pytest

from digitalnah.assistant import answer_assistant, start_assistant
from digitalnah.catalogue import translator
from digitalnah.extract import ExtractedFields, extract_from_message
from digitalnah.lifecycle import Action, transition
from digitalnah.merge import update_offering
from digitalnah.model import DEFAULT_CATEGORIES, Field, Offering, OfferingState, new_draft
from digitalnah.replies import (
    digest_offerings,
    render_assistant_turn,
    render_decision,
    render_digest,
    render_draft_reply,
    render_moderation_message,
    render_offering_detail,
    render_offering_list,
    render_problem,
    render_submitter_notice,
)
from digitalnah.validate import MAX_MESSAGE_LENGTH, message_length_problem
from homeoffice_bot.kernel.formatting import render
from homeoffice_bot.kernel.ids import UserID

CATS = DEFAULT_CATEGORIES
NOW = datetime(2024, 5, 1, 7, 30, tzinfo=UTC)
ANNA = UserID("@anna:example.org")
LEAD = UserID("@lead:example.org")
DE = translator("de", strict=True)
EN = translator("en", strict=True)
TAG = re.compile(r"<(/?)(\w+)")


KERNEL_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!])")


def readable(md: str) -> str:
    """The Markdown source with the kernel's backslash escapes undone, for comparisons."""
    return KERNEL_ESCAPE.sub(r"\1", md)


def html_tags(md: str) -> set[str]:
    return {m.group(2) for m in TAG.finditer(markdown.markdown(md))}


def first_draft(body: str) -> Offering:
    result = update_offering(
        new_draft(ANNA, NOW), extract_from_message(body, CATS), actor=ANNA, now=NOW, categories=CATS
    )
    return result.with_id(7).offering


def test_reply_to_a_message_without_category() -> None:
    body = (
        "Neu: Online-Terminbuchung fürs Bürgerbüro. Termine rund um die Uhr buchen. "
        "https://termine.example.org #DigitalNah"
    )
    result = update_offering(
        new_draft(ANNA, NOW), extract_from_message(body, CATS), actor=ANNA, now=NOW, categories=CATS
    ).with_id(7)
    text = readable(render_draft_reply(result, DE, categories=CATS))
    assert text == (
        "Danke für den #DigitalNah-Hinweis! Das habe ich verstanden:\n"
        "- **Titel:** Online-Terminbuchung fürs Bürgerbüro\n"
        "- **Beschreibung:** Termine rund um die Uhr buchen.\n"
        "- **Link:** [https://termine.example.org](https://termine.example.org)\n"
        "\n"
        "Es fehlt noch:\n"
        "- Kategorie\n"
        "Mögliche Kategorien: Bürgerservice & Online-Verwaltung, Bildung & Schule, "
        "Kultur & Freizeit, Wirtschaft, Gesundheit & Soziales, Mobilität, Umwelt, "
        "Sonstiges.\n"
        "\n"
        "Antworte einfach hier im Thread, z. B. mit `Kategorie: Mobilität` – oder bearbeite "
        "deine Nachricht."
    )


def test_reply_when_complete_and_after_edit_of_approved() -> None:
    draft = first_draft(
        "Neu: Parken per App. Einfach zahlen. https://parken.example.org #DigitalNah"
    )
    done = update_offering(
        draft, ExtractedFields({Field.CATEGORY: "Mobilität"}), actor=ANNA, now=NOW, categories=CATS
    )
    assert render_draft_reply(done, DE, categories=CATS).endswith(
        "Vollständig! Angebot #7 wartet jetzt auf die Freigabe durch die Moderation "
        "(✅ auf die erste Nachricht oder `!angebot freigeben 7`)."
    )
    approved, _ = transition(done.offering, Action.APPROVE, actor=LEAD, now=NOW)
    edited = update_offering(
        approved,
        ExtractedFields({Field.TITLE: "Parken per Handy"}),
        actor=ANNA,
        now=NOW,
        categories=CATS,
    )
    assert render_draft_reply(edited, EN, categories=CATS).endswith(
        "Offering #7 was changed and is unpublished until it is approved again."
    )


def test_reply_lists_problems_and_notes() -> None:
    draft = first_draft("Neu: Parken per App https://parken.example.org #DigitalNah")
    extracted = ExtractedFields(
        {Field.LINK: "javascript:alert(1)", Field.AVAILABLE_SINCE: "gestern"},
        unknown_keys=("Quatsch",),
    )
    result = update_offering(draft, extracted, actor=ANNA, now=NOW, categories=CATS)
    text = render_draft_reply(result, DE, categories=CATS, unplaced_text="irgendwas")
    assert "Bitte korrigieren:\n- Der Link „javascript:alert\\(1\\)“ geht nicht:" in text
    assert "- „gestern“ ist kein Datum." in text
    assert "Hinweise:\n- Das Feld „Quatsch“ kenne ich nicht" in text
    assert "Diesen Teil deiner Antwort konnte ich keinem Feld zuordnen: „irgendwas“." in text
    assert "Es fehlt noch:\n- Kategorie\n" in text
    assert "Tipp: Eine kurze Beschreibung hilft" in text


def test_hostile_text_is_escaped_in_chat_replies() -> None:
    hostile = dataclasses.replace(
        first_draft("Neu: x https://a.example.org #DigitalNah"),
        title="<script>alert(1)</script>",
        description='"><img src=x onerror=alert(1)> [klick](javascript:alert(1))',
        provider="**<b>Amt</b>**",
        category="Umwelt",
        state=OfferingState.PENDING,
    )
    approved, entry = transition(hostile, Action.APPROVE, actor=LEAD, now=NOW)
    rejected, rejection = transition(
        hostile, Action.REJECT, actor=LEAD, now=NOW, reason="<img src=x onerror=alert(2)>"
    )
    texts = [
        render_offering_detail(approved, DE, audit=[entry]),
        render_offering_list([approved], DE, pending=[hostile]),
        render_moderation_message(entry, approved, DE) or "",
        render_submitter_notice(entry, approved, DE, page_url="https://x.example/") or "",
        render_submitter_notice(rejection, rejected, DE) or "",
        render_digest([approved], DE, page_url="https://x.example/"),
        render_draft_reply(
            update_offering(
                hostile,
                ExtractedFields({Field.CATEGORY: "<script>x</script>"}),
                actor=ANNA,
                now=NOW,
                categories=CATS,
            ),
            DE,
            categories=CATS,
        ),
    ]
    for text in texts:
        assert text
        formatted = render(text).formatted_body
        tags = {m.group(2) for m in TAG.finditer(formatted)}
        assert not tags & {"script", "img", "b"}, formatted
        assert "javascript" not in "".join(re.findall(r'href="([^"]*)"', formatted))
        assert "&lt;script&gt;" in formatted or "&lt;img" in formatted or "**" in text
        assert "&amp;lt;" not in formatted  # escaped once, not twice


def test_moderation_messages_and_notices() -> None:
    pending = dataclasses.replace(
        first_draft(
            "Neu: Parken per App. Zahlen. https://parken.example.org #Mobilität #DigitalNah"
        ),
        state=OfferingState.PENDING,
    )
    approved, entry = transition(pending, Action.APPROVE, actor=LEAD, now=NOW)
    names: dict[str, str] = {LEAD: "Petra"}
    assert readable(render_moderation_message(entry, approved, DE, names=names) or "") == (
        "Angebot #7 „Parken per App“ wurde von Petra freigegeben. ✅"
    )
    notice = render_submitter_notice(
        entry, approved, EN, page_url="https://x.example/dn/", names=names
    )
    assert readable(notice or "") == (
        "{@anna:example.org}, good news: Petra approved your #DigitalNah offering #7 "
        "“Parken per App”. It will be on the page shortly: "
        "[https://x.example/dn/](https://x.example/dn/)"
    )
    assert render(notice or "").mentions == (ANNA,)
    german = render_submitter_notice(entry, approved, DE, names=names) or ""
    assert render(german, {ANNA: "Clarisse Becker"}).body.startswith(
        "Clarisse Becker, gute Nachricht: Petra hat dein #DigitalNah-Angebot #7"
    )
    changes, asked = transition(
        pending, Action.REQUEST_CHANGES, actor=LEAD, now=NOW, reason="Bitte Kontakt angeben"
    )
    assert readable(render_submitter_notice(asked, changes, DE) or "") == (
        "{@anna:example.org}, @lead:example.org bittet bei deinem #DigitalNah-Angebot #7 "
        "„Parken per App“ um Änderungen: Bitte Kontakt angeben. Bearbeite deine Nachricht "
        "oder antworte hier im Thread, z. B. mit `Beschreibung: …`."
    )
    withdrawn, own = transition(pending, Action.WITHDRAW, actor=ANNA, now=NOW)
    assert render_submitter_notice(own, withdrawn, DE) is None
    assert readable(render_moderation_message(own, withdrawn, DE) or "") == (
        "Angebot #7 „Parken per App“ wurde von @anna:example.org zurückgezogen."
    )
    assert render_decision(own, withdrawn, DE) == render_moderation_message(own, withdrawn, DE)
    assert render_decision(asked, changes, DE) == render_submitter_notice(asked, changes, DE)


def test_new_submission_is_announced_for_review() -> None:
    draft = first_draft("Neu: Parken per App. Zahlen. https://parken.example.org #DigitalNah")
    result = update_offering(
        draft, ExtractedFields({Field.CATEGORY: "Mobilität"}), actor=ANNA, now=NOW, categories=CATS
    )
    assert result.audit is not None
    assert readable(render_moderation_message(result.audit, result.offering, DE) or "") == (
        "Neues #DigitalNah-Angebot #7 „Parken per App“ von @anna:example.org wartet auf "
        "Freigabe: ✅ auf die Nachricht oder `!angebot freigeben 7`."
    )


def test_detail_with_history() -> None:
    pending = dataclasses.replace(
        first_draft(
            "Neu: Parken per App. Zahlen. https://parken.example.org #Mobilität #DigitalNah"
        ),
        state=OfferingState.PENDING,
    )
    rejected, entry = transition(
        pending, Action.REJECT, actor=LEAD, now=NOW + timedelta(hours=2), reason="Gibt es schon"
    )
    text = readable(render_offering_detail(rejected, DE, audit=[entry], names={LEAD: "Petra"}))
    assert text == (
        "**Angebot #7: Parken per App**\n"
        "Status: abgelehnt\n"
        "- **Titel:** Parken per App\n"
        "- **Beschreibung:** Zahlen.\n"
        "- **Link:** [https://parken.example.org](https://parken.example.org)\n"
        "- **Kategorie:** Mobilität\n"
        "Eingereicht von @anna:example.org am 01.05.2024, 09:30\n"
        "Anmerkung der Moderation: Gibt es schon\n"
        "\n"
        "Verlauf:\n"
        "- 01.05.2024, 11:30: abgelehnt von Petra (@lead:example.org) – Gibt es schon"
    )


def test_list_and_digest() -> None:
    def offering(number: int, approved_days_ago: float | None) -> Offering:
        return Offering(
            submitter=ANNA,
            created_at=NOW - timedelta(days=30),
            updated_at=NOW,
            id=number,
            title=f"Angebot {number}",
            description="Kurz.",
            link=f"https://example.org/{number}",
            category="Umwelt",
            state=OfferingState.APPROVED
            if approved_days_ago is not None
            else OfferingState.PENDING,
            approved_at=None
            if approved_days_ago is None
            else NOW - timedelta(days=approved_days_ago),
        )

    offerings = [offering(1, 10), offering(2, 3), offering(3, 1), offering(4, None)]
    listing = render_offering_list(offerings[:3], DE, limit=2, page_url="https://x.example/")
    assert readable(listing) == (
        "Aktuelle #DigitalNah-Angebote (3):\n"
        "- #1 [Angebot 1](https://example.org/1) – Umwelt\n"
        "- #2 [Angebot 2](https://example.org/2) – Umwelt\n"
        "… und 1 weitere. Alle Angebote: [https://x.example/](https://x.example/)"
    )
    assert render_offering_list([], EN) == "No #DigitalNah offerings are published at the moment."
    week = digest_offerings(offerings, since=NOW - timedelta(days=7), until=NOW)
    assert [o.id for o in week] == [2, 3]
    assert readable(render_digest(week, DE, page_url="https://x.example/")) == (
        "#DigitalNah – neu in dieser Woche (2):\n"
        "- #2 [Angebot 2](https://example.org/2) – Umwelt: Kurz.\n"
        "- #3 [Angebot 3](https://example.org/3) – Umwelt: Kurz.\n"
        "\n"
        "Alle Angebote: [https://x.example/](https://x.example/)"
    )
    assert render_digest([], EN, page_url="u").startswith("#DigitalNah – no new offerings")


@pytest.mark.parametrize("language", ["de", "en"])
def test_assistant_messages(language: str) -> None:
    tr = translator(language, strict=True)
    turn = start_assistant()
    first = render_assistant_turn(turn, tr, categories=CATS, first=True)
    assert first.splitlines()[2] == ("_Schritt 1 von 9_" if language == "de" else "_Step 1 of 9_")
    for answer in ("Parken per App", "Mit dem Handy zahlen.", "https://parken.example.org"):
        turn = answer_assistant(turn.state, answer, categories=CATS)
    category_question = render_assistant_turn(turn, tr, categories=CATS)
    assert category_question.splitlines()[2:4] == [
        "1\\. Bürgerservice & Online\\-Verwaltung  ",
        "2\\. Bildung & Schule  ",
    ]
    wrong = answer_assistant(turn.state, "<script>", categories=CATS)
    shown_wrong = render(render_assistant_turn(wrong, tr, categories=CATS))
    assert "&lt;script&gt;" in shown_wrong.formatted_body
    assert "&amp;lt;" not in shown_wrong.formatted_body
    turn = answer_assistant(turn.state, "6", categories=CATS)
    for answer in ("-", "-", "01.04.2024", "-", "-"):
        turn = answer_assistant(turn.state, answer, categories=CATS)
    summary = readable(render_assistant_turn(turn, tr, categories=CATS, language=language))
    day = "01.04.2024" if language == "de" else "2024-04-01"
    assert f"** {day}" in summary
    assert "** Mobilität" in summary


@pytest.mark.parametrize(
    "body",
    [
        "#DigitalNah\n" + "Terminbuchung ohne Punkt und Komma " * 140,  # one long title line
        "#DigitalNah\nTitel: Parken\nAnbieter: " + "Ordnungsamt " * 400,
        "Neu: Parken https://parken.example.org #DigitalNah "
        + " ".join(f"#tag{n}" for n in range(600)),
    ],
    ids=["title", "provider", "tags"],
)
def test_a_draft_reply_shows_too_long_values_shortened(body: str) -> None:
    """The reply says how long the value is but does not repeat all of it: a reply as long
    as the tip would be refused by the homeserver, and the person would hear nothing."""
    assert len(body) <= MAX_MESSAGE_LENGTH
    result = update_offering(
        new_draft(ANNA, NOW), extract_from_message(body, CATS), actor=ANNA, now=NOW, categories=CATS
    ).with_id(7)
    text = render_draft_reply(result, DE, categories=CATS)
    assert len(text) < 2500
    assert "zu lang" in text or "höchstens 10 Schlagworte" in text


def test_a_message_too_long_for_a_tip_gets_the_length_message() -> None:
    problem = message_length_problem("x" * 60_000)
    assert problem is not None
    assert readable(render_problem(problem, DE)).startswith(
        "Diese Nachricht ist zu lang für einen #DigitalNah-Hinweis (60000 Zeichen, höchstens "
        f"{MAX_MESSAGE_LENGTH}); ich habe nichts davon übernommen."
    )
    reply = message_length_problem("x" * (MAX_MESSAGE_LENGTH + 1), reply=True)
    assert reply is not None
    assert readable(render_problem(reply, EN)).startswith("This reply is too long (5001 characters")
    assert message_length_problem("x" * MAX_MESSAGE_LENGTH) is None


def test_a_person_whose_data_was_deleted_is_named_as_such() -> None:
    """After !daten-löschen a published offering keeps no submitter and its audit trail no
    actor; the detail says so instead of leaving a gap."""
    draft = dataclasses.replace(
        first_draft("Neu: x https://a.example.org #DigitalNah"), state=OfferingState.PENDING
    )
    approved, entry = transition(draft, Action.APPROVE, actor=LEAD, now=NOW)
    forgotten = dataclasses.replace(approved, submitter=UserID(""))
    deleted = dataclasses.replace(entry, actor=UserID(""))
    german = render_offering_detail(forgotten, DE, audit=[deleted])
    assert "Eingereicht von einer Person, deren Daten gelöscht sind am" in german
    assert "von einer Person, deren Daten gelöscht sind" in german.split("Eingereicht")[1]
    english = render_offering_detail(forgotten, EN, language="en", audit=[deleted])
    assert "Submitted by a person whose data was deleted on" in english
