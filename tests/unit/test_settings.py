from __future__ import annotations

import os
from pathlib import Path

import pytest

from homeoffice_bot.kernel.errors import ConfigError
from homeoffice_bot.settings import CONFIG_ENV, load_settings

MINIMAL = """\
[matrix]
homeserver = "https://matrix.example.org/"
user_id = "@homeoffice:example.org"
password = "from-toml"
"""


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """No HOMEOFFICE_* variable of the machine running the tests leaks in."""
    for name in list(os.environ):
        if name.startswith("HOMEOFFICE_"):
            monkeypatch.delenv(name)


def write_config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "homeoffice.toml"
    path.write_text(text, encoding="utf-8")
    return path


def config_error(path: Path | None) -> ConfigError:
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    return caught.value


def test_toml_values_and_defaults(tmp_path: Path) -> None:
    settings = load_settings(write_config(tmp_path, MINIMAL + "[web]\nport = 9090\n"))

    assert settings.matrix.homeserver == "https://matrix.example.org"  # trailing slash dropped
    assert settings.matrix.user_id == "@homeoffice:example.org"
    assert settings.matrix.password is not None
    assert settings.matrix.password.get_secret_value() == "from-toml"
    assert settings.web.port == 9090
    assert settings.web.bind == "127.0.0.1"
    assert settings.bot.moderator_power_level == 50
    assert settings.bot.default_language == "de"
    assert settings.bot.default_timezone == "Europe/Berlin"
    assert settings.store_dir == Path("data") / "store"


