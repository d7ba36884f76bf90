"""Configuration of the development homeserver: homeserver.yaml and its logging config.

Both are plain dicts; SynapseServer writes them as JSON, which is valid YAML.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

_UNLIMITED = {"per_second": 100_000, "burst_count": 1_000_000}
# Every per-request rate limiter of the installed Synapse (synapse/config/ratelimiting.py).
_RATE_LIMIT_KEYS = (
    "rc_message",
    "rc_registration",
    "rc_registration_token_validity",
    "rc_login.address",
    "rc_login.account",
    "rc_login.failed_attempts",
    "rc_admin_redaction",
    "rc_joins.local",
    "rc_joins.remote",
    "rc_joins_per_room",
    "rc_key_requests",
    "rc_3pid_validation",
    "rc_invites.per_room",
    "rc_invites.per_user",
    "rc_invites.per_issuer",
    "rc_third_party_invite",
    "rc_media_create",
    "rc_presence.per_user",
    "rc_delayed_event_mgmt",
    "rc_room_creation",
    "rc_reports",
    "rc_user_directory",
    "rc_profile",
)


def rate_limits() -> dict[str, Any]:
    """The rc_* config section with every limiter raised far beyond any test's needs."""
    section: dict[str, Any] = {}
    for key in _RATE_LIMIT_KEYS:
        *parents, leaf = key.split(".")
        node = section
        for parent in parents:
            node = node.setdefault(parent, {})
        node[leaf] = dict(_UNLIMITED)
    return section


def homeserver_config(
    workdir: Path, *, server_name: str, port: int, shared_secret: str, log_config_path: Path
) -> dict[str, Any]:
    """A single-process Synapse on 127.0.0.1 with SQLite, everything kept inside `workdir`."""
    return {
        "server_name": server_name,
        "pid_file": str(workdir / "homeserver.pid"),
        "report_stats": False,
        "public_baseurl": f"http://127.0.0.1:{port}/",
        "listeners": [
            {
                "port": port,
                "bind_addresses": ["127.0.0.1"],
                "type": "http",
                "tls": False,
                "x_forwarded": False,
                "resources": [{"names": ["client"], "compress": False}],
            }
        ],
        "database": {"name": "sqlite3", "args": {"database": str(workdir / "homeserver.db")}},
        "log_config": str(log_config_path),
        "media_store_path": str(workdir / "media_store"),
        "signing_key_path": str(workdir / "signing.key"),
        "registration_shared_secret": shared_secret,
        "enable_registration": False,
        "bcrypt_rounds": 4,  # fast password hashing: logins take ~10 ms instead of ~300
        "trusted_key_servers": [],
        "suppress_key_server_warning": True,
        "presence": {"enabled": True},
        "url_preview_enabled": False,
        "enable_metrics": False,
        "federation_domain_whitelist": [],
        # Synapse answers an identical sync from a cache for 2 minutes; tests that read
        # notification counts from a fresh sync want today's numbers.
        "caches": {"sync_response_cache_duration": "0s"},
        **rate_limits(),
    }


def log_config() -> dict[str, Any]:
    """Synapse logs warnings and errors only, to stderr, which start() sends to the log file."""
    return {
        "version": 1,
        "formatters": {
            "precise": {"format": "%(asctime)s %(name)s %(levelname)s %(request)s %(message)s"}
        },
        "filters": {"context": {"()": "synapse.logging.context.LoggingContextFilter"}},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "precise",
                "filters": ["context"],
                "stream": "ext://sys.stderr",
            }
        },
        "loggers": {"synapse.storage.SQL": {"level": "WARNING"}},
        "root": {"level": "WARNING", "handlers": ["console"]},
        "disable_existing_loggers": False,
    }
