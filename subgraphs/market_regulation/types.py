"""GraphQL types of the market_regulation subgraph: Enterprise, penalties, the Person it extends."""

from __future__ import annotations

from enum import Enum
from typing import Any, TypeAlias

import strawberry
from strawberry.dataloader import DataLoader

from subgraphs.common.context import SubgraphContext
from subgraphs.common.identifiers import is_valid_id_number
from subgraphs.common.records import EnterpriseRecord, PenaltyRecord
from subgraphs.common.types import Division
from subgraphs.market_regulation.store import MarketRegulationStore

__all__ = [
    "AdministrativePenalty",
    "Enterprise",
    "Info",
    "LicenceStatus",
    "OrganisationType",
    "Person",
    "enterprise_loader",
]

Info: TypeAlias = strawberry.Info[SubgraphContext[MarketRegulationStore], None]


@strawberry.enum
class OrganisationType(Enum):
    LIMITED_COMPANY = "LIMITED_COMPANY"
    JOINT_STOCK_COMPANY = "JOINT_STOCK_COMPANY"
    PARTNERSHIP = "PARTNERSHIP"
    SOLE_PROPRIETORSHIP = "SOLE_PROPRIETORSHIP"
    FARMERS_COOPERATIVE = "FARMERS_COOPERATIVE"
    INDIVIDUAL_BUSINESS = "INDIVIDUAL_BUSINESS"


@strawberry.enum
class LicenceStatus(Enum):
    ACTIVE = "ACTIVE"
    SUSPENDED = "SUSPENDED"
    REVOKED = "REVOKED"
    CANCELLED = "CANCELLED"


def enterprise_loader(info: Info) -> DataLoader[str, EnterpriseRecord | None]:
    return info.context.loader("market.enterprise", info.context.store.enterprises_by_code)


def represented_loader(info: Info) -> DataLoader[str, list[EnterpriseRecord]]:
    store = info.context.store
    return info.context.loader("market.represented", store.enterprises_by_representative)


def penalties_loader(info: Info) -> DataLoader[str, list[PenaltyRecord]]:
    return info.context.loader("market.penalties", info.context.store.penalties_by_enterprise)


@strawberry.type
class AdministrativePenalty:
    decision_number: strawberry.ID
    decided_on: str
    reason: str
    fine_amount: float
    authority: str

    @classmethod
    def of(cls, p: PenaltyRecord) -> AdministrativePenalty:
        return cls(
            decision_number=strawberry.ID(p.decision_number),
            decided_on=p.decided_on,
            reason=p.reason,
            fine_amount=p.fine_amount,
            authority=p.authority,
        )


@strawberry.federation.type(keys=["idNumber"])
class Person:
    """A resident as the enterprise register knows them: a legal representative."""

    id_number: strawberry.ID

    @strawberry.field
    async def represented_enterprises(self, info: Info) -> list[Enterprise]:
        records = await represented_loader(info).load(str(self.id_number))
        return [Enterprise.of(e) for e in records]

    @classmethod
    def resolve_reference(cls, **representation: Any) -> Person | None:
        id_number = str(representation.get("idNumber", ""))
        return cls(id_number=strawberry.ID(id_number)) if is_valid_id_number(id_number) else None


@strawberry.federation.type(keys=["creditCode"], description="A registered market entity.")
class Enterprise:
    credit_code: strawberry.ID = strawberry.field(description="GB 32100-2015 credit code.")
    name: str
    organisation_type: OrganisationType
    legal_representative: Person
    registered_capital: float = strawberry.field(description="In 10,000 yuan.")
    established_on: str
    business_scope: str
    county: Division
    address: str
    licence_status: LicenceStatus

    @strawberry.field
    async def penalties(self, info: Info) -> list[AdministrativePenalty]:
        records = await penalties_loader(info).load(str(self.credit_code))
        return [AdministrativePenalty.of(p) for p in records]

    @classmethod
    def of(cls, e: EnterpriseRecord) -> Enterprise:
        return cls(
            credit_code=strawberry.ID(e.credit_code),
            name=e.name,
            organisation_type=OrganisationType(e.organisation_type),
            legal_representative=Person(id_number=strawberry.ID(e.legal_representative_id_number)),
            registered_capital=e.registered_capital,
            established_on=e.established_on,
            business_scope=e.business_scope,
            county=Division.of(e.county_code),
            address=e.address,
            licence_status=LicenceStatus(e.licence_status),
        )

    @classmethod
    async def resolve_reference(cls, info: Info, **representation: Any) -> Enterprise | None:
        record = await enterprise_loader(info).load(str(representation.get("creditCode", "")))
        return None if record is None else cls.of(record)
