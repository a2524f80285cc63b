"""Civil-affairs stores seeded from the small dataset: SQLite always, MariaDB when present."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator

import pytest
from subgraph_testkit import mariadb_database

from subgraphs.civil_affairs.seed import seed
from subgraphs.civil_affairs.store import CivilAffairsStore
from subgraphs.common.datagen import Dataset
from subgraphs.common.sql import create_engine


@pytest.fixture(scope="session", params=["sqlite", "mariadb"])
def civil_affairs_url(
    request: pytest.FixtureRequest, small_dataset: Dataset, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    if request.param == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('civil') / 'civil_affairs.db'}"
        asyncio.run(seed(small_dataset, url))
        yield url
        return
    server = request.getfixturevalue("mariadb_url")
    with mariadb_database(server, "gg_civil_affairs") as url:
        asyncio.run(seed(small_dataset, url))
        yield url


@pytest.fixture
async def store(civil_affairs_url: str) -> AsyncIterator[CivilAffairsStore]:
    engine = create_engine(civil_affairs_url)
    yield CivilAffairsStore(engine)
    await engine.dispose()
