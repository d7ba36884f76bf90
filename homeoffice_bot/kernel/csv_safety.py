"""CSV cells that spreadsheet programs show as text instead of running them as formulas:
one rule for every export (stand-up reports, #DigitalNah offerings)."""

from __future__ import annotations

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def guard_formula(cell: str) -> str:
    """A cell starting (after spaces) with = + - @ tab or CR gets a leading apostrophe."""
    return "'" + cell if cell.lstrip(" ").startswith(FORMULA_PREFIXES) else cell
