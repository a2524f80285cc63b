"""Async SQL plumbing shared by the SQL-backed departments (SQLAlchemy 2 core).

One engine per store URL, schema (re)creation, chunked bulk insert for seeding, and a
statement counter that tests use to prove entity batching (one round-trip per batch).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from sqlalchemy import MetaData, Table, event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

from subgraphs.common.settings import async_url

__all__ = [
    "StatementCounter",
    "bulk_insert",
    "create_engine",
    "disk_size",
    "recreate_schema",
]


def create_engine(url: str, *, echo: bool = False) -> AsyncEngine:
    """An async engine for ``url`` (plain ``postgresql://``/``mysql://`` accepted).

    SQLite files get their folder created; server databases get a small pool with
    pre-ping so a restarted database does not fail the first request after it.
    """
    full = async_url(url)
    parsed = make_url(full)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        return create_async_engine(full, echo=echo)
    kwargs: dict[str, Any] = {"pool_pre_ping": True, "pool_size": 5, "max_overflow": 5}
    if parsed.get_backend_name() == "mysql":
        kwargs["pool_recycle"] = 3600
        full_url = parsed.update_query_dict({"charset": "utf8mb4"})
        return create_async_engine(full_url, echo=echo, **kwargs)
    return create_async_engine(full, echo=echo, **kwargs)


async def recreate_schema(engine: AsyncEngine, metadata: MetaData) -> None:
    """Drop and create the department's tables: seeding replaces existing data."""
    async with engine.begin() as conn:
        await conn.run_sync(metadata.drop_all)
        await conn.run_sync(metadata.create_all)


def _chunks(rows: Iterable[Mapping[str, Any]], size: int) -> Iterator[list[Mapping[str, Any]]]:
    it = iter(rows)
    while chunk := list(itertools.islice(it, size)):
        yield chunk


async def bulk_insert(
    conn: AsyncConnection,
    table: Table,
    rows: Iterable[Mapping[str, Any]],
    *,
    chunk_size: int = 5000,
) -> int:
    """Insert ``rows`` (consumed lazily, ``chunk_size`` at a time); returns the count."""
    count = 0
    for chunk in _chunks(rows, chunk_size):
        await conn.execute(table.insert(), chunk)
        count += len(chunk)
    return count


class StatementCounter:
    """Counts SQL statements sent through an engine (its sync core), for tests and metrics."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.count = 0
        self.statements: list[str] = []
        self._engine = engine
        event.listen(engine.sync_engine, "before_cursor_execute", self._on_execute)

    def _on_execute(self, *args: Any, **_: Any) -> None:
        self.count += 1
        self.statements.append(str(args[2]))

    def reset(self) -> None:
        self.count = 0
        self.statements.clear()

    def close(self) -> None:
        event.remove(self._engine.sync_engine, "before_cursor_execute", self._on_execute)


def disk_size(url: str) -> int | None:
    """Bytes on disk of a SQLite store (``None`` for server databases)."""
    parsed = make_url(async_url(url))
    if parsed.get_backend_name() != "sqlite" or not parsed.database:
        return None
    path = Path(parsed.database)
    return sum(p.stat().st_size for p in path.parent.glob(path.name + "*") if p.is_file())
