"""The cache admin endpoints: invalidate by entity or type, read the counters.

``POST /admin/cache/invalidate`` takes ``{"type": "Person", "key": {"idNumber": "…"}}``
(one entity) or ``{"type": "Person"}`` (every entry touching the type).
``GET /admin/cache/stats`` returns the counters of this instance. Both require a caller
holding the admin scope (``govgraph:admin``); with no token checking at all nobody does.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import orjson
from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import Response

from gateway.caching.layer import CacheLayer
from gateway.errors import ClientError, ForbiddenError, UnauthenticatedError
from gateway.policy.principal import Principal

__all__ = ["cache_admin_router"]

PrincipalFor = Callable[[Request], Awaitable[Principal]]


def _json(payload: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(
        orjson.dumps(payload),
        status_code=status,
        media_type="application/json",
        headers={"Cache-Control": "no-store", **(headers or {})},
    )


def _error(exc: ClientError) -> Response:
    headers = {}
    if isinstance(exc, UnauthenticatedError):
        headers["WWW-Authenticate"] = 'Bearer realm="govgraph"'
    return _json({"error": exc.code, "message": exc.message}, exc.status, headers)


def cache_admin_router(layer: CacheLayer, principal_for: PrincipalFor) -> APIRouter:
    """The router; ``principal_for`` authenticates a request (raising UnauthenticatedError)."""
    router = APIRouter(tags=["cache"])
    scope = layer.settings.admin_scope

    async def admin(request: Request) -> Principal:
        principal = await principal_for(request)
        if not principal.authenticated:
            raise UnauthenticatedError("a token is required")
        if scope not in principal.scopes:
            raise ForbiddenError(f"the cache admin endpoints require the scope {scope}")
        return principal

    @router.post("/admin/cache/invalidate")
    async def invalidate(request: Request) -> Response:
        try:
            principal = await admin(request)
            body = _invalidation(await request.body())
        except ClientError as exc:
            return _error(exc)
        type_name, key = body
        if key is None:
            done = await layer.invalidate_type(type_name)
        else:
            done = await layer.invalidate_entity(type_name, key)
        if not done:
            return _json({"invalidated": False, "message": "the cache backend is unavailable"}, 503)
        who = principal.subject or principal.client_id
        return _json({"invalidated": True, "type": type_name, "key": key, "by": who})

    @router.get("/admin/cache/stats")
    async def stats(request: Request) -> Response:
        try:
            await admin(request)
        except ClientError as exc:
            return _error(exc)
        snapshot = layer.stats.snapshot()
        snapshot["backend"] = layer.store.name
        snapshot["backend_available"] = layer.store.available
        return _json(snapshot)

    return router


def _invalidation(raw: bytes) -> tuple[str, dict[str, Any] | None]:
    try:
        body = orjson.loads(raw)
    except orjson.JSONDecodeError:
        raise ClientError('the body must be JSON: {"type": T, "key": {field: value}}') from None
    if not isinstance(body, dict):
        raise ClientError("the body must be a JSON object")
    type_name = body.get("type")
    key = body.get("key")
    if not isinstance(type_name, str) or not type_name:
        raise ClientError('"type" must name a type')
    if key is not None and (not isinstance(key, dict) or not key):
        raise ClientError('"key" must be an object of key fields, e.g. {"idNumber": "…"}')
    return type_name, key
