"""A cache backend that never fails a request: a circuit breaker around an aiocache backend.

Every operation either answers or degrades to "not cached": a failure (Redis down, slow,
refusing) is counted, logged once per breaker interval, and opens the breaker, so the
next ``breaker_seconds`` of operations skip the backend instead of each waiting for it to
fail. The first operation after the interval tries again (half-open) and closes the
breaker when it succeeds.
"""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from aiocache.base import BaseCache

from gateway.caching.backends import BoundedMemoryCache
from gateway.caching.stats import CacheStats
from gateway.executor.eager import leave_eager

__all__ = ["ResilientCache"]

log = logging.getLogger("govgraph.cache")


class ResilientCache:
    """Bytes in, bytes out; ``None`` (or nothing done) whenever the backend is unavailable."""

    def __init__(
        self,
        backend: BaseCache,
        stats: CacheStats,
        *,
        breaker_seconds: float = 5.0,
        name: str | None = None,
    ) -> None:
        self.backend = backend
        self.stats = stats
        self.breaker_seconds = breaker_seconds
        self.name = name or type(backend).__name__
        self._open_until = 0.0
        self._failing = False
        # In-process memory cannot fail: skip aiocache's per-call wrappers (timeout,
        # plugins, key building), which cost more than the dictionary lookups themselves.
        self._memory = backend if isinstance(backend, BoundedMemoryCache) else None

    @property
    def available(self) -> bool:
        """False while the breaker is open (the backend failed less than an interval ago)."""
        return not self._failing or time.monotonic() >= self._open_until

    def _skip(self) -> bool:
        if self._failing and time.monotonic() < self._open_until:
            self.stats.skipped += 1
            return True
        return False

    def _failed(self, operation: str, exc: BaseException) -> None:
        self.stats.errors += 1
        self._open_until = time.monotonic() + self.breaker_seconds
        if not self._failing:
            # Logged when the breaker opens, so at most once per interval while it fails.
            log.warning(
                "cache backend %s failed (%s: %s); serving without it for %.0f s",
                self.name,
                operation,
                exc,
                self.breaker_seconds,
            )
        self._failing = True

    def _succeeded(self) -> None:
        if self._failing:
            log.warning("cache backend %s is available again", self.name)
            self._failing = False

    async def get_many(self, keys: Sequence[str]) -> list[bytes | None]:
        if not keys:
            return []
        if self._memory is not None:
            return [_as_bytes(v) for v in self._memory.read_many(list(keys))]
        if self._skip():
            return [None] * len(keys)
        await leave_eager()  # a remote backend: its client may bind timeouts to the task
        try:
            values = await self.backend.multi_get(list(keys))
        except Exception as exc:
            self._failed("get", exc)
            return [None] * len(keys)
        self._succeeded()
        return [_as_bytes(v) for v in values]

    async def set_many(self, items: Sequence[tuple[str, bytes, int]]) -> bool:
        """Store ``(key, value, ttl seconds)`` items; False when nothing could be stored."""
        if not items or self._skip():
            return False
        by_ttl: defaultdict[int, list[tuple[str, bytes]]] = defaultdict(list)
        for key, value, ttl in items:
            by_ttl[max(1, int(ttl))].append((key, value))
        if self._memory is not None:
            for ttl, pairs in by_ttl.items():
                self._memory.write_many(pairs, ttl)
            return True
        await leave_eager()  # a remote backend: its client may bind timeouts to the task
        try:
            for ttl, pairs in by_ttl.items():
                await self.backend.multi_set(pairs, ttl=ttl)
        except Exception as exc:
            self._failed("set", exc)
            return False
        self._succeeded()
        return True

    async def bump(self, key: str, token: bytes, ttl: float) -> bool:
        """Set a generation token for ``ttl`` seconds; False when the backend is unavailable."""
        if self._memory is not None:
            self._memory.set_generation(key, token, ttl)
            return True
        if self._skip():
            return False
        await leave_eager()  # a remote backend: its client may bind timeouts to the task
        try:
            await self.backend.set(key, token, ttl=ttl)
        except Exception as exc:
            self._failed("set generation", exc)
            return False
        self._succeeded()
        return True

    async def incr(self, key: str) -> int | None:
        if self._skip():
            return None
        await leave_eager()  # a remote backend: its client may bind timeouts to the task
        try:
            value = await self.backend.increment(key, 1)
        except Exception as exc:
            self._failed("increment", exc)
            return None
        self._succeeded()
        return int(value)

    async def delete_many(self, keys: Sequence[str]) -> int | None:
        if self._skip():
            return None
        await leave_eager()  # a remote backend: its client may bind timeouts to the task
        try:
            deleted = 0
            for key in keys:
                deleted += int(await self.backend.delete(key) or 0)
        except Exception as exc:
            self._failed("delete", exc)
            return None
        self._succeeded()
        return deleted

    async def close(self) -> None:
        try:
            await self.backend.close()
        except Exception as exc:  # closing a dead connection is not worth a failure
            log.debug("closing cache backend %s: %s", self.name, exc)


def _as_bytes(value: Any) -> bytes | None:
    if value is None or isinstance(value, bytes):
        return value
    if isinstance(value, str):
        return value.encode()
    return str(value).encode()
