"""The session: log in once with a password, then restore the access token and device id
from ``credentials.json`` (mode 0600) in the data dir, so that the bot keeps one device and
its encryption store across restarts.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path

import nio

from homeoffice_bot.kernel.errors import LoginError
from homeoffice_bot.kernel.matrix.rooms import AccountBase

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Credentials:
    homeserver: str
    user_id: str
    device_id: str
    access_token: str

    @classmethod
    def load(cls, path: Path) -> Credentials | None:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return cls(**{k: str(data[k]) for k in cls.__dataclass_fields__})
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(self.__dict__, fh)
        os.replace(tmp, path)
        path.chmod(0o600)


class SessionMixin(AccountBase):
    _device_name: str
    _password: str | None
    _access_token: str | None

    async def login(self) -> None:
        """Restore the saved device, or log in once and save it."""
        homeserver = self._client.homeserver
        saved = Credentials.load(self._credentials_path)
        if saved and saved.user_id == self._client.user and saved.homeserver == homeserver:
            self._client.restore_login(saved.user_id, saved.device_id, saved.access_token)
            whoami = await self._client.whoami()
            if isinstance(whoami, nio.WhoamiResponse):
                log.info("restored device %s", saved.device_id)
                return
            if self._password is None:
                raise LoginError(f"saved access token was refused: {whoami.message}")
            log.warning("saved access token was refused; logging in again on the same device")
            await self._password_login(device_id=saved.device_id)
        elif self._access_token is not None:
            self._client.access_token = self._access_token
            whoami = await self._client.whoami()
            if not isinstance(whoami, nio.WhoamiResponse) or not whoami.device_id:
                raise LoginError(f"access token was refused: {getattr(whoami, 'message', '')}")
            self._client.restore_login(whoami.user_id, whoami.device_id, self._access_token)
        else:
            await self._password_login(device_id=None)
        Credentials(
            homeserver, str(self._client.user_id), self.device_id, self._client.access_token
        ).save(self._credentials_path)

    async def _password_login(self, device_id: str | None) -> None:
        if self._password is None:
            raise LoginError("no password configured")
        if device_id:
            self._client.device_id = device_id
        response = await self._client.login(self._password, device_name=self._device_name)
        if not isinstance(response, nio.LoginResponse):
            raise LoginError(f"login failed: {getattr(response, 'message', response)}")
        log.info("logged in as %s with device %s", response.user_id, response.device_id)

    async def close(self) -> None:
        await self._client.close()
