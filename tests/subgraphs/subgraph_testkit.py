"""Helpers of the department subgraph tests: loopback servers, throwaway databases, GraphQL runs."""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import uvicorn
from strawberry.federation import Schema

from gateway.policy.signing import SignedCaller
from subgraphs.common.context import SubgraphContext

__all__ = ["mariadb_database", "postgres_database", "run_graphql", "serve"]


async def run_graphql(
    schema: Schema,
    store: Any,
    query: str,
    variables: dict[str, Any] | None = None,
    *,
    caller: SignedCaller | None = None,
) -> dict[str, Any]:
    """Execute like the HTTP view does and return the response body as a client sees it."""
    context = SubgraphContext(
        request=None, response=None, subgraph="test", store=store, caller=caller
    )
    result = await schema.execute(query, variable_values=variables, context_value=context)
    body: dict[str, Any] = {"data": result.data}
    if result.errors:
        body["errors"] = [e.formatted for e in result.errors]
    return body


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

    asyncio.run(run(f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0"))
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
