"""The per-request context every department resolver receives as ``info.context``."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from starlette.requests import Request
from starlette.responses import Response
from strawberry.dataloader import DataLoader

from gateway.policy.signing import SignedCaller

__all__ = ["MAX_BATCH", "SubgraphContext"]

# Keys per store round-trip: well under the bind-parameter limits of asyncpg (32767)
# and SQLite (32766) even when a query binds the keys twice.
MAX_BATCH = 2000

StoreT = TypeVar("StoreT")
K = TypeVar("K")
V = TypeVar("V")


@dataclass
class SubgraphContext(Generic[StoreT]):
    """What a resolver may use: the department store, the verified caller, and loaders.

    ``caller`` is the gateway-signed caller (``None`` when signatures are off). Loaders
    live as long as the request, so batching and caching never cross callers.
    """

    request: Request | None
    response: Response | None
    subgraph: str
    store: StoreT
    caller: SignedCaller | None = None
    _loaders: dict[str, DataLoader[Any, Any]] = field(default_factory=dict)

    def loader(
        self, key: str, load_fn: Callable[[list[K]], Awaitable[Sequence[V]]]
    ) -> DataLoader[K, V]:
        """The request's DataLoader named ``key``, created from ``load_fn`` on first use."""
        existing = self._loaders.get(key)
        if existing is None:
            existing = DataLoader(load_fn=load_fn, max_batch_size=MAX_BATCH)
            self._loaders[key] = existing
        return existing
