"""A bounded, synchronous LRU map for the hot path (parsed documents, shapes, plans).

These caches are read on every request; an ``await`` per lookup would cost more than the
lookup itself, so they are plain in-process maps bounded by entry count. A bound of 0
switches one off (nothing is kept; every lookup misses).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

__all__ = ["LRUCache"]

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class LRUCache(Generic[K, V]):
    def __init__(self, max_entries: int = 1000) -> None:
        if max_entries < 0:
            raise ValueError("max_entries must be 0 (off) or more")
        self.max_entries = max_entries
        self._data: OrderedDict[K, V] = OrderedDict()
        self.hits = 0
        self.misses = 0

    def __len__(self) -> int:
        return len(self._data)

    def get(self, key: K) -> V | None:
        try:
            value = self._data[key]
        except KeyError:
            self.misses += 1
            return None
        self._data.move_to_end(key)
        self.hits += 1
        return value

    def put(self, key: K, value: V) -> None:
        if not self.max_entries:
            return
        self._data[key] = value
        self._data.move_to_end(key)
        if len(self._data) > self.max_entries:
            self._data.popitem(last=False)

    def get_or_create(self, key: K, factory: Callable[[], V]) -> V:
        value = self.get(key)
        if value is None:
            value = factory()
            self.put(key, value)
        return value

    def clear(self) -> None:
        self._data.clear()
