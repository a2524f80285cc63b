"""The built-in issuer's signing key: generated on first use, kept private, JWKS published.

Files under ``<data>/issuer/``:

- ``signing-key.jwk.json``: the private key as a JWK, mode 0600, never served;
- ``jwks.json``: the public key set, which a gateway verifying with ``jwks_file`` reads.

Two processes starting at once may both generate a key; the file is created with an
exclusive hard link, so exactly one wins and the other loads the winner's key.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from .jose import JsonWebKey, Key

__all__ = ["SigningKey", "default_data_dir", "load_or_create_signing_key"]

PRIVATE_KEY_FILE = "signing-key.jwk.json"
JWKS_FILE = "jwks.json"
DEFAULT_ALGORITHM = "ES256"


def default_data_dir() -> Path:
    """``$GOVGRAPH_DATA_DIR``, or ``data`` in the working directory (as GatewayConfig)."""
    return Path(os.environ.get("GOVGRAPH_DATA_DIR", "data"))


@dataclass(frozen=True, slots=True)
class SigningKey:
    """A private key with its ``kid`` (RFC 7638 thumbprint) and JWS algorithm."""

    key: Key
    kid: str
    algorithm: str
    jwks_path: Path

    def public_jwks(self) -> dict[str, Any]:
        public = dict(self.key.as_dict(is_private=False))
        public.update({"kid": self.kid, "use": "sig", "alg": self.algorithm})
        return {"keys": [public]}


def _generate() -> dict[str, Any]:
    key = JsonWebKey.generate_key("EC", "P-256", is_private=True)
    jwk = dict(key.as_dict(is_private=True))
    jwk.update({"kid": key.thumbprint(), "alg": DEFAULT_ALGORITHM, "use": "sig"})
    return jwk


def _write_exclusive(path: Path, data: bytes, mode: int) -> bool:
    """Create ``path`` with ``data`` unless it exists; True if this call created it."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        os.fchmod(fd, mode)
        os.write(fd, data)
        os.fsync(fd)
        os.close(fd)
        try:
            os.link(tmp, path)
        except FileExistsError:
            return False
        return True
    finally:
        os.unlink(tmp)


def _write_replace(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)


def load_or_create_signing_key(data_dir: Path | None = None) -> SigningKey:
    """The issuer key under ``data_dir/issuer``, generated (and its JWKS written) if absent."""
    folder = (data_dir or default_data_dir()) / "issuer"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    private_path = folder / PRIVATE_KEY_FILE
    if not private_path.exists():
        _write_exclusive(private_path, orjson.dumps(_generate()), 0o600)
    if private_path.stat().st_mode & 0o077:
        raise PermissionError(
            f"{private_path} is readable by other users; run: chmod 600 {private_path}"
        )
    jwk = orjson.loads(private_path.read_bytes())
    key = JsonWebKey.import_key(jwk)
    signing = SigningKey(
        key=key,
        kid=str(jwk.get("kid") or key.thumbprint()),
        algorithm=str(jwk.get("alg") or DEFAULT_ALGORITHM),
        jwks_path=folder / JWKS_FILE,
    )
    published = orjson.dumps(signing.public_jwks(), option=orjson.OPT_INDENT_2)
    if not signing.jwks_path.exists() or signing.jwks_path.read_bytes() != published:
        _write_replace(signing.jwks_path, published)
    return signing
