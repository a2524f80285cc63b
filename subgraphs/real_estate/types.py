"""GraphQL types of real_estate: Property, its parcel and owners, and Person/Enterprise.properties."""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from subgraphs.common.errors import bad_input, require_credit_code, require_id_number
from subgraphs.common.types import Division

from . import loaders
from .mapping import PropertyData

__all__ = [
    "Enterprise",
    "Ownership",
    "Parcel",
    "Person",
    "Property",
    "PropertyOwner",
    "PropertyUsage",
]


def _key(representation: dict[str, Any], field: str) -> str:
    """The key field of an entity representation; a clean error when it is absent."""
    value = representation.get(field)
    if not isinstance(value, str):
        raise bad_input(field, "entity representation key", f"{field} is missing or not a string")
    return value


@strawberry.enum(description="What a property is registered for (用途).")
class PropertyUsage(Enum):
    RESIDENTIAL = "RESIDENTIAL"
    COMMERCIAL = "COMMERCIAL"
    INDUSTRIAL = "INDUSTRIAL"
    AGRICULTURAL = "AGRICULTURAL"


@strawberry.type(description="The land parcel (宗地) a property stands on.")
class Parcel:
    parcel_number: strawberry.ID
    land_use: str
    area: float


@strawberry.federation.type(keys=["idNumber"])
class Person:
    id_number: strawberry.ID

    @strawberry.field
    async def properties(self, info: Info[Any, Any]) -> list[Property]:
        return [Property.of(p) for p in await loaders.by_owner(info).load(self.id_number)]

    @classmethod
    def resolve_reference(cls, **representation: Any) -> Person:
        return cls(
            id_number=strawberry.ID(require_id_number(_key(representation, "idNumber"), "idNumber"))
        )


@strawberry.federation.type(keys=["creditCode"])
class Enterprise:
    credit_code: strawberry.ID

    @strawberry.field
    async def properties(self, info: Info[Any, Any]) -> list[Property]:
        return [Property.of(p) for p in await loaders.by_owner(info).load(self.credit_code)]

    @classmethod
    def resolve_reference(cls, **representation: Any) -> Enterprise:
        code = require_credit_code(_key(representation, "creditCode"), "creditCode")
        return cls(credit_code=strawberry.ID(code))


PropertyOwner = Annotated[Person | Enterprise, strawberry.union("PropertyOwner")]


@strawberry.type
class Ownership:
    share: str
    owner: PropertyOwner


@strawberry.federation.type(keys=["certificateNumber"])
class Property:
    certificate_number: strawberry.ID
    address: str
    county: Division
    usage: PropertyUsage
    area: float
    registered_on: str
    parcel: Parcel
    owners: list[Ownership]
    mortgaged: bool
    seized: bool

    @classmethod
    def of(cls, data: PropertyData) -> Property:
        return cls(
            certificate_number=strawberry.ID(data.certificate_number),
            address=data.address,
            county=Division.of(data.county_code),
            usage=PropertyUsage(data.usage),
            area=data.area,
            registered_on=data.registered_on,
            parcel=Parcel(
                parcel_number=strawberry.ID(data.parcel_number),
                land_use=data.land_use,
                area=data.parcel_area,
            ),
            owners=[
                Ownership(
                    share=o.share,
                    owner=Person(id_number=strawberry.ID(o.owner_id))
                    if o.kind == "PERSON"
                    else Enterprise(credit_code=strawberry.ID(o.owner_id)),
                )
                for o in data.owners
            ],
            mortgaged=data.mortgaged,
            seized=data.seized,
        )

    @classmethod
    async def resolve_reference(
        cls, info: Info[Any, Any], **representation: Any
    ) -> Property | None:
        data = await loaders.by_certificate(info).load(_key(representation, "certificateNumber"))
        return None if data is None else cls.of(data)
