"""The command parser: from a chat message to a declared command with typed arguments."""

from __future__ import annotations

import contextlib
import re
import string
import tomllib
from collections.abc import Mapping
from datetime import date, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from homeoffice_bot.kernel import argtypes, dateargs, parser
from homeoffice_bot.kernel.argtypes import (
    Choice,
    Duration,
    Integer,
    RestText,
    Text,
    TimeOfDay,
    UserMention,
    Weekdays,
)
from homeoffice_bot.kernel.command_model import Arg, Command, Permission
from homeoffice_bot.kernel.dateargs import CalendarDate, Date, DateRange, DateRangeSpec
from homeoffice_bot.kernel.errors import ParseError, UnknownCommandError
from homeoffice_bot.kernel.parser import (
    CommandParseError,
    ResolvedCommand,
    resolve,
    split_command,
    suggest,
    tokenize,
    usage_line,
)

LOCALES = Path(argtypes.__file__).parent / "locales"


async def _handler(ctx: Any, args: Mapping[str, Any]) -> None:
    return None


def cmd(
    de: str, en: str, *args: Arg[Any], subcommands: tuple[Command, ...] = (), **kw: Any
) -> Command:
    handler = kw.pop("handler", _handler)
    return Command(
        names={"de": tuple(de.split("|")), "en": tuple(en.split("|"))},
        help={"de": f"Hilfe zu {de}", "en": f"help on {en}"},
        handler=handler,
        args=args,
        subcommands=subcommands,
        **kw,
    )


STANDUP = cmd(
    "standup",
    "standup",
    handler=None,
    subcommands=(
        cmd(
            "einrichten",
            "setup",
            Arg("time", TimeOfDay()),
            Arg("days", Weekdays(), optional=True),
            permission=Permission.MODERATOR,
        ),
        cmd(
            "notiz",
            "note",
            Arg("text", RestText(), label={"de": "Notiz", "en": "note"}, multiline=True),
        ),
        cmd("aussetzen", "skip", Arg("period", DateRange())),
        cmd("status", "status"),
    ),
)
PAUSE = cmd(
    "pause",
    "break",
    Arg("duration", Duration(bare_unit=timedelta(minutes=1)), optional=True),
    Arg("reason", RestText(max_length=200), optional=True),
)
VACATION = cmd(
    "urlaub",
    "vacation|holiday",
    Arg("period", DateRange()),
    Arg("who", UserMention(), optional=True),
)
WORKTIME = cmd("arbeitszeit", "worktime", Arg("hours", Duration()), Arg("days", Integer(1, 7)))
LANGUAGE = cmd(
    "sprache",
    "language",
    Arg(
        "lang",
        Choice(
            {"de": ("deutsch", "german"), "en": ("englisch", "english")},
            labels={
                "de": {"de": "deutsch", "en": "englisch"},
                "en": {"de": "german", "en": "english"},
            },
        ),
        label={"de": "Sprache", "en": "language"},
    ),
)
DEPUTY = cmd(
    "vertretung", "deputy", Arg("who", UserMention()), Arg("day", Date()), Arg("word", Text())
)
STATUS = cmd(
    "status",
    "status",
    Arg("who", UserMention(), optional=True),
    subcommands=(cmd("setzen", "set", Arg("state", Choice({"office": ("büro",), "home": ()}))),),
)
COMMANDS = (STANDUP, PAUSE, VACATION, WORKTIME, LANGUAGE, DEPUTY, STATUS)


def run(body: str, lang: str = "de") -> ResolvedCommand:
    split = split_command(body, "!")
    assert split is not None
    return resolve(COMMANDS, *split, lang=lang)


def parse_error(body: str, lang: str = "de") -> CommandParseError:
    with pytest.raises(CommandParseError) as info:
        run(body, lang)
    return info.value


def names(resolved: ResolvedCommand) -> list[str]:
    return [command.name_in("de") for command in resolved.path]


