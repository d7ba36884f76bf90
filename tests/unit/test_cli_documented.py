"""The command lines that the example configuration and the docs print work as printed.

They are read out of the files themselves (code spans and code blocks of the Markdown files, the
comments of the example TOML), so a command line written into the docs later is checked too.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
from pathlib import Path

import pytest

from homeoffice_bot.cli import (
    build_parser,
    cmd_check_config,
    cmd_migrate_storage,
    cmd_plugin,
    cmd_run,
    main,
)

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE_TOML = ROOT / "config" / "homeoffice.example.toml"
SOURCES = [EXAMPLE_TOML, ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]

PROGRAM = re.compile(r"^(?:\S*/bin/)?homeoffice-bot$")
CODE_SPAN = re.compile(r"`([^`\n]+)`")
FENCE = re.compile(r"^\s*```")
FUNCS = {
    "run": cmd_run,
    "check-config": cmd_check_config,
    "publish": cmd_plugin,
    "migrate-storage": cmd_migrate_storage,
}


def _snippets(path: Path) -> list[str]:
    """The pieces of a file that may hold a command line."""
    lines = path.read_text(encoding="utf-8").splitlines()
    if path.suffix == ".toml":
        return [line.lstrip("#") for line in lines if line.startswith("#")]
    snippets: list[str] = []
    in_block = False
    for line in lines:
        if FENCE.match(line):
            in_block = not in_block
        elif in_block:
            snippets.append(line)
        else:
            snippets.extend(CODE_SPAN.findall(line))
    return snippets


def documented_commands(path: Path) -> list[list[str]]:
    """Every `homeoffice-bot …` command line in the file, as argv without the program.

    A command starts a snippet or follows a wide gap of spaces ("Check it:   homeoffice-bot …");
    a wide gap or a shell comment ends it ("… homeoffice.toml        (or set …)").
    """
    commands: list[list[str]] = []
    for snippet in _snippets(path):
        for part in re.split(r"\s{2,}|\s#", snippet.strip()):
            if PROGRAM.match(part.split(" ", 1)[0]):
                commands.append(shlex.split(part)[1:])
    return commands


ALL = [
    (path.relative_to(ROOT).as_posix(), argv)
    for path in SOURCES
    for argv in documented_commands(path)
]


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for key in list(os.environ):
        if key.startswith("HOMEOFFICE_"):
            monkeypatch.delenv(key)


def test_the_documented_command_lines_are_found() -> None:
    found = {(source, " ".join(argv)) for source, argv in ALL}
    assert {
        ("config/homeoffice.example.toml", "run --config homeoffice.toml"),
        ("config/homeoffice.example.toml", "check-config --config homeoffice.toml"),
        ("README.md", "--config /etc/homeoffice-bot.toml check-config"),
        ("README.md", "--config /etc/homeoffice-bot.toml run"),
        ("README.md", "check-config"),
        ("docs/digitalnah.md", "--config config/homeoffice.toml publish"),
    } <= found


@pytest.mark.parametrize(("source", "argv"), ALL, ids=[f"{s}: {' '.join(a)}" for s, a in ALL])
def test_a_documented_command_line_parses(source: str, argv: list[str]) -> None:
    args = build_parser().parse_args(argv)
    assert args.func is FUNCS[args.command]
    if "--config" in argv:
        assert args.config == Path(argv[argv.index("--config") + 1])
    else:
        assert args.config is None


CHECKS = sorted({tuple(argv) for _, argv in ALL if "check-config" in argv})


@pytest.mark.parametrize(
    "argv",
    [list(argv) for argv in CHECKS if not any(w.startswith("/") for w in argv)],
    ids=" ".join,
)
def test_a_documented_check_config_runs(
    argv: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Run as the example file says: copied to homeoffice.toml (or named by HOMEOFFICE_CONFIG)."""
    if "--config" in argv:
        config = tmp_path / argv[argv.index("--config") + 1]
    else:
        config = tmp_path / "homeoffice.toml"
        monkeypatch.setenv("HOMEOFFICE_CONFIG", "homeoffice.toml")
    config.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(EXAMPLE_TOML, config)
    monkeypatch.setenv("HOMEOFFICE_MATRIX__PASSWORD", "example-password")
    monkeypatch.chdir(tmp_path)

    assert main(argv) == 0
    assert "configuration is valid" in capsys.readouterr().out


def test_config_before_the_subcommand_is_kept_when_none_follows() -> None:
    args = build_parser().parse_args(["--config", "a.toml", "run"])
    assert args.config == Path("a.toml")


def test_config_after_the_subcommand_wins_over_one_before() -> None:
    args = build_parser().parse_args(["--config", "a.toml", "publish", "--config", "b.toml"])
    assert args.config == Path("b.toml")
