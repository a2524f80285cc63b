"""Fixtures of the department subgraph tests: import path, a small dataset, servers, databases.

``tests/subgraphs/`` has no ``__init__.py`` (it would be imported as ``subgraphs`` and
hide the project package). pytest still puts ``tests/`` on ``sys.path``, where this
folder then shadows the editable install's ``subgraphs`` as a namespace package; the
repository root goes first on ``sys.path`` so ``import subgraphs.x`` is the project.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest

_ROOT = str(Path(__file__).resolve().parents[2])
if sys.path[:1] != [_ROOT]:
    sys.path.insert(0, _ROOT)
for _package in ("subgraphs", "gateway"):
    _loaded = sys.modules.get(_package)
    if _loaded is not None and getattr(_loaded, "__file__", None) is None:
        for _name in [m for m in sys.modules if m == _package or m.startswith(_package + ".")]:
            del sys.modules[_name]

import uvicorn  # noqa: E402

from subgraphs.common.datagen import Dataset, DatasetConfig  # noqa: E402

SMALL_PERSONS = 400


@pytest.fixture(scope="session")
def small_dataset() -> Dataset:
    """A small generated Tieling (every county present) shared by the department tests."""
    return Dataset(DatasetConfig(seed=7, persons=SMALL_PERSONS))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def serve(app: Any) -> Iterator[str]:
    """Run ``app`` on a real loopback port in a thread; yields its base URL."""
    port = _free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("test server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


def _database_url(server_url: str, database: str) -> str:
    parts = urlsplit(server_url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + database, parts.query, ""))


def unique_database_name(prefix: str) -> str:
    return f"{prefix}_{os.getpid()}_{uuid.uuid4().hex[:8]}"


@contextlib.contextmanager
def postgres_database(server_url: str, prefix: str) -> Iterator[str]:
    """A fresh PostgreSQL database for one test session, dropped afterwards."""
    import asyncpg

    name = unique_database_name(prefix)
    admin = server_url.replace("postgresql+asyncpg://", "postgresql://")

    async def run(sql: str) -> None:
        conn = await asyncpg.connect(admin)
        try:
            await conn.execute(sql)
        finally:
            await conn.close()

    asyncio.run(run(f'CREATE DATABASE "{name}" ENCODING \'UTF8\' TEMPLATE template0'))
    try:
        yield _database_url(admin, name)
    finally:
        asyncio.run(run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@contextlib.contextmanager
def mariadb_database(server_url: str, prefix: str) -> Iterator[str]:
    """A fresh MariaDB database (utf8mb4) for one test session, dropped afterwards."""
    import pymysql

    name = unique_database_name(prefix)
    parts = urlsplit(server_url)

    def run(sql: str) -> None:
        conn = pymysql.connect(
            host=parts.hostname or "127.0.0.1",
            port=parts.port or 3306,
            user=parts.username or "root",
            password=parts.password or "",
        )
        try:
            with conn.cursor() as cursor:
                cursor.execute(sql)
        finally:
            conn.close()

    run(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")
    try:
        yield _database_url(server_url, name)
    finally:
        run(f"DROP DATABASE IF EXISTS `{name}`")
