"""Serving the published files from the output directory on the bot's web server.

``<path>`` is the HTML page, ``<path><file>`` the feeds and exports; nothing else in the
directory is reachable. The page gets a Content-Security-Policy that forbids scripts, as
a second wall behind the escaping.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

from aiohttp import web

from digitalnah.render import CONTENT_TYPES, HTML_FILE

CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' https: data:; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def file_response(out_dir: Path, name: str) -> web.StreamResponse:
    """One published file with its content type; 404 when unknown or not published yet."""
    content_type = CONTENT_TYPES.get(name)
    path = out_dir / name
    if content_type is None or not path.is_file():
        raise web.HTTPNotFound(text="Nicht gefunden / not found")
    headers = {
        "Content-Type": content_type,
        "Cache-Control": "no-cache",
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": CSP,
        "Referrer-Policy": "no-referrer",
    }
    if name != HTML_FILE:
        headers["Access-Control-Allow-Origin"] = "*"
    return web.FileResponse(path, headers=headers)


def routes(path: str, out_dir: Path) -> list[tuple[str, str, Handler]]:
    """(method, route, handler) for ``path`` (ending in ``/``) and the files below it."""

    async def page(request: web.Request) -> web.StreamResponse:
        return file_response(out_dir, HTML_FILE)

    async def named(request: web.Request) -> web.StreamResponse:
        return file_response(out_dir, request.match_info["name"])

    async def without_slash(request: web.Request) -> web.StreamResponse:
        raise web.HTTPPermanentRedirect(path)

    return [
        ("GET", path, page),
        ("GET", path.rstrip("/"), without_slash),
        ("GET", path + "{name}", named),
    ]