# --- tokenize and split_command -----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("", []),
        ("  a  b\tc\nd ", ["a", "b", "c", "d"]),
        ('"a b" c', ["a b", "c"]),
        ("„Guten Morgen“ zusammen", ["Guten Morgen", "zusammen"]),
        ("“good morning” all", ["good morning", "all"]),
        ('say "hi there"!', ["say", "hi there!"]),
        ('""', [""]),
        ('"unterminated quote here', ["unterminated quote here"]),
        ('„gemischt" ok', ["gemischt", "ok"]),
    ],
)
def test_tokenize(text: str, tokens: list[str]) -> None:
    assert tokenize(text) == tokens


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("!standup einrichten 9:00", ("standup", "einrichten 9:00")),
        ("  !Pause   15 min  ", ("pause", "15 min  ")),
        ("!HILFE", ("hilfe", "")),
        ("!notiz Zeile 1\nZeile 2", ("notiz", "Zeile 1\nZeile 2")),
        ("!moin\nGuten Morgen", ("moin", "\nGuten Morgen")),
        ("!moin \t\n ", ("moin", "")),
        ("!!standup", ("!standup", "")),
        ("!", None),
        ("! foo", None),
        ("!!!", None),
        ("!?", None),
        ("standup", None),
        ("", None),
        ("hallo !standup", None),
    ],
)
def test_split_command(body: str, expected: tuple[str, str] | None) -> None:
    assert split_command(body, "!") == expected


def test_split_command_with_a_longer_prefix() -> None:
    assert split_command("bot:pause 5", "bot:") == ("pause", "5")
    assert split_command("bot: pause 5", "bot:") is None
    assert split_command("bot pause", "bot:") is None


# --- resolve ------------------------------------------------------------------------------


def test_resolves_subcommand_and_arguments_in_any_language_and_case() -> None:
    resolved = run("!StandUp SETUP 9 Uhr Mo, Mi, Fr")
    assert names(resolved) == ["standup", "einrichten"]
    assert resolved.command is STANDUP.subcommands[0]
    assert resolved.args == {"time": time(9), "days": frozenset({1, 3, 5})}


def test_optional_argument_at_the_end_is_none() -> None:
    assert run("!standup einrichten 09:30").args == {"time": time(9, 30), "days": None}


def test_weekdays_may_be_typed_with_spaces_or_without() -> None:
    for days in ("mo-fr", "Mo – Fr", "mo bis fr", "mo,di,mi,do,fr", "Mo, Di, Mi, Do, Fr"):
        assert run(f"!standup einrichten 9:00 {days}").args["days"] == frozenset(range(1, 6))


def test_greedy_argument_keeps_the_text_as_typed() -> None:
    resolved = run('!standup notiz Gestern: "Bericht" fertig\n  Heute: Review ')
    assert resolved.args == {"text": 'Gestern: "Bericht" fertig\n  Heute: Review'}
    assert run('!standup notiz "nur eins"').args == {"text": "nur eins"}


def test_multi_word_values_before_a_greedy_rest() -> None:
    assert run("!pause 1 h 30 min Arzttermin am Mittag").args == {
        "duration": timedelta(minutes=90),
        "reason": "Arzttermin am Mittag",
    }
    assert run("!pause 15 Kaffee").args == {"duration": timedelta(minutes=15), "reason": "Kaffee"}
    assert run("!break").args == {"duration": None, "reason": None}


def test_optional_argument_that_does_not_fit_is_skipped() -> None:
    assert run("!pause Mittagessen mit dem Team").args == {
        "duration": None,
        "reason": "Mittagessen mit dem Team",
    }
    assert run("!status").args == {"who": None}
    assert run("!status @bob:example.org").args == {"who": "@bob:example.org"}


def test_a_group_with_a_handler_prefers_its_subcommands() -> None:
    resolved = run("!status set Büro")
    assert names(resolved) == ["status", "setzen"]
    assert resolved.args == {"state": "office"}


def test_date_range_spanning_several_tokens_before_another_argument() -> None:
    resolved = run("!holiday vom 28.12. bis 3.1. @alice:example.org")
    assert resolved.args["who"] == "@alice:example.org"
    period = resolved.args["period"]
    assert isinstance(period, DateRangeSpec)
    assert period.resolve(date(2026, 6, 1), future=True) == (date(2026, 12, 28), date(2027, 1, 3))


