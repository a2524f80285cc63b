"""Fixtures of the caching specs: the counting subgraphs on loopback, gateway instances
assembled from the real pipeline, policy, access log and cache layer, and a key prefix
per test (its Redis keys are deleted afterwards)."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from cache_graph import market_app, population_app, reset, supergraph_sdl
from cache_instance import Instance, build_instance
from support.servers import serve_asgi

from gateway.caching import CacheSettings
from gateway.policy import Mode
from gateway.supergraph import Supergraph

HERE = Path(__file__).parent


@pytest.fixture(scope="module")
def graph() -> Iterator[Supergraph]:
    with serve_asgi(population_app()) as population, serve_asgi(market_app()) as market:
        yield Supergraph.from_sdl(supergraph_sdl(population, market))


@pytest.fixture(autouse=True)
def clean_graph() -> None:
    reset()


@pytest.fixture(autouse=True)
def no_cache_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each spec states its settings; GOVGRAPH_CACHE_* of the shell must not change them."""
    for name in list(os.environ):
        if name.startswith("GOVGRAPH_CACHE_"):
            monkeypatch.delenv(name)


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
    async def make(settings: CacheSettings, mode: Mode = "filter") -> Instance:
        log_path = tmp_path / f"access-{len(instances)}.jsonl"
        instance = await build_instance(graph, settings, policies, log_path, mode)
        instances.append(instance)
        return instance

    return make
