"""From a chat message to a declared command with typed arguments. Pure functions.

    split_command(body, "!")          -> ("standup", "einrichten 9 Uhr Mo-Fr") or None
    resolve(commands, word, rest)     -> ResolvedCommand(path, args)
    usage_line(path, "de", "!")       -> "!standup einrichten <Uhrzeit> [Wochentage]"

Tokens are separated by whitespace; double quotes ("…", „…“, “…”) group words into one
token and are removed. A quote that is never closed runs to the end of the text.

A command reads the line it is typed on. The lines below it belong to the command only when
its last argument is declared ``Arg(..., multiline=True)`` (free text, "Feld: Wert" lines);
otherwise they are not parsed at all, so "!sprache de" with a greeting below it just works.

Binding arguments, in declaration order:
- a greedy argument (``RestText``) takes the rest of the text as typed (line breaks of a
  multiline argument kept); it belongs last;
- any other argument is offered the longest run of tokens its type accepts
  (``max_tokens``, default 1; e.g. "9 Uhr", "Mo, Mi, Fr", "12.08. bis 23.08."), shorter
  runs after that, always leaving one token for each later required argument;
- an optional argument whose tokens do not fit is skipped (value None) and the tokens go
  to the next argument; at the end of the line, missing optional arguments are None.

Every ``ParseError`` that ``resolve`` raises is a ``CommandParseError``: it carries
``usage_path`` (root to leaf) so that the caller can add ``usage_line(err.usage_path, …)``.
Errors from an argument type also get the param ``arg`` (the argument's placeholder name).
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from homeoffice_bot.kernel.argtypes import Choice, fold, shown
from homeoffice_bot.kernel.command_model import Arg, Command
from homeoffice_bot.kernel.errors import ParseError, UnknownCommandError

_OPENING_QUOTES = '"„“”'
_CLOSING_QUOTES = '"“”'
_LEADING_BLANKS = re.compile(r"^[^\S\n]+")


class CommandParseError(ParseError):
    """A ParseError that knows the command it belongs to (for the usage line)."""

    def __init__(self, key: str, /, *, usage_path: tuple[Command, ...], **params: Any) -> None:
        super().__init__(key, **params)
        self.usage_path = usage_path


@dataclass(frozen=True)
class ResolvedCommand:
    path: tuple[Command, ...]
    """The command and the subcommands chosen, root to leaf."""
    args: dict[str, Any]
    """Argument name -> parsed value (None for an absent optional argument)."""

    @property
    def command(self) -> Command:
        """The leaf: the command whose handler runs."""
        return self.path[-1]


@dataclass(frozen=True)
class _Token:
    text: str
    start: int
    end: int


def _scan(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    i, n = 0, len(text)
    while i < n:
        if text[i].isspace():
            i += 1
            continue
        start, chars, quoted = i, [], False
        while i < n:
            char = text[i]
            if quoted and char in _CLOSING_QUOTES:
                quoted = False
            elif not quoted and char in _OPENING_QUOTES:
                quoted = True
            elif not quoted and char.isspace():
                break
            else:
                chars.append(char)
            i += 1
        tokens.append(_Token("".join(chars), start, i))
    return tokens


def tokenize(text: str) -> list[str]:
    """Split on whitespace; quotes group words and are removed (``'"a b" c'`` -> a b, c)."""
    return [token.text for token in _scan(text)]


def split_command(body: str, prefix: str) -> tuple[str, str] | None:
    """("command word" lower-cased, rest of the text as typed) if ``body`` is a command.

    Leading whitespace is tolerated. The rest keeps a line break that follows the word
    ("!moin\nHallo" -> ("moin", "\nHallo")): the command's own line is empty then.
    Not a command: no prefix, "!" alone, "! foo", and a word without any letter or digit
    ("!!!", "!?").
    """
    text = body.lstrip()
    if not text.startswith(prefix):
        return None
    after = text[len(prefix) :]
    if not after or after[0].isspace():
        return None
    typed = after.split(maxsplit=1)[0]
    word = unicodedata.normalize("NFC", typed).lower()
    if not any(char.isalnum() for char in word):
        return None
    rest = _LEADING_BLANKS.sub("", after[len(typed) :])
    return word, rest if rest.strip() else ""


def _find(commands: Sequence[Command], word: str) -> Command | None:
    wanted = fold(word)
    for command in commands:
        if wanted in (fold(name) for name in command.all_names()):
            return command
    return None


def suggest(commands: Sequence[Command], word: str, n: int = 3) -> list[str]:
    """Up to ``n`` command names close to ``word`` (best first, one name per command)."""
    wanted = fold(word)[:40]
    scored: list[tuple[float, str]] = []
    for command in commands:
        ratio, name = max(
            (difflib.SequenceMatcher(None, wanted, fold(name)).ratio(), name)
            for name in command.all_names()
        )
        if ratio >= 0.7:
            scored.append((ratio, name))
    scored.sort(key=lambda item: item[0], reverse=True)
    return [name for _, name in scored[:n]]


def resolve(
    commands: Sequence[Command], word: str, rest: str, *, lang: str = "de"
) -> ResolvedCommand:
    """Find the command named ``word``, descend into subcommands, bind the arguments.

    ``lang`` only shapes error params (placeholder names, option lists); every name of
    every language is accepted. Raises ``UnknownCommandError`` ("command.unknown" {word,
    suggestions: list[str] of names without prefix, maybe empty}) or
    ``CommandParseError`` ("parse.subcommand" {options},
    "parse.subcommand_unknown" {value, options}, "parse.missing" {arg},
    "parse.too_many" {value}, or an argument type's key plus {arg}).
    """
    command = _find(commands, word)
    if command is None:
        raise UnknownCommandError(
            "command.unknown", word=shown(word), suggestions=suggest(commands, word)
        )
    line = rest.split("\n", 1)[0]
    tokens = _scan(line)
    path = [command]
    used = 0
    while path[-1].subcommands:
        current = path[-1]
        sub = _find(current.subcommands, tokens[used].text) if used < len(tokens) else None
        if sub is None:
            if current.handler is not None:
                break
            options = ", ".join(s.name_in(lang) for s in current.subcommands)
            if used < len(tokens):
                raise CommandParseError(
                    "parse.subcommand_unknown",
                    usage_path=tuple(path),
                    value=shown(tokens[used].text),
                    options=options,
                )
            raise CommandParseError("parse.subcommand", usage_path=tuple(path), options=options)
        path.append(sub)
        used += 1
    if path[-1].multiline:  # the lines below are the command's text: bind all after the names
        text = rest[tokens[used - 1].end :] if used else rest
        return ResolvedCommand(tuple(path), _bind(tuple(path), _scan(text), text, lang))
    return ResolvedCommand(tuple(path), _bind(tuple(path), tokens[used:], line, lang))


def _bind(path: tuple[Command, ...], tokens: list[_Token], rest: str, lang: str) -> dict[str, Any]:
    declared = path[-1].args
    values: dict[str, Any] = {}
    skipped_error: CommandParseError | None = None
    used = 0

    def span(count: int) -> str:
        first, last = tokens[used], tokens[used + count - 1]
        return first.text if count == 1 else rest[first.start : last.end]

    for index, arg in enumerate(declared):
        left = len(tokens) - used
        if left == 0:
            if not arg.optional:
                label = _placeholder_name(arg, lang)
                raise CommandParseError("parse.missing", usage_path=path, arg=label)
            values[arg.name] = None
            continue
        if arg.type.greedy:
            text = tokens[used].text if left == 1 else rest[tokens[used].start :].rstrip()
            values[arg.name] = _parse(arg, text, lang, path)
            used = len(tokens)
            continue
        later_required = sum(1 for later in declared[index + 1 :] if not later.optional)
        most = max(1, min(int(getattr(arg.type, "max_tokens", 1)), left - later_required))
        error: CommandParseError | None = None
        for count in range(most, 0, -1):
            try:
                values[arg.name] = _parse(arg, span(count), lang, path)
            except CommandParseError as err:
                error = err
                continue
            used += count
            break
        else:
            assert error is not None
            if not arg.optional or index == len(declared) - 1:
                raise error
            skipped_error = skipped_error or error
            values[arg.name] = None
    if used < len(tokens):
        if skipped_error is not None:
            raise skipped_error
        extra = shown(rest[tokens[used].start :])
        raise CommandParseError("parse.too_many", usage_path=path, value=extra)
    return values


def _parse(arg: Arg[Any], text: str, lang: str, path: tuple[Command, ...]) -> Any:
    try:
        return arg.type.parse(text)
    except ParseError as err:
        params = dict(err.params)
        params.setdefault("arg", _placeholder_name(arg, lang))
        if isinstance(arg.type, Choice):
            params["options"] = arg.type.options_text(lang)
        raise CommandParseError(err.key, usage_path=path, **params) from err


def _placeholder_name(arg: Arg[Any], lang: str) -> str:
    label = arg.label.get(lang) or arg.label.get("de")
    return label or arg.type.usage(lang).strip("<>")


def usage_line(path: Sequence[Command], lang: str, prefix: str) -> str:
    """ "!standup einrichten <Uhrzeit> [Wochentage]": names in ``lang``, optional
    arguments in [brackets]; a command that needs a subcommand shows <a|b|c>."""
    if not path:
        raise ValueError("usage_line needs at least one command")
    parts = [prefix + path[0].name_in(lang), *(command.name_in(lang) for command in path[1:])]
    leaf = path[-1]
    if leaf.subcommands and leaf.handler is None:
        parts.append("<" + "|".join(sub.name_in(lang) for sub in leaf.subcommands) + ">")
    else:
        for arg in leaf.args:
            name = _placeholder_name(arg, lang)
            parts.append(f"[{name}]" if arg.optional else f"<{name}>")
    return " ".join(parts)
