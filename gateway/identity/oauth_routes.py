"""HTTP endpoints of the built-in issuer: token, JWKS and metadata (a FastAPI router)."""

from __future__ import annotations

import asyncio
import base64
import binascii
from urllib.parse import parse_qsl, unquote_plus

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from .issuer import Issuer, OAuthError

__all__ = ["issuer_router"]

_NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}
_MAX_FORM_BYTES = 8 * 1024
# Each secret check is a deliberately slow scrypt (about 50 ms of CPU). Bounding how many
# run, and how many may wait, keeps a flood of guesses from starving the gateway.
_CONCURRENT_SECRET_CHECKS = 2
_MAX_WAITING_SECRET_CHECKS = 32


def _error(exc: OAuthError, *, basic: bool) -> JSONResponse:
    headers = dict(_NO_STORE)
    if exc.status == 503:
        headers["Retry-After"] = "1"
    if exc.status == 401 and basic:
        headers["WWW-Authenticate"] = 'Basic realm="govgraph", charset="UTF-8"'
    return JSONResponse(exc.to_dict(), status_code=exc.status, headers=headers)


def _basic_credentials(header: str) -> tuple[str, str]:
    """client_secret_basic: both parts are form-urlencoded before base64 (RFC 6749 §2.3.1)."""
    try:
        decoded = base64.b64decode(header[6:].strip(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError) as exc:
        raise OAuthError("invalid_client", "malformed Basic credentials", 401) from exc
    client_id, sep, secret = decoded.partition(":")
    if not sep or not client_id:
        raise OAuthError("invalid_client", "malformed Basic credentials", 401)
    return unquote_plus(client_id), unquote_plus(secret)


async def _form(request: Request) -> dict[str, str]:
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != "application/x-www-form-urlencoded":
        raise OAuthError("invalid_request", "the body must be application/x-www-form-urlencoded")
    body = await request.body()
    if len(body) > _MAX_FORM_BYTES:
        raise OAuthError("invalid_request", "request body too large")
    try:
        pairs = parse_qsl(body.decode(), keep_blank_values=True, strict_parsing=False)
    except (UnicodeDecodeError, ValueError) as exc:
        raise OAuthError("invalid_request", "malformed form body") from exc
    form: dict[str, str] = {}
    for name, value in pairs:
        if name in form:
            # RFC 6749 §3.2: parameters must not be included more than once.
            raise OAuthError("invalid_request", f"parameter '{name}' is repeated")
        form[name] = value
    return form


def issuer_router(
    issuer: Issuer,
    *,
    concurrent_secret_checks: int = _CONCURRENT_SECRET_CHECKS,
    max_waiting_secret_checks: int = _MAX_WAITING_SECRET_CHECKS,
) -> APIRouter:
    """POST /oauth/token, GET /.well-known/jwks.json, GET /.well-known/oauth-authorization-server.

    Token requests beyond ``max_waiting_secret_checks`` in flight get 503
    ``temporarily_unavailable`` with ``Retry-After``.
    """
    router = APIRouter(tags=["oauth"])
    checks = asyncio.Semaphore(concurrent_secret_checks)
    waiting = 0

    @router.post("/oauth/token")
    async def token(request: Request) -> JSONResponse:
        nonlocal waiting
        authorization = request.headers.get("authorization", "")
        basic = authorization[:6].lower() == "basic "
        try:
            form = await _form(request)
            grant_type = form.get("grant_type")
            if not grant_type:
                raise OAuthError("invalid_request", "missing grant_type")
            if grant_type != "client_credentials":
                raise OAuthError(
                    "unsupported_grant_type", "only the client_credentials grant is supported"
                )
            if basic:
                if "client_secret" in form:
                    raise OAuthError(
                        "invalid_request", "use one client authentication method, not two"
                    )
                client_id, secret = _basic_credentials(authorization)
            else:
                client_id, secret = form.get("client_id", ""), form.get("client_secret", "")
                if not client_id or not secret:
                    raise OAuthError("invalid_client", "client authentication failed", 401)
            if waiting >= max_waiting_secret_checks:
                raise OAuthError(
                    "temporarily_unavailable", "too many token requests; retry shortly", 503
                )
            waiting += 1
            try:
                async with checks:
                    # scrypt takes tens of milliseconds: keep it off the event loop.
                    grant = await asyncio.to_thread(
                        issuer.client_credentials, client_id, secret, form.get("scope")
                    )
            finally:
                waiting -= 1
        except OAuthError as exc:
            return _error(exc, basic=basic)
        return JSONResponse(grant.to_dict(), headers=_NO_STORE)

    @router.get("/.well-known/jwks.json")
    async def jwks() -> JSONResponse:
        return JSONResponse(issuer.jwks(), headers={"Cache-Control": "public, max-age=300"})

    @router.get("/.well-known/oauth-authorization-server")
    async def metadata() -> JSONResponse:
        return JSONResponse(issuer.metadata())

    return router
