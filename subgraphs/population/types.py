"""GraphQL types of the population subgraph: Person and Household entities and their enums."""

from __future__ import annotations

from enum import Enum
from typing import Any, TypeAlias

import strawberry
from strawberry.dataloader import DataLoader

from subgraphs.common.context import SubgraphContext
from subgraphs.common.records import HouseholdRecord, PersonRecord
from subgraphs.common.types import Division
from subgraphs.population.store import PopulationStore

__all__ = [
    "Gender",
    "Household",
    "HouseholdKind",
    "HouseholdRelation",
    "Info",
    "Person",
    "household_loader",
    "person_loader",
]

Info: TypeAlias = strawberry.Info[SubgraphContext[PopulationStore], None]


@strawberry.enum
class Gender(Enum):
    MALE = "MALE"
    FEMALE = "FEMALE"


@strawberry.enum
class HouseholdRelation(Enum):
    HEAD = "HEAD"
    SPOUSE = "SPOUSE"
    CHILD = "CHILD"
    PARENT = "PARENT"
    OTHER = "OTHER"


@strawberry.enum
class HouseholdKind(Enum):
    FAMILY = "FAMILY"
    COLLECTIVE = "COLLECTIVE"


def person_loader(info: Info) -> DataLoader[str, PersonRecord | None]:
    return info.context.loader("population.person", info.context.store.persons_by_id)


def household_loader(info: Info) -> DataLoader[str, HouseholdRecord | None]:
    return info.context.loader("population.household", info.context.store.households_by_number)


def members_loader(info: Info) -> DataLoader[str, list[PersonRecord]]:
    return info.context.loader("population.members", info.context.store.members_by_household)


@strawberry.federation.type(keys=["idNumber"], description="A registered resident.")
class Person:
    id_number: strawberry.ID = strawberry.field(description="GB 11643-1999 identity number.")
    name: str
    gender: Gender
    birth_date: str = strawberry.field(description="YYYY-MM-DD")
    ethnicity: str
    phone: str | None
    registered_county: Division
    registered_address: str
    relation_to_head: HouseholdRelation
    alive: bool
    household_number: strawberry.Private[str]

    @strawberry.field
    async def household(self, info: Info) -> Household | None:
        record = await household_loader(info).load(self.household_number)
        return None if record is None else Household.of(record)

    @classmethod
    def of(cls, p: PersonRecord) -> Person:
        return cls(
            id_number=strawberry.ID(p.id_number),
            name=p.name,
            gender=Gender(p.gender),
            birth_date=p.birth_date,
            ethnicity=p.ethnicity,
            phone=p.phone or None,
            registered_county=Division.of(p.county_code),
            registered_address=p.registered_address,
            relation_to_head=HouseholdRelation(p.relation_to_head),
            alive=p.alive,
            household_number=p.household_number,
        )

    @classmethod
    async def resolve_reference(cls, info: Info, **representation: Any) -> Person | None:
        record = await person_loader(info).load(str(representation.get("idNumber", "")))
        return None if record is None else cls.of(record)


@strawberry.federation.type(keys=["householdNumber"], description="A household register entry.")
class Household:
    household_number: strawberry.ID
    kind: HouseholdKind
    county: Division
    address: str
    head_id_number: strawberry.Private[str]

    @strawberry.field
    async def head(self, info: Info) -> Person | None:
        record = await person_loader(info).load(self.head_id_number)
        return None if record is None else Person.of(record)

    @strawberry.field
    async def members(self, info: Info) -> list[Person]:
        return [Person.of(p) for p in await members_loader(info).load(str(self.household_number))]

    @classmethod
    def of(cls, h: HouseholdRecord) -> Household:
        return cls(
            household_number=strawberry.ID(h.household_number),
            kind=HouseholdKind(h.kind),
            county=Division.of(h.county_code),
            address=h.address,
            head_id_number=h.head_id_number,
        )

    @classmethod
    async def resolve_reference(cls, info: Info, **representation: Any) -> Household | None:
        number = str(representation.get("householdNumber", ""))
        record = await household_loader(info).load(number)
        return None if record is None else cls.of(record)
