"""The market_regulation subgraph schema: enterprise queries, penalties, licence changes."""

from __future__ import annotations

import math
import secrets
from datetime import date

import strawberry

from subgraphs.common.divisions import division
from subgraphs.common.errors import (
    InputError,
    NotFoundError,
    bad_input,
    require_county,
    require_credit_code,
)
from subgraphs.common.pagination import build_connection, page_request
from subgraphs.common.records import PenaltyRecord
from subgraphs.common.schema import SubgraphSchema
from subgraphs.common.types import Connection
from subgraphs.market_regulation.store import ALLOWED_TRANSITIONS
from subgraphs.market_regulation.types import (
    AdministrativePenalty,
    Enterprise,
    Info,
    LicenceStatus,
    Person,
    enterprise_loader,
)

__all__ = ["Mutation", "Query", "schema"]

MAX_FINE = 100_000_000.0  # yuan
MAX_REASON = 500
MAX_NAME_FILTER = 50


@strawberry.type
class Query:
    @strawberry.field
    async def enterprise(self, info: Info, credit_code: strawberry.ID) -> Enterprise | None:
        code = require_credit_code(str(credit_code), "creditCode")
        record = await enterprise_loader(info).load(code)
        return None if record is None else Enterprise.of(record)

    @strawberry.field
    async def enterprises(
        self,
        info: Info,
        county: str | None = None,
        licence_status: LicenceStatus | None = None,
        name_contains: str | None = None,
        first: int | None = 20,
        after: str | None = None,
    ) -> Connection[Enterprise]:
        if name_contains is not None and not 1 <= len(name_contains.strip()) <= MAX_NAME_FILTER:
            raise bad_input(
                "nameContains",
                f"1 to {MAX_NAME_FILTER} characters",
                f"must be 1 to {MAX_NAME_FILTER} non-blank characters",
            )
        request = page_request(first, after)
        rows, total = await info.context.store.enterprise_page(
            require_county(county),
            None if licence_status is None else licence_status.value,
            None if name_contains is None else name_contains.strip(),
            request.after,
            request.fetch_limit,
        )
        return build_connection(
            rows, request, total, key=lambda e: e.credit_code, node=Enterprise.of
        )


async def _existing(info: Info, credit_code: str) -> Enterprise:
    (record,) = await info.context.store.enterprises_by_code([credit_code])
    if record is None:
        raise NotFoundError(f"No enterprise is registered as {credit_code}", argument="creditCode")
    return Enterprise.of(record)


@strawberry.type
class Mutation:
    @strawberry.mutation
    async def record_penalty(
        self, info: Info, credit_code: strawberry.ID, reason: str, fine_amount: float
    ) -> AdministrativePenalty:
        code = require_credit_code(str(credit_code), "creditCode")
        reason = reason.strip()
        if not 1 <= len(reason) <= MAX_REASON:
            raise bad_input(
                "reason", f"1 to {MAX_REASON} characters", f"must be 1 to {MAX_REASON} characters"
            )
        if not math.isfinite(fine_amount) or not 0 < fine_amount <= MAX_FINE:
            raise bad_input(
                "fineAmount",
                f"positive and at most {MAX_FINE:,.0f} yuan",
                f"must be positive and at most {MAX_FINE:,.0f} yuan",
            )
        enterprise = await _existing(info, code)
        today = date.today()
        county = division(enterprise.county.code)
        penalty = PenaltyRecord(
            decision_number=f"{county.code}市监罚〔{today.year}〕N{secrets.token_hex(4).upper()}号",
            credit_code=code,
            decided_on=today.isoformat(),
            reason=reason,
            fine_amount=round(fine_amount, 2),
            authority=f"{county.name}市场监督管理局",
        )
        await info.context.store.insert_penalty(penalty)
        return AdministrativePenalty.of(penalty)

    @strawberry.mutation
    async def change_licence_status(
        self, info: Info, credit_code: strawberry.ID, status: LicenceStatus
    ) -> Enterprise:
        code = require_credit_code(str(credit_code), "creditCode")
        current = await _existing(info, code)
        if not await info.context.store.change_status(code, status.value):
            allowed = ", ".join(ALLOWED_TRANSITIONS[status.value])
            raise InputError(
                f"Licence of {code} is {current.licence_status.value}; "
                f"{status.value} can only be reached from {allowed}",
                argument="status",
                rule="licence status transition",
                code="CONFLICT",
            )
        return await _existing(info, code)


schema = SubgraphSchema(query=Query, mutation=Mutation, types=[Person])