@pytest.mark.parametrize(
    ("period", "expected"),
    [
        ("nächste Woche", (date(2026, 6, 8), date(2026, 6, 12))),
        ("bis 23.08.", (date(2026, 6, 1), date(2026, 8, 23))),
        ("from the 14th to the 18th of December", (date(2026, 12, 14), date(2026, 12, 18))),
        ("vom 14. bis 18.12.", (date(2026, 12, 14), date(2026, 12, 18))),
    ],
)
def test_every_form_of_the_date_grammar_fits_a_command(
    period: str, expected: tuple[date, date]
) -> None:
    resolved = run(f"!holiday {period} @alice:example.org")
    assert resolved.args["who"] == "@alice:example.org"
    assert resolved.args["period"].resolve(date(2026, 6, 1), future=True) == expected


def test_a_token_is_left_for_each_later_required_argument() -> None:
    assert run("!arbeitszeit 1h 30 5").args == {"hours": timedelta(minutes=90), "days": 5}
    assert run("!arbeitszeit 8h 5").args == {"hours": timedelta(hours=8), "days": 5}


def test_several_required_arguments() -> None:
    resolved = run("!vertretung @bob:example.org 24.12. Weihnachten")
    assert resolved.args == {
        "who": "@bob:example.org",
        "day": CalendarDate(24, 12),
        "word": "Weihnachten",
    }


def test_missing_argument_names_it_in_the_room_language() -> None:
    err = parse_error("!standup einrichten")
    assert (err.key, err.params) == ("parse.missing", {"arg": "Uhrzeit"})
    assert [c.name_in("de") for c in err.usage_path] == ["standup", "einrichten"]
    assert parse_error("!sprache", lang="en").params == {"arg": "language"}


def test_argument_error_carries_key_value_arg_and_usage_path() -> None:
    err = parse_error("!standup einrichten 25:00 mo-fr")
    assert err.key == "parse.time"
    assert err.params == {"value": "25:00", "arg": "Uhrzeit"}
    assert usage_line(err.usage_path, "de", "!") == "!standup einrichten <Uhrzeit> [Wochentage]"
    assert isinstance(err.__cause__, ParseError)


def test_optional_argument_error_is_reported_when_nothing_else_takes_the_tokens() -> None:
    err = parse_error("!standup einrichten 9:00 mo-fx")
    assert (err.key, err.params) == ("parse.weekdays", {"value": "mo-fx", "arg": "Wochentage"})


def test_choice_error_lists_options_in_the_room_language() -> None:
    err = parse_error("!sprache klingonisch", lang="en")
    assert err.key == "parse.choice"
    assert err.params == {"value": "klingonisch", "options": "german|english", "arg": "language"}


def test_too_many_tokens() -> None:
    err = parse_error("!standup status jetzt sofort")
    assert (err.key, err.params) == ("parse.too_many", {"value": "jetzt sofort"})
    assert [c.name_in("de") for c in err.usage_path] == ["standup", "status"]


# --- the lines below a command -------------------------------------------------------------


def test_the_lines_below_a_command_without_text_are_not_part_of_it() -> None:
    assert run("!sprache de\nzweite Zeile").args == {"lang": "de"}
    assert run("!standup status\nwie läuft es?").args == {}
    assert run("!urlaub 12.08.-23.08.\n@alice:example.org kommt mit").args["who"] is None


def test_a_greedy_argument_reads_only_its_own_line_unless_it_is_multiline() -> None:
    assert run("!pause 15 Kaffee\nund dann weiter").args == {
        "duration": timedelta(minutes=15),
        "reason": "Kaffee",
    }
    assert run("!standup notiz Zeile 1\nZeile 2").args == {"text": "Zeile 1\nZeile 2"}
    assert run("!standup notiz\nErst hier\n und hier").args == {"text": "Erst hier\n und hier"}


def test_an_error_on_the_command_line_does_not_quote_the_lines_below() -> None:
    err = parse_error("!sprache klingonisch\nBitte auf Deutsch")
    assert err.params["value"] == "klingonisch"
    err = parse_error("!standup status jetzt\nsofort")
    assert (err.key, err.params) == ("parse.too_many", {"value": "jetzt"})


