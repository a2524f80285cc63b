"""``PooledFetcher``: the ``SubgraphFetcher`` on our own HTTP/1.1 connections (``h1.py``).

About 2.5x less CPU per subgraph call than aiohttp (docs/transport.md), for the one thing
the gateway does: small JSON POSTs to a few known subgraph origins over keep-alive.

Phases of one call: pick the origin's request head (built once per URL), take an idle
connection or open one (at most ``max_connections_per_origin``; callers beyond that wait
their turn), write the request, await the response, give the connection back if it can be
reused, decode the body. The whole call runs under the subgraph's timeout. Failures map as
in ``HttpFetcher``. Idle connections older than ``idle_seconds`` are dropped, which must be
below the subgraphs' keep-alive timeout (uvicorn's is 5 s) so a request is never written
to a connection the server is closing.
"""

from __future__ import annotations

import asyncio
import ssl
import time
from collections import deque
from collections.abc import Mapping
from types import TracebackType
from urllib.parse import urlsplit

from gateway.errors import (
    SubgraphBadResponseError,
    SubgraphTimeoutError,
    SubgraphUnavailableError,
)
from gateway.transport.fetcher import SubgraphRequest, SubgraphResponse
from gateway.transport.h1 import H1Connection, ProtocolViolation
from gateway.transport.wire import DEFAULT_HEADERS, decode_graphql_response

__all__ = ["PooledFetcher"]


class _Origin:
    """The connections to one scheme://host:port."""

    __slots__ = ("host", "idle", "idle_seconds", "limit", "open", "port", "ssl", "waiters")

    def __init__(
        self, host: str, port: int, tls: ssl.SSLContext | None, limit: int, idle_seconds: float
    ) -> None:
        self.host = host
        self.port = port
        self.ssl = tls
        self.limit = limit
        self.idle_seconds = idle_seconds
        self.idle: list[H1Connection] = []
        self.open = 0
        self.waiters: deque[asyncio.Future[H1Connection | None]] = deque()

    async def acquire(self) -> H1Connection:
        loop = asyncio.get_running_loop()
        while True:
            now = time.monotonic()
            while self.idle:
                conn = self.idle.pop()
                if conn.reusable and now - conn.idle_since < self.idle_seconds:
                    return conn
                self._discard(conn)
            if self.open < self.limit:
                self.open += 1
                try:
                    _, conn = await loop.create_connection(
                        H1Connection, self.host, self.port, ssl=self.ssl
                    )
                except BaseException:
                    self.open -= 1
                    self._wake(None)
                    raise
                return conn
            waiter: asyncio.Future[H1Connection | None] = loop.create_future()
            self.waiters.append(waiter)
            try:
                handed = await waiter
            except asyncio.CancelledError:
                if waiter.done() and not waiter.cancelled() and waiter.result() is not None:
                    self.release(waiter.result(), reusable=True)  # type: ignore[arg-type]
                raise
            if handed is not None:
                return handed

    def release(self, conn: H1Connection, *, reusable: bool) -> None:
        if not (reusable and conn.reusable):
            self._discard(conn)
            self._wake(None)
            return
        while self.waiters:
            waiter = self.waiters.popleft()
            if not waiter.done():
                waiter.set_result(conn)
                return
        conn.idle_since = time.monotonic()
        self.idle.append(conn)

    def _discard(self, conn: H1Connection) -> None:
        conn.close()
        self.open -= 1

    def _wake(self, conn: H1Connection | None) -> None:
        while self.waiters:
            waiter = self.waiters.popleft()
            if not waiter.done():
                waiter.set_result(conn)
                return

    def close(self) -> None:
        for conn in self.idle:
            self._discard(conn)
        self.idle.clear()


class _Target:
    """Per URL: its origin and the request head up to the per-call headers."""

    __slots__ = ("head", "origin")

    def __init__(self, origin: _Origin, head: bytes) -> None:
        self.origin = origin
        self.head = head


