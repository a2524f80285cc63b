"""CacheLayer: the shared pieces of every cache level — backend, keys, generations, stats.

Entries are JSON ``{"g": generations, "x": expires at (epoch s), "v": value}``. The
generations are those of the entry's types (and entity) read *before* the data was
fetched; an entry whose generations differ from the current ones is a miss. So an
invalidation that lands while a fetch is in flight still wins: the entry stored after it
carries the older generation and is never served.
"""

from __future__ import annotations

import logging
import secrets
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import orjson

from gateway.caching.backends import open_backend
from gateway.caching.keys import KeySpace
from gateway.caching.resilient import ResilientCache
from gateway.caching.schema_facts import EntityKeys
from gateway.caching.settings import CacheSettings
from gateway.caching.stats import CacheStats
from gateway.supergraph import Supergraph

__all__ = ["CacheLayer", "Entry"]

log = logging.getLogger("govgraph.cache")


@dataclass(frozen=True, slots=True)
class Entry:
    value: Any
    expires_at: float

    @property
    def remaining(self) -> int:
        """Whole seconds left (never negative), for the response's max-age."""
        return max(0, int(self.expires_at - time.time()))


def generation(raw: bytes | None) -> str:
    """A generation's current token; one never bumped (or long expired) is ``0``."""
    return "0" if raw is None else raw.decode()


def new_token() -> bytes:
    """A generation value never used before: tokens are compared, never counted, so a
    token that expired and came back as ``0`` cannot make an old entry match again."""
    return f"{time.time_ns():x}.{secrets.token_hex(4)}".encode()


class CacheLayer:
    """Owns the backend; hands out the fetch wrapper and the response cache built on it."""

    def __init__(
        self,
        settings: CacheSettings,
        supergraph: Supergraph | None = None,
        *,
        store: ResilientCache | None = None,
    ) -> None:
        self.settings = settings
        self.stats = CacheStats()
        self.keys = KeySpace(settings.prefix)
        self.store = store or ResilientCache(
            open_backend(
                settings.url,
                max_entries=settings.memory_max_entries,
                timeout=settings.redis_timeout,
            ),
            self.stats,
            breaker_seconds=settings.breaker_seconds,
            name=_backend_name(settings.url),
        )
        self.supergraph: Supergraph | None = None
        self.entity_keys = EntityKeys({})
        if supergraph is not None:
            self.use_supergraph(supergraph)

    def use_supergraph(self, supergraph: Supergraph) -> None:
        """Read entity keys from a (re)loaded supergraph; old entries die by the schema hash."""
        self.supergraph = supergraph
        self.entity_keys = EntityKeys.of(supergraph)

    # -- entries ------------------------------------------------------------------------
    @staticmethod
    def encode(value: Any, generations: Sequence[str], ttl: int) -> bytes:
        return orjson.dumps({"g": list(generations), "x": time.time() + ttl, "v": value})

    @staticmethod
    def decode(raw: bytes | None, generations: Sequence[str]) -> Entry | None:
        """The entry if present, readable, unexpired and of the current generations."""
        if raw is None:
            return None
        try:
            item = orjson.loads(raw)
            expires = float(item["x"])
            if item["g"] != list(generations) or expires <= time.time():
                return None
            return Entry(item["v"], expires)
        except (orjson.JSONDecodeError, KeyError, TypeError, ValueError):
            return None

    # -- invalidation -------------------------------------------------------------------
    @property
    def generation_ttl(self) -> int:
        """How long a generation token is kept after its last bump: a day, or twice the
        longest entry lifetime. Every entry stored under the previous token has expired
        by then, so forgetting the token is safe, and invalidations do not pile up."""
        settings = self.settings
        longest = max([settings.default_ttl, *settings.type_ttls.values()])
        return max(86_400, 2 * longest)

    async def _bump(self, key: str) -> bool:
        return await self.store.bump(key, new_token(), self.generation_ttl)

    async def invalidate_type(self, type_name: str) -> bool:
        """Every entry touching ``type_name`` becomes unreachable, on every instance."""
        done = await self._bump(self.keys.type_generation(type_name))
        if done:
            self.stats.invalidations += 1
        log.info("cache: invalidated type %s (%s)", type_name, "done" if done else "FAILED")
        return done

    async def invalidate_entity(self, type_name: str, key_fields: Mapping[str, Any]) -> bool:
        """The entity's cached copies go stale, and so do the root fetches and responses
        touching its type (they cannot tell which entities they hold)."""
        entity = await self._bump(self.keys.entity_generation(type_name, key_fields))
        aggregates = await self._bump(self.keys.aggregate_generation(type_name))
        done = entity and aggregates
        if done:
            self.stats.invalidations += 1
        log.info(
            "cache: invalidated %s %s (%s)",
            type_name,
            dict(key_fields),
            "done" if done else "FAILED",
        )
        return done

    async def invalidate_entities(
        self, entities: Iterable[tuple[str, Mapping[str, Any]]], types: Iterable[str] = ()
    ) -> bool:
        ok = True
        for type_name, key_fields in entities:
            ok = await self.invalidate_entity(type_name, key_fields) and ok
        for type_name in types:
            ok = await self.invalidate_type(type_name) and ok
        return ok

    async def aclose(self) -> None:
        settings = self.settings
        if settings.entities or settings.responses:
            # One line an operator (or the benchmark) can read after a run.
            log.info("cache stats at shutdown: %s", orjson.dumps(self.stats.snapshot()).decode())
        await self.store.close()


def _backend_name(url: str | None) -> str:
    if not url or url.startswith("memory:"):
        return "memory"
    host = url.split("@")[-1]  # never log a password
    return f"redis({host})"
