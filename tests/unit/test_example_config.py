"""The shipped example configuration loads, documents every key and stays in step with the code."""

from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path

import pytest
from pydantic import BaseModel

from homeoffice_bot.admin.plugin import AdminSettings
from homeoffice_bot.settings import Settings, load_settings

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE_TOML = ROOT / "config" / "homeoffice.example.toml"
EXAMPLE_ENV = ROOT / "config" / "homeoffice.env.example"

SECTION = re.compile(r"^\[([a-z_.]+)\]\s*$")
KEY_LINE = re.compile(r"^(?P<comment>#\s?)?(?P<key>[a-z_]+)\s*=\s*(?P<value>.+)$")
ENV_LINE = re.compile(r"^#?\s*(?P<name>HOMEOFFICE_[A-Z0-9_]+)=(?P<value>.*)$")


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith("HOMEOFFICE_"):
            monkeypatch.delenv(name)


def section_models() -> dict[str, type[BaseModel]]:
    models: dict[str, type[BaseModel]] = {}
    for name, field in Settings.model_fields.items():
        assert isinstance(field.annotation, type)
        assert issubclass(field.annotation, BaseModel)
        models[name] = field.annotation
    return models


def example_keys() -> dict[str, list[tuple[str, bool, int]]]:
    """section -> [(key, commented_out, line index)] for every `key = value` line in a section."""
    found: dict[str, list[tuple[str, bool, int]]] = {}
    section: str | None = None
    for index, line in enumerate(EXAMPLE_TOML.read_text(encoding="utf-8").splitlines()):
        if header := SECTION.match(line):
            section = header[1]
            found.setdefault(section, [])
        elif section is not None and (entry := KEY_LINE.match(line)):
            found[section].append((entry["key"], entry["comment"] is not None, index))
    return found


def test_example_loads_with_a_password_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HOMEOFFICE_MATRIX__PASSWORD", "example-password")

    settings = load_settings(EXAMPLE_TOML)

    assert settings.matrix.homeserver == "https://matrix.example.org"
    assert settings.matrix.user_id == "@homeoffice:example.org"
    assert settings.matrix.password is not None
    assert settings.matrix.encryption is True
    assert settings.plugins.enabled == []
    assert settings.plugins.section("digitalnah") == {}


def test_example_loads_with_a_password_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = tmp_path / "matrix_password"
    secret.write_text("from-a-file\n", encoding="utf-8")
    monkeypatch.setenv("HOMEOFFICE_MATRIX__PASSWORD_FILE", str(secret))

    settings = load_settings(EXAMPLE_TOML)

    assert settings.matrix.password is not None
    assert settings.matrix.password.get_secret_value() == "from-a-file"


def test_example_values_are_the_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    """Outside [matrix] the example only spells out defaults; changes belong in comments."""
    monkeypatch.setenv("HOMEOFFICE_MATRIX__PASSWORD", "example-password")
    settings = load_settings(EXAMPLE_TOML)
    for name, model in section_models().items():
        if name in ("matrix", "plugins"):
            continue
        assert getattr(settings, name) == model(), name
    assert (settings.plugins.enabled, settings.plugins.dirs) == ([], [])


def test_matrix_example_values_are_the_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOMEOFFICE_MATRIX__PASSWORD", "example-password")
    matrix = load_settings(EXAMPLE_TOML).matrix
    defaults = type(matrix)(homeserver="https://x.example", user_id="@x:x.example", password="p")
    ignore = {"homeserver", "user_id", "password"}
    assert matrix.model_dump(exclude=ignore) == defaults.model_dump(exclude=ignore)


def test_every_setting_is_documented_in_the_example() -> None:
    documented = {section: {key for key, _, _ in keys} for section, keys in example_keys().items()}
    for section, model in section_models().items():
        missing = set(model.model_fields) - documented.get(section, set())
        assert not missing, f"[{section}] lacks {sorted(missing)}"


def test_the_example_names_no_unknown_keys() -> None:
    models = section_models()
    for section, keys in example_keys().items():
        if section.startswith("plugins."):
            continue
        assert section in models, section
        unknown = {key for key, _, _ in keys} - set(models[section].model_fields)
        assert not unknown, f"[{section}] has unknown {sorted(unknown)}"


