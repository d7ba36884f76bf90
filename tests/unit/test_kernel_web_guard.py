"""The web server against raw sockets: a client that never finishes its request head is
cut off, and a malformed request is logged as one line without its bytes."""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import AsyncIterator

import pytest

from homeoffice_bot.kernel.web import WebServer

TIMEOUT = 0.5
SECRET = "Bearer-s3cr3t-token"


async def _healthy() -> tuple[str, dict[str, object]]:
    return "ok", {}


@pytest.fixture
async def server() -> AsyncIterator[WebServer]:
    web = WebServer("127.0.0.1", 0, _healthy, header_timeout=TIMEOUT)
    await web.start()
    yield web
    await web.stop()


async def connect(server: WebServer) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    return await asyncio.open_connection("127.0.0.1", server.port)


async def answer(server: WebServer, raw: bytes) -> bytes:
    reader, writer = await connect(server)
    writer.write(raw)
    await writer.drain()
    data = await asyncio.wait_for(reader.read(), 10)
    writer.close()
    return data


async def test_a_head_trickling_in_byte_by_byte_is_cut_off(server: WebServer) -> None:
    reader, writer = await connect(server)
    writer.write(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n")
    sent = 0
    closed = False
    for _ in range(int(20 * TIMEOUT / 0.05)):  # trickle for far longer than the timeout
        try:
            writer.write(b"X")
            await writer.drain()
            sent += 1
            data = await asyncio.wait_for(reader.read(1024), 0.05)
        except TimeoutError:
            continue
        except ConnectionError:
            closed = True
            break
        assert data == b""  # closed without an answer
        closed = True
        break
    writer.close()
    assert closed, "the server kept a connection open that never finished its request head"
    assert sent >= int(TIMEOUT / 0.05) // 2  # it was trickling, not idle, when cut off


async def test_a_connection_that_sends_nothing_is_closed(server: WebServer) -> None:
    reader, writer = await connect(server)
    assert await asyncio.wait_for(reader.read(), 20 * TIMEOUT) == b""
    writer.close()


async def test_a_prompt_client_is_answered_and_may_keep_the_connection(server: WebServer) -> None:
    reader, writer = await connect(server)
    for _ in range(2):
        writer.write(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")
        await writer.drain()
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 10)
        assert head.startswith(b"HTTP/1.1 200 OK\r\n")
        length = next(
            int(line.split(b":")[1]) for line in head.split(b"\r\n")
            if line.lower().startswith(b"content-length:")
        )  # fmt: skip
        assert b'"status": "ok"' in await reader.readexactly(length)
    writer.close()


@pytest.mark.parametrize(
    "raw",
    [
        f"GET /healthz?t={SECRET} HTTP/1.1\r\nHost: x\r\nBroken {SECRET}\r\n\r\n",
        f"GET /{SECRET}\x00 HTTP/1.1\r\nHost: x\r\n\r\n",
        f"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Token: {'A' * 9000}{SECRET}\r\n\r\n",
    ],
    ids=["header without colon", "control byte in the request line", "header too long"],
)
async def test_a_malformed_request_is_one_line_without_its_bytes(
    server: WebServer, caplog: pytest.LogCaptureFixture, raw: str
) -> None:
    caplog.set_level(logging.DEBUG)
    data = await answer(server, raw.encode())
    assert re.match(rb"HTTP/1\.[01] 4\d\d ", data), data[:40]
    ours = [
        r
        for r in caplog.records
        if r.name == "homeoffice_bot.kernel.web" and "request" in r.getMessage()
    ]
    assert len(ours) == 1, [r.getMessage() for r in ours]
    line = ours[0].getMessage()
    assert re.fullmatch(r"malformed request from 127\.0\.0\.1: 4\d\d [A-Za-z ]+ \(\w+\)", line)
    assert ours[0].exc_info is None
    assert ours[0].levelno == logging.WARNING
    for record in caplog.records:
        text = record.getMessage() + (record.exc_text or "") + str(record.exc_info or "")
        assert SECRET not in text
        assert "\n" not in record.getMessage()


async def test_non_http_bytes_on_the_port_are_one_line_too(
    server: WebServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    await answer(
        server, b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + SECRET.encode() + b"\r\n\r\n"
    )
    ours = [r for r in caplog.records if r.name == "homeoffice_bot.kernel.web"]
    assert len(ours) == 1
    # A TLS hello is non-HTTP traffic: aiohttp's C parser files it under debug, as we do.
    assert ours[0].levelno in (logging.DEBUG, logging.WARNING)
    assert ours[0].exc_info is None
    assert ours[0].getMessage().startswith("malformed request from 127.0.0.1: 400 Bad Request (")
    assert all(SECRET not in r.getMessage() for r in caplog.records)
