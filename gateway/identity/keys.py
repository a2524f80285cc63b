"""The issuer's public keys (JWKS) from a file or URL, cached, refreshed on an unknown kid.

Refresh rules, so that a flood of tokens with made-up ``kid`` values cannot turn the
gateway into a load generator against the issuer:

1. the key set is loaded on first use and reloaded once it is ``cache_seconds`` old
   (if that reload fails, the keys already held stay in use);
2. a token whose ``kid`` is not in the set triggers one reload, but reloads (successful
   or not) happen at most once per ``min_refresh_seconds``;
3. when no keys can be loaded at all, every token is denied with a clear message.

Symmetric (``oct``) keys and keys whose ``use`` is not ``sig`` are dropped on import: a
published HMAC key would let anyone mint tokens.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Protocol

import httpx
import orjson

from gateway.errors import UnauthenticatedError

from .jose import JsonWebKey, Key

__all__ = ["FileJwks", "JwksSource", "KeyCache", "UrlJwks", "key_matches_algorithm"]

log = logging.getLogger(__name__)

_FAMILY = {"RS": "RSA", "PS": "RSA", "ES": "EC", "Ed": "OKP"}
# RFC 7518 §3.4 ties each ECDSA algorithm to one curve; RFC 8037 names the EdDSA curves.
_CURVES = {
    "ES256": {"P-256"},
    "ES384": {"P-384"},
    "ES512": {"P-521"},
    "EdDSA": {"Ed25519", "Ed448"},
}


class JwksSource(Protocol):
    """Where a JSON Web Key Set comes from; ``load`` raises ``OSError``/``ValueError``."""

    description: str

    async def load(self) -> Mapping[str, Any]: ...


class FileJwks:
    """A JWKS JSON file, e.g. the one the built-in issuer publishes."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.description = f"file {path}"

    async def load(self) -> Mapping[str, Any]:
        data = await asyncio.to_thread(self.path.read_bytes)
        parsed = orjson.loads(data)
        if not isinstance(parsed, dict):
            raise ValueError("JWKS is not a JSON object")
        return parsed


class UrlJwks:
    """A JWKS served over HTTP(S) by an external issuer."""

    def __init__(
        self, url: str, *, timeout: float = 5.0, client: httpx.AsyncClient | None = None
    ) -> None:
        self.url = url
        self.timeout = timeout
        self.description = f"URL {url}"
        self._client = client

    async def load(self) -> Mapping[str, Any]:
        try:
            if self._client is not None:
                response = await self._client.get(self.url, timeout=self.timeout)
            else:
                async with httpx.AsyncClient(timeout=self.timeout) as client:
                    response = await client.get(self.url)
        except httpx.HTTPError as exc:
            raise OSError(f"cannot fetch JWKS: {exc!r}") from exc
        if response.status_code != 200:
            raise OSError(f"JWKS endpoint answered HTTP {response.status_code}")
        parsed = orjson.loads(response.content)
        if not isinstance(parsed, dict):
            raise ValueError("JWKS is not a JSON object")
        return parsed


def key_matches_algorithm(key: Key, alg: str) -> bool:
    """True if ``key`` may verify ``alg``: type and curve fit, and any ``alg`` member agrees."""
    family = _FAMILY.get(alg[:2])
    if family is None or key.kty != family:
        return False
    curves = _CURVES.get(alg)
    if curves is not None and key.tokens.get("crv") not in curves:
        return False
    declared = key.tokens.get("alg")
    return declared is None or declared == alg


def _import_keys(jwks: Mapping[str, Any]) -> dict[str | None, Key]:
    raw_keys = jwks.get("keys")
    if not isinstance(raw_keys, list):
        raise ValueError("JWKS has no 'keys' array")
    keys: dict[str | None, Key] = {}
    for raw in raw_keys:
        if not isinstance(raw, dict) or raw.get("kty") not in ("RSA", "EC", "OKP"):
            continue
        if raw.get("use", "sig") != "sig":
            continue
        public = {k: v for k, v in raw.items() if k not in ("d", "p", "q", "dp", "dq", "qi")}
        try:
            key = JsonWebKey.import_key(public)
        except (ValueError, TypeError, KeyError) as exc:
            log.warning("skipping an unreadable key in the JWKS: %s", exc)
            continue
        keys[raw.get("kid")] = key
    return keys


class KeyCache:
    """Holds the current key set of one source and applies the refresh rules above."""

    def __init__(
        self,
        source: JwksSource,
        *,
        cache_seconds: float = 600.0,
        min_refresh_seconds: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.source = source
        self.cache_seconds = cache_seconds
        self.min_refresh_seconds = min_refresh_seconds
        self.clock = clock
        self.fetch_count = 0
        self._keys: dict[str | None, Key] | None = None
        self._loaded_at = 0.0
        self._attempted_at: float | None = None
        self._lock = asyncio.Lock()

    async def key_for(self, kid: str | None) -> Key:
        """The verification key for ``kid``; raises ``UnauthenticatedError`` if there is none."""
        now = self.clock()
        if self._keys is None or now - self._loaded_at >= self.cache_seconds:
            await self._reload(required=self._keys is None)
        key = self._find(kid)
        if key is not None:
            return key
        if self._may_attempt():
            await self._reload(required=True)
            key = self._find(kid)
            if key is not None:
                return key
        if kid is None:
            raise UnauthenticatedError("token has no key id (kid) and the issuer has several keys")
        raise UnauthenticatedError("token is signed with an unknown key (kid)")

    def _find(self, kid: str | None) -> Key | None:
        keys = self._keys or {}
        if kid is None and len(keys) == 1:
            return next(iter(keys.values()))
        return keys.get(kid) if kid is not None else None

    def _may_attempt(self) -> bool:
        return (
            self._attempted_at is None
            or self.clock() - self._attempted_at >= self.min_refresh_seconds
        )

    async def _reload(self, *, required: bool) -> None:
        attempted_before = self._attempted_at
        async with self._lock:
            # Another request may have reloaded while this one waited for the lock.
            if self._attempted_at != attempted_before:
                if required and self._keys is None:
                    raise UnauthenticatedError("the issuer's signing keys are unavailable")
                return
            if not self._may_attempt():
                if self._keys is None:
                    raise UnauthenticatedError("the issuer's signing keys are unavailable")
                return
            self._attempted_at = self.clock()
            self.fetch_count += 1
            try:
                keys = _import_keys(await self.source.load())
            except (OSError, ValueError) as exc:
                log.warning("loading signing keys from %s failed: %s", self.source.description, exc)
                if required or self._keys is None:
                    raise UnauthenticatedError(
                        "the issuer's signing keys could not be loaded; try again later"
                    ) from exc
                return
            self._keys = keys
            self._loaded_at = self.clock()