def test_every_documented_key_has_an_explanation() -> None:
    lines = EXAMPLE_TOML.read_text(encoding="utf-8").splitlines()
    for section, keys in example_keys().items():
        first_lines = {}
        for key, _, index in keys:
            first_lines.setdefault(key, index)
        for key, index in first_lines.items():
            above = lines[index - 1]
            assert above.startswith("#"), f"[{section}] {key} has no comment above it"


def test_every_commented_out_example_value_is_valid(tmp_path: Path) -> None:
    """Uncommenting any `# key = value` line gives a configuration that loads."""
    secret = tmp_path / "secret"
    secret.write_text("s3cret\n", encoding="utf-8")
    lines = EXAMPLE_TOML.read_text(encoding="utf-8").splitlines()
    commented = [
        (section, key, index)
        for section, keys in example_keys().items()
        for key, is_comment, index in keys
        if is_comment
    ]
    assert len(commented) >= 10

    for section, key, index in commented:
        changed = list(lines)
        # An active line for the same key (the default) gives way to the alternative.
        for other, is_comment, position in example_keys()[section]:
            if other == key and not is_comment:
                changed[position] = ""
        line = changed[index].removeprefix("#").strip()
        if key.endswith("_file"):
            line = f'{key} = "{secret}"'
        changed[index] = line
        if key != "password":  # the example has no active login secret
            changed[lines.index("[matrix]")] = '[matrix]\npassword = "example-password"'
        config = tmp_path / "uncommented.toml"
        config.write_text("\n".join(changed), encoding="utf-8")

        settings = load_settings(config)

        value = tomllib.loads(line)[key]
        if section.startswith("plugins."):
            actual = settings.plugins.section(section.removeprefix("plugins."))[key]
        else:
            actual = getattr(getattr(settings, section), key)
        if hasattr(actual, "get_secret_value"):
            actual = actual.get_secret_value()
        elif isinstance(actual, Path):
            actual = str(actual)
        elif isinstance(actual, list):
            actual = [str(item) for item in actual]
        assert actual == value, (section, key)


def env_example() -> list[tuple[str, str, bool]]:
    """(name, value, active) for every HOMEOFFICE_ variable in the env example."""
    entries = []
    for line in EXAMPLE_ENV.read_text(encoding="utf-8").splitlines():
        if match := ENV_LINE.match(line.strip()):
            entries.append((match["name"], match["value"], not line.startswith("#")))
    return entries


def settings_path(variable: str) -> tuple[str, str]:
    section, _, key = variable.removeprefix("HOMEOFFICE_").lower().partition("__")
    return section, key


def test_env_example_names_only_real_settings() -> None:
    models = section_models()
    entries = env_example()
    assert len(entries) >= 10
    for name, _, _ in entries:
        section, key = settings_path(name)
        assert section in models, name
        assert key in models[section].model_fields, name


def test_env_example_keeps_secrets_out() -> None:
    for name, _, active in env_example():
        if active and re.search(r"PASSWORD|TOKEN|SECRET|PICKLE_KEY", name):
            assert name.endswith("_FILE"), name


def test_env_example_with_the_example_toml_gives_the_trial_setup(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What the trial compose file hands the bot: env file + mounted TOML + a password file."""
    secret = tmp_path / "matrix_password"
    secret.write_text("trial-password\n", encoding="utf-8")
    for name, value, active in env_example():
        if active:
            monkeypatch.setenv(name, value)
    monkeypatch.setenv("HOMEOFFICE_CONFIG", str(EXAMPLE_TOML))
    monkeypatch.setenv("HOMEOFFICE_MATRIX__PASSWORD_FILE", str(secret))

    settings = load_settings(None)

    assert settings.matrix.homeserver == "http://synapse:8008"
    assert settings.matrix.user_id == "@homeoffice:localhost"
    assert settings.matrix.password is not None
    assert settings.matrix.password.get_secret_value() == "trial-password"
    assert settings.bot.allowed_servers == ["localhost"]
    assert settings.logging.format == "json"
    assert settings.bot.default_holiday_region == "DE-NW"


def test_builtin_plugin_sections_name_only_their_settings() -> None:
    documented = {key for key, _, _ in example_keys()["plugins.admin"]}
    assert documented == set(AdminSettings.model_fields)
    AdminSettings.model_validate({"backup_dir": "/data/backups"})
