"""The one CSV formula rule (kernel/csv_safety.py), used by every export."""

from __future__ import annotations

import pytest

from homeoffice_bot.kernel.csv_safety import guard_formula, is_formula_like


@pytest.mark.parametrize(
    "cell",
    [
        "=SUM(A1)",
        "+1",
        "-1",
        "@cmd",
        "  =1",
        "\t=1",
        " \t=1",
        "\t",
        "\rx",
        "\n=HYPERLINK(1)",
        "\u00a0=1",
        "\u3000+1",
    ],
)
def test_a_formula_after_leading_whitespace_is_still_guarded(cell: str) -> None:
    assert is_formula_like(cell)
    assert guard_formula(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["Termin", "", "   ", "E-Mail", "1 + 1 = 2", "a@b"])
def test_ordinary_text_stays_as_it_is(cell: str) -> None:
    assert not is_formula_like(cell)
    assert guard_formula(cell) == cell
