"""The social_security subgraph schema: read-only, over the nightly CSV exports."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.types import Info

from subgraphs.common.errors import masking_extension, require_county
from subgraphs.common.pagination import encode_cursor, page_request
from subgraphs.common.types import Connection, PageInfo

from . import loaders
from .types import Enterprise, InsuranceStatus, Person

__all__ = ["InsuredPersonConnection", "Query", "schema"]


@strawberry.type
class InsuredPersonConnection(Connection[Person]):
    """Insured persons, one page, ordered by identity number."""


@strawberry.type
class Query:
    @strawberry.field
    async def insured_persons(
        self,
        info: Info[Any, Any],
        county: str | None = None,
        status: InsuranceStatus | None = None,
        first: int | None = 20,
        after: str | None = None,
    ) -> InsuredPersonConnection:
        require_county(county)
        request = page_request(first, after)
        index = await loaders.export_store(info).snapshot()
        ids, total = index.insured_ids(
            county, None if status is None else status.value, request.after, request.fetch_limit
        )
        page = ids[: request.first]
        return InsuredPersonConnection(
            nodes=[Person(id_number=strawberry.ID(i)) for i in page],
            page_info=PageInfo(
                has_next_page=len(ids) > request.first,
                end_cursor=encode_cursor(page[-1]) if page else None,
            ),
            total_count=total,
        )


schema = strawberry.federation.Schema(
    query=Query,
    types=[Person, Enterprise],
    extensions=[masking_extension],
)
