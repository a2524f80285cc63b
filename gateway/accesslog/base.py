"""The AccessLog port every backend implements, and the group commit they share."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime
from typing import Protocol

from .chain import VerifyReport
from .record import AccessRecord, StoredRecord

__all__ = ["AccessLog", "AccessLogError", "GroupCommit", "visible_to_citizen"]


class AccessLogError(Exception):
    """The log cannot accept or return records (unwritable file, database down, torn log)."""


class AccessLog(Protocol):
    """An append-only, hash-chained record of who read whose data.

    ``append`` returns only once the record is durable (fsynced or committed); a caller
    that must not release data without evidence awaits it before answering.
    """

    async def append(self, record: AccessRecord) -> StoredRecord: ...

    async def verify(self) -> VerifyReport: ...

    async def query(
        self, subject: str, *, include_suppressed: bool = False
    ) -> list[StoredRecord]: ...

    async def tail(self, limit: int = 20) -> list[StoredRecord]: ...

    async def close(self) -> None: ...


def visible_to_citizen(stored: StoredRecord, include_suppressed: bool) -> bool:
    return include_suppressed or not stored.record.suppressed_on(datetime.now(UTC).date())


class GroupCommit:
    """Batches concurrent appends into one durable write.

    One flusher task writes whatever is queued (up to ``max_batch`` records) with one
    fsync or one transaction, then the next batch. Bound: an append waits for at most the
    batch already being written plus its own, and each batch holds at most ``max_batch``
    records. Seq numbers follow queue order, so the chain stays linear.
    """

    def __init__(
        self,
        write: Callable[[Sequence[AccessRecord]], Awaitable[list[StoredRecord]]],
        *,
        max_batch: int = 256,
    ) -> None:
        self._write = write
        self.max_batch = max_batch
        self._queue: list[tuple[AccessRecord, asyncio.Future[StoredRecord]]] = []
        self._flusher: asyncio.Task[None] | None = None

    async def submit(self, record: AccessRecord) -> StoredRecord:
        future: asyncio.Future[StoredRecord] = asyncio.get_running_loop().create_future()
        self._queue.append((record, future))
        if self._flusher is None or self._flusher.done():
            self._flusher = asyncio.create_task(self._flush())
        return await future

    async def _flush(self) -> None:
        while self._queue:
            batch = self._queue[: self.max_batch]
            del self._queue[: self.max_batch]
            try:
                stored = await self._write([record for record, _ in batch])
            except BaseException as exc:
                failure = (
                    exc
                    if isinstance(exc, AccessLogError)
                    else AccessLogError(f"the access log could not be written: {exc}")
                )
                for _, future in batch:
                    if not future.done():
                        future.set_exception(failure)
                if not isinstance(exc, Exception):
                    raise
                continue
            for (_, future), result in zip(batch, stored, strict=True):
                if not future.done():
                    future.set_result(result)
