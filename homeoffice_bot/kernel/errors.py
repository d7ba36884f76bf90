"""The exception tree of homeoffice-bot.

    BotError                      everything we raise on purpose
    ├── ConfigError               settings are missing or wrong (names the key)
    ├── StorageError              database problems
    │   └── DatabaseTooNewError   the database was written by a newer version
    ├── MatrixError               the homeserver refused or failed a request
    │   ├── LoginError            login or restore failed
    │   └── SendError             a message, edit, reaction or redaction was refused for good
    │       └── TemporarySendError  the homeserver is unreachable, busy or rate-limits: retry
    ├── CommandError              a user-caused problem with a command; carries an i18n key
    │   ├── ParseError            the arguments do not fit the command's declaration
    │   ├── UnknownCommandError   no such command (with suggestions)
    │   └── PermissionDeniedError the sender may not run this command
    ├── PluginError               a plugin failed to load, start or stop
    └── AlreadyActiveError        another process is the active bot of this account

nio's error responses are turned into MatrixError subclasses in kernel/matrix.py and
never leak further. CommandError and its subclasses are shown to the user as a short
reply in the room's language; all others are logged.
"""

from __future__ import annotations

from typing import Any


class BotError(Exception):
    """Base class of everything homeoffice-bot raises on purpose."""


class ConfigError(BotError):
    def __init__(self, key: str, message: str) -> None:
        super().__init__(f"{key}: {message}")
        self.key = key
        self.message = message


class StorageError(BotError):
    pass


class DatabaseTooNewError(StorageError):
    pass


class MatrixError(BotError):
    def __init__(self, message: str, *, status: str | None = None) -> None:
        super().__init__(message)
        self.status = status


class LoginError(MatrixError):
    pass


class SendError(MatrixError):
    pass


class TemporarySendError(SendError):
    """Worth retrying: a network error, a 5xx, or a 429 (``retry_after`` in seconds)."""

    def __init__(self, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class CommandError(BotError):
    """A problem the user caused. ``key`` and ``params`` name a message in the catalogues."""

    def __init__(self, key: str, /, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


class ParseError(CommandError):
    pass


class UnknownCommandError(CommandError):
    pass


class PermissionDeniedError(CommandError):
    pass


class PluginError(BotError):
    pass


class AlreadyActiveError(BotError):
    """Another homeoffice-bot holds the active lock (same data folder or database)."""
