"""Serving the published files from the output directory on the bot's web server.

``<path>`` is the index page, ``<path><file>`` the category pages, feeds, archives and
exports; only the files the last publish listed in its manifest are reachable, nothing
else in the directory. ``<path>angebot-<id>`` redirects to the page the offering is on
now (the stable link used in chat and feeds). Pages get a Content-Security-Policy that
forbids scripts, as a second wall behind the escaping.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from pathlib import Path

from aiohttp import web

from digitalnah.render import HTML_FILE, MANIFEST_FILE, content_type
from digitalnah.render.worker import read_manifest

CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' https: data:; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
_OFFERING = re.compile(r"^angebot-(\d{1,12})$")


class Manifest:
    """The manifest of ``out_dir``, read again whenever the file changed."""

    def __init__(self, out_dir: Path) -> None:
        self.path = out_dir / MANIFEST_FILE
        self._stamp: tuple[int, int] | None = None
        self.files: frozenset[str] = frozenset()
        self.offerings: dict[str, str] = {}

    def refresh(self) -> None:
        try:
            stat = self.path.stat()
        except OSError:
            self._stamp, self.files, self.offerings = None, frozenset(), {}
            return
        stamp = (stat.st_mtime_ns, stat.st_size)
        if stamp == self._stamp:
            return
        data = read_manifest(self.path.parent)
        files, offerings = data.get("files"), data.get("offerings")
        listed = files if isinstance(files, list) else []
        self.files = frozenset(f for f in listed if isinstance(f, str) and content_type(f))
        where = offerings if isinstance(offerings, dict) else {}
        self.offerings = {
            str(k): v
            for k, v in where.items()
            if isinstance(v, str) and v.split("#")[0] in self.files
        }
        self._stamp = stamp


def file_response(out_dir: Path, name: str, manifest: Manifest) -> web.StreamResponse:
    """One published file with its content type; 404 when unknown or not published yet."""
    manifest.refresh()
    kind = content_type(name)
    path = out_dir / name
    if kind is None or name not in manifest.files or not path.is_file():
        raise web.HTTPNotFound(text="Nicht gefunden / not found")
    headers = {
        "Content-Type": kind,
        "Cache-Control": "no-cache",
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": CSP,
        "Referrer-Policy": "no-referrer",
    }
    if not name.endswith(".html"):
        headers["Access-Control-Allow-Origin"] = "*"
    return web.FileResponse(path, headers=headers)


def routes(path: str, out_dir: Path) -> list[tuple[str, str, Handler]]:
    """(method, route, handler) for ``path`` (ending in ``/``) and the files below it."""
    manifest = Manifest(out_dir)

    async def page(request: web.Request) -> web.StreamResponse:
        return file_response(out_dir, HTML_FILE, manifest)

    async def named(request: web.Request) -> web.StreamResponse:
        name = request.match_info["name"]
        if match := _OFFERING.match(name):
            manifest.refresh()
            where = manifest.offerings.get(str(int(match[1])))
            if where is None:  # not (or no longer) published: the index says what is
                raise web.HTTPFound(path)
            raise web.HTTPFound(path + where)
        return file_response(out_dir, name, manifest)

    async def without_slash(request: web.Request) -> web.StreamResponse:
        raise web.HTTPPermanentRedirect(path)

    return [
        ("GET", path, page),
        ("GET", path.rstrip("/"), without_slash),
        ("GET", path + "{name}", named),
    ]
