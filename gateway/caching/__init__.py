"""Caching at three levels (plans, subgraph fetches and entities, whole responses), keyed
by authorization and shared across gateway instances through Redis (docs/caching.md).

Names are imported on first use: the pipeline imports ``gateway.caching.lru`` on every
start, and must not pay for (or cycle through) the admin router, aiocache and Redis.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the real names, for type checkers
    from gateway.caching.admin import cache_admin_router
    from gateway.caching.backends import BoundedMemoryCache, open_backend
    from gateway.caching.cache_control import (
        NO_STORE,
        CacheDirective,
        caller_dependent,
        combine,
        http_cache_headers,
        response_cache_control,
    )
    from gateway.caching.fetch_cache import EntityCachingFetcher
    from gateway.caching.hints import FetchReport, begin_report, current_report, subgraph_hint
    from gateway.caching.invalidation import ReturnedEntities, returned_entities
    from gateway.caching.keys import CallerContext, KeySpace, entity_id, partition
    from gateway.caching.layer import CacheLayer
    from gateway.caching.lru import LRUCache
    from gateway.caching.resilient import ResilientCache
    from gateway.caching.responses import CachedResponse, ResponseCache, ResponseLookup
    from gateway.caching.settings import CacheSettings, Scope
    from gateway.caching.singleflight import SingleFlight
    from gateway.caching.stats import CacheStats, LevelStats

_EXPORTS = {
    "NO_STORE": "gateway.caching.cache_control",
    "BoundedMemoryCache": "gateway.caching.backends",
    "CacheDirective": "gateway.caching.cache_control",
    "CacheLayer": "gateway.caching.layer",
    "CacheSettings": "gateway.caching.settings",
    "CacheStats": "gateway.caching.stats",
    "http_cache_headers": "gateway.caching.cache_control",
    "CachedResponse": "gateway.caching.responses",
    "CallerContext": "gateway.caching.keys",
    "EntityCachingFetcher": "gateway.caching.fetch_cache",
    "FetchReport": "gateway.caching.hints",
    "KeySpace": "gateway.caching.keys",
    "LRUCache": "gateway.caching.lru",
    "LevelStats": "gateway.caching.stats",
    "ResilientCache": "gateway.caching.resilient",
    "ResponseCache": "gateway.caching.responses",
    "ResponseLookup": "gateway.caching.responses",
    "ReturnedEntities": "gateway.caching.invalidation",
    "Scope": "gateway.caching.settings",
    "SingleFlight": "gateway.caching.singleflight",
    "begin_report": "gateway.caching.hints",
    "cache_admin_router": "gateway.caching.admin",
    "caller_dependent": "gateway.caching.cache_control",
    "combine": "gateway.caching.cache_control",
    "current_report": "gateway.caching.hints",
    "entity_id": "gateway.caching.keys",
    "open_backend": "gateway.caching.backends",
    "partition": "gateway.caching.keys",
    "response_cache_control": "gateway.caching.cache_control",
    "returned_entities": "gateway.caching.invalidation",
    "subgraph_hint": "gateway.caching.hints",
}

__all__ = [
    "NO_STORE",
    "BoundedMemoryCache",
    "CacheDirective",
    "CacheLayer",
    "CacheSettings",
    "CacheStats",
    "CachedResponse",
    "CallerContext",
    "EntityCachingFetcher",
    "FetchReport",
    "KeySpace",
    "LRUCache",
    "LevelStats",
    "ResilientCache",
    "ResponseCache",
    "ResponseLookup",
    "ReturnedEntities",
    "Scope",
    "SingleFlight",
    "begin_report",
    "cache_admin_router",
    "caller_dependent",
    "combine",
    "current_report",
    "entity_id",
    "http_cache_headers",
    "open_backend",
    "partition",
    "response_cache_control",
    "returned_entities",
    "subgraph_hint",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'gateway.caching' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
