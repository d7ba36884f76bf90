"""The test homeserver itself: it answers, registers users and lets them log in often."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from homeoffice_bot.devserver import HomeserverError, SynapseServer, UserFactory

pytestmark = pytest.mark.integration


def get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as response:
        body: bytes = response.read()
        return body


def password_login(server: SynapseServer, user: str, password: str) -> dict[str, Any]:
    body = {
        "type": "m.login.password",
        "identifier": {"type": "m.id.user", "user": user},
        "password": password,
    }
    request = urllib.request.Request(
        f"{server.url}/_matrix/client/v3/login",
        json.dumps(body).encode(),
        {"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        answer: dict[str, Any] = json.loads(response.read())
        return answer


def test_health_answers_ok(synapse: SynapseServer) -> None:
    assert get(f"{synapse.url}/health") == b"OK"


def test_client_versions_are_listed(synapse: SynapseServer) -> None:
    versions = json.loads(get(f"{synapse.url}/_matrix/client/versions"))["versions"]
    assert "v1.1" in versions


def test_registered_user_can_log_in_with_password(
    synapse: SynapseServer, make_user: UserFactory
) -> None:
    mxid, password = make_user("alice", displayname="Alice Beispiel")
    assert mxid.startswith("@alice")
    assert mxid.endswith(":localhost")

    answer = password_login(synapse, mxid, password)

    assert answer["user_id"] == mxid
    assert answer["access_token"]
    assert answer["device_id"]
    profile = json.loads(get(f"{synapse.url}/_matrix/client/v3/profile/{mxid}"))
    assert profile["displayname"] == "Alice Beispiel"


def test_wrong_password_is_refused(synapse: SynapseServer, make_user: UserFactory) -> None:
    mxid, _ = make_user()
    with pytest.raises(urllib.error.HTTPError) as refused:
        password_login(synapse, mxid, "not the password")
    refused.value.close()
    assert refused.value.code == 403


def test_twenty_logins_in_a_row_are_not_rate_limited(
    synapse: SynapseServer, make_user: UserFactory
) -> None:
    mxid, password = make_user("frequent")
    device_ids = {password_login(synapse, mxid, password)["device_id"] for _ in range(20)}
    assert len(device_ids) == 20


def test_admin_flag_and_login_helper(synapse: SynapseServer, make_user: UserFactory) -> None:
    admin_mxid, admin_password = make_user("admin", admin=True)
    user_mxid, _ = make_user()
    token = synapse.login(admin_mxid, admin_password, device_id="ADMINDEVICE")

    details = synapse.request("GET", f"/_synapse/admin/v2/users/{user_mxid}", access_token=token)

    assert details["name"] == user_mxid
    assert details["admin"] is False


def test_duplicate_registration_reports_errcode(synapse: SynapseServer) -> None:
    synapse.register_user("duplicate-check", "pw-one")
    with pytest.raises(HomeserverError) as duplicate:
        synapse.register_user("duplicate-check", "pw-two")
    assert duplicate.value.status == 400
    assert duplicate.value.errcode == "M_USER_IN_USE"


def test_restart_keeps_port_and_accounts(tmp_path: Path) -> None:
    with SynapseServer(tmp_path / "hs") as server:
        url = server.url
        mxid = server.register_user("survivor", "pw")
        server.stop()
        assert not server.running
        with pytest.raises(urllib.error.URLError):
            get(f"{url}/health")

        server.start()

        assert server.url == url
        assert password_login(server, mxid, "pw")["user_id"] == mxid


def test_failed_start_reports_the_log(tmp_path: Path) -> None:
    server = SynapseServer(tmp_path / "broken", server_name="not a valid name")
    with pytest.raises(HomeserverError, match="invalid format"):
        server.start()
    assert not server.running
