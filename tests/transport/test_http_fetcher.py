"""Transport spec, for both fetchers: a loopback server answers; the result is a response or a SubgraphError.

``make`` builds the fetcher under test (``HttpFetcher`` on aiohttp, ``PooledFetcher`` on our
own HTTP/1.1 connections) with the same options, so both meet the same contract.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
from aiohttp import web

from gateway.errors import (
    SubgraphBadResponseError,
    SubgraphTimeoutError,
    SubgraphUnavailableError,
)
from gateway.transport.fetcher import SubgraphRequest
from gateway.transport.http import HttpFetcher
from gateway.transport.pooled import PooledFetcher

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
BODY = b'{"query":"{ a }","variables":{}}'


@pytest.fixture
async def server() -> AsyncIterator[Callable[[Handler], Awaitable[str]]]:
    runners: list[web.AppRunner] = []

    async def start(handler: Handler) -> str:
        app = web.Application()
        app.router.add_post("/graphql", handler)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", 0).start()
        runners.append(runner)
        return f"http://127.0.0.1:{runner.addresses[0][1]}/graphql"

    yield start
    for runner in runners:
        await runner.cleanup()


@pytest.fixture(params=["aiohttp", "pooled"])
def make(request: pytest.FixtureRequest) -> Callable[..., HttpFetcher | PooledFetcher]:
    def build(max_connections: int = 64, **options: Any) -> HttpFetcher | PooledFetcher:
        if request.param == "aiohttp":
            return HttpFetcher(max_connections=max_connections, **options)
        return PooledFetcher(max_connections_per_origin=max_connections, **options)

    return build


def request(url: str, service: str = "population", **headers: str) -> SubgraphRequest:
    return SubgraphRequest(service, url, BODY, dict(headers))


async def test_a_graphql_answer_is_decoded_with_status_and_headers(server, make):
    seen: dict[str, str] = {}

    async def handler(req: web.Request) -> web.Response:
        seen.update(req.headers)
        seen["body"] = (await req.read()).decode()
        return web.json_response({"data": {"a": 1}}, headers={"x-department": "population"})

    url = await server(handler)
    async with make() as fetcher:
        response = await fetcher.fetch(request(url, **{"x-govgraph-caller": "c"}))

    assert (response.status, response.payload) == (200, {"data": {"a": 1}})
    assert response.headers["x-department"] == "population"
    assert seen["body"] == BODY.decode()
    assert seen["Content-Type"] == "application/json"
    assert seen["Accept"] == "application/graphql-response+json, application/json"
    assert seen["x-govgraph-caller"] == "c"


async def test_a_non_2xx_status_with_a_graphql_body_is_still_a_graphql_response(server, make):
    async def handler(req: web.Request) -> web.Response:
        return web.json_response({"errors": [{"message": "bad query"}]}, status=400)

    url = await server(handler)
    async with make() as fetcher:
        response = await fetcher.fetch(request(url))

    assert (response.status, response.payload) == (400, {"errors": [{"message": "bad query"}]})


async def test_a_refused_connection_is_subgraph_unavailable(make):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]

    async with make() as fetcher:
        with pytest.raises(SubgraphUnavailableError) as caught:
            await fetcher.fetch(request(f"http://127.0.0.1:{port}/graphql"))

    assert caught.value.to_graphql() == {
        "message": "subgraph 'population' is unavailable",
        "extensions": {"code": "SUBGRAPH_UNAVAILABLE", "serviceName": "population"},
    }


async def test_no_answer_within_the_subgraphs_timeout_is_subgraph_timeout(server, make):
    async def handler(req: web.Request) -> web.Response:
        await asyncio.sleep(0.5)
        return web.json_response({"data": {}})

    url = await server(handler)
    async with make(timeout=5.0, timeouts={"slow": 0.05}) as fetcher:
        with pytest.raises(SubgraphTimeoutError, match=r"within 0\.05 s"):
            await fetcher.fetch(request(url, service="slow"))


async def test_a_non_json_body_is_a_bad_response(server, make):
    async def handler(req: web.Request) -> web.Response:
        return web.Response(text="<html>proxy error</html>", content_type="text/html")

    url = await server(handler)
    async with make() as fetcher:
        with pytest.raises(SubgraphBadResponseError, match="non-JSON body"):
            await fetcher.fetch(request(url))


async def test_json_that_is_not_a_graphql_response_is_a_bad_response(server, make):
    async def handler(req: web.Request) -> web.Response:
        return web.json_response({"result": 1})

    url = await server(handler)
    async with make() as fetcher:
        with pytest.raises(SubgraphBadResponseError, match="not a GraphQL response"):
            await fetcher.fetch(request(url))


async def test_a_503_without_a_graphql_body_is_subgraph_unavailable(server, make):
    async def handler(req: web.Request) -> web.Response:
        return web.Response(status=503, text="down for maintenance")

    url = await server(handler)
    async with make() as fetcher:
        with pytest.raises(SubgraphUnavailableError, match="HTTP 503"):
            await fetcher.fetch(request(url))


async def test_a_connection_dropped_mid_answer_is_subgraph_unavailable(server, make):
    async def handler(req: web.Request) -> web.StreamResponse:
        assert req.transport is not None
        req.transport.close()
        return web.Response()

    url = await server(handler)
    async with make() as fetcher:
        with pytest.raises(SubgraphUnavailableError):
            await fetcher.fetch(request(url))


def test_timeouts_must_be_positive(make):
    with pytest.raises(ValueError, match="positive"):
        make(timeouts={"population": 0})


async def test_one_fetcher_serves_many_concurrent_calls_over_a_small_pool(server, make):
    async def handler(req: web.Request) -> web.Response:
        await asyncio.sleep(0.01)
        return web.json_response({"data": {"a": 1}})

    url = await server(handler)
    async with make(max_connections=4) as fetcher:
        responses = await asyncio.gather(*(fetcher.fetch(request(url)) for _ in range(40)))

    assert {r.status for r in responses} == {200}
