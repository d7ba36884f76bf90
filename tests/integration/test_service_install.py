"""The install path the Dockerfile takes, tried for real: build the wheel from the files the image
copies, install it into a clean virtual environment, run `homeoffice-bot version` and
`check-config` configured only through the environment.

Dependencies come from the package index (or pip's cache), as in the image build. No
Synapse is needed; the module builds and installs once and its tests share the result.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from homeoffice_bot import __version__

ROOT = Path(__file__).resolve().parents[2]
COPIED = ("pyproject.toml", "README.md", "homeoffice_bot", "plugins")
"""What the Dockerfile's builder stage copies before building the wheel."""
INSTALL_TIMEOUT = 600


@dataclass(frozen=True)
class Installed:
    wheel: Path
    venv: Path
    workdir: Path

    @property
    def bot(self) -> Path:
        return self.venv / "bin" / "homeoffice-bot"

    def run(self, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
        """Run the installed bot with nothing but PATH, HOME and ``env`` in its environment."""
        clean = {"PATH": f"{self.venv / 'bin'}:/usr/bin:/bin", "HOME": str(self.workdir), **env}
        return subprocess.run(
            [str(self.bot), *args], cwd=self.workdir, env=clean, capture_output=True,
            text=True, timeout=60, check=False,
        )  # fmt: skip


def _run(*cmd: str | Path, cwd: Path) -> None:
    result = subprocess.run(
        [str(c) for c in cmd], cwd=cwd, capture_output=True, text=True,
        timeout=INSTALL_TIMEOUT, check=False,
    )  # fmt: skip
    if result.returncode != 0:
        pytest.fail(f"{' '.join(map(str, cmd))} failed:\n{result.stdout[-3000:]}\n"
                    f"{result.stderr[-3000:]}")  # fmt: skip


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    base = tmp_path_factory.mktemp("install")
    src = base / "src"
    src.mkdir()
    missing = [name for name in COPIED if not (ROOT / name).exists()]
    assert not missing, f"the image build copies {missing}, which do not exist"
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info", "tests", "build")
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, src / name, ignore=ignore)
        else:
            shutil.copy2(source, src / name)

    wheels = base / "wheels"
    _run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--wheel-dir", wheels, src,
         cwd=base)  # fmt: skip
    (wheel,) = wheels.glob("homeoffice_bot-*.whl")

    venv = base / "venv"
    _run(sys.executable, "-m", "venv", "--without-pip", venv, cwd=base)
    _run(sys.executable, "-m", "pip", "--python", venv / "bin" / "python", "install", "--quiet",
         wheel, cwd=base)  # fmt: skip
    workdir = base / "work"
    workdir.mkdir()
    return Installed(wheel, venv, workdir)


def test_the_wheel_carries_catalogues_and_the_plugin_but_no_tests(installed: Installed) -> None:
    names = set(zipfile.ZipFile(installed.wheel).namelist())
    for catalogue in ("kernel", "admin"):
        assert f"homeoffice_bot/{catalogue}/locales/de.toml" in names
        assert f"homeoffice_bot/{catalogue}/locales/en.toml" in names
    assert "digitalnah/locales/de.toml" in names
    assert not [n for n in names if n.startswith(("tests/", "digitalnah/tests/"))]
    (entry_points,) = [n for n in names if n.endswith(".dist-info/entry_points.txt")]
    declared = zipfile.ZipFile(installed.wheel).read(entry_points).decode()
    assert "homeoffice-bot = homeoffice_bot.cli:main" in declared
    assert "digitalnah = digitalnah.plugin:DigitalNahPlugin" in declared


def test_the_installed_bot_runs_from_the_venv_not_the_source_tree(installed: Installed) -> None:
    result = subprocess.run(
        [str(installed.venv / "bin" / "python"), "-c",
         "import homeoffice_bot, digitalnah; print(homeoffice_bot.__file__, digitalnah.__file__)"],
        cwd=installed.workdir, env={"PATH": "/usr/bin:/bin"}, capture_output=True, text=True,
        timeout=60, check=True,
    )  # fmt: skip
    for path in result.stdout.split():
        assert Path(path).is_relative_to(installed.venv), path


def test_version(installed: Installed) -> None:
    result = installed.run("version")
    assert (result.returncode, result.stdout.strip()) == (0, f"homeoffice-bot {__version__}")


def test_check_config_with_only_environment_variables(installed: Installed) -> None:
    secret = installed.workdir / "matrix_password"
    secret.write_text("correct horse battery staple\n", encoding="utf-8")
    result = installed.run(
        "check-config",
        HOMEOFFICE_MATRIX__HOMESERVER="https://matrix.example.org",
        HOMEOFFICE_MATRIX__USER_ID="@homeoffice:example.org",
        HOMEOFFICE_MATRIX__PASSWORD_FILE=str(secret),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        "configuration is valid: bot @homeoffice:example.org on https://matrix.example.org"
    )
    assert "correct horse" not in result.stdout + result.stderr


@pytest.mark.skipif(
    not (ROOT / "plugins" / "digitalnah" / "plugin.py").is_file(),
    reason="the digitalnah plugin module is not written yet",
)
def test_check_config_finds_the_optional_plugin_through_its_entry_point(
    installed: Installed,
) -> None:
    secret = installed.workdir / "matrix_password"
    secret.write_text("s3cret\n", encoding="utf-8")
    result = installed.run(
        "check-config",
        HOMEOFFICE_MATRIX__HOMESERVER="https://matrix.example.org",
        HOMEOFFICE_MATRIX__USER_ID="@homeoffice:example.org",
        HOMEOFFICE_MATRIX__PASSWORD_FILE=str(secret),
        HOMEOFFICE_PLUGINS__ENABLED='["digitalnah"]',
    )
    assert result.returncode == 0, result.stderr


def test_check_config_names_the_key_of_a_wrong_type(installed: Installed) -> None:
    secret = installed.workdir / "matrix_password"
    secret.write_text("s3cret\n", encoding="utf-8")
    result = installed.run(
        "check-config",
        HOMEOFFICE_MATRIX__HOMESERVER="https://matrix.example.org",
        HOMEOFFICE_MATRIX__USER_ID="@homeoffice:example.org",
        HOMEOFFICE_MATRIX__PASSWORD_FILE=str(secret),
        HOMEOFFICE_WEB__PORT="achtzig",
    )
    assert result.returncode == 2
    assert result.stderr.startswith("configuration error: web.port: "), result.stderr
    assert result.stdout == ""
