"""Spec: the hot-path LRU (documents, shapes, plans) is bounded, and a bound of 0 turns it off."""

from __future__ import annotations

import pytest

from gateway.caching import LRUCache


def test_the_least_recently_used_entry_goes_first() -> None:
    cache: LRUCache[str, int] = LRUCache(2)
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.get("a") == 1
    cache.put("c", 3)
    assert (cache.get("a"), cache.get("b"), cache.get("c")) == (1, None, 3)
    assert (cache.hits, cache.misses) == (3, 1)


def test_a_bound_of_zero_keeps_nothing() -> None:
    cache: LRUCache[str, int] = LRUCache(0)
    assert cache.get_or_create("a", lambda: 1) == 1
    assert cache.get("a") is None
    assert len(cache) == 0


def test_a_negative_bound_is_refused() -> None:
    with pytest.raises(ValueError, match="0 \\(off\\) or more"):
        LRUCache(-1)
