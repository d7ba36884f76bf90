"""The web server's address and the base URL plugins build links from."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from homeoffice_bot.kernel.plugins import PluginContext
from homeoffice_bot.kernel.web import WebServer


async def _healthy() -> tuple[str, dict[str, object]]:
    return "ok", {}


@pytest.mark.parametrize(
    ("bind", "expected"),
    [
        ("127.0.0.1", "http://127.0.0.1:8080"),
        ("0.0.0.0", "http://127.0.0.1:8080"),
        ("::", "http://127.0.0.1:8080"),
        ("::1", "http://[::1]:8080"),
        ("bot.internal", "http://bot.internal:8080"),
    ],
)
def test_address_of_a_server_not_yet_listening(bind: str, expected: str) -> None:
    assert WebServer(bind, 8080, _healthy).address() == expected


async def test_address_has_the_real_port_once_listening() -> None:
    server = WebServer("127.0.0.1", 0, _healthy)
    await server.start()
    try:
        assert server.port != 0
        assert server.address() == f"http://127.0.0.1:{server.port}"
        async with (
            aiohttp.ClientSession() as http,
            http.get(server.address() + "/healthz") as response,
        ):
            assert response.status == 200
    finally:
        await server.stop()


def _context(**kwargs: Any) -> PluginContext:
    fields: dict[str, Any] = dict.fromkeys(
        ("settings", "bot", "db", "scheduler", "matrix", "outbox", "clock", "tasks", "rooms"),
        None,
    )
    fields |= {"catalogue": None, "services": None}
    return PluginContext(
        name="x", data_dir=Path("."), logger=logging.getLogger("x"), **fields, **kwargs
    )


def test_base_url_prefers_the_public_url() -> None:
    ctx = _context(public_url="https://bot.example.org/", web_address=lambda: "http://a:1")
    assert ctx.base_url() == "https://bot.example.org"


def test_base_url_asks_the_web_server_each_time() -> None:
    ports = iter([0, 41234])
    ctx = _context(web_address=lambda: f"http://127.0.0.1:{next(ports)}")
    assert ctx.base_url() == "http://127.0.0.1:0"
    assert ctx.base_url() == "http://127.0.0.1:41234"
