"""CSV cells that spreadsheet programs show as text instead of running them as formulas:
one rule for every export (stand-up reports, #DigitalNah offerings).

A cell is guarded (a leading apostrophe) when it starts with a tab or a carriage return,
or when its first character after any leading whitespace (spaces, tabs, line breaks,
no-break spaces) is ``=``, ``+``, ``-`` or ``@``: spreadsheet programs skip that whitespace
and still read a formula.
"""

from __future__ import annotations

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(cell: str) -> bool:
    """Whether a spreadsheet program could read ``cell`` as a formula."""
    return cell.startswith(("\t", "\r")) or cell.lstrip().startswith(FORMULA_PREFIXES)


def guard_formula(cell: str) -> str:
    """``cell`` with a leading apostrophe when it could be read as a formula."""
    return "'" + cell if is_formula_like(cell) else cell
