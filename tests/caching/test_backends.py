"""Spec: the memory backend is bounded and never forgets an invalidation; the Redis backend
is the real Redis; a failing backend is skipped for a while, counted and logged once."""

from __future__ import annotations

import asyncio
import logging

import pytest
from support.servers import free_port

from gateway.caching import BoundedMemoryCache, CacheStats, ResilientCache, open_backend


def resilient(backend: object, breaker_seconds: float = 5.0) -> ResilientCache:
    return ResilientCache(backend, CacheStats(), breaker_seconds=breaker_seconds, name="test")


async def test_the_memory_cache_keeps_at_most_its_bound_dropping_the_least_recently_used() -> None:
    cache = resilient(BoundedMemoryCache(max_entries=2))
    await cache.set_many([("a", b"1", 60), ("b", b"2", 60)])
    assert await cache.get_many(["a"]) == [b"1"]  # "a" is now the most recently used
    await cache.set_many([("c", b"3", 60)])
    assert await cache.get_many(["a", "b", "c"]) == [b"1", None, b"3"]


async def test_generation_tokens_are_never_evicted_from_memory_only_expired() -> None:
    # Forgetting a generation early would make entries it invalidated readable again.
    backend = BoundedMemoryCache(max_entries=1)
    cache = resilient(backend)
    assert await cache.bump("gen:t:Person", b"token-1", 3600)
    await cache.set_many([(f"entry-{i}", b"x", 60) for i in range(5)])
    assert await cache.get_many(["gen:t:Person"]) == [b"token-1"]
    assert len(backend) == 1
    await cache.bump("gen:t:Person", b"token-2", 0.05)
    await asyncio.sleep(0.1)
    assert await cache.get_many(["gen:t:Person"]) == [None]


async def test_an_expired_memory_entry_is_gone() -> None:
    backend = BoundedMemoryCache()
    await backend.set("k", b"v", ttl=0.05)
    await asyncio.sleep(0.1)
    assert await backend.get("k") is None
    assert len(backend) == 0


async def test_the_redis_backend_stores_reads_counts_and_deletes(
    redis_url: str, prefix: str
) -> None:
    cache = resilient(open_backend(redis_url))
    try:
        key = f"{prefix}:e:one"
        assert await cache.set_many([(key, b"\x00bytes\xff", 30)])
        assert await cache.get_many([key, f"{prefix}:e:none"]) == [b"\x00bytes\xff", None]
        assert await cache.incr(f"{prefix}:n") == 1
        assert await cache.incr(f"{prefix}:n") == 2
        assert await cache.bump(f"{prefix}:gen:t:Person", b"token-1", 3600)
        assert await cache.get_many([f"{prefix}:n", f"{prefix}:gen:t:Person"]) == [b"2", b"token-1"]
        assert await cache.delete_many([key]) == 1
        assert cache.stats.errors == 0
    finally:
        await cache.close()


async def test_a_redis_that_is_down_is_skipped_counted_and_logged_once_per_interval(
    caplog: pytest.LogCaptureFixture,
) -> None:
    cache = resilient(open_backend(f"redis://127.0.0.1:{free_port()}/0"))
    with caplog.at_level(logging.WARNING, logger="govgraph.cache"):
        assert await cache.get_many(["a", "b"]) == [None, None]
        assert not await cache.set_many([("a", b"1", 10)])
        assert await cache.incr("n") is None
        assert not await cache.bump("gen", b"token", 60)
    assert (cache.stats.errors, cache.stats.skipped) == (1, 3)
    assert not cache.available
    assert len(caplog.records) == 1
    assert "serving without it" in caplog.records[0].getMessage()
    await cache.close()


async def test_after_the_interval_the_backend_is_tried_again(redis_url: str, prefix: str) -> None:
    # Half-open: once the interval is over, the next operation goes to the backend.
    cache = resilient(open_backend(redis_url), breaker_seconds=0.05)
    try:
        cache._failed("get", ConnectionError("simulated by the test"))
        assert await cache.get_many([f"{prefix}:x"]) == [None]
        assert cache.stats.skipped == 1
        await asyncio.sleep(0.1)
        assert await cache.set_many([(f"{prefix}:x", b"1", 10)])
        assert cache.available
        assert await cache.get_many([f"{prefix}:x"]) == [b"1"]
    finally:
        await cache.close()


def test_an_unknown_cache_url_is_refused_with_the_accepted_forms() -> None:
    with pytest.raises(ValueError, match="memory:// or redis://"):
        open_backend("memcached://127.0.0.1:11211")
    assert isinstance(open_backend(None), BoundedMemoryCache)
    assert isinstance(open_backend("memory://"), BoundedMemoryCache)
