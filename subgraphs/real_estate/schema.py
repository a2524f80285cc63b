"""The real_estate subgraph schema: property lookups and lists, and the court-seizure mutation.

Lists page through the registry's page/size paging with opaque cursors that hold the
number of rows already seen; a page aligned to the registry's pages costs one call.
"""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.types import Info

from subgraphs.common.errors import NotFoundError, bad_input, masking_extension, require_county
from subgraphs.common.pagination import decode_cursor, encode_cursor, page_request
from subgraphs.common.types import Connection, PageInfo

from . import loaders
from .legacy_service.protocol import LegacyCode
from .mapping import PropertyData, to_property, usage_code
from .registry_client import RegistryClient, RegistryRefusedError
from .types import Enterprise, Person, Property, PropertyUsage

__all__ = ["Mutation", "Query", "schema"]

_REGISTRY_PAGE_LIMIT = 100  # the registry's largest page
_MAX_DECISION_LENGTH = 100


def _offset(after: str | None) -> int:
    if after is None:
        return 0
    key = decode_cursor(after)
    if not key.isdigit():
        raise bad_input("after", "opaque cursor from pageInfo.endCursor", "is not a valid cursor")
    return int(key)


async def _window(
    client: RegistryClient, county: str | None, usage: str | None, offset: int, first: int
) -> tuple[int, list[PropertyData]]:
    """Rows ``offset .. offset+first`` (and the total) in as few registry pages as fit."""
    size = max(first, 1)
    # The smallest registry page size that holds the whole window in one page.
    while size <= _REGISTRY_PAGE_LIMIT and offset // size != (offset + max(first, 1) - 1) // size:
        size += 1
    if size > _REGISTRY_PAGE_LIMIT:
        size = first
        pages = [offset // size + 1, offset // size + 2]
    else:
        pages = [offset // size + 1]
    total, units = 0, []
    for page in pages:
        total, rows = await client.list_units(county=county, usage_code=usage, page=page, size=size)
        units.extend(rows)
    start = offset - (pages[0] - 1) * size
    return total, [to_property(u) for u in units[start : start + first]]


@strawberry.type
class Query:
    @strawberry.field
    async def property(
        self, info: Info[Any, Any], certificate_number: strawberry.ID
    ) -> Property | None:
        data = await loaders.by_certificate(info).load(str(certificate_number))
        return None if data is None else Property.of(data)

    @strawberry.field
    async def properties(
        self,
        info: Info[Any, Any],
        county: str | None = None,
        usage: PropertyUsage | None = None,
        first: int | None = 20,
        after: str | None = None,
    ) -> Connection[Property]:
        require_county(county)
        request = page_request(first, None)
        offset = _offset(after)
        total, rows = await _window(
            loaders.registry(info),
            county,
            None if usage is None else usage_code(usage.value),
            offset,
            request.first,
        )
        end = offset + len(rows)
        return Connection(
            nodes=[Property.of(p) for p in rows],
            page_info=PageInfo(
                has_next_page=end < total, end_cursor=encode_cursor(str(end)) if rows else None
            ),
            total_count=total,
        )


@strawberry.type
class Mutation:
    @strawberry.mutation
    async def record_seizure(
        self, info: Info[Any, Any], certificate_number: strawberry.ID, court_decision: str
    ) -> Property:
        decision = court_decision.strip()
        if not decision:
            raise bad_input("courtDecision", "non-empty court decision number", "must not be empty")
        if len(decision) > _MAX_DECISION_LENGTH:
            raise bad_input(
                "courtDecision",
                f"at most {_MAX_DECISION_LENGTH} characters",
                f"must be at most {_MAX_DECISION_LENGTH} characters",
            )
        try:
            unit = await loaders.registry(info).record_seizure(str(certificate_number), decision)
        except RegistryRefusedError as exc:
            if exc.legacy_code == LegacyCode.NOT_FOUND:
                raise NotFoundError(
                    f"No property with certificateNumber {str(certificate_number)!r}",
                    argument="certificateNumber",
                ) from exc
            raise
        return Property.of(to_property(unit))


schema = strawberry.federation.Schema(
    query=Query,
    mutation=Mutation,
    types=[Person, Enterprise],
    extensions=[masking_extension],
)
