"""Fixtures of the caching specs: the counting subgraphs on loopback, gateway instances
assembled from the real pipeline, policy, access log and cache layer, and a key prefix
per test (its Redis keys are deleted afterwards)."""

from __future__ import annotations

import shutil
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import redis.asyncio as aioredis
from cache_graph import market_app, population_app, reset, supergraph_sdl
from support.servers import serve_asgi

from gateway.accesslog import AccessLog, open_access_log
from gateway.caching import CacheLayer, CacheSettings, CachingPipeline, EntityCachingFetcher
from gateway.executor import Executor
from gateway.pipeline.access_recorder import AccessLogRecorder
from gateway.pipeline.pipeline import Pipeline
from gateway.pipeline.request import GraphQLRequest, GraphQLResponse, RequestContext
from gateway.policy import PolicyAuthorizer, PolicyStore, Principal
from gateway.supergraph import Supergraph
from gateway.transport.http import HttpFetcher

HERE = Path(__file__).parent

OFFICER_A = Principal(
    kind="user",
    subject="officer-a",
    county="211221",
    scopes=frozenset({"civil_affairs:officer"}),
)
OFFICER_A2 = Principal(  # same grants and county as A: the same authorization context
    kind="user",
    subject="officer-a2",
    county="211221",
    scopes=frozenset({"civil_affairs:officer"}),
)
OFFICER_B = Principal(
    kind="user",
    subject="officer-b",
    county="211202",
    scopes=frozenset({"civil_affairs:officer"}),
)
ADMIN = Principal(kind="user", subject="ops-1", scopes=frozenset({"govgraph:admin"}))


@pytest.fixture(scope="module")
def graph() -> Iterator[Supergraph]:
    with serve_asgi(population_app()) as population, serve_asgi(market_app()) as market:
        yield Supergraph.from_sdl(supergraph_sdl(population, market))


@pytest.fixture(autouse=True)
def clean_graph() -> None:
    reset()


@pytest.fixture
def policies(tmp_path: Path) -> Path:
    """A copy of the test policies that a test may edit."""
    target = tmp_path / "policies"
    shutil.copytree(HERE / "policies", target)
    return target


@pytest.fixture
def prefix(redis_url: str) -> Iterator[str]:
    """A key namespace of its own; its keys are deleted when the test ends."""
    name = f"govgraph-test-{uuid.uuid4().hex[:12]}"
    yield name
    import redis

    client = redis.Redis.from_url(redis_url)
    try:
        keys = list(client.scan_iter(f"{name}:*"))
        if keys:
            client.delete(*keys)
    finally:
        client.close()


@pytest.fixture
def memory_prefix() -> str:
    return f"govgraph-test-{uuid.uuid4().hex[:12]}"


@dataclass
class Instance:
    """One gateway instance: pipeline, cache layer, subgraph transport, access log."""

    pipeline: Pipeline
    caching: CachingPipeline
    layer: CacheLayer
    http: HttpFetcher
    access_log: AccessLog

    async def run(
        self,
        query: str,
        principal: Principal = OFFICER_A,
        *,
        purpose: str | None = "DB-2026-1",
        variables: dict[str, Any] | None = None,
    ) -> GraphQLResponse:
        return await self.caching.run(
            GraphQLRequest(query=query, variables=variables or {}),
            RequestContext(principal=principal, purpose=purpose),
        )

    async def records(self) -> list[Any]:
        return await self.access_log.tail(1000)

    async def aclose(self) -> None:
        await self.http.aclose()
        await self.layer.aclose()
        await self.access_log.close()


async def build_instance(
    supergraph: Supergraph, settings: CacheSettings, policies: Path, log_path: Path
) -> Instance:
    urls = {name: info.url for name, info in supergraph.subgraphs.items()}
    http = HttpFetcher(timeout=10)
    layer = CacheLayer(settings, supergraph)
    store = PolicyStore(policies, supergraph.api_schema, min_interval=0)
    assert not store.current.deny_all, store.last_findings
    access_log = open_access_log(str(log_path))
    pipeline = Pipeline(
        supergraph,
        Executor(EntityCachingFetcher(http, layer), urls),
        authorizer=PolicyAuthorizer(store, supergraph.api_schema),
        access_recorder=AccessLogRecorder(access_log),
    )
    return Instance(pipeline, CachingPipeline(pipeline, layer), layer, http, access_log)


@pytest.fixture
async def instances(
    graph: Supergraph, policies: Path, tmp_path: Path
) -> AsyncIterator[list[Instance]]:
    """Instances built by ``make(settings)`` during the test, all closed at its end."""
    made: list[Instance] = []
    yield made
    for instance in made:
        await instance.aclose()


@pytest.fixture
def make(graph: Supergraph, policies: Path, tmp_path: Path, instances: list[Instance]) -> Any:
    async def make(settings: CacheSettings) -> Instance:
        log_path = tmp_path / f"access-{len(instances)}.jsonl"
        instance = await build_instance(graph, settings, policies, log_path)
        instances.append(instance)
        return instance

    return make


async def redis_keys(redis_url: str, prefix: str) -> list[str]:
    client = aioredis.Redis.from_url(redis_url)
    try:
        return [k.decode() async for k in client.scan_iter(f"{prefix}:*")]
    finally:
        await client.aclose()
