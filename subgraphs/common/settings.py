"""Environment configuration of the department subgraphs and their stores.

Read once per process with :meth:`SubgraphSettings.from_env`; tests build the dataclass
directly. Store URLs accept plain ``postgresql://`` and ``mysql://`` and are mapped to the
async drivers (asyncpg, aiomysql) by :func:`async_url`.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

__all__ = ["SubgraphSettings", "async_url", "parse_secret"]

log = logging.getLogger("govgraph.subgraph")

_DRIVERS = {
    "postgresql": "postgresql+asyncpg",
    "postgres": "postgresql+asyncpg",
    "mysql": "mysql+aiomysql",
    "mariadb": "mysql+aiomysql",
    "sqlite": "sqlite+aiosqlite",
}


def async_url(url: str) -> str:
    """Map a plain database URL to its async driver; URLs that name a driver pass through."""
    scheme, sep, rest = url.partition("://")
    if not sep:
        raise ValueError(f"not a database URL: {url!r}")
    if "+" in scheme:
        return url
    try:
        return f"{_DRIVERS[scheme]}://{rest}"
    except KeyError:
        raise ValueError(f"unsupported database scheme {scheme!r} in {url!r}") from None


def parse_secret(value: str | None) -> bytes | None:
    """``GOVGRAPH_SUBGRAPH_SECRET`` as the HMAC key; empty or unset = no signature check.

    The key is the UTF-8 text itself, hex-looking or not: the gateway signs with
    ``subgraph_secret.encode()``, and both sides must derive the same bytes.
    """
    if not value:
        return None
    return value.encode()


@dataclass(frozen=True, slots=True)
class SubgraphSettings:
    data_dir: Path
    population_db_url: str
    civil_affairs_db_url: str
    market_regulation_db_url: str
    social_security_dir: Path
    real_estate_legacy_url: str
    subgraph_secret: bytes | None

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> SubgraphSettings:
        e = os.environ if env is None else env
        data = Path(e.get("GOVGRAPH_DATA_DIR") or "./data")

        def sqlite(name: str) -> str:
            return f"sqlite+aiosqlite:///{data / name}"

        settings = cls(
            data_dir=data,
            population_db_url=async_url(
                e.get("GOVGRAPH_POPULATION_DB_URL") or sqlite("population.db")
            ),
            civil_affairs_db_url=async_url(
                e.get("GOVGRAPH_CIVIL_AFFAIRS_DB_URL") or sqlite("civil_affairs.db")
            ),
            market_regulation_db_url=async_url(
                e.get("GOVGRAPH_MARKET_REGULATION_DB_URL") or sqlite("market_regulation.db")
            ),
            social_security_dir=Path(
                e.get("GOVGRAPH_SOCIAL_SECURITY_DIR") or data / "social_security"
            ),
            real_estate_legacy_url=e.get("GOVGRAPH_REAL_ESTATE_LEGACY_URL")
            or "http://127.0.0.1:4010",
            subgraph_secret=parse_secret(e.get("GOVGRAPH_SUBGRAPH_SECRET")),
        )
        return settings

    def warn_if_unsigned(self, name: str) -> None:
        if self.subgraph_secret is None:
            log.warning(
                "subgraph %s accepts unsigned requests: GOVGRAPH_SUBGRAPH_SECRET is not set "
                "(development only; anyone who reaches the port bypasses the gateway)",
                name,
            )
