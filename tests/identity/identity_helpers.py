"""Helpers for identity tests: key sets made in the test, tokens signed with them, and a
real loopback HTTP server for JWKS URLs and the issuer's endpoints."""

from __future__ import annotations

import asyncio
import base64
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import orjson
import uvicorn

from gateway.identity.jose import JsonWebKey, JsonWebToken, Key

ISSUER = "https://id.tieling.example.gov.cn"
AUDIENCE = "govgraph"
NOW = 1_800_000_000.0


def make_key(kind: str = "EC", kid: str = "key-1") -> Key:
    if kind == "EC":
        key = JsonWebKey.generate_key("EC", "P-256", is_private=True)
    elif kind == "RSA":
        key = JsonWebKey.generate_key("RSA", 2048, is_private=True)
    else:
        key = JsonWebKey.generate_key("OKP", "Ed25519", is_private=True)
    data = dict(key.as_dict(is_private=True))
    data["kid"] = kid
    return JsonWebKey.import_key(data)


def jwks_of(*keys: Key) -> dict[str, Any]:
    return {"keys": [dict(k.as_dict(is_private=False), use="sig") for k in keys]}


ALG_OF = {"EC": "ES256", "RSA": "RS256", "OKP": "EdDSA"}


def claims(**overrides: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "iss": ISSUER,
        "aud": AUDIENCE,
        "sub": "officer-0042",
        "iat": int(NOW) - 60,
        "exp": int(NOW) + 600,
        "scope": "population:read civil_affairs:read",
        "department": "civil_affairs",
        "county": "211202",
    }
    base.update(overrides)
    return {k: v for k, v in base.items() if v is not None}


def sign(key: Key, payload: dict[str, Any], **header: Any) -> str:
    alg = header.pop("alg", ALG_OF[key.kty])
    full = {"alg": alg, "kid": key.kid, **header}
    return JsonWebToken([alg]).encode(full, payload, key, check=False).decode()


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unsigned_token(header: dict[str, Any], payload: dict[str, Any], signature: bytes = b"") -> str:
    return f"{b64(orjson.dumps(header))}.{b64(orjson.dumps(payload))}.{b64(signature)}"


@asynccontextmanager
async def serve(app: Any) -> AsyncIterator[str]:
    """Run ``app`` with uvicorn on an ephemeral loopback port; yield its base URL."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    task = asyncio.create_task(server.serve(sockets=[sock]))
    try:
        for _ in range(500):
            if server.started or task.done():
                break
            await asyncio.sleep(0.01)
        if task.done():
            task.result()
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task
        sock.close()
