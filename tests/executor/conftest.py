"""Fixtures for executor tests: ``serve`` starts loopback subgraphs, ``fetcher`` the transport."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable

import pytest
from aiohttp import web
from loopback_subgraphs import Responder, Subgraph

from gateway.transport.http import HttpFetcher
from gateway.transport.pooled import PooledFetcher


@pytest.fixture
async def serve() -> AsyncIterator[Callable[..., Awaitable[Subgraph]]]:
    runners: list[web.AppRunner] = []

    async def start(responder: Responder, *, delay: float = 0.0) -> Subgraph:
        subgraph = Subgraph(responder, delay)
        app = web.Application()
        app.router.add_post("/graphql", subgraph.handle)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        runners.append(runner)
        port = runner.addresses[0][1]
        subgraph.url = f"http://127.0.0.1:{port}/graphql"
        return subgraph

    yield start
    for runner in runners:
        await runner.cleanup()


@pytest.fixture(params=["pooled", "aiohttp"])
async def fetcher(request: pytest.FixtureRequest) -> AsyncIterator[PooledFetcher | HttpFetcher]:
    transport = (
        PooledFetcher(timeout=2.0) if request.param == "pooled" else HttpFetcher(timeout=2.0)
    )
    async with transport as http:
        yield http
