"""GraphQL types every department shares: Division, PageInfo and cursor connections."""

from __future__ import annotations

from typing import Generic, TypeVar

import strawberry

from subgraphs.common.divisions import DivisionInfo, division

__all__ = ["Connection", "Division", "PageInfo"]

T = TypeVar("T")


@strawberry.federation.type(shareable=True, description="A Tieling county-level division.")
class Division:
    code: str
    name: str

    @classmethod
    def of(cls, code: str) -> Division:
        info: DivisionInfo = division(code)
        return cls(code=info.code, name=info.name)


@strawberry.federation.type(shareable=True)
class PageInfo:
    has_next_page: bool
    end_cursor: str | None


@strawberry.type
class Connection(Generic[T]):
    """One page of a list; strawberry names it after the node type (``PersonConnection``)."""

    nodes: list[T]
    page_info: PageInfo
    total_count: int
