"""Cursor pagination: argument checks, sealed cursors and page assembly.

Cursors are keyset cursors (the last row's sort key), so deep pages over a million
persons cost an index seek, not an OFFSET scan. The key is often personal (an identity
number the gateway shows masked), so cursors are sealed with AES-GCM: opaque to
clients, who can neither read the key nor forge an ``after`` to probe the register.
The sealing key derives from ``GOVGRAPH_SUBGRAPH_SECRET`` (every replica reads every
replica's cursors); without a secret it is random per process (development). A cursor
that does not open is a clean ``BAD_USER_INPUT`` error.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from subgraphs.common.errors import bad_input
from subgraphs.common.types import Connection, PageInfo

__all__ = [
    "DEFAULT_PAGE_SIZE",
    "MAX_PAGE_SIZE",
    "PageRequest",
    "build_connection",
    "configure_cursor_secret",
    "decode_cursor",
    "encode_cursor",
    "page_request",
]

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
_VERSION = b"\x01"
_AAD = b"govgraph page cursor v1"
_NONCE = 12
_sealer = AESGCM(os.urandom(32))

R = TypeVar("R")
N = TypeVar("N")


def configure_cursor_secret(secret: bytes) -> None:
    """Derive the process's cursor key from the subgraph secret (the app factory calls this)."""
    global _sealer
    _sealer = AESGCM(hmac.new(secret, _AAD, hashlib.sha256).digest())


def encode_cursor(key: str) -> str:
    nonce = os.urandom(_NONCE)
    sealed = _VERSION + nonce + _sealer.encrypt(nonce, key.encode(), _AAD)
    return base64.urlsafe_b64encode(sealed).rstrip(b"=").decode()


def decode_cursor(cursor: str, argument: str = "after") -> str:
    try:
        raw = base64.urlsafe_b64decode(cursor.encode("ascii") + b"=" * (-len(cursor) % 4))
        if raw[:1] != _VERSION or len(raw) < 1 + _NONCE + 16:
            raise ValueError("not a govgraph cursor")
        nonce = raw[1 : 1 + _NONCE]
        return _sealer.decrypt(nonce, raw[1 + _NONCE :], _AAD).decode()
    except (binascii.Error, UnicodeError, ValueError, InvalidTag):
        raise bad_input(
            argument, "opaque cursor from pageInfo.endCursor", "is not a valid cursor"
        ) from None


@dataclass(frozen=True, slots=True)
class PageRequest:
    first: int
    after: str | None  # decoded sort key, rows strictly after it

    @property
    def fetch_limit(self) -> int:
        # One extra row tells whether a next page exists without a second query.
        return self.first + 1


def page_request(first: int | None, after: str | None) -> PageRequest:
    size = DEFAULT_PAGE_SIZE if first is None else first
    if size < 0 or size > MAX_PAGE_SIZE:
        raise bad_input(
            "first",
            f"between 0 and {MAX_PAGE_SIZE}",
            f"must be between 0 and {MAX_PAGE_SIZE}, got {size}",
        )
    return PageRequest(first=size, after=None if after is None else decode_cursor(after))


@dataclass(frozen=True, slots=True)
class _Page(Generic[R]):
    rows: Sequence[R]
    has_next: bool


def build_connection(
    rows: Sequence[R],
    request: PageRequest,
    total_count: int,
    *,
    key: Callable[[R], str],
    node: Callable[[R], N],
) -> Connection[N]:
    """Turn ``fetch_limit`` rows (sorted by ``key``) into a connection page."""
    page = _Page(rows[: request.first], len(rows) > request.first)
    end = encode_cursor(key(page.rows[-1])) if page.rows else None
    return Connection(
        nodes=[node(r) for r in page.rows],
        page_info=PageInfo(has_next_page=page.has_next, end_cursor=end),
        total_count=total_count,
    )
