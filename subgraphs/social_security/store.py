"""The export store: the current index over the export folder, re-read when the files change.

Phases of :meth:`ExportStore.snapshot`:

1. stat the four files (mtime and size): cheap, done on every batch;
2. if the signature differs from the one the index was built from (and from the last one
   that failed), parse the folder again in a worker thread, one rebuild at a time;
3. swap the new index in with a single assignment; if parsing failed, keep serving the
   previous index and log why (a half-written export must not take the service down).

``reads`` counts index queries (one per DataLoader batch) and ``loads`` counts parses of
the folder, so tests can prove that entity resolution is batched.
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

from graphql import GraphQLError

from .exports import FILES, ExportError
from .index import ExportIndex, build_index

__all__ = ["ExportStore", "ExportsUnavailableError"]

log = logging.getLogger("govgraph.social_security")

Signature = tuple[tuple[int, int] | None, ...]


class ExportsUnavailableError(GraphQLError):
    """No usable export has been read yet (folder missing, or every reading failed)."""

    def __init__(self) -> None:
        super().__init__(
            "social security exports unavailable", extensions={"code": "EXPORTS_UNAVAILABLE"}
        )


class ExportStore:
    """Serves the latest good index of the CSV exports in ``directory``."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.reads = 0
        self.loads = 0
        self._index: ExportIndex | None = None
        self._built_from: Signature | None = None
        self._failed: Signature | None = None
        self._rebuild = asyncio.Lock()

    def _signature(self) -> Signature:
        stats: list[tuple[int, int] | None] = []
        for name in FILES:
            try:
                st = (self.directory / name).stat()
            except OSError:
                stats.append(None)
            else:
                stats.append((st.st_mtime_ns, st.st_size))
        return tuple(stats)

    async def snapshot(self) -> ExportIndex:
        """The index to answer one batch from; counts as one store read."""
        self.reads += 1
        signature = self._signature()
        if signature != self._built_from and signature != self._failed:
            async with self._rebuild:
                # Another batch may have rebuilt while this one waited for the lock.
                if signature != self._built_from and signature != self._failed:
                    await self._load(signature)
        if self._index is None:
            raise ExportsUnavailableError()
        return self._index

    async def _load(self, signature: Signature) -> None:
        self.loads += 1
        try:
            index = await asyncio.to_thread(build_index, self.directory)
        except ExportError as exc:
            self._failed = signature
            if self._index is None:
                log.error("social security exports unreadable, nothing to serve: %s", exc)
            else:
                log.warning("social security exports unreadable, keeping previous: %s", exc)
            return
        if self._signature() != signature:
            # A file changed while it was being read: the reading may mix old and new
            # rows. Serve it (it parsed), but leave the signature stale to read again.
            signature = ()
        self._index, self._built_from, self._failed = index, signature, None
        log.info(
            "social security exports loaded from %s: %d insured persons",
            self.directory,
            len(index.insured),
        )

    async def check(self) -> None:
        """Health check: raises unless an index can be served."""
        await self.snapshot()
