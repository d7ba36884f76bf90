from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from homeoffice_bot import __version__
from homeoffice_bot.cli import main

VALID = """
[matrix]
homeserver = "https://matrix.example.org"
user_id = "@homeoffice:example.org"
password = "geheim"
"""


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    for key in list(os.environ):
        if key.startswith("HOMEOFFICE_"):
            monkeypatch.delenv(key)


@pytest.fixture(autouse=True)
def _keep_logging() -> Iterator[None]:
    """A subcommand configures logging onto the captured stdout: undo that afterwards, so
    that later tests do not log into a closed stream."""
    from homeoffice_bot.logging_setup import NOISY_LOGGERS

    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    noisy = {name: logging.getLogger(name).level for name in NOISY_LOGGERS}
    yield
    for handler in [h for h in root.handlers if h not in handlers]:
        root.removeHandler(handler)
        handler.close()
    root.setLevel(level)
    for name, old in noisy.items():
        logging.getLogger(name).setLevel(old)


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["version"]) == 0
    assert capsys.readouterr().out.strip() == f"homeoffice-bot {__version__}"


def test_version_flag(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.strip() == f"homeoffice-bot {__version__}"


def test_the_version_is_written_once() -> None:
    """pyproject.toml takes the version from the package, so the installed metadata and
    ``--version`` cannot disagree."""
    import tomllib
    from importlib.metadata import version

    root = Path(__file__).resolve().parents[2]
    project = tomllib.loads((root / "pyproject.toml").read_text())["project"]
    assert "version" not in project
    assert version("homeoffice-bot") == __version__


def test_check_config_accepts_a_valid_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "bot.toml"
    config.write_text(VALID)
    assert main(["--config", str(config), "check-config"]) == 0
    assert "configuration is valid" in capsys.readouterr().out


def test_check_config_names_the_wrong_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "bot.toml"
    config.write_text(VALID + '\n[bot]\nmoderator_power_level = "viel"\n')
    assert main(["--config", str(config), "check-config"]) == 2
    err = capsys.readouterr().err
    assert "bot.moderator_power_level" in err


def test_check_config_refuses_a_missing_plugin(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "bot.toml"
    config.write_text(VALID + '\n[plugins]\nenabled = ["gibtsnicht"]\n')
    assert main(["--config", str(config), "check-config"]) == 2
    assert "plugins.enabled" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("section", "key"),
    [
        ("[plugins.standup]\nkickof_grace_minutes = 10\n", "plugins.standup.kickof_grace_minutes"),
        (
            "[plugins.standup]\nkickoff_grace_minutes = -1\n",
            "plugins.standup.kickoff_grace_minutes",
        ),
        ("[plugins.workday]\nunbekannt = 1\n", "plugins.workday.unbekannt"),
    ],
)
def test_check_config_validates_the_built_in_features_like_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], section: str, key: str
) -> None:
    """A typo in a built-in feature's section stops `run`; check-config finds it first."""
    config = tmp_path / "bot.toml"
    config.write_text(VALID + "\n" + section)
    assert main(["--config", str(config), "check-config"]) == 2
    assert key in capsys.readouterr().err


def test_check_config_refuses_a_holiday_region_that_does_not_exist(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The settings know the regions the holiday calendar knows, not just their shape."""
    config = tmp_path / "bot.toml"
    config.write_text(VALID + '\n[bot]\ndefault_holiday_region = "DE-XX"\n')
    assert main(["--config", str(config), "check-config"]) == 2
    err = capsys.readouterr().err
    assert "bot.default_holiday_region" in err
    assert "NW" in err  # the known subdivisions are named


def test_plugin_subcommands_are_listed_without_the_cli_importing_a_plugin(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """``publish`` comes from #DigitalNah's ``cli_commands``; cli.py names no plugin."""
    source = (Path(__file__).resolve().parents[2] / "homeoffice_bot" / "cli.py").read_text()
    assert "digitalnah" not in source
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "publish" in capsys.readouterr().out


def test_a_core_subcommand_loads_no_plugin() -> None:
    from homeoffice_bot.cli import command_plugins

    assert command_plugins(["--config", "x.toml", "check-config"]) == []
    names = {cls.name for cls in command_plugins(["publish"])}
    assert "digitalnah" in names


def test_a_subcommand_of_a_plugin_that_is_not_enabled_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "bot.toml"
    config.write_text(VALID + f'\n[storage]\ndata_dir = "{tmp_path / "data"}"\n')
    assert main(["--config", str(config), "publish"]) == 2
    err = capsys.readouterr().err
    assert "plugins.enabled" in err
    assert "digitalnah plugin is not enabled" in err


def test_a_plugin_subcommand_refuses_a_database_the_bot_never_used(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "bot.toml"
    data = tmp_path / "data"
    config.write_text(
        VALID + f'\n[storage]\ndata_dir = "{data}"\n[plugins]\nenabled = ["digitalnah"]\n'
    )
    assert main(["--config", str(config), "publish"]) == 1
    assert "no database" in capsys.readouterr().err
    assert not (data / "homeoffice.sqlite3").exists()


def test_a_plugin_subcommand_cannot_take_a_core_name(tmp_path: Path) -> None:
    from homeoffice_bot.cli import build_parser
    from homeoffice_bot.kernel.plugins import CliCommand, Plugin

    async def nothing(ctx: object, args: object) -> int:
        return 0

    class Greedy(Plugin):
        name = "greedy"

        @classmethod
        def cli_commands(cls) -> tuple[CliCommand, ...]:
            return (CliCommand("run", "not the bot", nothing), CliCommand("greet", "hi", nothing))

    args = build_parser([Greedy]).parse_args(["run"])
    assert args.command == "run"
    assert not hasattr(args, "plugin")
    args = build_parser([Greedy]).parse_args(["greet"])
    assert args.plugin is Greedy
    assert args.plugin_command.name == "greet"
