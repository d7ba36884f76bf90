"""The one escaping rule and its three variants (kernel/escaping.py)."""

from __future__ import annotations

import html
import re

import markdown
import pytest
from hypothesis import given
from hypothesis import strategies as st

from homeoffice_bot.kernel.escaping import (
    WORD_JOINER,
    escape_for_file,
    escape_line,
    escape_markdown,
)
from homeoffice_bot.kernel.formatting import render

BLOCKS = re.compile(r"<(h[1-6]|ul|ol|li|blockquote|pre|code|a|img|em|strong|hr)\b")

HOSTILE_LINES = [
    "Titel\n===",
    "Titel\n---",
    "  ==  \nmehr",
    "# Überschrift",
    "1. Liste\n2) zwei",
    "- Liste\n+ plus\n* stern",
    "> Zitat",
    "```\ncode\n```",
    "![x](https://evil.example/x.png)",
    "[klick](javascript:alert(1))",
    "<https://evil.example>",
    "**fett** _kursiv_ `code`",
    "{@boss:example.org}",
]


def _visible(html_text: str) -> str:
    """The words a reader sees (Markdown drops spaces at line ends and starts)."""
    text = html.unescape(re.sub(r"<[^>]+>", "", html_text)).replace(WORD_JOINER, "")
    return _words(text)


def _words(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("text", HOSTILE_LINES)
def test_a_block_of_user_text_stays_text_in_a_message(text: str) -> None:
    rendered = render("Antwort:\n" + escape_markdown(text), {"@boss:example.org": "Boss"})
    assert rendered.mentions == ()
    assert BLOCKS.search(rendered.formatted_body) is None, rendered.formatted_body
    assert _visible(rendered.formatted_body) == _words("Antwort: " + text)


def test_a_line_of_equals_signs_under_text_makes_no_heading() -> None:
    """The variant that keeps line breaks breaks setext underlines (``=`` cannot take a
    backslash); a lone ``=`` stays as typed."""
    assert "<h1" not in render(escape_markdown("Wichtig\n=====")).formatted_body
    assert escape_markdown("1 + 1 = 2") == "1 \\+ 1 = 2"


@pytest.mark.parametrize("text", HOSTILE_LINES)
def test_a_name_or_excerpt_stays_on_one_line(text: str) -> None:
    escaped = escape_line(text)
    assert "\n" not in escaped
    rendered = render(f"- {escaped}", {"@boss:example.org": "Boss"})
    assert rendered.mentions == ()
    assert "{@" not in escaped


@given(st.text(max_size=200))
def test_every_message_variant_is_inert(text: str) -> None:
    for escaped in (escape_markdown(text), escape_line(text)):
        rendered = render("Text: " + escaped)
        assert rendered.mentions == ()
        assert "<a " not in rendered.formatted_body
        assert "<script" not in rendered.formatted_body.lower()


@pytest.mark.parametrize(
    "text",
    [
        *HOSTILE_LINES[:-1],
        "<script>alert(1)</script>",
        "&lt;script&gt;",
        "#hashtag",
        "2024. Jahr",
        "   - eingerückt",
    ],
)
def test_text_for_a_file_renders_literally_in_any_markdown_reader(text: str) -> None:
    """A file has no ``render`` in front: plain Python-Markdown, raw HTML allowed."""
    rendered = markdown.markdown(escape_for_file(text))
    assert BLOCKS.search(rendered) is None, rendered
    assert "<script" not in rendered
    assert _visible(rendered) == _words(text)


def test_text_for_a_file_stays_readable_and_keeps_its_lines() -> None:
    assert escape_for_file("01.04.2024 - Termine + mehr, 50 %") == (
        "01.04.2024 - Termine + mehr, 50 %"
    )
    assert escape_for_file("eins\nzwei") == "eins\nzwei"
    assert escape_for_file("a & b <c>") == "a &amp; b &lt;c&gt;"
