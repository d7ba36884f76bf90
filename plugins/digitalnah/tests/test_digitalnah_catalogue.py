from __future__ import annotations

import re
from pathlib import Path

import pytest

import digitalnah
from digitalnah.assistant import ASSISTANT_FIELDS, AssistantStatus
from digitalnah.catalogue import load_catalogue, translator
from digitalnah.lifecycle import Action
from digitalnah.model import Field, OfferingState
from digitalnah.personal_data import SECTIONS, TITLES
from homeoffice_bot.kernel.i18n import placeholders

PACKAGE = Path(digitalnah.__file__).parent
KEY_LITERAL = re.compile(r"\"(digitalnah\.[a-z_]+(?:\.[a-z_]+)+)\"")


def source_keys() -> set[str]:
    keys: set[str] = set()
    for path in PACKAGE.rglob("*.py"):
        if "tests" not in path.parts:
            keys.update(KEY_LITERAL.findall(path.read_text("utf-8")))
    keys.discard(TITLES)  # a prefix: catalogue_titles() appends the section names
    return keys


def dynamic_keys() -> set[str]:
    keys = {f"digitalnah.field.{f.value}" for f in Field}
    keys |= {f"digitalnah.state.{s.value}" for s in OfferingState}
    keys |= {f"digitalnah.action.{a.value}" for a in Action}
    keys |= {f"digitalnah.assistant.ask.{f.value}" for f in ASSISTANT_FIELDS}
    keys |= {
        f"digitalnah.assistant.{s.value}"
        for s in AssistantStatus
        if s is not AssistantStatus.ASKING
    }
    keys |= {f"{TITLES}.{name}" for name in ("component", *SECTIONS)}
    return keys


def test_both_catalogues_have_the_same_keys_and_placeholders() -> None:
    german, english = load_catalogue("de"), load_catalogue("en")
    assert set(german) == set(english)
    for key, text in german.items():
        assert placeholders(text) == placeholders(english[key]), key


def test_every_key_the_code_uses_exists() -> None:
    german = load_catalogue("de")
    used = source_keys() | dynamic_keys()
    assert len(used) > 60
    assert sorted(used - set(german)) == []


def test_every_message_formats_with_its_placeholders() -> None:
    for language in ("de", "en"):
        tr = translator(language, strict=True)
        for key, text in load_catalogue(language).items():
            params = dict.fromkeys(placeholders(text), "X")
            assert tr(key, **params)


def test_translator() -> None:
    assert translator("de")("digitalnah.field.title") == "Titel"
    assert translator("en")("digitalnah.list.heading", count=2) == (
        "Current #DigitalNah offerings (2):"
    )
    assert translator("en")("digitalnah.nope") == "digitalnah.nope"
    with pytest.raises(KeyError):
        translator("de", strict=True)("digitalnah.nope")
    with pytest.raises(ValueError, match="fr"):
        load_catalogue("fr")
