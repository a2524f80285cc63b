"""Gateway-to-subgraph request signing, so that nobody reaches a subgraph around the gateway.

The gateway signs each subgraph request with an HMAC-SHA256 over a timestamp, the caller
and the SHA-256 of the exact body; subgraphs refuse requests whose signature is missing,
wrong, or older than ``max_age`` seconds. The caller travels with the request so that a
department can log who asked and check its own row rules on mutations (the gateway's
policy decides which mutations a caller may call, not on which rows: "may this officer
decide *this* case?" needs the case's county, which only the department knows).

Headers::

    X-Govgraph-Caller:    base64url(JSON {"sub", "cid", "pur", "ts",
                                          "knd", "cty", "dep", "scp"})
    X-Govgraph-Signature: v1=<hex hmac_sha256(secret, caller_b64 + "." + hex sha256(body))>

``knd`` is the principal's kind (``user``, ``client``, ``anonymous``), ``cty`` its county
(division code) claim, ``dep`` its department claim and ``scp`` its scopes (sorted). The
HMAC covers the whole caller header, so none of them can be altered. A caller header
without them (signed before they existed) still verifies; they are then ``None`` / empty,
which a department must treat as "unknown" and refuse what needs them (fail closed).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import orjson

__all__ = [
    "CALLER_HEADER",
    "SIGNATURE_HEADER",
    "SignatureError",
    "SignedCaller",
    "sign_subgraph_request",
    "verify_subgraph_request",
]

CALLER_HEADER = "x-govgraph-caller"
SIGNATURE_HEADER = "x-govgraph-signature"


class SignatureError(Exception):
    """The request is not signed by the gateway (missing, malformed, wrong or stale)."""


@dataclass(frozen=True, slots=True)
class SignedCaller:
    """The caller as the gateway vouches for it. Missing facts are ``None``/empty: unknown."""

    subject: str | None
    client_id: str | None
    purpose: str | None
    issued_at: int
    kind: str | None = None  # user | client | anonymous
    county: str | None = None  # division code claim, e.g. 211202
    department: str | None = None
    scopes: frozenset[str] = frozenset()

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes


def _mac(secret: bytes, caller_b64: str, body: bytes) -> str:
    message = caller_b64.encode() + b"." + hashlib.sha256(body).hexdigest().encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


def sign_subgraph_request(
    body: bytes,
    *,
    secret: bytes,
    subject: str | None,
    client_id: str | None,
    purpose: str | None,
    now: float | None = None,
    kind: str | None = None,
    county: str | None = None,
    department: str | None = None,
    scopes: Iterable[str] = (),
) -> dict[str, str]:
    issued = int(time.time() if now is None else now)
    caller = orjson.dumps(
        {
            "sub": subject,
            "cid": client_id,
            "pur": purpose,
            "ts": issued,
            "knd": kind,
            "cty": county,
            "dep": department,
            "scp": sorted(set(scopes)),
        }
    )
    caller_b64 = base64.urlsafe_b64encode(caller).rstrip(b"=").decode()
    return {CALLER_HEADER: caller_b64, SIGNATURE_HEADER: "v1=" + _mac(secret, caller_b64, body)}


def verify_subgraph_request(
    body: bytes,
    headers: Mapping[str, str],
    *,
    secret: bytes,
    max_age: int = 60,
    now: float | None = None,
) -> SignedCaller:
    caller_b64 = headers.get(CALLER_HEADER) or headers.get(CALLER_HEADER.title())
    signature = headers.get(SIGNATURE_HEADER) or headers.get(SIGNATURE_HEADER.title())
    if not caller_b64 or not signature:
        raise SignatureError("request is not signed by the gateway")
    if not signature.startswith("v1="):
        raise SignatureError("unsupported signature version")
    if not hmac.compare_digest(signature[3:], _mac(secret, caller_b64, body)):
        raise SignatureError("signature does not match the request")
    try:
        padded = caller_b64 + "=" * (-len(caller_b64) % 4)
        caller = orjson.loads(base64.urlsafe_b64decode(padded))
        issued = int(caller["ts"])
        scopes = caller.get("scp") or []
        if not isinstance(scopes, list) or not all(isinstance(s, str) for s in scopes):
            raise TypeError("scp is not a list of scopes")
        extra = [caller.get(key) for key in ("knd", "cty", "dep")]
        if not all(value is None or isinstance(value, str) for value in extra):
            raise TypeError("knd, cty and dep are strings")
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise SignatureError("malformed caller header") from exc
    current = time.time() if now is None else now
    if abs(current - issued) > max_age:
        raise SignatureError("signature expired")
    return SignedCaller(
        caller.get("sub"),
        caller.get("cid"),
        caller.get("pur"),
        issued,
        kind=extra[0],
        county=extra[1],
        department=extra[2],
        scopes=frozenset(scopes),
    )
