"""The one plural helper of the catalogues."""

from __future__ import annotations

import pytest

from homeoffice_bot.kernel.i18n import Catalogue, plural

CATALOGUE = Catalogue(
    {
        "de": {
            "m.one": "{count} Erwähnung von {name}",
            "m.other": "{count} Erwähnungen von {name}",
        },
        "en": {"m.one": "{count} mention from {name}", "m.other": "{count} mentions from {name}"},
    }
)


@pytest.mark.parametrize(
    ("lang", "count", "expected"),
    [
        ("de", 0, "0 Erwähnungen von Anna"),
        ("de", 1, "1 Erwähnung von Anna"),
        ("de", 2, "2 Erwähnungen von Anna"),
        ("en", 1, "1 mention from Anna"),
        ("en", 12, "12 mentions from Anna"),
    ],
)
def test_plural_picks_the_form_and_fills_the_count(lang: str, count: int, expected: str) -> None:
    assert plural(CATALOGUE.translator(lang), "m", count, name="Anna") == expected
