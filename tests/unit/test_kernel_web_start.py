"""A web server that cannot listen says why in one line, naming the setting to change."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

from homeoffice_bot.kernel.errors import ConfigError
from homeoffice_bot.kernel.web import WebServer


async def _healthy() -> tuple[str, dict[str, object]]:
    return "ok", {}


@pytest.fixture
def occupied() -> Iterator[int]:
    """A port on 127.0.0.1 that something else listens on."""
    with socket.create_server(("127.0.0.1", 0)) as sock:
        yield int(sock.getsockname()[1])


async def test_a_busy_port_is_a_configuration_error(occupied: int) -> None:
    server = WebServer("127.0.0.1", occupied, _healthy)
    with pytest.raises(ConfigError) as raised:
        await server.start()
    assert raised.value.key == "web.port"
    assert raised.value.message == (
        f"127.0.0.1:{occupied} is already in use (is another homeoffice-bot running?)"
    )
    await server.stop()  # after a failed start, stopping is harmless


async def test_an_address_not_on_this_machine_names_the_bind_setting() -> None:
    server = WebServer("192.0.2.1", 8080, _healthy)  # TEST-NET-1, never a local address
    with pytest.raises(ConfigError) as raised:
        await server.start()
    assert raised.value.key == "web.bind"
    assert raised.value.message.startswith("cannot listen on 192.0.2.1:8080: ")
    await server.stop()
