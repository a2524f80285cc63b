"""Cursor pagination: argument checks, opaque cursors and page assembly.

Cursors are keyset cursors: base64 of the last row's sort key, so deep pages over a
million persons cost an index seek, not an OFFSET scan. Clients must treat them as
opaque; a cursor that does not decode is a clean ``BAD_USER_INPUT`` error.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from subgraphs.common.errors import bad_input
from subgraphs.common.types import Connection, PageInfo

__all__ = [
    "DEFAULT_PAGE_SIZE",
    "MAX_PAGE_SIZE",
    "PageRequest",
    "build_connection",
    "decode_cursor",
    "encode_cursor",
    "page_request",
]

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
_PREFIX = "gg1:"

R = TypeVar("R")
N = TypeVar("N")


def encode_cursor(key: str) -> str:
    return base64.urlsafe_b64encode((_PREFIX + key).encode()).decode()


def decode_cursor(cursor: str, argument: str = "after") -> str:
    try:
        text = base64.urlsafe_b64decode(cursor.encode("ascii")).decode()
    except (binascii.Error, UnicodeError, ValueError):
        text = ""
    if not text.startswith(_PREFIX):
        raise bad_input(argument, "opaque cursor from pageInfo.endCursor", "is not a valid cursor")
    return text[len(_PREFIX) :]


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
