from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from homeoffice_bot.logging_setup import REDACTED, configure_logging, redact, redact_value

TOKEN = "syt_aG9tZW9mZmljZQ_kQzVnUqXbPqLhXfTgYcEa_2mXgFq"


@pytest.fixture
def out() -> Iterator[io.StringIO]:
    """A stream that configure_logging writes to; the root logger is restored afterwards."""
    root = logging.getLogger()
    saved_level, saved_handlers = root.level, list(root.handlers)
    noisy = {name: logging.getLogger(name).level for name in ("nio", "apscheduler")}
    stream = io.StringIO()
    yield stream
    for handler in list(root.handlers):
        if handler not in saved_handlers:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(saved_level)
    for name, level in noisy.items():
        logging.getLogger(name).setLevel(level)


def json_lines(stream: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_json_lines_carry_timestamp_level_logger_message_and_extras(out: io.StringIO) -> None:
    configure_logging("INFO", "json", stream=out)
    before = datetime.now(UTC)

    logging.getLogger("homeoffice_bot.test").info(
        "joined %s", "!team:example.org", extra={"room_id": "!team:example.org", "members": 4}
    )

    [entry] = json_lines(out)
    assert entry["level"] == "INFO"
    assert entry["logger"] == "homeoffice_bot.test"
    assert entry["message"] == "joined !team:example.org"
    assert entry["room_id"] == "!team:example.org"
    assert entry["members"] == 4
    ts = str(entry["ts"])
    assert ts.endswith("Z")
    stamped = datetime.fromisoformat(ts)
    assert stamped.utcoffset() == timedelta(0)
    assert abs(stamped - before) < timedelta(seconds=5)


def test_json_line_includes_the_traceback(out: io.StringIO) -> None:
    configure_logging("INFO", "json", stream=out)
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        logging.getLogger("homeoffice_bot.test").exception("handler failed")

    [entry] = json_lines(out)
    assert entry["message"] == "handler failed"
    assert entry["level"] == "ERROR"
    assert "RuntimeError: boom" in str(entry["exc_info"])


def test_plain_line_has_timestamp_level_logger_message_and_extras(out: io.StringIO) -> None:
    configure_logging("INFO", "plain", stream=out)
    logging.getLogger("homeoffice_bot.app").warning("sync slow", extra={"lag_s": 3})

    line = out.getvalue().strip()
    ts, rest = line.split(" ", 1)
    assert datetime.fromisoformat(ts).utcoffset() == timedelta(0)
    assert rest == "WARNING homeoffice_bot.app: sync slow lag_s=3"


@pytest.mark.parametrize("fmt", ["plain", "json"])
def test_access_token_in_a_message_is_redacted(out: io.StringIO, fmt: str) -> None:
    configure_logging("DEBUG", "json" if fmt == "json" else "plain", stream=out)
    logging.getLogger("homeoffice_bot.test").info("restored login with token %s", TOKEN)

    text = out.getvalue()
    assert TOKEN not in text
    assert f"restored login with token {REDACTED}" in text


def test_secrets_in_extra_fields_and_dict_arguments_are_redacted(out: io.StringIO) -> None:
    configure_logging("INFO", "json", stream=out)
    log = logging.getLogger("homeoffice_bot.test")
    log.info("login request %s", {"user": "@bot:example.org", "password": "hunter2"})
    log.info(
        "request sent",
        extra={"headers": {"Authorization": f"Bearer {TOKEN}"}, "access_token": TOKEN},
    )

    first, second = json_lines(out)
    assert first["message"] == (
        "login request {'user': '@bot:example.org', 'password': '[redacted]'}"
    )
    assert second["headers"] == {"Authorization": REDACTED}
    assert second["access_token"] == REDACTED
    assert TOKEN not in out.getvalue()
    assert "hunter2" not in out.getvalue()


def test_traceback_text_is_redacted(out: io.StringIO) -> None:
    configure_logging("INFO", "plain", stream=out)
    try:
        raise ConnectionError(f"GET /_matrix/client/v3/sync?access_token={TOKEN}&since=s1 failed")
    except ConnectionError:
        logging.getLogger("homeoffice_bot.test").exception("sync failed")

    text = out.getvalue()
    assert TOKEN not in text
    assert f"access_token={REDACTED}&since=s1 failed" in text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (f"token {TOKEN} ok", f"token {REDACTED} ok"),
        (
            "/sync?since=s9&access_token=abc123&timeout=0",
            f"/sync?since=s9&access_token={REDACTED}&timeout=0",
        ),
        (f"Authorization: Bearer {TOKEN}", f"Authorization: {REDACTED}"),
        ("authorization=Basic dXNlcjpwYXNz", f"authorization={REDACTED}"),
        (f"headers Bearer {TOKEN[4:]}", f"headers Bearer {REDACTED}"),
        ("{'password': 'hunter2', 'user': 'bot'}", f"{{'password': '{REDACTED}', 'user': 'bot'}}"),
        ('{"password": "hunter2"}', f'{{"password": "{REDACTED}"}}'),
        ("password=hunter2 user=bot", f"password={REDACTED} user=bot"),
        ("HOMEOFFICE_MATRIX__PICKLE_KEY=abc", f"HOMEOFFICE_MATRIX__PICKLE_KEY={REDACTED}"),
        ("registration_shared_secret: s3cr3t", f"registration_shared_secret: {REDACTED}"),
        ("nothing secret about !room:example.org", "nothing secret about !room:example.org"),
    ],
)
def test_redact(raw: str, expected: str) -> None:
    assert redact(raw) == expected


def test_redact_value_walks_nested_structures() -> None:
    value = {
        "user": "@bot:example.org",
        "auth": {"type": "m.login.password", "password": "hunter2"},
        "devices": [f"device with {TOKEN}", 3],
        "pickle_key": None,
    }
    assert redact_value(value) == {
        "user": "@bot:example.org",
        "auth": {"type": "m.login.password", "password": REDACTED},
        "devices": [f"device with {REDACTED}", 3],
        "pickle_key": None,
    }


def test_noisy_libraries_are_quiet_unless_debug(out: io.StringIO) -> None:
    configure_logging("INFO", "plain", stream=out)
    logging.getLogger("nio.rooms").info("room state changed")
    logging.getLogger("apscheduler.scheduler").info("job added")
    logging.getLogger("nio.client").warning("sync failed")
    assert out.getvalue().count("\n") == 1
    assert "sync failed" in out.getvalue()

    configure_logging("DEBUG", "plain", stream=out)
    logging.getLogger("nio.rooms").debug("room state changed")
    assert "room state changed" in out.getvalue()


def test_level_is_applied_and_reconfiguring_does_not_duplicate_lines(out: io.StringIO) -> None:
    configure_logging("WARNING", "plain", stream=out)
    configure_logging("WARNING", "plain", stream=out)
    log = logging.getLogger("homeoffice_bot.test")
    log.info("not shown")
    log.error("shown once")

    assert out.getvalue().count("shown once") == 1
    assert "not shown" not in out.getvalue()


def test_defaults_to_stdout(out: io.StringIO, capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("INFO", "json")
    logging.getLogger("homeoffice_bot.test").info("hello")
    assert json.loads(capsys.readouterr().out)["message"] == "hello"


def test_unknown_level_is_rejected() -> None:
    with pytest.raises(ValueError, match="unknown log level 'LOUD'"):
        configure_logging("LOUD", "plain")
