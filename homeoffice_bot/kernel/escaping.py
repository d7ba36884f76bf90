"""Escaping what people wrote: one rule, one named variant for each place text goes.

``escape_markdown(text)``
    User text in a Markdown source that ``formatting.render`` turns into a message, line
    breaks kept (answers, notes, values quoted back). It shows as typed: no heading (``#``
    or a line of ``=``/``-`` under it), list, quote, code, link, image, emphasis or pill.
``escape_line(text)``
    A name, note or excerpt inside a sentence or list item of a message: the same on one
    line (line breaks and runs of spaces become one space, so nothing starts a new block),
    and ``{@`` gets a word joiner, so the text never forms a mention token.
``escape_for_file(text)``
    Markdown written into a file that no ``render`` sees (stand-up exports, the published
    ``angebote.md``): ``& < >`` become entities (no raw HTML in any reader's renderer),
    Markdown syntax is neutralised, and ordinary punctuation ("01.04.2024 - Termine + mehr")
    stays readable in the file.

HTML is a different rule: web pages are rendered by Jinja2 with autoescape, and ``render``
shows raw HTML in a Markdown source as text and sanitises its output. Mention tokens
(``{@user:server}``) in user text stay text with every variant: the escaped closing brace
keeps ``render`` from seeing a token.
"""

from __future__ import annotations

import re

WORD_JOINER = "\u2060"
"""Invisible; placed where a character would otherwise start Markdown syntax."""

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!])")
"""What Python-Markdown treats as escapable (``|``/``~``/``=`` are not: a backslash before
them would stay visible)."""
_SETEXT_UNDERLINE = re.compile(r"^([ \t]*=+[ \t]*)$", re.M)
"""A line of ``=`` turns the line above into a heading; ``=`` cannot be backslash-escaped."""
_WHITESPACE = re.compile(r"\s+")

_FILE_INLINE = re.compile(r"([\\`*_\[\]{}()])")
_FILE_LINE_START = re.compile(r"^([ \t]*)(?:(#|[-+](?=\s|$|-))|(\d+)([.)])(?=\s|$))", re.M)


def escape_markdown(text: str) -> str:
    """User text that a rendered message shows as typed, line breaks kept."""
    text = _SETEXT_UNDERLINE.sub(WORD_JOINER + r"\1", text.replace("\r", ""))
    return _MD_SPECIAL.sub(r"\\\1", text)


def escape_line(text: str) -> str:
    """A name, note or excerpt for a sentence of a message: ``escape_markdown`` on one
    line, mention tokens broken by a word joiner."""
    one_line = _WHITESPACE.sub(" ", text).strip().replace("{@", "{" + WORD_JOINER + "@")
    return _MD_SPECIAL.sub(r"\\\1", one_line)


def escape_for_file(text: str) -> str:
    """User text for a Markdown file that no kernel ``render`` will see, line breaks kept:
    HTML special characters as entities, Markdown punctuation backslash-escaped, a heading,
    list or quote marker at the start of a line neutralised, lines of ``=`` broken."""
    text = text.replace("\r", "")
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _FILE_INLINE.sub(r"\\\1", text)
    text = _SETEXT_UNDERLINE.sub(WORD_JOINER + r"\1", text)
    return _FILE_LINE_START.sub(_escape_line_start, text)


def _escape_line_start(match: re.Match[str]) -> str:
    indent, marker, number, dot = match.groups()
    if marker:
        return f"{indent}\\{marker}"
    return f"{indent}{number}\\{dot}"
