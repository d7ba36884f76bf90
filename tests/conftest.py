"""Fixtures for tests against a real local Synapse homeserver (one per test session)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from homeoffice_bot.devserver import SynapseServer, UserFactory


@pytest.fixture(scope="session")
def synapse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SynapseServer]:
    """A running Synapse on 127.0.0.1, shared by the whole session."""
    server = SynapseServer(tmp_path_factory.mktemp("synapse"))
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def _session_users(synapse: SynapseServer) -> UserFactory:
    return UserFactory(synapse)


@pytest.fixture
def make_user(_session_users: UserFactory) -> UserFactory:
    """`make_user(prefix="user", *, admin=False, displayname=None) -> (mxid, password)`.

    Each call registers a fresh user with a unique localpart (prefix + counter + random suffix).
    """
    return _session_users
