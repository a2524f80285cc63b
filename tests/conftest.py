"""Shared fixtures: real services on this machine, skipped (or failed in CI) when absent.

Set ``GOVGRAPH_REQUIRE_SERVICES=1`` (``.ci/run`` does) to turn a missing PostgreSQL,
MariaDB or Redis into a failure instead of a skip, so CI can never pass by skipping.
Override the addresses with ``GOVGRAPH_TEST_POSTGRES_URL``, ``GOVGRAPH_TEST_MARIADB_URL``
and ``GOVGRAPH_TEST_REDIS_URL``.
"""

from __future__ import annotations

import os
import socket
from urllib.parse import urlsplit

import pytest

POSTGRES_URL = os.environ.get(
    "GOVGRAPH_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
MARIADB_URL = os.environ.get("GOVGRAPH_TEST_MARIADB_URL", "mysql://root@127.0.0.1:3306/test")
REDIS_URL = os.environ.get("GOVGRAPH_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def _reachable(url: str) -> bool:
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 0), 1.0):
            return True
    except OSError:
        return False


def require_service(name: str, url: str) -> str:
    """Return ``url`` if the service answers; otherwise skip, or fail when CI requires it."""
    if _reachable(url):
        return url
    reason = f"{name} is not reachable at {url}"
    if os.environ.get("GOVGRAPH_REQUIRE_SERVICES") == "1":
        pytest.fail(f"{reason} and GOVGRAPH_REQUIRE_SERVICES=1", pytrace=False)
    pytest.skip(f"{reason} (set GOVGRAPH_TEST_*_URL, or start it)")


@pytest.fixture(scope="session")
def postgres_url() -> str:
    """A PostgreSQL server URL (``postgresql://…``); tests create their own databases."""
    return require_service("PostgreSQL", POSTGRES_URL)


@pytest.fixture(scope="session")
def mariadb_url() -> str:
    """A MariaDB/MySQL server URL (``mysql://…``); tests create their own databases."""
    return require_service("MariaDB", MARIADB_URL)


@pytest.fixture(scope="session")
def redis_url() -> str:
    return require_service("Redis", REDIS_URL)
