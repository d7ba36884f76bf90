"""The bot's small web server: health, metrics, and routes that plugins add.

Exposed to whatever can reach ``web.bind``, it keeps two promises. A client has
``HEADER_TIMEOUT_SECONDS`` from connecting (or from the previous answer on a kept-alive
connection) to send a complete request head; then the connection is closed, however slowly
the bytes trickle in, so slow clients cannot hold connections open. A malformed request is
logged as one line (who, status, kind of fault), never with its bytes or a traceback: the
bytes are the sender's and may carry anything (tokens, personal data), and the traceback
would only show aiohttp's parser, not a fault of the bot.
"""

from __future__ import annotations

import errno
import logging
import os
from collections.abc import Awaitable, Callable, Sequence
from http import HTTPStatus
from typing import Any

from aiohttp import web
from aiohttp.http_exceptions import BadHttpMethod, HttpProcessingError

from homeoffice_bot.kernel.errors import ConfigError
from homeoffice_bot.kernel.plugins import Route

log = logging.getLogger(__name__)

HealthProbe = Callable[[], Awaitable[tuple[str, dict[str, object]]]]
"""The status (``ok``, ``starting``, ``degraded``; only ``ok`` answers 200) and details."""
Exposition = Callable[[str | None], Awaitable[tuple[bytes, str]]]
"""Gets the scraper's Accept header; returns the metrics body and its content type."""

HEADER_TIMEOUT_SECONDS = 10.0
"""From connecting, or from the previous answer, until the request head must be complete."""


class RequestFaultLog(logging.LoggerAdapter[logging.Logger]):
    """What aiohttp logs about the requests it serves: a request it could not parse becomes
    one line without its bytes; faults of the bot's own handlers keep their traceback."""

    def log(self, level: int, msg: object, *args: object, **kwargs: Any) -> None:
        fault = kwargs.get("exc_info")
        if not isinstance(fault, HttpProcessingError):
            super().log(level, msg, *args, **kwargs)
            return
        remote = args[0] if args else "?"
        status = fault.code or 400
        try:
            phrase = HTTPStatus(status).phrase
        except ValueError:
            phrase = "Bad Request"
        # Non-HTTP traffic on the port (TLS, scanners) stays at the level aiohttp chose.
        quiet = isinstance(fault, BadHttpMethod) and level <= logging.DEBUG
        self.logger.log(
            logging.DEBUG if quiet else logging.WARNING,
            "malformed request from %s: %d %s (%s)", remote, status, phrase,
            type(fault).__name__,
        )  # fmt: skip


def local_address(bind: str, port: int) -> str:
    """``http://host:port`` for a bind address; a wildcard (0.0.0.0, ::) shows as 127.0.0.1."""
    host = "127.0.0.1" if bind in ("", "0.0.0.0", "::") else bind
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}"


class WebServer:
    def __init__(
        self,
        bind: str,
        port: int,
        health: HealthProbe,
        metrics: Exposition | None = None,
        *,
        header_timeout: float = HEADER_TIMEOUT_SECONDS,
    ) -> None:
        self.bind = bind
        self.port = port
        self.header_timeout = header_timeout
        self._health = health
        self._metrics = metrics
        self._app = web.Application()
        self._app.router.add_get("/healthz", self._healthz)
        if metrics is not None:
            self._app.router.add_get("/metrics", self._serve_metrics)
        self._runner: web.AppRunner | None = None

    def address(self) -> str:
        """``http://host:port`` of this server: the real port once it listens."""
        return local_address(self.bind, self.port)

    def add_routes(self, routes: Sequence[Route]) -> None:
        for route in routes:
            self._app.router.add_route(route.method, route.path, route.handler)

    async def start(self) -> None:
        """Listen; raise ConfigError naming ``web.port`` or ``web.bind`` when that fails."""
        self._runner = web.AppRunner(
            self._app,
            access_log=None,
            # aiohttp closes a connection whose request head is not complete this long
            # after connecting or after the previous answer (also while bytes trickle in).
            keepalive_timeout=self.header_timeout,
            logger=RequestFaultLog(log, {}),
        )
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.bind, self.port)
        try:
            await site.start()
        except OSError as exc:
            await self.stop()
            raise self._listen_error(exc) from None
        addresses = self._runner.addresses
        if addresses:
            self.port = int(addresses[0][1])
        log.info("web server listening on http://%s:%d", self.bind, self.port)

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    def _listen_error(self, exc: OSError) -> ConfigError:
        where = f"{self.bind}:{self.port}"
        if exc.errno == errno.EADDRINUSE:
            return ConfigError(
                "web.port", f"{where} is already in use (is another homeoffice-bot running?)"
            )
        if exc.errno == errno.EACCES:
            return ConfigError("web.port", f"no permission to listen on {where}")
        reason = os.strerror(exc.errno).lower() if exc.errno else str(exc)
        return ConfigError("web.bind", f"cannot listen on {where}: {reason}")

    async def _healthz(self, request: web.Request) -> web.Response:
        status, details = await self._health()
        return web.json_response(
            {"status": status, **details}, status=200 if status == "ok" else 503
        )

    async def _serve_metrics(self, request: web.Request) -> web.Response:
        assert self._metrics is not None
        body, content_type = await self._metrics(request.headers.get("Accept"))
        return web.Response(body=body, headers={"Content-Type": content_type})
