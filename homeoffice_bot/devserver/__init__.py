"""Development helpers: a real local homeserver for tests, the demo and benchmarks."""

from __future__ import annotations

from homeoffice_bot.devserver.synapse import HomeserverError, SynapseServer, UserFactory

__all__ = ["HomeserverError", "SynapseServer", "UserFactory"]
