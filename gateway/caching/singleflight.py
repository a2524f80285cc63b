"""Single flight: concurrent identical calls share one call (no stampede on a miss).

The first caller for a key starts the call as its own task; later callers with the same
key wait for that task. When anyone waited, each caller gets its own decoded copy of the
result (the executor merges and post-processing masks in place; a shared object would let
one request rewrite another's data); a caller alone keeps the original. Waiting is
shielded: a cancelled waiter does not cancel the call the others are waiting for.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Hashable

import orjson

from gateway.transport.fetcher import SubgraphResponse

__all__ = ["SingleFlight"]


class _Flight:
    __slots__ = ("encoded", "followers", "task")

    def __init__(self, task: asyncio.Task[SubgraphResponse]) -> None:
        self.task = task
        self.followers = 0
        self.encoded: bytes | None = None

    def copy(self, response: SubgraphResponse) -> SubgraphResponse:
        if self.encoded is None:
            self.encoded = orjson.dumps(response.payload)
        return SubgraphResponse(response.status, orjson.loads(self.encoded), response.headers)


class SingleFlight:
    def __init__(self) -> None:
        self._flights: dict[Hashable, _Flight] = {}
        self.shared = 0  # callers served by another caller's call

    def __len__(self) -> int:
        return len(self._flights)

    async def run(
        self, key: Hashable, call: Callable[[], Awaitable[SubgraphResponse]]
    ) -> tuple[SubgraphResponse, bool]:
        """The response, and whether it came from another caller's call."""
        flight = self._flights.get(key)
        leader = flight is None
        if flight is None:
            flight = _Flight(asyncio.ensure_future(call()))
            self._flights[key] = flight
            flight.task.add_done_callback(lambda _: self._end(key, flight))
        else:
            flight.followers += 1
            self.shared += 1
        response = await asyncio.shield(flight.task)
        if leader:
            self._end(key, flight)  # nobody joins a finished call from here on
            if flight.followers == 0:
                return response, False
        return flight.copy(response), not leader

    def _end(self, key: Hashable, flight: _Flight) -> None:
        if self._flights.get(key) is flight:
            del self._flights[key]
        task = flight.task
        if task.done() and not task.cancelled():
            task.exception()  # retrieved: a failure nobody awaited is not "never retrieved"
