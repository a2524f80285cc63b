"""A minimal HTTP/1.1 GraphQL server that answers a repeated request body from memory.

The benchmark measures gateways, so its subgraphs must never be the bottleneck. Each
distinct request body is executed once (strawberry, for correctness) and its complete
HTTP response kept; after warm-up every subgraph request is one dictionary lookup and
one socket write, on uvloop with the httptools parser.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Awaitable, Callable
from typing import Any, cast

import httptools
import orjson

__all__ = ["Executor", "MemoisedGraphQL", "serve_forever"]

Executor = Callable[[str, dict[str, Any] | None, str | None], Awaitable[dict[str, Any]]]

_MAX_ENTRIES = 50_000
_HEALTH = b"HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: 2\r\n\r\nOK"


def _response(status: str, body: bytes, content_type: bytes = b"application/json") -> bytes:
    head = (
        f"HTTP/1.1 {status}\r\ncontent-type: ".encode()
        + content_type
        + f"\r\ncontent-length: {len(body)}\r\n\r\n".encode()
    )
    return head + body


class MemoisedGraphQL:
    """One subgraph: executes a request body once, then replays the stored response."""

    def __init__(self, name: str, execute: Executor) -> None:
        self.name = name
        self._execute = execute
        self._responses: dict[bytes, bytes] = {}
        self.executed = 0
        self.replayed = 0

    @property
    def calls(self) -> int:
        """Every GraphQL request this subgraph answered, executed or replayed."""
        return self.executed + self.replayed

    def cached(self, body: bytes) -> bytes | None:
        response = self._responses.get(body)
        if response is not None:
            self.replayed += 1
        return response

    async def respond(self, body: bytes) -> bytes:
        cached = self.cached(body)
        if cached is not None:
            return cached
        response = await self._compute(body)
        if len(self._responses) >= _MAX_ENTRIES:
            self._responses.clear()
        self._responses[body] = response
        self.executed += 1
        return response

    async def _compute(self, body: bytes) -> bytes:
        try:
            request = orjson.loads(body)
            query = request["query"]
            variables = request.get("variables")
            operation = request.get("operationName")
            if not isinstance(query, str):
                raise TypeError("query must be a string")
        except (orjson.JSONDecodeError, KeyError, TypeError, AttributeError) as exc:
            message = {"errors": [{"message": f"bad GraphQL request: {exc}"}]}
            return _response("400 Bad Request", orjson.dumps(message))
        result = await self._execute(query, variables, operation)
        return _response("200 OK", orjson.dumps(result))


class _Connection(asyncio.Protocol):
    """One client connection; responses leave in request order even when one must execute."""

    def __init__(self, app: MemoisedGraphQL) -> None:
        self._app = app
        self._parser = httptools.HttpRequestParser(self)
        self._transport: asyncio.Transport | None = None
        self._url = b""
        self._body: list[bytes] = []
        self._tail: asyncio.Task[None] | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        # uvloop's transports implement asyncio.Transport without subclassing it.
        self._transport = cast(asyncio.Transport, transport)

    def data_received(self, data: bytes) -> None:
        try:
            self._parser.feed_data(data)
        except httptools.HttpParserError:
            self._write(_response("400 Bad Request", b"bad HTTP request", b"text/plain"))
            self._close()

    def connection_lost(self, exc: Exception | None) -> None:
        self._transport = None

    # httptools callbacks
    def on_message_begin(self) -> None:
        self._url = b""
        self._body = []

    def on_url(self, url: bytes) -> None:
        self._url += url

    def on_body(self, body: bytes) -> None:
        self._body.append(body)

    def on_message_complete(self) -> None:
        if self._tail is not None and self._tail.done():
            self._tail = None
        keep_alive = self._parser.should_keep_alive()
        method = self._parser.get_method()
        if method == b"GET" and self._url.startswith(b"/health"):
            self._send_in_order(lambda: _HEALTH, keep_alive)
            return
        if method == b"GET" and self._url.startswith(b"/calls"):
            # Read before and after a measured window: the gateway's subgraph calls in it.
            self._send_in_order(self._calls, keep_alive)
            return
        if method != b"POST":
            self._send_in_order(
                lambda: _response(
                    "405 Method Not Allowed", b"POST a GraphQL request", b"text/plain"
                ),
                keep_alive,
            )
            return
        body = b"".join(self._body)
        cached = self._app.cached(body) if self._tail is None else None
        if cached is not None:
            self._write(cached)
            if not keep_alive:
                self._close()
            return
        previous = self._tail
        self._tail = asyncio.get_running_loop().create_task(
            self._respond_later(body, previous, keep_alive)
        )

    def _calls(self) -> bytes:
        return _response("200 OK", orjson.dumps({"calls": self._app.calls}))

    def _send_in_order(self, make: Callable[[], bytes], keep_alive: bool) -> None:
        # Made when sent, not when parsed: /calls then counts the requests answered before it.
        if self._tail is None:
            self._write(make())
            if not keep_alive:
                self._close()
            return
        previous = self._tail

        async def after_previous() -> None:
            await previous
            self._write(make())
            if not keep_alive:
                self._close()

        self._tail = asyncio.get_running_loop().create_task(after_previous())

    async def _respond_later(
        self, body: bytes, previous: asyncio.Task[None] | None, keep_alive: bool
    ) -> None:
        if previous is not None:
            await previous
        try:
            response = await self._app.respond(body)
        except Exception as exc:  # a subgraph bug must answer, not hang the gateway
            message = {"errors": [{"message": f"subgraph {self._app.name} failed: {exc}"}]}
            response = _response("500 Internal Server Error", orjson.dumps(message))
        self._write(response)
        if not keep_alive:
            self._close()

    def _write(self, data: bytes) -> None:
        if self._transport is not None and not self._transport.is_closing():
            self._transport.write(data)

    def _close(self) -> None:
        if self._transport is not None:
            self._transport.close()


async def serve_forever(apps: dict[int, MemoisedGraphQL], host: str = "127.0.0.1") -> None:
    """Serve each app on its port until cancelled."""
    loop = asyncio.get_running_loop()
    servers = []
    for port, app in apps.items():
        server = await loop.create_server(
            functools.partial(_Connection, app), host, port, reuse_address=True, backlog=1024
        )
        servers.append(server)
    try:
        await asyncio.gather(*(server.serve_forever() for server in servers))
    finally:
        for server in servers:
            server.close()
