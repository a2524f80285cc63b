"""Fixtures: each access-log spec runs against the file backend and a real PostgreSQL."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import pytest
from accesslog_backends import FileBackend, PostgresBackend


@pytest.fixture(scope="session")
def accesslog_database(request: pytest.FixtureRequest) -> Iterator[str]:
    """A database of its own for this test run, dropped at the end."""
    server_url = request.getfixturevalue("postgres_url")
    name = "govgraph_accesslog_" + uuid.uuid4().hex[:10]

    async def run(sql: str) -> None:
        connection = await asyncpg.connect(server_url)
        try:
            await connection.execute(sql)
        finally:
            await connection.close()

    # Run in a worker thread: this may be requested from inside a running event loop.
    with ThreadPoolExecutor(1) as worker:
        worker.submit(asyncio.run, run(f"CREATE DATABASE {name}")).result()
    parts = urlsplit(server_url)
    yield urlunsplit(parts._replace(path="/" + name))
    with ThreadPoolExecutor(1) as worker:
        worker.submit(asyncio.run, run(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")).result()


@pytest.fixture(params=["file", "postgres"])
async def backend(
    request: pytest.FixtureRequest, tmp_path: Path
) -> AsyncIterator[FileBackend | PostgresBackend]:
    chosen: FileBackend | PostgresBackend
    if request.param == "file":
        chosen = FileBackend(tmp_path)
    else:
        chosen = PostgresBackend(request.getfixturevalue("accesslog_database"))
    yield chosen
    await chosen.drop()
