from __future__ import annotations

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
