"""FileAccessLog: the chain as JSON lines in one file, fsynced before an append returns.

Appends take an exclusive ``flock`` on the log and read its last line for the chain tip,
so several gateway processes on one host can share a file and the chain stays linear.
The head anchor (``<log>.head``, see ``chain``) is rewritten after each batch.

A final line without its newline can only come from a write that never returned (every
acknowledged append ends with a newline and an fsync). The next append moves such a torn
tail to ``<log>.torn`` before continuing, so nothing is silently discarded.
"""

from __future__ import annotations

import asyncio
import fcntl
import os
from collections import deque
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, Any

import orjson

from .base import AccessLogError, GroupCommit, visible_to_citizen
from .chain import GENESIS, ChainHasher, Head, VerifyReport, stored_from_dict, verify_chain
from .record import AccessRecord, StoredRecord

__all__ = ["FileAccessLog"]

_TAIL_CHUNK = 64 * 1024


def _last_line(handle: IO[bytes]) -> tuple[bytes, int]:
    """The last complete line and the offset just after it (0 and b'' for an empty log)."""
    end = handle.seek(0, os.SEEK_END)
    position, buffer = end, b""
    while position > 0:
        step = min(_TAIL_CHUNK, position)
        position -= step
        handle.seek(position)
        buffer = handle.read(step) + buffer
        last_newline = buffer.rfind(b"\n")
        if last_newline == -1:
            continue
        start = buffer.rfind(b"\n", 0, last_newline)
        if start != -1 or position == 0:
            return buffer[start + 1 : last_newline + 1], position + last_newline + 1
    return b"", 0


class FileAccessLog:
    """The access log in a JSON-lines file (default ``<data>/access-log.jsonl``)."""

    def __init__(self, path: Path | str, *, key: bytes | None = None, max_batch: int = 256) -> None:
        self.path = Path(path)
        self.head_path = self.path.with_name(self.path.name + ".head")
        self.hasher = ChainHasher(key)
        self._commit = GroupCommit(self._write, max_batch=max_batch)

    async def append(self, record: AccessRecord) -> StoredRecord:
        return await self._commit.submit(record)

    async def _write(self, records: Sequence[AccessRecord]) -> list[StoredRecord]:
        try:
            return await asyncio.to_thread(self._write_sync, records)
        except OSError as exc:
            raise AccessLogError(f"cannot write the access log {self.path}: {exc}") from exc

    def _write_sync(self, records: Sequence[AccessRecord]) -> list[StoredRecord]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o640)
        with os.fdopen(fd, "r+b") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                seq, prev_hash = self._tip(handle)
                stored, lines = [], []
                for record in records:
                    seq += 1
                    item, line = self.hasher.seal(record, seq, prev_hash)
                    stored.append(item)
                    lines.append(line)
                    prev_hash = item.hash
                handle.write(b"".join(lines))
                handle.flush()
                os.fsync(handle.fileno())
                self._write_head(Head(seq, prev_hash))
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)
        return stored

    def _tip(self, handle: IO[bytes]) -> tuple[int, str]:
        line, complete_end = _last_line(handle)
        end = handle.seek(0, os.SEEK_END)
        if end != complete_end:
            self._set_aside_torn_tail(handle, complete_end, end)
        if not line:
            return 0, GENESIS
        try:
            stored = stored_from_dict(orjson.loads(line))
        except (ValueError, KeyError, TypeError) as exc:
            raise AccessLogError(
                f"the last record of {self.path} is unreadable; run `govgraph audit verify`"
            ) from exc
        return stored.seq, stored.hash

    def _set_aside_torn_tail(self, handle: IO[bytes], keep: int, end: int) -> None:
        handle.seek(keep)
        torn = handle.read(end - keep)
        with open(self.path.with_name(self.path.name + ".torn"), "ab") as aside:
            aside.write(torn + b"\n")
            aside.flush()
            os.fsync(aside.fileno())
        handle.truncate(keep)

    def _write_head(self, head: Head) -> None:
        # No fsync: after a crash the anchor may lag the log, which verify accepts; it
        # must never run ahead, and it cannot, because the log was fsynced first.
        temporary = self.head_path.with_name(self.head_path.name + f".{os.getpid()}")
        temporary.write_bytes(orjson.dumps({"seq": head.seq, "hash": head.hash}))
        os.replace(temporary, self.head_path)

    def _read_anchor(self) -> Head | None:
        try:
            data = orjson.loads(self.head_path.read_bytes())
            return Head(int(data["seq"]), str(data["hash"]))
        except FileNotFoundError:
            return None
        except (ValueError, KeyError, TypeError):
            return Head(-1, "unreadable")

    def _entries(self) -> Iterator[tuple[int, dict[str, Any] | None, str | None]]:
        if not self.path.exists():
            return
        with open(self.path, "rb") as handle:
            for number, line in enumerate(handle, start=1):
                if not line.endswith(b"\n"):
                    yield number, None, "incomplete last line"
                    return
                try:
                    data = orjson.loads(line)
                except orjson.JSONDecodeError as exc:
                    yield number, None, f"not JSON: {exc}"
                    return
                if not isinstance(data, dict):
                    yield number, None, "not a JSON object"
                    return
                yield number, data, None

    async def verify(self) -> VerifyReport:
        def run() -> VerifyReport:
            anchor = self._read_anchor()
            if anchor is not None and anchor.seq < 0:
                return VerifyReport(
                    False,
                    0,
                    None,
                    self.hasher.key is not None,
                    1,
                    f"the head anchor {self.head_path} is unreadable",
                )
            return verify_chain(self._entries(), self.hasher, anchor=anchor, where="line")

        return await asyncio.to_thread(run)

    def _records(self) -> Iterator[StoredRecord]:
        for _, data, _ in self._entries():
            if data is not None:
                try:
                    yield stored_from_dict(data)
                except (KeyError, TypeError, ValueError):
                    continue

    async def query(self, subject: str, *, include_suppressed: bool = False) -> list[StoredRecord]:
        def run() -> list[StoredRecord]:
            return [
                stored
                for stored in self._records()
                if subject in stored.record.data_subjects
                and visible_to_citizen(stored, include_suppressed)
            ]

        return await asyncio.to_thread(run)

    async def tail(self, limit: int = 20) -> list[StoredRecord]:
        def run() -> list[StoredRecord]:
            return list(deque(self._records(), maxlen=limit))

        return await asyncio.to_thread(run)

    async def close(self) -> None:
        return None
