"""SQL text as features write it (SQLite's flavour, kept portable) and its PostgreSQL form.

Features and migrations write one SQL: ``?`` (or ``?NNN``) placeholders, ``INSERT ... ON CONFLICT``,
instants as UTC ISO text, ``INTEGER`` for numbers and flags. ``to_postgres`` turns that
into what PostgreSQL runs: numbered placeholders, 64-bit integers (SQLite's INTEGER is
64 bits), identity columns for ``INTEGER PRIMARY KEY [AUTOINCREMENT]``, ``INSERT OR
IGNORE`` as ``ON CONFLICT DO NOTHING``, ``INSERT OR REPLACE`` as an upsert on the
table's primary key, ``char(n)`` as ``chr(n)``; PRAGMAs have no meaning there and are
skipped. What cannot be translated safely (SQLite's date functions, ``rowid``,
``IFNULL``, ``GROUP_CONCAT``) is refused with the statement named, so the fix lands in
the feature's SQL. New SQL should not lean on the translations: write the portable form.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from homeoffice_bot.kernel.errors import StorageError

_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_UNPORTABLE = {
    "rowid": "use the table's own key column",
    "autoincrement": "",  # translated, listed for the DDL check below
    "julianday": "store instants as UTC ISO text and compute in Python",
    "strftime": "store instants as UTC ISO text and compute in Python",
    "datetime": "store instants as UTC ISO text and compute in Python",
    "unixepoch": "store instants as UTC ISO text and compute in Python",
    "ifnull": "use COALESCE",
    "group_concat": "aggregate in Python",
}


class UnportableSQLError(StorageError):
    """A statement uses SQLite-only syntax that has no safe PostgreSQL translation."""


@dataclass(frozen=True)
class Translated:
    sql: str | None
    """The statement for PostgreSQL; None for a statement without meaning there (PRAGMA)."""
    placeholders: int


def split_script(script: str) -> list[str]:
    """Split a migration script into statements at semicolons outside quotes."""
    parts: list[str] = []
    current: list[str] = []
    quote: str | None = None
    for char in script:
        if quote is not None:
            if char == quote:
                quote = None
        elif char in "'\"":
            quote = char
        elif char == ";":
            parts.append("".join(current))
            current = []
            continue
        current.append(char)
    parts.append("".join(current))
    return [part.strip() for part in parts if part.strip()]


def _tokens(sql: str) -> list[tuple[str, str]]:
    """(kind, text) pieces: ``q`` quoted literal or identifier, ``w`` word, ``p`` ``?``,
    ``o`` anything else (kept as it is)."""
    out: list[tuple[str, str]] = []
    i, n = 0, len(sql)
    while i < n:
        char = sql[i]
        if char in "'\"":
            j = i + 1
            while j < n:
                if sql[j] == char:
                    if j + 1 < n and sql[j + 1] == char:  # doubled quote inside
                        j += 2
                        continue
                    break
                j += 1
            out.append(("q", sql[i : j + 1]))
            i = j + 1
        elif char == "-" and sql.startswith("--", i):
            j = sql.find("\n", i)
            j = n if j < 0 else j
            out.append(("o", " "))
            i = j
        elif char == "?":  # ? or SQLite's numbered ?NNN
            j = i + 1
            while j < n and sql[j].isdigit():
                j += 1
            out.append(("p", sql[i:j]))
            i = j
        elif match := _WORD.match(sql, i):
            out.append(("w", match.group()))
            i = match.end()
        else:
            out.append(("o", char))
            i += 1
    return out


def _next_words(tokens: list[tuple[str, str]], start: int, count: int) -> list[str]:
    words: list[str] = []
    for kind, text in tokens[start:]:
        if kind == "w":
            words.append(text.lower())
            if len(words) == count:
                break
        elif text.strip():
            break
    return words


def to_postgres(sql: str, primary_key: Sequence[str] = ()) -> Translated:
    """The PostgreSQL form of one statement (see the module's docstring). ``primary_key``:
    the key columns of the table of an ``INSERT OR REPLACE`` (``replace_target``)."""
    tokens = _tokens(sql)
    words = [text.lower() for kind, text in tokens if kind == "w"]
    if not words:
        return Translated(sql, 0)
    if words[0] == "pragma":
        return Translated(None, 0)
    for word in words:
        advice = _UNPORTABLE.get(word)
        if advice:
            raise UnportableSQLError(f"{word.upper()} is SQLite-only ({advice}): {sql.strip()}")
    ddl = words[0] in ("create", "alter")
    out: list[str] = []
    number = 0
    ignore = False
    replace: str | None = None
    i = 0
    while i < len(tokens):
        kind, text = tokens[i]
        low = text.lower()
        if kind == "p" and len(text) > 1:
            number = max(number, int(text[1:]))
            out.append(f"${text[1:]}")
        elif kind == "p":
            number += 1
            out.append(f"${number}")
        elif kind == "w" and low == "insert" and _next_words(tokens, i + 1, 1) == ["or"]:
            action = _next_words(tokens, i + 1, 2)[1:]
            if action == ["replace"]:
                replace = _replace_clause(sql, primary_key)
            elif action != ["ignore"]:
                raise UnportableSQLError(f"INSERT OR {action} is SQLite-only: {sql.strip()}")
            ignore = True
            out.append(text)
            i = _skip_words(tokens, i + 1, 2)
            continue
        elif not ddl and kind == "w" and low == "char" and _next_char(tokens, i + 1) == "(":
            out.append("chr")
        elif ddl and kind == "w" and low == "integer":
            if _next_words(tokens, i + 1, 2) == ["primary", "key"]:
                out.append("BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY")
                i = _skip_words(tokens, i + 1, 2)
                if _next_words(tokens, i, 1) == ["autoincrement"]:
                    i = _skip_words(tokens, i, 1)
                continue
            out.append("BIGINT")
        elif ddl and kind == "w" and low == "real":
            out.append("DOUBLE PRECISION")
        elif ddl and kind == "w" and low == "blob":
            out.append("BYTEA")
        else:
            out.append(text)
        i += 1
    result = "".join(out)
    if ignore:
        result = _add_conflict(result, replace or "ON CONFLICT DO NOTHING")
    return Translated(result, number)


def _next_char(tokens: list[tuple[str, str]], start: int) -> str:
    for _, text in tokens[start:]:
        if text.strip():
            return text[0]
    return ""


_REPLACE = re.compile(r"^\s*INSERT\s+OR\s+REPLACE\s+INTO\s+(\w+)\s*\(([^)]*)\)", re.I)


def replace_target(sql: str) -> str | None:
    """The table of an ``INSERT OR REPLACE INTO table(columns) ...``, else None."""
    match = _REPLACE.match(sql)
    return match.group(1).lower() if match else None


def _replace_clause(sql: str, primary_key: Sequence[str]) -> str:
    """``INSERT OR REPLACE`` as an upsert on the table's primary key (the row's other
    listed columns take the new values, as SQLite's replacement would give them)."""
    match = _REPLACE.match(sql)
    if match is None or not primary_key:
        raise UnportableSQLError(
            "INSERT OR REPLACE needs a column list and a table with a primary key; write "
            f"INSERT ... ON CONFLICT (key) DO UPDATE SET ...: {sql.strip()}"
        )
    columns = [c.strip().lower() for c in match.group(2).split(",")]
    keys = [k.lower() for k in primary_key]
    rest = [c for c in columns if c not in keys]
    if not rest:
        return f"ON CONFLICT ({', '.join(keys)}) DO NOTHING"
    sets = ", ".join(f"{c} = EXCLUDED.{c}" for c in rest)
    return f"ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {sets}"


def _skip_words(tokens: list[tuple[str, str]], start: int, count: int) -> int:
    """The index after ``count`` words from ``start`` (whitespace in between skipped)."""
    seen = 0
    i = start
    while i < len(tokens) and seen < count:
        if tokens[i][0] == "w":
            seen += 1
        i += 1
    return i


def _add_conflict(sql: str, clause: str) -> str:
    match = re.search(r"\bRETURNING\b", sql, re.IGNORECASE)
    if match is None:
        return f"{sql.rstrip().rstrip(';')} {clause}"
    return f"{sql[: match.start()]}{clause} {sql[match.start() :]}"


_INSERT_TABLE = re.compile(r"^\s*INSERT\s+(?:OR\s+\w+\s+)?INTO\s+([A-Za-z_][A-Za-z0-9_]*)", re.I)


def insert_table(sql: str) -> str | None:
    """The table an INSERT writes into (for ``lastrowid``), None for other statements."""
    match = _INSERT_TABLE.match(sql)
    return match.group(1).lower() if match else None


def has_returning(sql: str) -> bool:
    return any(kind == "w" and text.lower() == "returning" for kind, text in _tokens(sql))


def returns_rows(sql: str) -> bool:
    """True for statements that give rows back: SELECT, WITH ..., VALUES, or RETURNING."""
    words = [text.lower() for kind, text in _tokens(sql) if kind == "w"]
    return bool(words) and (words[0] in ("select", "with", "values") or "returning" in words)
