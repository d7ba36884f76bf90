"""A real Synapse homeserver in a subprocess, for tests, the demo and benchmarks.

    with SynapseServer(tmp_path) as server:
        mxid = server.register_user("alice", "secret")
        token = server.login("alice", "secret")

The server runs on 127.0.0.1 with SQLite, federation unused (``federation=True``: with
another such server over TLS on loopback), registration closed and every rate
limit raised so high that tests and benchmarks never hit one. Users are created through the
shared-secret admin API. Only the standard library is used for HTTP (no nio here).
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import itertools
import json
import os
import secrets
import sys
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from homeoffice_bot.devserver.config import homeserver_config, log_config
from homeoffice_bot.devserver.federation import federation_config
from homeoffice_bot.devserver.process import ServerProcess, free_port

__all__ = ["HomeserverError", "SynapseServer", "UserFactory", "free_port"]

_LOG_FILE = "homeserver.log"
_CONFIG_FILE = "homeserver.yaml"
_LOG_CONFIG_FILE = "log.config.yaml"


class HomeserverError(RuntimeError):
    """The homeserver could not be started, or answered a request with an error."""

    def __init__(self, message: str, *, status: int | None = None, errcode: str | None = None):
        super().__init__(message)
        self.status = status
        self.errcode = errcode


class SynapseServer(ServerProcess):
    """One Synapse process with its config, database and log in `workdir`.

    start() may be called again after stop(): the same port, database and signing key are used,
    so a test can take the homeserver away and bring it back.
    """

    name = "Synapse"
    error = HomeserverError

    def __init__(
        self,
        workdir: Path,
        server_name: str = "localhost",
        port: int | None = None,
        *,
        federation: bool = False,
    ):
        """``federation``: also listen for other homeservers over TLS on a port of its
        own; the server name is then "localhost:<that port>" (see ``federation.py``)."""
        self._workdir = Path(workdir).resolve()
        super().__init__(self._workdir / _LOG_FILE)
        self._federation_port = free_port() if federation else None
        self._server_name = (
            f"localhost:{self._federation_port}" if self._federation_port else server_name
        )
        self._port = port
        self._shared_secret = secrets.token_hex(24)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def port(self) -> int:
        if self._port is None:
            raise HomeserverError("the homeserver has not been started yet")
        return self._port

    @property
    def server_name(self) -> str:
        return self._server_name

    @property
    def shared_secret(self) -> str:
        return self._shared_secret

    @property
    def workdir(self) -> Path:
        return self._workdir

    def config(self) -> dict[str, Any]:
        """The homeserver.yaml content for this server."""
        config = homeserver_config(
            self._workdir,
            server_name=self._server_name,
            port=self.port,
            shared_secret=self._shared_secret,
            log_config_path=self._workdir / _LOG_CONFIG_FILE,
        )
        if self._federation_port is not None:
            extra = federation_config(self._workdir, self._federation_port)
            config["listeners"].append(extra.pop("listener"))
            config.pop("federation_domain_whitelist", None)
            config.update(extra)
        return config

    def start(self, timeout: float = 60.0) -> None:
        """Write the config, start Synapse and wait until /health answers OK."""
        if self.running:
            return
        self._workdir.mkdir(parents=True, exist_ok=True)
        if self._port is None:
            self._port = free_port()
        (self._workdir / _CONFIG_FILE).write_text(json.dumps(self.config(), indent=2))
        (self._workdir / _LOG_CONFIG_FILE).write_text(json.dumps(log_config(), indent=2))
        self._spawn(
            [sys.executable, "-m", "synapse.app.homeserver", "-c", _CONFIG_FILE],
            cwd=self._workdir,
            env={**os.environ, "PYTHONWARNINGS": "ignore"},
        )
        self._wait_until_ready(timeout)

    def stop(self, timeout: float = 10.0) -> None:
        """SIGTERM, then SIGKILL if Synapse has not exited after `timeout` seconds."""
        self._stop_process(timeout)

    async def start_async(self) -> None:
        await asyncio.to_thread(self.start)

    async def stop_async(self) -> None:
        await asyncio.to_thread(self.stop)

    def _answers(self) -> bool:
        """``GET /health`` answers OK."""
        try:
            with urllib.request.urlopen(f"{self.url}/health", timeout=1) as response:
                return bool(response.status == 200 and response.read().strip() == b"OK")
        except urllib.error.HTTPError as error:
            error.close()
        except OSError:
            pass
        return False

    def request(
        self,
        method: str,
        path: str,
        body: dict[str, Any] | None = None,
        *,
        access_token: str | None = None,
        timeout: float = 30.0,
    ) -> dict[str, Any]:
        """One JSON request against the homeserver; error answers raise HomeserverError."""
        headers = {"Content-Type": "application/json"}
        if access_token is not None:
            headers["Authorization"] = f"Bearer {access_token}"
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.url + path, data, headers, method=method)
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                answer: dict[str, Any] = json.loads(response.read() or b"{}")
                return answer
        except urllib.error.HTTPError as error:
            with error:
                raw = error.read()
            try:
                details = json.loads(raw)
            except ValueError:
                details = {"error": raw.decode(errors="replace")}
            raise HomeserverError(
                f"{method} {path} -> {error.code}: {details.get('error', details)}",
                status=error.code,
                errcode=details.get("errcode"),
            ) from None

    def register_user(
        self,
        localpart: str,
        password: str,
        *,
        admin: bool = False,
        displayname: str | None = None,
    ) -> str:
        """Create a user through the shared-secret admin API and return the MXID."""
        path = "/_synapse/admin/v1/register"
        nonce = str(self.request("GET", path)["nonce"])
        role = b"admin" if admin else b"notadmin"
        message = b"\x00".join([nonce.encode(), localpart.encode(), password.encode(), role])
        mac = hmac.new(self._shared_secret.encode(), message, hashlib.sha1).hexdigest()
        body: dict[str, Any] = {
            "nonce": nonce,
            "username": localpart,
            "password": password,
            "admin": admin,
            "mac": mac,
        }
        if displayname is not None:
            body["displayname"] = displayname
        return str(self.request("POST", path, body)["user_id"])

    def login(self, user: str, password: str, *, device_id: str | None = None) -> str:
        """Password login (localpart or MXID); returns the access token."""
        body: dict[str, Any] = {
            "type": "m.login.password",
            "identifier": {"type": "m.id.user", "user": user},
            "password": password,
        }
        if device_id is not None:
            body["device_id"] = device_id
        return str(self.request("POST", "/_matrix/client/v3/login", body)["access_token"])


class UserFactory:
    """Registers fresh users: `make("alice") -> ("@alice3-1f2e3d4c:localhost", password)`.

    The localpart is the prefix plus a counter and a random suffix, so callers never share
    accounts, not even across two factories on the same homeserver.
    """

    def __init__(self, server: SynapseServer):
        self._server = server
        self._numbers = itertools.count(1)

    def __call__(
        self, prefix: str = "user", *, admin: bool = False, displayname: str | None = None
    ) -> tuple[str, str]:
        localpart = f"{prefix}{next(self._numbers)}-{secrets.token_hex(4)}"
        password = secrets.token_urlsafe(12)
        mxid = self._server.register_user(localpart, password, admin=admin, displayname=displayname)
        return mxid, password
