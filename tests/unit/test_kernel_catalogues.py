"""Every component's German and English catalogues have the same keys and placeholders."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from homeoffice_bot.kernel.i18n import Catalogue, load_catalogues, placeholders

ROOT = Path(__file__).resolve().parents[2]
FOLDERS = sorted(
    p
    for p in [*ROOT.glob("homeoffice_bot/**/locales"), *ROOT.glob("plugins/*/locales")]
    if p.is_dir()
)


def test_there_are_catalogues() -> None:
    names = {f.parent.name for f in FOLDERS}
    assert {"kernel"} <= names


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda p: str(p.relative_to(ROOT)))
def test_german_and_english_match(folder: Path) -> None:
    catalogues = load_catalogues(folder)
    de, en = catalogues["de"], catalogues["en"]
    assert de, f"{folder} has no German messages"
    assert sorted(set(de) ^ set(en)) == []
    for key in de:
        assert placeholders(de[key]) == placeholders(en[key]), key


def test_translator_formats_and_falls_back(tmp_path: Path) -> None:
    (tmp_path / "de.toml").write_text('greet = "Hallo {name}"\n[nested]\nkey = "tief"\n')
    (tmp_path / "en.toml").write_text('greet = "Hello {name}"\n')
    kernel = Catalogue({"de": {"only.kernel": "Kern"}, "en": {}})
    catalogue = Catalogue.from_folder(tmp_path, fallback=kernel)
    assert catalogue.translator("en")("greet", name="Anna") == "Hello Anna"
    assert catalogue.translator("de")("nested.key") == "tief"
    assert catalogue.translator("en")("nested.key") == "tief"  # German when English lacks it
    assert catalogue.translator("en")("only.kernel") == "Kern"
    assert catalogue.translator("fr").lang == "de"
    assert catalogue.translator("de")("missing.key") == "missing.key"


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda p: str(p.relative_to(ROOT)))
def test_a_mention_is_part_of_the_sentence(folder: Path) -> None:
    """ "{mention}, gute Nachricht: …", never "{mention} Gute Nachricht" (names run together)."""
    for lang, messages in load_catalogues(folder).items():
        for key, text in messages.items():
            assert re.search(r"\{mention\}\s+\w", text) is None, (lang, key, text)
