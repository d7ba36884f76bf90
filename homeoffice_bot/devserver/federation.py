"""Federation between development homeservers on loopback.

Two Synapses federate over TLS listeners on 127.0.0.1 with a self-signed certificate
(made here with ``cryptography``, which Synapse already pulls in). Their server names carry
the port ("localhost:8448"), so each finds the other without SRV records or .well-known;
certificates are not verified and loopback is allowed past Synapse's blocklist of
private addresses (``ip_range_whitelist``; a server name that is an IP literal would be
checked against the blocklist alone). Only for tests and the demo.
"""

from __future__ import annotations

import datetime
import ipaddress
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

CERT_FILE = "federation.crt"
KEY_FILE = "federation.key"


def self_signed_certificate(workdir: Path) -> tuple[Path, Path]:
    """A certificate for localhost (made once, kept for restarts): (cert, key) paths."""
    cert_path, key_path = workdir / CERT_FILE, workdir / KEY_FILE
    if cert_path.exists() and key_path.exists():
        return cert_path, key_path
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    key_path.chmod(0o600)
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return cert_path, key_path


def federation_config(workdir: Path, port: int) -> dict[str, Any]:
    """What homeserver.yaml needs on top of the plain config to federate on loopback."""
    cert, key = self_signed_certificate(workdir)
    return {
        "tls_certificate_path": str(cert),
        "tls_private_key_path": str(key),
        "federation_verify_certificates": False,
        "ip_range_whitelist": ["127.0.0.1", "::1"],
        "listener": {
            "port": port,
            "bind_addresses": ["127.0.0.1"],
            "type": "http",
            "tls": True,
            "x_forwarded": False,
            "resources": [{"names": ["federation"], "compress": False}],
        },
    }
