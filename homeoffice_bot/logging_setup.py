"""Logging to stdout, as plain lines or JSON lines, with secrets redacted from every record.

    configure_logging("INFO", "json")

JSON lines carry ``ts`` (ISO 8601, UTC), ``level``, ``logger`` and ``message``, then every
``extra={...}`` field of the record and, for exceptions, ``exc_info`` (the formatted traceback).
Plain lines read ``2026-11-23T08:00:00.123Z INFO    homeoffice_bot.app: message key=value``.

Before any handler formats a record, :class:`RedactSecretsFilter` replaces access tokens
(``syt_…``), ``access_token=…`` query parameters, ``Authorization`` headers and the values of
password-, token- and secret-like keys (in strings, in dict arguments and in extra fields) with
``[redacted]``. It is attached to the handler, so records from every logger pass through it.

Chatty libraries (nio, peewee, aiohttp.access, apscheduler) are held at WARNING unless the level
is DEBUG. What the bot itself logs at INFO must never include message contents; that is the
callers' part of the bargain.
"""

from __future__ import annotations

import json
import logging
import re
import sys
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, Literal, TextIO

__all__ = [
    "NOISY_LOGGERS",
    "REDACTED",
    "JsonFormatter",
    "PlainFormatter",
    "RedactSecretsFilter",
    "configure_logging",
    "redact",
    "redact_value",
]

REDACTED = "[redacted]"
NOISY_LOGGERS = ("nio", "peewee", "aiohttp.access", "apscheduler")
_HANDLER_MARK = "_homeoffice_bot_handler"

# Names whose values are secrets, wherever they appear as a key.
_SECRET_KEY = re.compile(
    r"(?i)(password|passwd|passphrase|secret|access_token|refresh_token|pickle_key|api_key"
    r"|authorization|^token$|_token$)"
)
# Tokens that are recognisable on their own: Synapse access/refresh tokens and MAS tokens.
_BARE_TOKEN = re.compile(r"\b(?:syt|syr|mat|mar|mct)_[A-Za-z0-9_\-]{6,}")
_BEARER = re.compile(r"(?i)\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=\-]+")
# key=value, key: value, "key": "value", 'key': 'value' for secret-like keys.
_KEY_VALUE = re.compile(
    r"""(?ix)
    (?P<key>\b[\w\-]*(?:password|passwd|passphrase|secret|access_token|refresh_token
        |pickle_key|api_key|authorization|token))
    (?P<sep>["']?\s*[:=]\s*["']?)
    (?!\[redacted\])
    (?P<value>(?:Bearer\s+|Basic\s+)?[^\s"',;&}\]]+)
    """
)

# Attributes every LogRecord has; anything else on a record came in through `extra=`.
_BLANK_RECORD = logging.LogRecord("", logging.INFO, "", 0, "", None, None)
_STANDARD_ATTRS = frozenset(_BLANK_RECORD.__dict__) | {"message", "asctime", "taskName"}


def redact(text: str) -> str:
    """The text with access tokens, Authorization headers and secret-like values masked."""
    text = _KEY_VALUE.sub(lambda m: f"{m['key']}{m['sep']}{REDACTED}", text)
    text = _BEARER.sub(lambda m: f"{m[1]} {REDACTED}", text)
    return _BARE_TOKEN.sub(REDACTED, text)


def redact_value(value: Any, key: str | None = None) -> Any:
    """A copy of `value` with secrets masked: by key name in mappings, by pattern in strings."""
    if key is not None and _SECRET_KEY.search(key) and value is not None:
        return REDACTED
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, Mapping):
        return {k: redact_value(v, str(k)) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return type(value)(redact_value(item) for item in value)
    return value


class RedactSecretsFilter(logging.Filter):
    """Rewrites each record in place so that no handler ever sees a secret."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.args:
            args = redact_value(record.args)
            record.args = args if isinstance(args, tuple | Mapping) else (args,)
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # a broken format string: keep what we have
            message = str(record.msg)
        record.msg = redact(message)
        record.args = None
        for name, value in list(record.__dict__.items()):
            if name not in _STANDARD_ATTRS:
                record.__dict__[name] = redact_value(value, name)
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


def _timestamp(record: logging.LogRecord) -> str:
    moment = datetime.fromtimestamp(record.created, UTC)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _extras(record: logging.LogRecord) -> dict[str, Any]:
    return {k: v for k, v in record.__dict__.items() if k not in _STANDARD_ATTRS}


class JsonFormatter(logging.Formatter):
    """One JSON object per line: ts, level, logger, message, extra fields, exc_info."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": _timestamp(record),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in _extras(record).items():
            entry.setdefault(key, value)
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["exc_info"] = record.exc_text
        if record.stack_info:
            entry["stack_info"] = record.stack_info
        return json.dumps(entry, ensure_ascii=False, default=str)


class PlainFormatter(logging.Formatter):
    """``<ts> <LEVEL> <logger>: <message> key=value ...`` with the traceback below."""

    def format(self, record: logging.LogRecord) -> str:
        line = f"{_timestamp(record)} {record.levelname:<7} {record.name}: {record.getMessage()}"
        extras = " ".join(f"{key}={value}" for key, value in _extras(record).items())
        if extras:
            line = f"{line} {extras}"
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            line = f"{line}\n{record.exc_text}"
        if record.stack_info:
            line = f"{line}\n{record.stack_info}"
        return line


def configure_logging(
    level: str, fmt: Literal["plain", "json"], *, stream: TextIO | None = None
) -> None:
    """Send all logging to `stream` (default: the current sys.stdout) at `level`.

    Calling it again replaces the handler it installed before; handlers that others added to
    the root logger (pytest's caplog, for one) are left alone.
    """
    numeric = logging.getLevelName(level.upper())
    if not isinstance(numeric, int):
        raise ValueError(f"unknown log level {level!r}")
    if fmt not in ("plain", "json"):
        raise ValueError(f"unknown log format {fmt!r} (plain or json)")

    handler = logging.StreamHandler(stream if stream is not None else sys.stdout)
    handler.setFormatter(JsonFormatter() if fmt == "json" else PlainFormatter())
    handler.addFilter(RedactSecretsFilter())
    setattr(handler, _HANDLER_MARK, True)

    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, _HANDLER_MARK, False)]:
        root.removeHandler(old)
        old.close()
    root.addHandler(handler)
    root.setLevel(numeric)

    for name in NOISY_LOGGERS:
        logging.getLogger(name).setLevel(
            logging.NOTSET if numeric <= logging.DEBUG else logging.WARNING
        )
