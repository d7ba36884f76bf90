"""The data folder made private at start: what is corrected, what is left alone, and the
one sentence when it cannot be done."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from homeoffice_bot.app import private_folders
from homeoffice_bot.kernel.datadir import make_private
from homeoffice_bot.kernel.errors import ConfigError
from homeoffice_bot.settings import Settings


def mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


@pytest.fixture
def umask_022() -> Iterator[None]:
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def test_open_entries_are_corrected_and_new_files_are_born_private(
    tmp_path: Path, umask_022: None
) -> None:
    data = tmp_path / "data"
    (data / "store").mkdir(parents=True)
    (data / "homeoffice.sqlite3").write_bytes(b"")
    (data / "store" / "bot.db").write_bytes(b"")
    (data / "run.sh").write_bytes(b"")
    os.chmod(data / "run.sh", 0o755)
    os.chmod(data / "store" / "bot.db", 0o600)  # already right: not reported

    fixed = make_private(data)

    assert {c.path.relative_to(data).as_posix(): c.old_mode for c in fixed} == {
        ".": 0o755, "store": 0o755, "homeoffice.sqlite3": 0o644, "run.sh": 0o755,
    }  # fmt: skip
    assert mode(data) == mode(data / "store") == 0o700
    assert mode(data / "homeoffice.sqlite3") == mode(data / "run.sh") == 0o600
    (data / "later.json").write_bytes(b"{}")
    (data / "plugins").mkdir()
    assert mode(data / "later.json") == 0o600
    assert mode(data / "plugins") == 0o700
    assert make_private(data) == []


def test_a_missing_folder_is_created_private(tmp_path: Path, umask_022: None) -> None:
    data = tmp_path / "new" / "data"
    assert make_private(data) == []
    assert mode(data) == 0o700


def test_a_closed_folder_is_opened_for_the_bot_and_its_content_corrected(
    tmp_path: Path, umask_022: None
) -> None:
    data = tmp_path / "data"
    closed = data / "plugins" / "closed"
    closed.mkdir(parents=True)
    (closed / "notes.json").write_bytes(b"{}")
    os.chmod(data / "plugins", 0o700)
    os.chmod(data, 0o700)
    os.chmod(closed, 0o000)
    fixed = make_private(data)
    assert [c.path.relative_to(data).as_posix() for c in fixed] == [
        "plugins/closed", "plugins/closed/notes.json",
    ]  # fmt: skip
    assert mode(closed) == 0o700
    assert mode(closed / "notes.json") == 0o600


def test_a_data_folder_reached_through_a_link_is_made_private(
    tmp_path: Path, umask_022: None
) -> None:
    target = tmp_path / "volume"
    target.mkdir(mode=0o755)
    os.chmod(target, 0o755)
    (tmp_path / "data").symlink_to(target)
    make_private(tmp_path / "data")
    assert mode(target) == 0o700


def test_links_are_not_followed(tmp_path: Path, umask_022: None) -> None:
    elsewhere = tmp_path / "shared.txt"
    elsewhere.write_bytes(b"")
    data = tmp_path / "data"
    data.mkdir(mode=0o700)
    (data / "link").symlink_to(elsewhere)
    assert make_private(data) == []
    assert mode(elsewhere) == 0o644


def test_an_entry_that_cannot_be_corrected_refuses_the_start_naming_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, umask_022: None
) -> None:
    data = tmp_path / "data"
    data.mkdir(mode=0o700)
    stuck = data / "homeoffice.sqlite3"
    stuck.write_bytes(b"")

    def refuse(path: Path, mode: int, **_: object) -> None:
        raise PermissionError(1, "Operation not permitted", str(path))

    monkeypatch.setattr(os, "chmod", refuse)
    with pytest.raises(ConfigError) as caught:
        make_private(data)
    assert caught.value.key == "storage.data_dir"
    assert caught.value.message.startswith(
        f"cannot make {stuck} readable by the bot alone: operation not permitted; "
    )
    assert f"the folder {data} and everything in it (chown -R)" in caught.value.message
    assert "\n" not in caught.value.message


def test_the_encryption_store_elsewhere_is_made_private_too(tmp_path: Path) -> None:
    inside = Settings.model_validate(
        {"matrix": {"homeserver": "http://hs", "user_id": "@b:hs", "password": "x"},
         "storage": {"data_dir": str(tmp_path / "data")}}
    )  # fmt: skip
    assert private_folders(inside) == [tmp_path / "data"]
    outside = inside.model_copy(
        update={"matrix": inside.matrix.model_copy(update={"store_dir": tmp_path / "keys"})}
    )
    assert private_folders(outside) == [tmp_path / "data", tmp_path / "keys"]
