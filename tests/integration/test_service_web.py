"""The running bot's web server against a raw socket: a malformed request gets 400 and one
log line without its bytes, and the server keeps answering."""

from __future__ import annotations

import asyncio
import json

import pytest

from homeoffice_bot.devserver.botprocess import BotProcess

pytestmark = pytest.mark.integration

SECRET = "Bearer-s3cr3t-token"


async def raw(port: int, request: bytes) -> bytes:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(request)
    await writer.drain()
    data = await asyncio.wait_for(reader.read(), 20)
    writer.close()
    return data


async def test_a_malformed_request_is_one_log_line_without_its_bytes(
    bot_process: BotProcess,
) -> None:
    await bot_process.start()
    await bot_process.wait_healthy()
    bad = f"GET /healthz?t={SECRET} HTTP/1.1\r\nHost: x\r\nBroken {SECRET}\r\n\r\n".encode()
    answer = await raw(bot_process.port, bad)
    assert answer.split(b"\r\n", 1)[0].split(b" ")[1] == b"400"
    assert await bot_process.healthz() is not None  # still serving

    code, _ = await bot_process.terminate()  # the log is complete once the process ended
    assert code == 0
    records = [json.loads(line) for line in bot_process.log_path.read_text().splitlines()]
    faults = [r for r in records if "malformed request" in r["message"]]
    assert [(r["level"], r["logger"]) for r in faults] == [("WARNING", "homeoffice_bot.kernel.web")]
    assert faults[0]["message"].startswith("malformed request from 127.0.0.1: 400 Bad Request (")
    assert "\n" not in faults[0]["message"]
    assert SECRET not in bot_process.log_path.read_text()
