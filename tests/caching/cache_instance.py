"""One gateway instance assembled as the gateway assembles it (real pipeline, policy,
access log, cache layer and HTTP transport), in this process or in a child process:
``python cache_instance.py SUPERGRAPH_FILE POLICIES_DIR LOG CACHE_URL PREFIX QUERY``
runs QUERY once as officer A and prints the response and the cache counters as JSON."""

from __future__ import annotations

import asyncio
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
import redis.asyncio as aioredis

from gateway.accesslog import AccessLog, open_access_log
from gateway.caching import CacheLayer, CacheSettings, EntityCachingFetcher, ResponseCache
from gateway.executor import Executor
from gateway.pipeline.access_recorder import AccessLogRecorder
from gateway.pipeline.pipeline import Pipeline
from gateway.pipeline.request import GraphQLRequest, GraphQLResponse, RequestContext
from gateway.policy import Mode, PolicyAuthorizer, PolicyStore, Principal
from gateway.supergraph import Supergraph
from gateway.transport.http import HttpFetcher

__all__ = ["OFFICER_A", "OFFICER_A2", "OFFICER_B", "Instance", "build_instance", "redis_keys"]

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


@dataclass
class Instance:
    """One gateway instance: pipeline, cache layer, subgraph transport, access log."""

    pipeline: Pipeline
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
        return await self.pipeline.run(
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
    supergraph: Supergraph,
    settings: CacheSettings,
    policies: Path,
    log_path: Path,
    mode: Mode = "filter",
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
        authorizer=PolicyAuthorizer(store, supergraph.api_schema, mode=mode),
        access_recorder=AccessLogRecorder(access_log),
        responses=ResponseCache(layer, supergraph.api_schema),
    )
    return Instance(pipeline, layer, http, access_log)


async def redis_keys(redis_url: str, prefix: str) -> list[str]:
    client = aioredis.Redis.from_url(redis_url)
    try:
        return [k.decode() async for k in client.scan_iter(f"{prefix}:*")]
    finally:
        await client.aclose()


async def _main(argv: list[str]) -> None:
    sdl, policies, log, url, prefix, query = argv
    supergraph = Supergraph.from_sdl(Path(sdl).read_text())
    settings = CacheSettings(entities=True, responses=True, url=url, prefix=prefix)
    instance = await build_instance(supergraph, settings, Path(policies), Path(log))
    try:
        response = await instance.run(query, OFFICER_A)
        out = {"response": response.to_dict(), "stats": instance.layer.stats.snapshot()}
    finally:
        await instance.aclose()
    sys.stdout.write(orjson.dumps(out).decode())


if __name__ == "__main__":
    asyncio.run(_main(sys.argv[1:]))
