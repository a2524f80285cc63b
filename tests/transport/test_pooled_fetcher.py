"""PooledFetcher spec: HTTP/1.1 framing, connection reuse and pool limits, against raw loopback servers."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest

from gateway.errors import SubgraphBadResponseError, SubgraphTimeoutError
from gateway.transport.fetcher import SubgraphRequest
from gateway.transport.pooled import PooledFetcher

BODY = b'{"query":"{ a }","variables":{}}'
Answer = Callable[[bytes, int], bytes]  # (request head, n-th request on this connection) -> bytes


class RawServer:
    """Reads HTTP/1.1 requests with Content-Length; answers with whatever ``answer`` returns."""

    def __init__(self, answer: Answer) -> None:
        self.answer = answer
        self.connections = 0
        self.requests = 0
        self.active = 0
        self.max_active = 0
        self.delay = 0.0
        self.close_after_answer = False
        self.url = ""

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        self.active += 1
        self.max_active = max(self.max_active, self.active)
        served = 0
        try:
            while True:
                try:
                    head = await reader.readuntil(b"\r\n\r\n")
                except (asyncio.IncompleteReadError, ConnectionError):
                    return
                length = 0
                for line in head.split(b"\r\n"):
                    if line.lower().startswith(b"content-length:"):
                        length = int(line.split(b":", 1)[1])
                await reader.readexactly(length)
                self.requests += 1
                if self.delay:
                    await asyncio.sleep(self.delay)
                answer = self.answer(head, served)
                served += 1
                if not answer:
                    return
                writer.write(answer)
                await writer.drain()
                if self.close_after_answer or answer.startswith(b"HTTP/1.0"):
                    return
        finally:
            self.active -= 1
            writer.close()


@pytest.fixture
async def raw_server() -> AsyncIterator[Callable[[Answer], Awaitable[RawServer]]]:
    servers: list[asyncio.Server] = []

    async def start(answer: Answer) -> RawServer:
        raw = RawServer(answer)
        server = await asyncio.start_server(raw.handle, "127.0.0.1", 0)
        servers.append(server)
        raw.url = f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}/graphql"
        return raw

    yield start
    for server in servers:
        server.close()


def ok(body: bytes, *extra: bytes) -> bytes:
    head = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n" + b"".join(extra)
    return head + b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body


def call(url: str, **headers: str) -> SubgraphRequest:
    return SubgraphRequest("population", url, BODY, dict(headers))


async def test_sequential_calls_reuse_one_keep_alive_connection(raw_server):
    server = await raw_server(lambda head, n: ok(b'{"data":{"n":%d}}' % n))

    async with PooledFetcher() as fetcher:
        answers = [(await fetcher.fetch(call(server.url))).payload for _ in range(3)]

    assert answers == [{"data": {"n": 0}}, {"data": {"n": 1}}, {"data": {"n": 2}}]
    assert server.connections == 1


async def test_a_chunked_answer_is_reassembled(raw_server):
    chunked = (
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
        b'5\r\n{"dat\r\n'
        b'a;ext=1\r\na":{"a":1}\r\n'
        b"1\r\n}\r\n"
        b"0\r\nX-Trailer: t\r\n\r\n"
    )
    server = await raw_server(lambda head, n: chunked)

    async with PooledFetcher() as fetcher:
        first = await fetcher.fetch(call(server.url))
        second = await fetcher.fetch(call(server.url))

    assert first.payload == second.payload == {"data": {"a": 1}}
    assert server.connections == 1


async def test_an_answer_framed_by_closing_the_connection_is_read_to_the_end(raw_server):
    server = await raw_server(
        lambda head, n: (
            b'HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n{"data":{"a":1}}'
            if n == 0
            else b""
        )
    )

    async with PooledFetcher() as fetcher:
        # The server closes after answering (see RawServer: an empty answer ends it).
        response = await fetcher.fetch(call(server.url))

    assert response.payload == {"data": {"a": 1}}


async def test_connection_close_is_honoured_and_the_next_call_opens_a_new_connection(raw_server):
    server = await raw_server(lambda head, n: ok(b'{"data":{}}', b"Connection: close\r\n"))

    async with PooledFetcher() as fetcher:
        await fetcher.fetch(call(server.url))
        await fetcher.fetch(call(server.url))

    assert server.connections == 2


async def test_an_interim_100_answer_is_skipped(raw_server):
    server = await raw_server(lambda head, n: b"HTTP/1.1 100 Continue\r\n\r\n" + ok(b'{"data":{}}'))

    async with PooledFetcher() as fetcher:
        assert (await fetcher.fetch(call(server.url))).payload == {"data": {}}


async def test_idle_connections_the_server_closed_are_not_reused(raw_server):
    server = await raw_server(lambda head, n: ok(b'{"data":{}}'))
    server.close_after_answer = True

    async with PooledFetcher() as fetcher:
        await fetcher.fetch(call(server.url))
        # The server hangs up after its answer; the pool must notice and reconnect.
        await asyncio.sleep(0.05)
        await fetcher.fetch(call(server.url))

    assert server.connections == 2


async def test_connections_idle_longer_than_idle_seconds_are_replaced(raw_server):
    server = await raw_server(lambda head, n: ok(b'{"data":{}}'))

    async with PooledFetcher(idle_seconds=0.01) as fetcher:
        await fetcher.fetch(call(server.url))
        await asyncio.sleep(0.05)
        await fetcher.fetch(call(server.url))

    assert server.connections == 2


async def test_the_pool_never_opens_more_than_its_limit(raw_server):
    server = await raw_server(lambda head, n: ok(b'{"data":{}}'))
    server.delay = 0.01

    async with PooledFetcher(max_connections_per_origin=3) as fetcher:
        await asyncio.gather(*(fetcher.fetch(call(server.url)) for _ in range(30)))

    assert server.requests == 30
    assert server.max_active <= 3


async def test_something_that_is_not_http_is_a_bad_response(raw_server):
    server = await raw_server(lambda head, n: b"SSH-2.0-OpenSSH_9.6\r\n\r\n")

    async with PooledFetcher() as fetcher:
        with pytest.raises(SubgraphBadResponseError, match=r"not HTTP/1\.1"):
            await fetcher.fetch(call(server.url))


async def test_a_late_answer_after_a_timeout_never_reaches_the_next_call(raw_server):
    server = await raw_server(lambda head, n: ok(b'{"data":{"n":%d}}' % n))
    server.delay = 0.2

    async with PooledFetcher(timeout=0.05) as fetcher:
        with pytest.raises(SubgraphTimeoutError):
            await fetcher.fetch(call(server.url))
        server.delay = 0.0
        response = await fetcher.fetch(call(server.url))

    assert response.payload == {"data": {"n": 0}}
    assert server.connections == 2


async def test_header_values_with_line_breaks_are_refused(raw_server):
    server = await raw_server(lambda head, n: ok(b'{"data":{}}'))

    async with PooledFetcher() as fetcher:
        with pytest.raises(ValueError, match="line break"):
            await fetcher.fetch(call(server.url, **{"x-evil": "a\r\nHost: elsewhere"}))


async def test_per_call_headers_replace_defaults_of_the_same_name(raw_server):
    heads: list[bytes] = []

    def answer(head: bytes, n: int) -> bytes:
        heads.append(head)
        return ok(b'{"data":{}}')

    server = await raw_server(answer)
    async with PooledFetcher() as fetcher:
        await fetcher.fetch(call(server.url, **{"content-type": "application/graphql+json"}))

    lines = heads[0].lower().split(b"\r\n")
    assert [line for line in lines if line.startswith(b"content-type")] == [
        b"content-type: application/graphql+json"
    ]
    assert heads[0].startswith(b"POST /graphql HTTP/1.1\r\nHost: 127.0.0.1:")


def test_it_works_on_uvloop_whose_transports_are_not_asyncio_subclasses():
    import uvloop

    async def round_trip() -> dict[str, object]:
        raw = RawServer(lambda head, n: ok(b'{"data":{"loop":"uv"}}'))
        server = await asyncio.start_server(raw.handle, "127.0.0.1", 0)
        url = f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}/graphql"
        try:
            async with PooledFetcher() as fetcher:
                await fetcher.fetch(call(url))
                return (await fetcher.fetch(call(url))).payload
        finally:
            server.close()

    assert uvloop.run(round_trip()) == {"data": {"loop": "uv"}}


async def test_closing_the_fetcher_lets_calls_in_flight_finish_then_closes_their_connections(
    raw_server,
):
    server = await raw_server(lambda head, n: ok(b'{"data":{"done":true}}'))
    server.delay = 0.05
    fetcher = PooledFetcher()

    in_flight = asyncio.ensure_future(fetcher.fetch(call(server.url)))
    await asyncio.sleep(0.01)
    await fetcher.aclose()
    response = await in_flight
    await asyncio.sleep(0.02)

    assert response.payload == {"data": {"done": True}}
    assert server.active == 0


async def asgi_graphql(
    scope: dict[str, Any],
    receive: Callable[[], Awaitable[dict[str, Any]]],
    send: Callable[[dict[str, Any]], Awaitable[None]],
) -> None:
    """A bare ASGI GraphQL endpoint answering {"data":{"ok":true}} to every POST."""
    if scope["type"] != "http":
        return
    more = True
    while more:
        message = await receive()
        more = message.get("more_body", False)
    body = b'{"data":{"ok":true}}'
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [(b"content-type", b"application/json")],
        }
    )
    await send({"type": "http.response.body", "body": body})


@pytest.fixture
async def uvicorn_url() -> AsyncIterator[str]:
    import socket

    import uvicorn

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    config = uvicorn.Config(
        asgi_graphql, host="127.0.0.1", port=port, log_level="warning", timeout_keep_alive=1
    )
    server = uvicorn.Server(config)
    task = asyncio.ensure_future(server.serve())
    while not server.started:
        await asyncio.sleep(0.01)
    yield f"http://127.0.0.1:{port}/graphql"
    server.should_exit = True
    await task


@pytest.mark.parametrize("idle_seconds", [0.5, 30.0])
async def test_calls_keep_working_across_the_servers_keep_alive_timeout(uvicorn_url, idle_seconds):
    # uvicorn closes idle connections after 1 s here: whether the pool drops them first
    # (0.5 s) or learns of the close from the server (30 s), no call may fail.
    async with PooledFetcher(idle_seconds=idle_seconds) as fetcher:
        first = await asyncio.gather(*(fetcher.fetch(call(uvicorn_url)) for _ in range(8)))
        await asyncio.sleep(1.3)
        second = await asyncio.gather(*(fetcher.fetch(call(uvicorn_url)) for _ in range(8)))

    assert {r.status for r in first + second} == {200}
    assert {str(r.payload) for r in first + second} == {"{'data': {'ok': True}}"}
