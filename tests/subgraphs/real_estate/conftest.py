"""Fixtures: a data directory holding the sample registry, and a live registry over it.

The legacy registry runs as a real aiohttp server on an ephemeral loopback port over a
SQLite file seeded in the test's temporary directory.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp import web
from real_estate_sample import SECRET, Subgraph, sample_source

from subgraphs.common.settings import SubgraphSettings
from subgraphs.real_estate.app import create_app
from subgraphs.real_estate.legacy_service import create_legacy_app, registry_path
from subgraphs.real_estate.registry_client import RegistryClient
from subgraphs.real_estate.seed import write_registry


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A data directory whose registry holds the sample."""
    write_registry(sample_source(), registry_path(tmp_path).parent)
    return tmp_path


@pytest.fixture
async def legacy_url(data_dir: Path) -> AsyncIterator[str]:
    """Base URL of a running legacy registry over the sample data."""
    runner = web.AppRunner(create_legacy_app(registry_path(data_dir)))
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        await runner.cleanup()


@pytest.fixture
async def subgraph(legacy_url: str, data_dir: Path) -> AsyncIterator[Subgraph]:
    """The real_estate subgraph app, signed requests required, over the live registry."""
    settings = SubgraphSettings.from_env(
        {
            "GOVGRAPH_DATA_DIR": str(data_dir),
            "GOVGRAPH_REAL_ESTATE_LEGACY_URL": legacy_url,
            "GOVGRAPH_SUBGRAPH_SECRET": SECRET.decode(),
        }
    )
    registry = RegistryClient(legacy_url)
    try:
        yield Subgraph(create_app(settings, client=registry), registry)
    finally:
        await registry.aclose()