class PooledFetcher:
    """A ``SubgraphFetcher`` over pooled HTTP/1.1 keep-alive connections of our own."""

    def __init__(
        self,
        *,
        timeout: float = 10.0,
        timeouts: Mapping[str, float] | None = None,
        max_connections_per_origin: int = 128,
        idle_seconds: float = 4.0,
        headers: Mapping[str, str] | None = None,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        if timeout <= 0 or any(t <= 0 for t in (timeouts or {}).values()):
            raise ValueError("subgraph timeouts must be positive numbers of seconds")
        if max_connections_per_origin < 1:
            raise ValueError("max_connections_per_origin must be at least 1")
        self._timeout = timeout
        self._timeouts = dict(timeouts or {})
        self._limit = max_connections_per_origin
        self._idle_seconds = idle_seconds
        self._headers = {**DEFAULT_HEADERS, **(headers or {})}
        self._ssl = ssl_context
        self._default_lines = self._head_lines({})
        self._origins: dict[tuple[str, str, int], _Origin] = {}
        self._targets: dict[str, _Target] = {}
        self._closing = False

    def _target(self, url: str) -> _Target:
        target = self._targets.get(url)
        if target is not None:
            return target
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"not an http(s) URL: {url!r}")
        port = parts.port or (443 if parts.scheme == "https" else 80)
        key = (parts.scheme, parts.hostname, port)
        origin = self._origins.get(key)
        if origin is None:
            tls = (self._ssl or ssl.create_default_context()) if parts.scheme == "https" else None
            origin = _Origin(parts.hostname, port, tls, self._limit, self._idle_seconds)
            self._origins[key] = origin
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        default_port = 443 if parts.scheme == "https" else 80
        host = parts.hostname if port == default_port else f"{parts.hostname}:{port}"
        head = f"POST {path} HTTP/1.1\r\nHost: {host}\r\n".encode("latin-1")
        target = _Target(origin, head)
        self._targets[url] = target
        return target

    def _head_lines(self, extra: Mapping[str, str]) -> bytes:
        merged = dict(self._headers)
        if extra:
            lowered = {k.lower() for k in extra}
            merged = {k: v for k, v in merged.items() if k.lower() not in lowered}
            merged.update(extra)
        lines = []
        for name, value in merged.items():
            if "\r" in value or "\n" in value or "\r" in name or "\n" in name:
                raise ValueError(f"header {name!r} contains a line break")
            lines.append(f"{name}: {value}\r\n")
        return "".join(lines).encode("latin-1")

    async def fetch(self, request: SubgraphRequest) -> SubgraphResponse:
        name = request.service_name
        try:
            target = self._target(request.url)
        except ValueError:
            raise SubgraphUnavailableError(name, f"subgraph '{name}' has no usable URL") from None
        body = request.body
        data = b"".join(
            (
                target.head,
                self._head_lines(request.headers) if request.headers else self._default_lines,
                b"Content-Length: ",
                str(len(body)).encode(),
                b"\r\n\r\n",
                body,
            )
        )
        seconds = self._timeouts.get(name, self._timeout)
        origin = target.origin
        try:
            async with asyncio.timeout(seconds):
                conn = await origin.acquire()
                try:
                    response = await conn.request(data)
                except BaseException:
                    origin.release(conn, reusable=False)
                    raise
                origin.release(conn, reusable=response.keep_alive and not self._closing)
        except TimeoutError:
            raise SubgraphTimeoutError(
                name, f"subgraph '{name}' did not answer within {seconds:g} s"
            ) from None
        except ProtocolViolation as exc:
            raise SubgraphBadResponseError(
                name, f"subgraph '{name}' answered something that is not HTTP/1.1"
            ) from exc
        except OSError as exc:
            raise SubgraphUnavailableError(name, f"subgraph '{name}' is unavailable") from exc
        payload = decode_graphql_response(name, response.status, response.body)
        return SubgraphResponse(response.status, payload, response.headers)

    async def aclose(self) -> None:
        """Close idle connections; a call still in flight finishes and closes its own."""
        self._closing = True
        for origin in self._origins.values():
            origin.close()

    async def __aenter__(self) -> PooledFetcher:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()