def test_environment_overrides_toml(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write_config(tmp_path, MINIMAL + "[web]\nport = 9090\nbind = '127.0.0.1'\n")
    monkeypatch.setenv("HOMEOFFICE_WEB__PORT", "8181")
    monkeypatch.setenv("HOMEOFFICE_MATRIX__PASSWORD", "from-env")

    settings = load_settings(path)

    assert settings.web.port == 8181
    assert settings.web.bind == "127.0.0.1"  # the rest of the section still comes from TOML
    assert settings.matrix.password is not None
    assert settings.matrix.password.get_secret_value() == "from-env"
    assert settings.matrix.user_id == "@homeoffice:example.org"


def test_nested_environment_variable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOMEOFFICE_BOT__MODERATOR_POWER_LEVEL", "75")
    monkeypatch.setenv("HOMEOFFICE_BOT__ADMINS", '["@lead:example.org"]')
    monkeypatch.setenv("HOMEOFFICE_PLUGINS__ENABLED", '["digitalnah"]')

    settings = load_settings(write_config(tmp_path, MINIMAL))

    assert settings.bot.moderator_power_level == 75
    assert settings.bot.admins == ["@lead:example.org"]
    assert settings.plugins.enabled == ["digitalnah"]


def test_environment_alone_is_enough(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOMEOFFICE_MATRIX__HOMESERVER", "http://synapse:8008")
    monkeypatch.setenv("HOMEOFFICE_MATRIX__USER_ID", "@homeoffice:localhost")
    monkeypatch.setenv("HOMEOFFICE_MATRIX__ACCESS_TOKEN", "syt_abc")
    monkeypatch.setenv("HOMEOFFICE_STORAGE__DATA_DIR", "/data")

    settings = load_settings(None)

    assert settings.matrix.homeserver == "http://synapse:8008"
    assert settings.matrix.password is None
    assert settings.data_dir == Path("/data")
    assert settings.store_dir == Path("/data/store")


def test_config_path_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(CONFIG_ENV, str(write_config(tmp_path, MINIMAL)))
    assert load_settings(None).matrix.user_id == "@homeoffice:example.org"


def test_password_file_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    secret = tmp_path / "matrix_password"
    secret.write_text("s3cret-from-file\n", encoding="utf-8")
    config = MINIMAL.replace('password = "from-toml"\n', "")
    monkeypatch.setenv("HOMEOFFICE_MATRIX__PASSWORD_FILE", str(secret))

    settings = load_settings(write_config(tmp_path, config))

    assert settings.matrix.password is not None
    assert settings.matrix.password.get_secret_value() == "s3cret-from-file"  # newline stripped
    assert "s3cret" not in repr(settings)


def test_access_token_and_pickle_key_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "token").write_text("syt_token\n", encoding="utf-8")
    (tmp_path / "pickle").write_text("pickle-me\n", encoding="utf-8")
    config = MINIMAL.replace('password = "from-toml"\n', "")
    monkeypatch.setenv("HOMEOFFICE_MATRIX__ACCESS_TOKEN_FILE", str(tmp_path / "token"))
    monkeypatch.setenv("HOMEOFFICE_MATRIX__PICKLE_KEY_FILE", str(tmp_path / "pickle"))

    settings = load_settings(write_config(tmp_path, config))

    assert settings.matrix.access_token is not None
    assert settings.matrix.access_token.get_secret_value() == "syt_token"
    assert settings.matrix.pickle_key is not None
    assert settings.matrix.pickle_key.get_secret_value() == "pickle-me"


def test_unreadable_password_file_is_a_config_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = MINIMAL.replace('password = "from-toml"\n', "")
    monkeypatch.setenv("HOMEOFFICE_MATRIX__PASSWORD_FILE", str(tmp_path / "missing"))

    error = config_error(write_config(tmp_path, config))

    assert error.key == "matrix"
    assert "cannot read password_file" in error.message
    assert "No such file" in error.message


def test_wrong_type_in_toml_names_the_key(tmp_path: Path) -> None:
    error = config_error(
        write_config(tmp_path, MINIMAL + '[bot]\nmoderator_power_level = "hoch"\n')
    )

    assert error.key == "bot.moderator_power_level"
    assert "valid integer" in error.message
    assert str(error).startswith("bot.moderator_power_level: ")


def test_wrong_type_in_environment_names_the_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOMEOFFICE_BOT__MODERATOR_POWER_LEVEL", "fifty")

    error = config_error(write_config(tmp_path, MINIMAL))

    assert error.key == "bot.moderator_power_level"


def test_out_of_range_value_names_the_key(tmp_path: Path) -> None:
    error = config_error(write_config(tmp_path, MINIMAL + "[web]\nport = 70000\n"))

    assert error.key == "web.port"
    assert "65535" in error.message


def test_missing_password_and_token(tmp_path: Path) -> None:
    error = config_error(write_config(tmp_path, MINIMAL.replace('password = "from-toml"\n', "")))

    assert error.key == "matrix"
    assert error.message == "set password (or password_file) or access_token"


def test_missing_matrix_section(tmp_path: Path) -> None:
    error = config_error(write_config(tmp_path, "[bot]\ncommand_prefix = '!'\n"))

    assert (error.key, error.message) == ("matrix", "Field required")


def test_missing_homeserver_names_the_key(tmp_path: Path) -> None:
    config = MINIMAL.replace('homeserver = "https://matrix.example.org/"\n', "")
    error = config_error(write_config(tmp_path, config))

    assert (error.key, error.message) == ("matrix.homeserver", "Field required")


@pytest.mark.parametrize(
    "user_id", ["homeoffice", "@homeoffice", "homeoffice:example.org", "@a b:x"]
)
def test_bad_mxid(tmp_path: Path, user_id: str) -> None:
    config = MINIMAL.replace("@homeoffice:example.org", user_id)
    error = config_error(write_config(tmp_path, config))

    assert error.key == "matrix.user_id"
    assert error.message == "must be a full Matrix ID such as @homeoffice:example.org"


def test_bad_mxid_in_admin_list(tmp_path: Path) -> None:
    error = config_error(write_config(tmp_path, MINIMAL + '[bot]\nadmins = ["lead"]\n'))

    assert error.key == "bot.admins"
    assert "'lead' is not a full Matrix ID" in error.message


def test_bad_homeserver_url(tmp_path: Path) -> None:
    config = MINIMAL.replace("https://matrix.example.org/", "matrix.example.org")
    error = config_error(write_config(tmp_path, config))

    assert (error.key, error.message) == ("matrix.homeserver", "must be an http:// or https:// URL")


def test_homeserver_url_with_an_invisible_character(tmp_path: Path) -> None:
    config = MINIMAL.replace("https://matrix.example.org/", "https://matrix.exa\u200bmple.org/")
    error = config_error(write_config(tmp_path, config))

    assert error.key == "matrix.homeserver"
    assert error.message == (
        "contains an invisible character (U+200B) after 'https://matrix.exa'; type the URL again"
    )


@pytest.mark.parametrize("zone", ["Berlin", "Europe/Gotham", "CEST+1"])
def test_bad_timezone(tmp_path: Path, zone: str) -> None:
    error = config_error(write_config(tmp_path, MINIMAL + f'[bot]\ndefault_timezone = "{zone}"\n'))

    assert error.key == "bot.default_timezone"
    assert error.message == f"unknown time zone '{zone}' (use an IANA name)"


def test_holiday_region_is_normalised_and_checked(tmp_path: Path) -> None:
    ok = load_settings(
        write_config(tmp_path, MINIMAL + '[bot]\ndefault_holiday_region = "de-by"\n')
    )
    assert ok.bot.default_holiday_region == "DE-BY"

    config = MINIMAL + '[bot]\ndefault_holiday_region = "Nordrhein-Westfalen"\n'
    assert config_error(write_config(tmp_path, config)).key == "bot.default_holiday_region"


def test_unknown_key_in_a_section_is_rejected(tmp_path: Path) -> None:
    error = config_error(write_config(tmp_path, MINIMAL + "[bot]\nmoderator_level = 50\n"))

    assert (error.key, error.message) == ("bot.moderator_level", "Extra inputs are not permitted")


def test_unknown_key_from_environment_is_rejected(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOMEOFFICE_WEB__PROT", "8080")

    assert config_error(write_config(tmp_path, MINIMAL)).key == "web.prot"


def test_unknown_section_is_rejected(tmp_path: Path) -> None:
    error = config_error(write_config(tmp_path, MINIMAL + "[standups]\ntime = '09:00'\n"))

    assert (error.key, error.message) == ("standups", "Extra inputs are not permitted")


def test_plugin_sections_are_kept_for_the_plugin(tmp_path: Path) -> None:
    config = (
        MINIMAL + '[plugins]\nenabled = ["digitalnah"]\n[plugins.digitalnah]\nfeed_title = "x"\n'
    )

    settings = load_settings(write_config(tmp_path, config))

    assert settings.plugins.enabled == ["digitalnah"]
    assert settings.plugins.section("digitalnah") == {"feed_title": "x"}
    assert settings.plugins.section("other") == {}


def test_malformed_toml_names_the_file(tmp_path: Path) -> None:
    path = write_config(tmp_path, MINIMAL + "[bot\n")

    error = config_error(path)

    assert error.key == str(path)
    assert "line 5" in error.message


def test_missing_config_file(tmp_path: Path) -> None:
    error = config_error(tmp_path / "nope.toml")

    assert (error.key, error.message) == ("--config", f"no such file: {tmp_path / 'nope.toml'}")
