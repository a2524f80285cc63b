"""TokenVerifier: an Authorization header in, a verified Principal (or a 401) out.

Stages, each failing with a short, safe ``UnauthenticatedError`` message:

1. header: absent → anonymous (if allowed) or deny; must be ``Bearer <JWS compact>``;
2. JOSE header: ``alg`` on the allow-list (``none`` and HMAC can never be), ``kid``;
3. key: from the cached JWKS (see ``keys``), of the family ``alg`` needs, so a public key
   can never be used as an HMAC secret;
4. signature: authlib's JsonWebToken restricted to that one algorithm;
5. claims: ``iss``, ``aud``, ``exp`` (required), ``nbf``, ``iat``, with ``leeway``;
6. principal: ``claims.principal_from_claims``.

An invalid token is denied even when anonymous access is allowed: a caller who presents
credentials means to be someone, and silently downgrading would hide the fault.

Signature checks cost 0.1-0.3 ms each, and a client sends the same token for minutes, so
successful verifications are kept in a bounded LRU keyed by the SHA-256 of the exact token
text (the signed bytes, so a hit is as good as a re-check). An entry is reused for at most
``verified_cache_seconds`` (a key withdrawn from the JWKS stops working within that time)
and never past the token's ``exp``.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import logging
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from typing import Any

import orjson

from gateway.errors import UnauthenticatedError
from gateway.policy.principal import ANONYMOUS, Principal

from .claims import principal_from_claims
from .config import IdentityConfig
from .jose import BadSignatureError, JoseError, JsonWebToken, Key
from .keys import FileJwks, JwksSource, KeyCache, UrlJwks, key_matches_algorithm

__all__ = ["MAX_TOKEN_BYTES", "TokenVerifier", "bearer_token"]

log = logging.getLogger(__name__)

MAX_TOKEN_BYTES = 16 * 1024


def bearer_token(authorization_header: str) -> str:
    """The token of a ``Bearer`` Authorization header (RFC 6750 §2.1)."""
    scheme, _, token = authorization_header.strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token or " " in token:
        raise UnauthenticatedError("malformed Authorization header: expected 'Bearer <token>'")
    if len(token) > MAX_TOKEN_BYTES:
        raise UnauthenticatedError("token is too large")
    return token


def _jose_header(token: str) -> dict[str, Any]:
    if token.count(".") != 2:
        raise UnauthenticatedError("token is not a signed JWT (expected header.payload.signature)")
    segment = token.split(".", 1)[0]
    try:
        header = orjson.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))
    except (binascii.Error, ValueError) as exc:
        raise UnauthenticatedError("token header is malformed") from exc
    if not isinstance(header, dict):
        raise UnauthenticatedError("token header is malformed")
    return header


def _printable(value: object) -> str:
    text = str(value)[:24]
    return "".join(ch if ch.isalnum() or ch in "-_." else "?" for ch in text)


class TokenVerifier:
    """Verifies bearer tokens against one trusted issuer (see the module docstring)."""

    def __init__(
        self,
        config: IdentityConfig,
        *,
        source: JwksSource | None = None,
        clock: Callable[[], float] = time.time,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.config = config
        self.clock = clock
        if source is None:
            if config.jwks_file is not None:
                source = FileJwks(config.jwks_file)
            else:
                assert config.jwks_url is not None  # guaranteed by IdentityConfig
                source = UrlJwks(config.jwks_url, timeout=config.jwks_timeout)
        self.keys = KeyCache(
            source,
            cache_seconds=config.jwks_cache_seconds,
            min_refresh_seconds=config.jwks_min_refresh_seconds,
            clock=monotonic,
        )
        self._jwt = {alg: JsonWebToken([alg]) for alg in config.algorithms}
        self._monotonic = monotonic
        # sha256(token) -> (principal, exp, reuse until (monotonic)); digests bound memory
        self._verified: OrderedDict[bytes, tuple[Principal, float, float]] = OrderedDict()

    async def verify(self, authorization_header: str | None) -> Principal:
        """The Principal for this header; raises ``UnauthenticatedError`` when it is not valid."""
        if authorization_header is None or not authorization_header.strip():
            if self.config.allow_anonymous:
                return ANONYMOUS
            raise UnauthenticatedError("missing bearer token: send 'Authorization: Bearer <token>'")
        token = bearer_token(authorization_header)
        digest = hashlib.sha256(token.encode()).digest()
        cached = self._cached(digest)
        if cached is not None:
            return cached
        header = _jose_header(token)
        alg = header.get("alg")
        if not isinstance(alg, str) or not alg:
            raise UnauthenticatedError("token header has no algorithm (alg)")
        if alg.lower() == "none":
            raise UnauthenticatedError("unsigned tokens (alg 'none') are not accepted")
        if alg not in self._jwt:
            raise UnauthenticatedError(f"token algorithm '{_printable(alg)}' is not allowed")
        kid = header.get("kid")
        if kid is not None and not isinstance(kid, str):
            raise UnauthenticatedError("token header is malformed (kid)")
        key = await self.keys.key_for(kid)
        if not key_matches_algorithm(key, alg):
            raise UnauthenticatedError("token algorithm does not match the issuer's key")
        claims = self._decode(token, alg, key)
        exp = self._check_claims(claims)
        principal = principal_from_claims(claims, self.config)
        self._remember(digest, principal, exp)
        return principal

    def _cached(self, token: bytes) -> Principal | None:
        entry = self._verified.get(token)
        if entry is None:
            return None
        principal, exp, reuse_until = entry
        if self._monotonic() >= reuse_until:
            del self._verified[token]
            return None
        if self.clock() > exp + self.config.leeway:
            del self._verified[token]
            raise UnauthenticatedError("token has expired")
        self._verified.move_to_end(token)
        return principal

    def _remember(self, token: bytes, principal: Principal, exp: float) -> None:
        size = self.config.verified_cache_size
        if size == 0 or self.config.verified_cache_seconds == 0:
            return
        self._verified[token] = (
            principal,
            exp,
            self._monotonic() + self.config.verified_cache_seconds,
        )
        while len(self._verified) > size:
            self._verified.popitem(last=False)

    def _decode(self, token: str, alg: str, key: Key) -> dict[str, Any]:
        try:
            decoded = self._jwt[alg].decode(token, key)
        except BadSignatureError as exc:
            raise UnauthenticatedError("token signature is invalid") from exc
        except (JoseError, ValueError, TypeError) as exc:
            log.debug("token rejected by the JOSE decoder: %r", exc)
            raise UnauthenticatedError("token is malformed") from exc
        return dict(decoded)

    def _check_claims(self, claims: Mapping[str, Any]) -> float:
        """Check issuer, audience and validity times; return ``exp``."""
        if claims.get("iss") != self.config.issuer:
            raise UnauthenticatedError("token issuer is not trusted")
        audience = claims.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if self.config.audience not in audiences:
            raise UnauthenticatedError("token audience does not include this gateway")
        now, leeway = self.clock(), self.config.leeway
        exp = _numeric(claims, "exp", required=True)
        assert exp is not None  # required=True
        if now > exp + leeway:
            raise UnauthenticatedError("token has expired")
        nbf = _numeric(claims, "nbf", required=False)
        if nbf is not None and now + leeway < nbf:
            raise UnauthenticatedError("token is not yet valid")
        iat = _numeric(claims, "iat", required=False)
        if iat is not None and now + leeway < iat:
            raise UnauthenticatedError("token is not yet valid (issued in the future)")
        return exp


def _numeric(claims: Mapping[str, Any], name: str, *, required: bool) -> float | None:
    value = claims.get(name)
    if value is None:
        if required:
            raise UnauthenticatedError(f"token has no '{name}' claim")
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise UnauthenticatedError(f"token claim '{name}' must be a number")
    return float(value)
