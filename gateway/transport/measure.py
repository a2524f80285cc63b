"""Measure subgraph-call throughput per HTTP client: ``python -m gateway.transport.measure``.

Phases: start a canned GraphQL server in a child process on loopback (a bare asyncio
protocol, so the server is never the bottleneck), then for each client run ``concurrency``
workers that POST a small GraphQL request in a loop for ``seconds``, and print calls/s.
Clients compared: httpx's default ``AsyncClient``, httpx over the ``httpx-aiohttp``
transport, raw aiohttp, ``HttpFetcher`` (aiohttp behind our port) and ``PooledFetcher``
(our own HTTP/1.1 connections behind the same port).
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import socket
import time
from collections.abc import Awaitable, Callable
from typing import cast

import orjson

__all__ = ["CannedGraphQLProtocol", "http_ok", "main", "measure_client", "serve_canned"]

_BODY = orjson.dumps({"data": {"person": {"idNumber": "211202199001011234", "name": "王伟"}}})
_REQUEST = orjson.dumps(
    {"query": "query($id: ID!) { person(idNumber: $id) { idNumber name } }", "variables": {}}
)


def http_ok(body: bytes) -> bytes:
    """A keep-alive HTTP/1.1 200 response carrying the JSON ``body``."""
    return (
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
        + str(len(body)).encode()
        + b"\r\n\r\n"
        + body
    )


_CANNED = http_ok(_BODY)


class CannedGraphQLProtocol(asyncio.Protocol):
    """Answers each keep-alive HTTP/1.1 request with ``respond(body)`` (default: canned)."""

    def __init__(self, respond: Callable[[bytes], bytes] | None = None) -> None:
        self._buffer = b""
        self._transport: asyncio.Transport | None = None
        self._respond = respond

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self._transport = cast(asyncio.Transport, transport)

    def data_received(self, data: bytes) -> None:
        self._buffer += data
        while True:
            head_end = self._buffer.find(b"\r\n\r\n")
            if head_end < 0:
                return
            head = self._buffer[:head_end].lower()
            length = 0
            marker = head.find(b"content-length:")
            if marker >= 0:
                line_end = head.find(b"\r\n", marker)
                length = int(head[marker + 15 : line_end if line_end >= 0 else None])
            total = head_end + 4 + length
            if len(self._buffer) < total:
                return
            body = self._buffer[head_end + 4 : total]
            self._buffer = self._buffer[total:]
            assert self._transport is not None
            self._transport.write(_CANNED if self._respond is None else self._respond(body))


def serve_canned(sock: socket.socket, respond: Callable[[bytes], bytes] | None = None) -> None:
    """Child-process entry: serve ``CannedGraphQLProtocol`` on an already-bound socket."""

    async def run() -> None:
        loop = asyncio.get_running_loop()
        server = await loop.create_server(lambda: CannedGraphQLProtocol(respond), sock=sock)
        async with server:
            await server.serve_forever()

    asyncio.run(run())


async def measure_client(
    call: Callable[[], Awaitable[None]], *, concurrency: int, seconds: float
) -> tuple[float, float]:
    """Run ``concurrency`` loops of ``call`` for ``seconds``.

    Returns (calls/s, calls per CPU-second of this process): the second figure is what
    one core can sustain and moves much less when the machine is shared.
    """
    done = 0
    deadline = time.perf_counter() + seconds

    async def worker() -> None:
        nonlocal done
        while time.perf_counter() < deadline:
            await call()
            done += 1

    started, cpu_started = time.perf_counter(), time.process_time()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    return done / wall, done / cpu


async def _run(url: str, concurrency: int, seconds: float) -> dict[str, tuple[float, float]]:
    import aiohttp
    import httpx
    from httpx_aiohttp import AiohttpTransport

    from gateway.transport.fetcher import SubgraphRequest
    from gateway.transport.http import HttpFetcher
    from gateway.transport.pooled import PooledFetcher

    headers = {"content-type": "application/json"}
    results: dict[str, tuple[float, float]] = {}

    async with httpx.AsyncClient() as client:

        async def httpx_call() -> None:
            response = await client.post(url, content=_REQUEST, headers=headers)
            orjson.loads(response.content)

        await measure_client(httpx_call, concurrency=concurrency, seconds=0.5)
        results["httpx AsyncClient (default pool)"] = await measure_client(
            httpx_call, concurrency=concurrency, seconds=seconds
        )

    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(transport=AiohttpTransport(limits=limits)) as client:

        async def bridged_call() -> None:
            response = await client.post(url, content=_REQUEST, headers=headers)
            orjson.loads(response.content)

        await measure_client(bridged_call, concurrency=concurrency, seconds=0.5)
        results["httpx + httpx-aiohttp transport"] = await measure_client(
            bridged_call, concurrency=concurrency, seconds=seconds
        )

    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as session:

        async def aiohttp_call() -> None:
            async with session.post(url, data=_REQUEST, headers=headers) as response:
                orjson.loads(await response.read())

        await measure_client(aiohttp_call, concurrency=concurrency, seconds=0.5)
        results["raw aiohttp"] = await measure_client(
            aiohttp_call, concurrency=concurrency, seconds=seconds
        )

    fetcher = HttpFetcher(max_connections=concurrency)
    try:

        async def fetcher_call() -> None:
            await fetcher.fetch(SubgraphRequest("bench", url, _REQUEST))

        await measure_client(fetcher_call, concurrency=concurrency, seconds=0.5)
        results["HttpFetcher (gateway)"] = await measure_client(
            fetcher_call, concurrency=concurrency, seconds=seconds
        )
    finally:
        await fetcher.aclose()

    async with PooledFetcher(max_connections_per_origin=concurrency) as pooled:

        async def pooled_call() -> None:
            await pooled.fetch(SubgraphRequest("bench", url, _REQUEST))

        await measure_client(pooled_call, concurrency=concurrency, seconds=0.5)
        results["PooledFetcher (own HTTP/1.1)"] = await measure_client(
            pooled_call, concurrency=concurrency, seconds=seconds
        )
    return results


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--uvloop", action="store_true", help="run the client on uvloop")
    args = parser.parse_args(argv)

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(1024)
    port = sock.getsockname()[1]
    server = multiprocessing.get_context("fork").Process(
        target=serve_canned, args=(sock,), daemon=True
    )
    server.start()
    sock.close()
    try:
        runner = asyncio.run
        if args.uvloop:
            import uvloop

            runner = uvloop.run
        results = runner(_run(f"http://127.0.0.1:{port}/graphql", args.concurrency, args.seconds))
    finally:
        server.terminate()
        server.join()
    print(f"{args.concurrency} concurrent, {args.seconds:.0f} s each, loopback canned server")
    for name, (rate, per_cpu) in results.items():
        print(f"  {name:36s} {rate:8.0f} calls/s wall {per_cpu:8.0f} per CPU-second")


if __name__ == "__main__":
    main()
