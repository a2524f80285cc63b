"""Fixtures: a data directory holding the sample registry, and a live registry over it.

The legacy registry runs as a real aiohttp server on an ephemeral loopback port over a
SQLite file seeded in the test's temporary directory.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp import web
from real_estate_sample import sample_source

from subgraphs.real_estate.legacy_service import create_legacy_app, registry_path
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