def test_subcommands_and_arguments_are_read_from_the_command_line() -> None:
    err = parse_error("!standup\nstatus")
    assert err.key == "parse.subcommand"
    err = parse_error("!sprache\nde")
    assert (err.key, err.params) == ("parse.missing", {"arg": "Sprache"})


def test_only_a_greedy_last_argument_can_be_multiline() -> None:
    with pytest.raises(ValueError, match="greedy"):
        Arg("word", Text(), multiline=True)
    with pytest.raises(ValueError, match="last"):
        cmd("x", "x", Arg("text", RestText(), multiline=True), Arg("word", Text()))


def test_group_without_handler_needs_a_subcommand() -> None:
    err = parse_error("!standup")
    assert err.key == "parse.subcommand"
    assert err.params == {"options": "einrichten, notiz, aussetzen, status"}
    assert err.usage_path == (STANDUP,)
    err = parse_error("!standup anlegen", lang="en")
    assert err.key == "parse.subcommand_unknown"
    assert err.params == {"value": "anlegen", "options": "setup, note, skip, status"}


def test_unknown_command_suggests_close_names() -> None:
    with pytest.raises(UnknownCommandError) as info:
        run("!urlab 1.1.")
    assert info.value.key == "command.unknown"
    assert info.value.params == {"word": "urlab", "suggestions": ["urlaub"]}
    with pytest.raises(UnknownCommandError) as info:
        run("!xyz")
    assert info.value.params == {"word": "xyz", "suggestions": []}


def test_suggest_gives_one_name_per_command_best_first() -> None:
    assert suggest(COMMANDS, "vacaton") == ["vacation"]
    assert suggest(COMMANDS, "stats") == ["status"]
    assert suggest(COMMANDS, "paus") == ["pause"]
    assert suggest(COMMANDS, "standuo") == ["standup"]
    assert suggest(COMMANDS, "qqqq") == []
    assert suggest(COMMANDS, "stat", n=1) == ["status"]
    assert suggest(COMMANDS, "stadnup") == ["standup"]


# --- usage_line ---------------------------------------------------------------------------


def test_usage_line() -> None:
    setup = STANDUP.subcommands[0]
    assert usage_line((STANDUP, setup), "de", "!") == "!standup einrichten <Uhrzeit> [Wochentage]"
    assert usage_line((STANDUP, setup), "en", "!") == "!standup setup <time> [weekdays]"
    assert usage_line((STANDUP,), "de", "!") == "!standup <einrichten|notiz|aussetzen|status>"
    assert usage_line((PAUSE,), "en", "!") == "!break [duration] [text]"
    assert usage_line((STANDUP, STANDUP.subcommands[1]), "en", "!") == "!standup note <note>"
    assert usage_line((LANGUAGE,), "de", "bot ") == "bot sprache <Sprache>"
    assert usage_line((VACATION,), "de", "!") == "!urlaub <Zeitraum> [@Person]"
    with pytest.raises(ValueError, match="at least one"):
        usage_line((), "de", "!")


# --- message catalogue --------------------------------------------------------------------


def load(lang: str) -> dict[str, str]:
    with (LOCALES / f"parse.{lang}.toml").open("rb") as fh:
        return tomllib.load(fh)


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_catalogues_have_the_same_keys_and_placeholders() -> None:
    german, english = load("de"), load("en")
    assert german.keys() == english.keys()
    for key, text in german.items():
        assert fields(text) == fields(english[key]), key


def test_every_key_raised_in_the_code_has_a_message() -> None:
    sources = [Path(module.__file__ or "") for module in (argtypes, dateargs, parser)]
    used = {
        key for source in sources for key in re.findall(r'"(parse\.[a-z_]+)"', source.read_text())
    }
    assert used == set(load("de"))


# --- properties ---------------------------------------------------------------------------

