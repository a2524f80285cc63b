"""The population subgraph schema: queries over the household register and updatePhone."""

from __future__ import annotations

import re

import strawberry

from subgraphs.common.divisions import DIVISIONS
from subgraphs.common.errors import (
    NotFoundError,
    bad_input,
    require_county,
    require_id_number,
)
from subgraphs.common.pagination import build_connection, page_request
from subgraphs.common.schema import SubgraphSchema
from subgraphs.common.types import Connection, Division
from subgraphs.population.types import Household, Info, Person, household_loader, person_loader

__all__ = ["Mutation", "Query", "schema"]

# Mainland mobile numbers, or a landline with area code (Tieling: 024).
_PHONE = re.compile(r"^(?:1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$")


@strawberry.type
class Query:
    @strawberry.field
    async def person(self, info: Info, id_number: strawberry.ID) -> Person | None:
        record = await person_loader(info).load(require_id_number(str(id_number), "idNumber"))
        return None if record is None else Person.of(record)

    @strawberry.field
    async def persons(
        self,
        info: Info,
        county: str | None = None,
        first: int | None = 20,
        after: str | None = None,
    ) -> Connection[Person]:
        request = page_request(first, after)
        rows, total = await info.context.store.person_page(
            require_county(county), request.after, request.fetch_limit
        )
        return build_connection(rows, request, total, key=lambda p: p.id_number, node=Person.of)

    @strawberry.field
    async def household(self, info: Info, household_number: strawberry.ID) -> Household | None:
        record = await household_loader(info).load(str(household_number))
        return None if record is None else Household.of(record)

    @strawberry.field
    async def households(
        self,
        info: Info,
        county: str | None = None,
        first: int | None = 20,
        after: str | None = None,
    ) -> Connection[Household]:
        request = page_request(first, after)
        rows, total = await info.context.store.household_page(
            require_county(county), request.after, request.fetch_limit
        )
        return build_connection(
            rows, request, total, key=lambda h: h.household_number, node=Household.of
        )

    @strawberry.field
    def divisions(self) -> list[Division]:
        return [Division(code=d.code, name=d.name) for d in DIVISIONS]


@strawberry.type
class Mutation:
    @strawberry.mutation
    async def update_phone(self, info: Info, id_number: strawberry.ID, phone: str) -> Person:
        id_value = require_id_number(str(id_number), "idNumber")
        phone = phone.strip()
        if not _PHONE.match(phone):
            raise bad_input(
                "phone",
                "mainland mobile (11 digits starting 13-19) or landline with area code",
                f"{phone!r} is not a mainland mobile number or a landline with area code",
            )
        store = info.context.store
        (current,) = await store.persons_by_id([id_value])
        if current is None:
            raise NotFoundError(
                f"No registered person has identity number {id_value}", argument="idNumber"
            )
        if not current.alive:
            raise bad_input(
                "idNumber", "person must be alive", "the person is registered as deceased"
            )
        updated = await store.update_phone(id_value, phone)
        assert updated is not None  # existed a moment ago; persons are never deleted
        return Person.of(updated)


schema = SubgraphSchema(query=Query, mutation=Mutation)
