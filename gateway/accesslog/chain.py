"""The hash chain: canonical form, record hashes, and verification of a whole log.

Each stored record is the JSON object ``{**record, "seq", "prev_hash", "mac", "hash"}``.
``hash`` covers every other member, serialised canonically (orjson, sorted keys), so a
record cannot be edited, and because it covers ``seq`` and ``prev_hash`` no record can be
removed, inserted or moved without breaking the link of the next one. The first record
links to ``GENESIS`` (64 zeros).

Keyed logs (``GOVGRAPH_ACCESS_LOG_KEY``): ``hash`` is HMAC-SHA256 under that key instead
of SHA-256. Someone who can edit the file but not read the gateway's key cannot recompute
the chain after an edit; ``mac`` names the function, and a keyed verification refuses
unkeyed records, so the chain cannot be silently rewritten as plain SHA-256 either.

Truncation (cutting whole records off the end) leaves a valid shorter chain. Each backend
therefore keeps a head anchor (seq and hash of the last record) beside the log, which
catches accidental or naive truncation; against a determined insider, publish the head
(``govgraph audit verify`` prints it) to a place they cannot write, as X-Road does with
its timestamping.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import orjson

from .record import AccessRecord, StoredRecord

__all__ = [
    "GENESIS",
    "ChainHasher",
    "ChainVerifier",
    "Entry",
    "Head",
    "VerifyReport",
    "stored_from_dict",
    "verify_chain",
]

GENESIS = "0" * 64


@dataclass(frozen=True, slots=True)
class Head:
    seq: int
    hash: str


class ChainHasher:
    """Computes record hashes: SHA-256, or HMAC-SHA256 when a key is given."""

    def __init__(self, key: bytes | None = None) -> None:
        self.key = key
        self.mac = "hmac-sha256" if key else "sha256"

    def digest(self, body: dict[str, Any]) -> str:
        canonical = orjson.dumps(body, option=orjson.OPT_SORT_KEYS)
        if self.key:
            return hmac.new(self.key, canonical, hashlib.sha256).hexdigest()
        return hashlib.sha256(canonical).hexdigest()

    def seal(self, record: AccessRecord, seq: int, prev_hash: str) -> tuple[StoredRecord, bytes]:
        """The stored record and its JSON line (with trailing newline)."""
        body = {**record.to_dict(), "seq": seq, "prev_hash": prev_hash, "mac": self.mac}
        digest = self.digest(body)
        line = orjson.dumps({**body, "hash": digest}, option=orjson.OPT_SORT_KEYS) + b"\n"
        return StoredRecord(record, seq, prev_hash, digest, self.mac), line


def stored_from_dict(data: dict[str, Any]) -> StoredRecord:
    """Parse one stored object; raises ``KeyError``/``TypeError``/``ValueError`` if malformed."""
    seq = data["seq"]
    if not isinstance(seq, int) or isinstance(seq, bool):
        raise TypeError("seq must be an integer")
    return StoredRecord(
        AccessRecord.from_dict(data), seq, str(data["prev_hash"]), str(data["hash"]), data["mac"]
    )


@dataclass(frozen=True, slots=True)
class VerifyReport:
    """The outcome of checking a whole log; ``first_bad_seq`` names where trust ends."""

    ok: bool
    records: int
    head: Head | None
    keyed: bool
    first_bad_seq: int | None = None
    problem: str | None = None

    def summary(self) -> str:
        if self.ok:
            tip = f"head seq {self.head.seq} hash {self.head.hash}" if self.head else "empty"
            return f"OK: {self.records} records verified ({tip})"
        return f"BROKEN at seq {self.first_bad_seq}: {self.problem}"


Entry = tuple[int, dict[str, Any] | None, str | None]


class ChainVerifier:
    """Checks a log one entry at a time, in storage order, in constant memory.

    Each entry is (position, parsed object, problem). An entry without an object is
    unreadable; a problem given with an object is the backend's own finding about an
    otherwise readable record (e.g. index columns that disagree with it), reported once
    the record's seal has been checked. ``feed`` returns a report at the first fault;
    ``finish`` checks the head anchor and returns the final report.
    """

    def __init__(self, hasher: ChainHasher, *, anchor: Head | None, where: str) -> None:
        self.hasher = hasher
        self.anchor = anchor
        self.where = where
        self.expected, self.prev_hash, self.count = 1, GENESIS, 0
        self.head: Head | None = None
        self.anchor_hash: str | None = None

    def _broken(self, problem: str, seq: int | None = None) -> VerifyReport:
        keyed = self.hasher.key is not None
        bad = self.expected if seq is None else seq
        return VerifyReport(False, self.count, self.head, keyed, bad, problem)

    def feed(self, entry: Entry) -> VerifyReport | None:
        position, data, error = entry
        if data is None:
            return self._broken(f"{self.where} {position} is not a readable record ({error})")
        try:
            stored = stored_from_dict(data)
        except (KeyError, TypeError, ValueError) as exc:
            return self._broken(f"{self.where} {position} is not a valid record ({exc})")
        if stored.seq != self.expected:
            return self._broken(
                f"expected record {self.expected} at {self.where} {position} but found record "
                f"{stored.seq}: records were removed, inserted or reordered"
            )
        if stored.mac != self.hasher.mac:
            hint = "" if self.hasher.key else " (set GOVGRAPH_ACCESS_LOG_KEY to verify a keyed log)"
            return self._broken(
                f"record {stored.seq} is sealed with {stored.mac}, expected {self.hasher.mac}{hint}"
            )
        if stored.prev_hash != self.prev_hash:
            return self._broken(f"record {stored.seq} does not link to record {stored.seq - 1}")
        body = {k: v for k, v in data.items() if k != "hash"}
        if not hmac.compare_digest(self.hasher.digest(body).encode(), stored.hash.encode()):
            return self._broken(f"record {stored.seq} was altered (its hash does not match)")
        if error is not None:
            return self._broken(f"record {stored.seq}: {error}")
        if self.anchor is not None and stored.seq == self.anchor.seq:
            self.anchor_hash = stored.hash
        self.count, self.prev_hash, self.expected = self.count + 1, stored.hash, self.expected + 1
        self.head = Head(stored.seq, stored.hash)
        return None

    def finish(self) -> VerifyReport:
        anchor = self.anchor
        if anchor is not None and anchor.seq > self.count:
            return self._broken(
                f"the log ends at record {self.count} but its head anchor names record "
                f"{anchor.seq}: records were cut off the end"
            )
        if anchor is not None and anchor.seq > 0 and self.anchor_hash != anchor.hash:
            return self._broken(f"record {anchor.seq} differs from the head anchor", anchor.seq)
        return VerifyReport(True, self.count, self.head, self.hasher.key is not None)


def verify_chain(
    entries: Iterable[Entry],
    hasher: ChainHasher,
    *,
    anchor: Head | None = None,
    where: str = "line",
) -> VerifyReport:
    """Check a whole log given as ``entries`` in storage order (see ``ChainVerifier``)."""
    verifier = ChainVerifier(hasher, anchor=anchor, where=where)
    for entry in entries:
        report = verifier.feed(entry)
        if report is not None:
            return report
    return verifier.finish()
