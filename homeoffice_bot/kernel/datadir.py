"""The data folder is the bot's alone: the folder and every folder in it 0700, every file
in it 0600 (database and its -wal/-shm, the encryption store, credentials, plugin data,
exports), whatever umask the service manager starts the bot with.

``make_private`` runs once at start, before anything is written there. It narrows the
process umask to 077, so that what the bot creates later is born private (SQLite gives
-wal/-shm the mode of their database, nio's store and plugin files follow the umask); it
creates the folder when missing, and corrects what it finds too open, logging what it
changed. Where it cannot correct (a file of another user, a read-only mount), it raises a
ConfigError with one sentence that names the path and the way out. Symbolic links in it are
left alone: their target is not the bot's to change.
"""

from __future__ import annotations

import logging
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from homeoffice_bot.kernel.errors import ConfigError

log = logging.getLogger(__name__)

PRIVATE_UMASK = 0o077
PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600
SETTING = "storage.data_dir"
SHOWN = 5
"""How many corrected paths the log line names."""


@dataclass(frozen=True)
class Correction:
    path: Path
    old_mode: int
    new_mode: int


def make_private(folder: Path) -> list[Correction]:
    """Narrow the umask, create ``folder`` if missing, and make it and everything in it
    private; returns (and logs) what was changed. Raises ConfigError when that fails."""
    os.umask(PRIVATE_UMASK)
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR)
    except OSError as exc:
        raise _refusal(folder, folder, exc) from None
    corrections: list[Correction] = []
    _correct(folder, folder, corrections, follow=True)  # the folder itself, even via a link

    def fail(exc: OSError) -> None:
        raise _refusal(folder, Path(exc.filename or folder), exc)

    for root, dirs, files in os.walk(folder, onerror=fail, followlinks=False):
        for name in (*dirs, *files):  # folders before os.walk enters them
            _correct(folder, Path(root) / name, corrections)
    if corrections:
        names = ", ".join(
            f"{c.path.relative_to(folder).as_posix() or '.'} ({c.old_mode:04o})"
            for c in corrections[:SHOWN]
        )
        more = f" and {len(corrections) - SHOWN} more" if len(corrections) > SHOWN else ""
        log.warning(
            "made %d entries of the data folder %s readable by the bot alone: %s%s",
            len(corrections), folder, names, more,
        )  # fmt: skip
    return corrections


def _correct(
    folder: Path, path: Path, corrections: list[Correction], *, follow: bool = False
) -> None:
    try:
        info = path.stat() if follow else path.lstat()
    except FileNotFoundError:
        return  # gone while we looked
    except OSError as exc:
        raise _refusal(folder, path, exc) from None
    if stat.S_ISLNK(info.st_mode):
        return
    wanted = PRIVATE_DIR if stat.S_ISDIR(info.st_mode) else PRIVATE_FILE
    mode = stat.S_IMODE(info.st_mode)
    if mode == wanted:
        return
    try:
        os.chmod(path, wanted)
    except OSError as exc:
        raise _refusal(folder, path, exc) from None
    corrections.append(Correction(path, mode, wanted))


def _refusal(folder: Path, path: Path, exc: OSError) -> ConfigError:
    if isinstance(exc, FileExistsError | NotADirectoryError):
        return ConfigError(SETTING, f"{path} is not a folder; choose a folder for the bot's data")
    reason = os.strerror(exc.errno).lower() if exc.errno else str(exc)
    owner = ""
    try:
        uid = path.lstat().st_uid
        if uid != os.geteuid():
            owner = f" (it belongs to user id {uid}, the bot runs as {os.geteuid()})"
    except OSError:
        pass
    return ConfigError(
        SETTING,
        f"cannot make {path} readable by the bot alone: {reason}{owner}; give the bot's user "
        f"the folder {folder} and everything in it (chown -R), or choose another folder",
    )