CATALOGUE = {"de": load("de"), "en": load("en")}
VOCABULARY = sorted(
    {name for command in COMMANDS for name in command.all_names()}
    | {name for command in COMMANDS for sub in command.subcommands for name in sub.all_names()}
    | {"9:00", "9", "Uhr", "mo-fr", "Mo,", "Mi", "bis", "15", "min", "1h", "12.08.", "–", "-"}
    | {"@alice:example.org", "@x", '"', "„", "“", "büro", "deutsch", "\n", "24.12.", "morgen"}
)
words = st.one_of(st.sampled_from(VOCABULARY), st.text(max_size=6))
command_like = st.builds(
    lambda prefix, parts, sep: prefix + sep.join(parts),
    st.sampled_from(["!", " !", "!!"]),
    st.lists(words, max_size=8),
    st.sampled_from([" ", "  ", "\n", " \t"]),
)


def outcome(body: str, lang: str) -> ResolvedCommand | CommandParseError | UnknownCommandError:
    split = split_command(body, "!")
    assert split is not None
    try:
        return resolve(COMMANDS, *split, lang=lang)
    except (CommandParseError, UnknownCommandError) as err:
        return err


def check_outcome(body: str, lang: str) -> None:
    if split_command(body, "!") is None:
        return
    result = outcome(body, lang)
    if isinstance(result, CommandParseError):
        assert result.usage_path
        assert usage_line(result.usage_path, lang, "!").startswith("!")
        CATALOGUE[lang][result.key].format(**result.params)  # the message gets all its params
    elif isinstance(result, UnknownCommandError):
        assert result.key == "command.unknown"
        assert set(result.params) == {"word", "suggestions"}
    else:
        assert result.command.handler is not None
        assert set(result.args) == {arg.name for arg in result.command.args}


@settings(max_examples=300)
@given(body=st.text(), lang=st.sampled_from(["de", "en"]))
def test_any_text_resolves_or_raises_a_command_error(body: str, lang: str) -> None:
    check_outcome(body, lang)
    check_outcome("!" + body, lang)


@settings(max_examples=500)
@given(body=command_like, lang=st.sampled_from(["de", "en"]))
def test_command_like_text_resolves_or_raises_a_command_error(body: str, lang: str) -> None:
    check_outcome(body, lang)


@given(word=st.text(), rest=st.text())
def test_resolve_of_arbitrary_word_and_rest(word: str, rest: str) -> None:
    with contextlib.suppress(ParseError, UnknownCommandError):
        resolve(COMMANDS, word, rest)


def test_very_long_input() -> None:
    check_outcome("!pause " + "15 min " * 5_000, "de")
    check_outcome("!standup einrichten 9:00 " + "mo, " * 5_000, "de")
    check_outcome("!" + "x" * 100_000, "de")
    check_outcome("!standup notiz " + "ä" * 100_000, "en")


@given(st.text())
def test_tokenize_drops_nothing_but_whitespace_and_quotes(text: str) -> None:
    tokens = tokenize(text)
    kept = "".join(c for c in text if not c.isspace() and c not in '"„“”')
    # A quote mark inside a quotation of another kind is content, so compare without them.
    got = "".join(c for token in tokens for c in token if not c.isspace() and c not in '"„“”')
    assert got == kept
    if not any(c in '"„“”' for c in text):
        assert tokens == text.split()


def test_a_command_of_60_kb_is_refused_quickly_with_short_params() -> None:
    """Messages near the homeserver's event limit get an answer that fits into an event."""
    commands = [
        cmd("angebot|offer", "offer", Arg("fields", RestText(max_length=5000), optional=True)),
        cmd("zeit", "time", Arg("at", TimeOfDay())),
    ]
    huge = "Terminbuchung " * 4300
    for word, rest, key in (
        ("angebot", huge, "parse.too_long"),
        ("zeit", "09:00 " * 10_000, "parse.too_many"),
        ("zeit", "x" * 60_000, "parse.time"),
        ("x" * 60_000, "", "command.unknown"),
    ):
        with pytest.raises((ParseError, UnknownCommandError)) as caught:
            resolve(commands, word, rest)
        assert caught.value.key == key
        assert all(len(str(value)) <= 100 for value in caught.value.params.values())
