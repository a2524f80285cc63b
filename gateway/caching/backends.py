"""Cache backends behind aiocache's interface: a bounded in-process memory cache and Redis.

aiocache's own ``SimpleMemoryCache`` is unbounded and arms one event-loop timer per key;
:class:`BoundedMemoryCache` keeps at most ``max_entries`` values (least recently used go
first) and expires lazily on read. Generation tokens (``set_generation``, and counters from
``increment``) live apart from the values and are never evicted, only expired: forgetting
one early would make entries it had invalidated readable again.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from typing import Any
from urllib.parse import unquote, urlsplit

from aiocache import RedisCache
from aiocache.base import BaseCache
from aiocache.serializers import BaseSerializer

__all__ = ["BoundedMemoryCache", "BytesSerializer", "open_backend"]


class BytesSerializer(BaseSerializer):  # type: ignore[misc]
    """Values are bytes already (we encode with orjson); the backend stores them as they are."""

    DEFAULT_ENCODING = None

    def dumps(self, value: Any) -> Any:
        return value

    def loads(self, value: Any) -> Any:
        return value


class BoundedMemoryCache(BaseCache):  # type: ignore[misc]
    """An in-process aiocache backend bounded by entry count, with lazy expiry."""

    NAME = "bounded-memory"

    def __init__(self, max_entries: int = 50_000, **kwargs: Any) -> None:
        kwargs.setdefault("serializer", BytesSerializer())
        kwargs.setdefault("timeout", None)  # a dict lookup needs no asyncio.wait_for
        super().__init__(**kwargs)
        if max_entries < 1:
            raise ValueError("max_entries must be at least 1")
        self.max_entries = max_entries
        self._values: OrderedDict[str, tuple[float | None, Any]] = OrderedDict()
        self._counters: dict[str, tuple[float | None, bytes]] = {}

    def __len__(self) -> int:
        return len(self._values)

    def keys(self) -> list[str]:
        """Every key held now (values and counters), for stats and tests."""
        return [*self._values, *self._counters]

    def read_many(self, keys: list[str]) -> list[Any]:
        """``multi_get`` without the event-loop round (the hot path's fast lane)."""
        read = self._read
        return [read(key) for key in keys]

    def write_many(self, pairs: list[tuple[str, Any]], ttl: float) -> None:
        for key, value in pairs:
            self._write(key, value, ttl)

    def _read(self, key: str) -> Any:
        entry = self._values.get(key)
        if entry is None:
            counter = self._counters.get(key)
            if counter is None:
                return None
            expires, token = counter
            if expires is not None and expires <= time.monotonic():
                del self._counters[key]
                return None
            return token
        expires, value = entry
        if expires is not None and expires <= time.monotonic():
            del self._values[key]
            return None
        self._values.move_to_end(key)
        return value

    def _write(self, key: str, value: Any, ttl: float | None) -> None:
        expires = time.monotonic() + ttl if ttl else None
        self._values[key] = (expires, value)
        self._values.move_to_end(key)
        while len(self._values) > self.max_entries:
            self._values.popitem(last=False)

    async def _get(self, key: str, encoding: str | None = None, _conn: Any = None) -> Any:
        return self._read(key)

    async def _gets(self, key: str, encoding: str | None = None, _conn: Any = None) -> Any:
        return self._read(key)

    async def _multi_get(
        self, keys: list[str], encoding: str | None = None, _conn: Any = None
    ) -> list[Any]:
        return [self._read(key) for key in keys]

    async def _set(
        self,
        key: str,
        value: Any,
        ttl: float | None = None,
        _cas_token: Any = None,
        _conn: Any = None,
    ) -> bool:
        if _cas_token is not None and _cas_token != self._read(key):
            return False
        self._write(key, value, ttl)
        return True

    async def _multi_set(
        self, pairs: list[tuple[str, Any]], ttl: float | None = None, _conn: Any = None
    ) -> bool:
        for key, value in pairs:
            self._write(key, value, ttl)
        return True

    async def _add(self, key: str, value: Any, ttl: float | None = None, _conn: Any = None) -> bool:
        if self._read(key) is not None:
            raise ValueError(f"Key {key} already exists, use .set to update the value")
        self._write(key, value, ttl)
        return True

    async def _exists(self, key: str, _conn: Any = None) -> bool:
        return self._read(key) is not None

    def set_generation(self, key: str, token: bytes, ttl: float) -> None:
        """Store a generation token: kept ``ttl`` seconds, never evicted before."""
        self._counters[key] = (time.monotonic() + ttl, token)

    async def _increment(self, key: str, delta: int, _conn: Any = None) -> int:
        current = self._read(key)
        value = (int(current) if current is not None else 0) + delta
        expires = self._counters[key][0] if key in self._counters else None
        self._counters[key] = (expires, str(value).encode())
        return value

    async def _expire(self, key: str, ttl: float, _conn: Any = None) -> bool:
        entry = self._values.get(key)
        if entry is None:
            return False
        self._values[key] = (time.monotonic() + ttl if ttl else None, entry[1])
        return True

    async def _delete(self, key: str, _conn: Any = None) -> int:
        found = self._values.pop(key, None) is not None
        found = self._counters.pop(key, None) is not None or found
        return int(found)

    async def _clear(self, namespace: str | None = None, _conn: Any = None) -> bool:
        if namespace:
            for store in (self._values, self._counters):
                for key in [k for k in store if k.startswith(namespace)]:
                    del store[key]
        else:
            self._values.clear()
            self._counters.clear()
        return True

    async def _raw(self, command: str, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError(f"the memory cache has no raw command {command!r}")

    async def _close(self, *args: Any, **kwargs: Any) -> None:
        return None


def open_backend(
    url: str | None,
    *,
    max_entries: int = 50_000,
    timeout: float = 0.25,
) -> BaseCache:
    """The aiocache backend for ``url``: ``memory://`` (or None) or ``redis://[:pw@]host:port/db``.

    Nothing is connected here: Redis connects on first use, so a gateway starts (and
    serves, uncached) while Redis is down.
    """
    if not url or url.startswith("memory:"):
        return BoundedMemoryCache(max_entries)
    parts = urlsplit(url)
    if parts.scheme not in ("redis", "rediss"):
        raise ValueError(f"unsupported cache URL {url!r}: use memory:// or redis://host:port/db")
    db = parts.path.lstrip("/") or "0"
    if not db.isdigit():
        raise ValueError(f"the Redis database in {url!r} must be a number")
    return RedisCache(
        serializer=BytesSerializer(),
        endpoint=parts.hostname or "127.0.0.1",
        port=parts.port or 6379,
        db=int(db),
        password=unquote(parts.password) if parts.password else None,
        ssl=parts.scheme == "rediss",
        timeout=timeout,
        create_connection_timeout=timeout,
    )
