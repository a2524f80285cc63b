"""Registered OAuth2 clients (partner systems) and their hashed secrets, from YAML.

Secrets are stored only as salted scrypt hashes (``hashlib.scrypt``)::

    scrypt$<log2 n>$<r>$<p>$<salt, base64url>$<hash, base64url>

``pbkdf2_sha256$<iterations>$<salt>$<hash>`` is also accepted, for hashes produced by
other tooling. ``govgraph token hash-secret`` prints the scrypt form.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

__all__ = ["ClientRegistry", "RegisteredClient", "hash_secret", "verify_secret"]

_SCRYPT_LOG_N, _SCRYPT_R, _SCRYPT_P = 14, 8, 1
_CLIENT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def hash_secret(secret: str, *, salt: bytes | None = None) -> str:
    """The scrypt hash of ``secret`` in the registry's text form."""
    if not secret:
        raise ValueError("a client secret must not be empty")
    salt = salt or os.urandom(16)
    digest = hashlib.scrypt(
        secret.encode(), salt=salt, n=1 << _SCRYPT_LOG_N, r=_SCRYPT_R, p=_SCRYPT_P, dklen=32
    )
    return f"scrypt${_SCRYPT_LOG_N}${_SCRYPT_R}${_SCRYPT_P}${_b64(salt)}${_b64(digest)}"


def verify_secret(secret: str, hashed: str) -> bool:
    """True if ``secret`` matches ``hashed``; False for a wrong secret or an unreadable hash."""
    parts = hashed.split("$")
    try:
        if parts[0] == "scrypt" and len(parts) == 6:
            log_n, r, p = int(parts[1]), int(parts[2]), int(parts[3])
            if not (10 <= log_n <= 20 and 1 <= r <= 16 and 1 <= p <= 4):
                return False
            expected = _unb64(parts[5])
            actual = hashlib.scrypt(
                secret.encode(),
                salt=_unb64(parts[4]),
                n=1 << log_n,
                r=r,
                p=p,
                dklen=len(expected),
                maxmem=256 * 1024 * 1024,
            )
        elif parts[0] == "pbkdf2_sha256" and len(parts) == 4:
            expected = _unb64(parts[3])
            actual = hashlib.pbkdf2_hmac(
                "sha256", secret.encode(), _unb64(parts[2]), int(parts[1]), len(expected)
            )
        else:
            return False
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)


@dataclass(frozen=True, slots=True)
class RegisteredClient:
    client_id: str
    name: str
    secret_hash: str
    scopes: frozenset[str]
    department: str | None = None
    county: str | None = None


def _client_from_mapping(raw: Mapping[str, Any], where: str) -> RegisteredClient:
    client_id = raw.get("id")
    if not isinstance(client_id, str) or not _CLIENT_ID.match(client_id):
        raise ValueError(f"{where}: 'id' must be letters, digits, '.', '_' or '-'")
    secret_hash = raw.get("secret_hash")
    if not isinstance(secret_hash, str) or not secret_hash.startswith(
        ("scrypt$", "pbkdf2_sha256$")
    ):
        raise ValueError(
            f"{where} ({client_id}): 'secret_hash' must be a hashed secret "
            "(see `govgraph token hash-secret`); plaintext secrets are refused"
        )
    scopes = raw.get("scopes", [])
    if isinstance(scopes, str):
        scopes = scopes.split()
    if not isinstance(scopes, list) or not all(isinstance(s, str) for s in scopes):
        raise ValueError(f"{where} ({client_id}): 'scopes' must be a list of strings")
    department, county = raw.get("department"), raw.get("county")
    return RegisteredClient(
        client_id=client_id,
        name=str(raw.get("name") or client_id),
        secret_hash=secret_hash,
        scopes=frozenset(scopes),
        department=str(department) if department is not None else None,
        county=str(county) if county is not None else None,
    )


class ClientRegistry:
    """The clients allowed to use the client-credentials grant, by id."""

    def __init__(self, clients: Iterable[RegisteredClient] = ()) -> None:
        self._clients: dict[str, RegisteredClient] = {}
        for client in clients:
            if client.client_id in self._clients:
                raise ValueError(f"client '{client.client_id}' is registered twice")
            self._clients[client.client_id] = client

    @classmethod
    def from_yaml(cls, path: Path) -> ClientRegistry:
        """Load ``path`` (``clients: [{id, name, secret_hash, scopes, department}]``)."""
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        raw_clients = document.get("clients") if isinstance(document, dict) else None
        if not isinstance(raw_clients, list):
            raise ValueError(f"{path}: expected a top-level 'clients' list")
        return cls(
            _client_from_mapping(raw, f"{path}: clients[{index}]")
            if isinstance(raw, dict)
            else _raise(f"{path}: clients[{index}] must be a mapping")
            for index, raw in enumerate(raw_clients)
        )

    def get(self, client_id: str) -> RegisteredClient | None:
        return self._clients.get(client_id)

    def authenticate(self, client_id: str, secret: str) -> RegisteredClient | None:
        """The client if ``secret`` is its secret; None otherwise (in similar time)."""
        client = self._clients.get(client_id)
        if client is None:
            # Hash anyway so that response time does not reveal which client ids exist.
            verify_secret(secret, _dummy_hash())
            return None
        return client if verify_secret(secret, client.secret_hash) else None

    def all_scopes(self) -> frozenset[str]:
        return frozenset().union(*(c.scopes for c in self._clients.values()))

    def __len__(self) -> int:
        return len(self._clients)


def _raise(message: str) -> RegisteredClient:
    raise ValueError(message)


@functools.cache
def _dummy_hash() -> str:
    return hash_secret("not-a-client", salt=b"govgraph-dummy16")
