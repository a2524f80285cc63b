"""Population stores seeded from the small dataset: SQLite always, PostgreSQL when present."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from subgraph_testkit import postgres_database

from subgraphs.common.datagen import Dataset
from subgraphs.common.sql import create_engine
from subgraphs.population.seed import seed
from subgraphs.population.store import PopulationStore


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def population_url(
    request: pytest.FixtureRequest, small_dataset: Dataset, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    if request.param == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('population') / 'population.db'}"
        asyncio.run(seed(small_dataset, url))
        yield url
        return
    server = request.getfixturevalue("postgres_url")
    with postgres_database(server, "gg_population") as url:
        asyncio.run(seed(small_dataset, url))
        yield url


@pytest.fixture
async def store(population_url: str) -> AsyncIterator[PopulationStore]:
    engine = create_engine(population_url)
    yield PopulationStore(engine)
    await engine.dispose()


@pytest.fixture
def empty_sqlite_url(tmp_path: Path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path / 'never-seeded.db'}"
