"""requirements.lock, which the Docker image installs from: it pins every dependency that
pyproject.toml names, each with hashes, and it was written by `python3 dev.py lock`."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
LOCK = ROOT / "requirements.lock"
PIN = re.compile(r"^(?P<name>[A-Za-z0-9._-]+(?:\[[^\]]*\])?)==(?P<version>[^\s;\\]+)")


def pins() -> dict[str, str]:
    found: dict[str, str] = {}
    for line in LOCK.read_text(encoding="utf-8").splitlines():
        match = PIN.match(line)
        if match:
            name = canonicalize_name(match["name"].split("[")[0])
            found[name] = match["version"]
    return found


def test_every_dependency_is_pinned_within_its_range() -> None:
    """Run `python3 dev.py lock` after changing the dependencies in pyproject.toml."""
    locked = pins()
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    for line in project["dependencies"]:
        wanted = Requirement(line)
        name = canonicalize_name(wanted.name)
        assert name in locked, f"{name} is not in requirements.lock: run python3 dev.py lock"
        assert wanted.specifier.contains(locked[name], prereleases=True), (
            f"{name}=={locked[name]} is outside {wanted.specifier}: run python3 dev.py lock"
        )


def test_every_pin_carries_hashes() -> None:
    text = LOCK.read_text(encoding="utf-8")
    entries = re.split(r"\n(?=[A-Za-z0-9])", text.split("\n", 2)[2])
    for entry in entries:
        if PIN.match(entry):
            assert "--hash=sha256:" in entry, entry.splitlines()[0]


def test_the_lock_was_written_by_dev_py() -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("dev", ROOT / "dev.py")
    assert spec is not None
    assert spec.loader is not None
    dev = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(dev)
    header = LOCK.read_text(encoding="utf-8").splitlines()[1]
    for option in dev.LOCK_OPTIONS:
        if option != "--quiet":
            assert option in header, f"requirements.lock was not written with {option}"
