"""The ASGI app of a department subgraph: GraphQL, health, and the gateway signature check."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from typing import Any

import orjson
from starlette.applications import Starlette
from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.federation import Schema

from gateway.policy.signing import SignatureError, SignedCaller, verify_subgraph_request
from gateway.telemetry.spans import request_span
from subgraphs.common.context import SubgraphContext
from subgraphs.common.pagination import configure_cursor_secret

__all__ = ["CALLER_SCOPE_KEY", "SignatureMiddleware", "TracingMiddleware", "make_subgraph_app"]

log = logging.getLogger("govgraph.subgraph")
access_log = logging.getLogger("govgraph.subgraph.access")

CALLER_SCOPE_KEY = "govgraph.caller"
MAX_BODY = 4 * 1024 * 1024


class SignatureMiddleware:
    """Refuse ``/graphql`` requests that the gateway did not sign (HTTP 401, GraphQL body).

    POST signatures cover the body; GET signatures cover the raw query string, which is
    where a GET carries its operation. The verified caller goes into the ASGI scope.
    """

    def __init__(self, app: ASGIApp, *, name: str, secret: bytes, max_age: int = 60) -> None:
        self.app = app
        self.name = name
        self.secret = secret
        self.max_age = max_age

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith("/graphql"):
            await self.app(scope, receive, send)
            return
        body = b""
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body += message.get("body", b"")
            more = message.get("more_body", False)
            if len(body) > MAX_BODY:
                await _refuse(send, 413, "request body too large", "PAYLOAD_TOO_LARGE")
                return
        signed = body if scope["method"] != "GET" else scope.get("query_string", b"")
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        try:
            caller = verify_subgraph_request(
                signed, headers, secret=self.secret, max_age=self.max_age
            )
        except SignatureError as exc:
            log.warning("%s refused an unsigned or badly signed request: %s", self.name, exc)
            await _refuse(send, 401, f"Unauthenticated: {exc}", "UNAUTHENTICATED")
            return
        scope[CALLER_SCOPE_KEY] = caller
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


async def _refuse(send: Send, status: int, message: str, code: str) -> None:
    payload = orjson.dumps({"errors": [{"message": message, "extensions": {"code": code}}]})
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(payload)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": payload})


class _SubgraphGraphQL(GraphQL[SubgraphContext[Any], None]):
    def __init__(self, schema: Schema, *, name: str, store: Any) -> None:
        super().__init__(schema, graphql_ide=None, allow_queries_via_get=True)
        self.subgraph = name
        self.store = store

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket
    ) -> SubgraphContext[Any]:
        caller: SignedCaller | None = request.scope.get(CALLER_SCOPE_KEY)
        if caller is not None:
            access_log.info(
                "%s request subject=%s client=%s purpose=%s",
                self.subgraph,
                caller.subject,
                caller.client_id,
                caller.purpose,
            )
        return SubgraphContext(
            request=request if isinstance(request, Request) else None,
            response=response if isinstance(response, Response) else None,
            subgraph=self.subgraph,
            store=self.store,
            caller=caller,
        )


def make_subgraph_app(
    schema: Schema,
    *,
    name: str,
    signing_secret: bytes | None,
    store: Any = None,
    health_check: Callable[[], Awaitable[None]] | None = None,
    on_shutdown: Sequence[Callable[[], Awaitable[None]]] = (),
) -> ASGIApp:
    """Serve ``schema`` at ``/graphql`` (GET and POST) and ``/health``.

    ``store`` is handed to resolvers as ``info.context.store``; ``health_check`` is awaited
    by ``/health`` (e.g. a ``SELECT 1``); ``on_shutdown`` closes the store's pools.
    With ``signing_secret`` ``None`` anyone may call the subgraph (development only).
    """
    graphql_app = _SubgraphGraphQL(schema, name=name, store=store)

    async def health(_: Request) -> Response:
        if health_check is not None:
            try:
                await health_check()
            except Exception as exc:  # a broken store is reported, not raised
                log.error("%s health check failed: %s", name, exc)
                return JSONResponse({"status": "unavailable", "subgraph": name}, status_code=503)
        return JSONResponse({"status": "ok", "subgraph": name})

    @contextlib.asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        yield
        for close in on_shutdown:
            await close()

    app = Starlette(
        routes=[
            Route("/graphql", graphql_app, methods=["GET", "POST"]),
            Route("/health", health, methods=["GET"]),
        ],
        lifespan=lifespan,
    )
    if signing_secret is None:
        # Cursors stay sealed with this process's random key.
        log.warning("subgraph %s: request signature check is OFF (development only)", name)
        return TracingMiddleware(app, name=name)
    configure_cursor_secret(signing_secret)
    return TracingMiddleware(SignatureMiddleware(app, name=name, secret=signing_secret), name=name)


class TracingMiddleware:
    """A server span per request, continuing the gateway's W3C trace (none when off)."""

    def __init__(self, app: ASGIApp, *, name: str) -> None:
        self.app = app
        self.span_name = f"subgraph.{name}"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        with request_span(Headers(scope=scope), scope["path"], self.span_name):
            await self.app(scope, receive, send)
