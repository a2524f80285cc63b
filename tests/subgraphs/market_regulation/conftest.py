"""Market-regulation stores seeded from the small dataset: SQLite always, PostgreSQL when present."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator

import pytest
from subgraph_testkit import postgres_database

from subgraphs.common.datagen import Dataset
from subgraphs.common.sql import create_engine
from subgraphs.market_regulation.seed import seed
from subgraphs.market_regulation.store import MarketRegulationStore


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def market_regulation_url(
    request: pytest.FixtureRequest, small_dataset: Dataset, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    if request.param == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('market') / 'market.db'}"
        asyncio.run(seed(small_dataset, url))
        yield url
        return
    server = request.getfixturevalue("postgres_url")
    with postgres_database(server, "gg_market_regulation") as url:
        asyncio.run(seed(small_dataset, url))
        yield url


@pytest.fixture
async def store(market_regulation_url: str) -> AsyncIterator[MarketRegulationStore]:
    engine = create_engine(market_regulation_url)
    yield MarketRegulationStore(engine)
    await engine.dispose()
